"""政策计算器: one organisation's evaluations from its master file, for each role within its scope."""

import re

import pytest
from django.test import Client

from kechuang.accounts.choices import Role
from tests.evaluation.test_selectors import county  # noqa: F401  (the fixture)
from tests.ip.conftest import make_patent  # noqa: F401  (the fixture used by county)

pytestmark = pytest.mark.django_db
URL = "/evaluation/"
ALLOWED = {Role.BUREAU_ADMIN, Role.BUREAU_STAFF, Role.LEADER, Role.ENTERPRISE, Role.PROVIDER}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def verdicts(html: str) -> dict[str, str]:
    return dict(re.findall(r'id="panel-(\w+)".*?data-verdict="(\w+)"', html, re.S))


@pytest.mark.parametrize("role", [role.value for role in Role])
def test_each_role(role, county, make_user):  # noqa: F811
    organisation = county["second"] if role in (Role.ENTERPRISE, Role.PROVIDER) else None
    user = make_user(role, organisation=organisation, region="450223101" if organisation else "450223")
    client = signed_in(user)
    response = client.get(URL, {"uscc": county["first"].uscc})
    if role not in ALLOWED:
        assert response.status_code == 403
        return
    if organisation:
        # An organisation's own users see their organisation; asking for another firm is refused, saying why.
        assert response.status_code == 404 and "只能查看本单位" in response.content.decode()
        response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    expected = county["second"] if organisation else county["first"]
    assert f'<h2 class="h5">{expected.name}' in html
    assert set(verdicts(html)) == {"hte", "tsme"}


def test_the_bureau_sees_conditions_scores_missing_data_and_gaps(county, make_user):  # noqa: F811
    html = signed_in(make_user(Role.BUREAU_STAFF)).get(URL, {"uscc": county["first"].uscc}).content.decode()
    assert verdicts(html) == {"hte": "fails", "tsme": "fails"}
    tsme = html[html.index('id="panel-tsme"') :]
    # R&D 60 万 of 1,210 万 sales = 4.96 %; S&T staff 20 of 100.
    assert "研发投入" in tsme and "<strong>72</strong>" in tsme
    assert "是否查账征收" in tsme  # missing: the yearly figures do not say (violations come from integrity records)
    hte = html[html.index('id="panel-hte"') : html.index('id="panel-tsme"')]
    # R&D 180 万 over 3,310 万 of sales in three years = 5.44 %; the bound is 5 % (last year's sales ≤ 5,000 万).
    row = '<td>近三年研发费用占销售收入比例</td><td class="text-end">5.44%</td><td class="text-end">5.00%</td>'
    assert row in hte
    assert "还差什么" in hte and "研究开发组织管理" in hte


def test_year_choice_and_data_missing(county, make_user, make_org):  # noqa: F811
    client = signed_in(make_user(Role.BUREAU_STAFF))
    html = client.get(URL, {"uscc": county["third"].uscc}).content.decode()
    assert '<option value="2023" selected>' in html  # its only approved year
    assert client.get(URL, {"uscc": county["first"].uscc, "year": "2019"}).status_code == 404
    empty = make_org(name="鹿寨新设科技有限公司", region="450223100")
    assert "还没有已审核的年度数据" in client.get(URL, {"uscc": empty.uscc}).content.decode()


def test_an_organisation_outside_the_scope_is_not_found(county, make_user):  # noqa: F811
    client = signed_in(make_user(Role.BUREAU_STAFF))
    assert client.get(URL, {"uscc": county["outside"].uscc}).status_code == 404
    assert client.get(URL).status_code == 200  # no organisation chosen: the form


def test_the_menu_offers_it(county, make_user):  # noqa: F811
    assert 'href="/evaluation/"' in signed_in(make_user(Role.BUREAU_STAFF)).get("/").content.decode()
    assert 'href="/evaluation/"' not in signed_in(make_user(Role.EXPERT)).get("/").content.decode()
