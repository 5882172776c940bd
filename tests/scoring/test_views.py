"""The pages: the 政策计算器's schemes (met, nearly met with the margin, reasons and gaps), the 免申即享 list and its
export, creating and editing a model through the form, and the ranking with its export."""

import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from kechuang.accounts.choices import Role
from kechuang.scoring import services
from kechuang.scoring.models import ScoringModel
from tests.permission_table import signed_in

pytestmark = pytest.mark.django_db
CALCULATOR = "/evaluation/"


def statuses(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-scheme="([\w:]+)" data-status="(\w+)"', html))


def xlsx(response) -> list[tuple]:
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def test_the_calculator_lists_schemes_met_and_nearly_met(county, shubiao, make_user):
    client = signed_in(make_user(Role.BUREAU_STAFF))
    key = f"model:{shubiao.pk}"
    html = client.get(CALCULATOR, {"uscc": county["first"].uscc}).content.decode()
    assert statuses(html)[key] == "meets"
    assert "研发投入强度：6，≥ 5 得 25 分" in html
    # 丙 scores 56: 4 short of 60, within 10 % of the pass score (6 points): nearly, with the gaps.
    html = client.get(CALCULATOR, {"uscc": county["third"].uscc}).content.decode()
    assert statuses(html)[key] == "nearly"
    assert "总分还差 4 分达到达标线 60 分" in html and "Ⅰ类知识产权：≥ 1 → 10 分" in html
    # A narrower margin (5 % = 3 points) and 丙 no longer nearly meets it.
    html = client.get(CALCULATOR, {"uscc": county["third"].uscc, "margin": "5"}).content.decode()
    assert statuses(html)[key] == "fails"
    # 乙 fails it, with its growth named as missing data.
    html = client.get(CALCULATOR, {"uscc": county["second"].uscc}).content.decode()
    assert statuses(html)[key] == "fails"
    assert {"hte", "tsme"} <= set(statuses(html))


def test_the_calculator_for_an_enterprise_user_and_a_retired_scheme(county, shubiao, make_user, bureau):
    client = signed_in(make_user(Role.ENTERPRISE, organisation=county["first"]))
    html = client.get(CALCULATOR).content.decode()
    assert "鹿寨甲科技有限公司" in html and statuses(html)[f"model:{shubiao.pk}"] == "meets"
    other = client.get(CALCULATOR, {"uscc": county["third"].uscc})  # another firm: refused, not swapped for one's own
    assert other.status_code == 404 and "不是您所在单位的" in other.content.decode()
    services.model_retire(actor=bureau, model=shubiao)
    assert f"model:{shubiao.pk}" not in statuses(client.get(CALCULATOR).content.decode())


def test_year_options_are_whole_years(county, make_user):
    html = signed_in(make_user(Role.BUREAU_STAFF)).get(CALCULATOR, {"uscc": county["first"].uscc}).content.decode()
    assert '<option value="2024" selected>2024</option>' in html and ".0<" not in html


def test_the_free_benefit_list_and_its_export(county, shubiao, make_user):
    client = signed_in(make_user(Role.BUREAU_STAFF))
    response = client.get("/scoring/candidates/", {"scheme": f"model:{shubiao.pk}", "year": "2024"})
    html = response.content.decode()
    assert re.findall(r'data-uscc="(\w+)" data-status="(\w+)"', html) == [(county["first"].uscc, "meets")]
    rows = xlsx(client.get("/scoring/candidates/", {"scheme": f"model:{shubiao.pk}", "year": "2024",
                                                    "export": "xlsx"}))  # fmt: skip
    assert rows[0][:3] == ("统一社会信用代码", "单位名称", "结论")
    assert rows[1][:2] == (county["first"].uscc, "鹿寨甲科技有限公司")
    assert len(rows) == 2
    # The national rule sets as schemes too; an unknown scheme is not found.
    assert client.get("/scoring/candidates/", {"scheme": "tsme", "year": "2024"}).status_code == 200
    assert client.get("/scoring/candidates/", {"scheme": "model:99999", "year": "2024"}).status_code == 404


def test_creating_and_editing_a_model_through_the_form(make_user, bureau):
    client = signed_in(bureau)
    form = {"code": "luzhai-gazelle", "name": "瞪羚企业培育评价", "subject": "enterprise", "purpose": "",
            "total": "100", "pass_score": "70", "c-TOTAL_FORMS": "2", "c-INITIAL_FORMS": "0", "c-MIN_NUM_FORMS": "0",
            "c-MAX_NUM_FORMS": "1000",
            "c-0-code": "growth", "c-0-name": "销售收入增长", "c-0-field": "revenue_growth", "c-0-weight": "60",
            "c-0-unit": "points", "c-0-bands": ">= 20 : 30\n>= 30 : 60", "c-0-order": "0",
            "c-1-code": "rd", "c-1-name": "研发投入", "c-1-field": "rd_ratio", "c-1-weight": "30",
            "c-1-unit": "fraction", "c-1-bands": "> 3 : 1", "c-1-order": "1"}  # fmt: skip
    html = client.post("/scoring/new/", form).content.decode()
    assert "各指标权重之和为 90 分，应等于满分 100 分" in html
    response = client.post("/scoring/new/", form | {"c-1-weight": "40"})
    model = ScoringModel.objects.get(code="luzhai-gazelle")
    assert response.status_code == 302 and model.status == "draft"
    assert list(model.criteria.values_list("code", "weight")) == [("growth", Decimal(60)), ("rd", Decimal(40))]
    assert model.criteria.get(code="rd").bands == [{"lower": "3", "inclusive": False, "value": "1"}]
    edit = client.get(f"/scoring/{model.pk}/edit/").content.decode()
    assert "&gt;= 20 : 30\n&gt;= 30 : 60" in edit
    assert client.post(f"/scoring/{model.pk}/publish/").status_code == 302
    model.refresh_from_db()
    assert model.status == "published"
    # Editing the published version: the page sends to its detail; "生成新版本" makes the draft v2.
    assert client.get(f"/scoring/{model.pk}/edit/").status_code == 302
    response = client.post(f"/scoring/{model.pk}/new-version/")
    draft = ScoringModel.objects.get(code="luzhai-gazelle", version=2)
    assert response["Location"] == f"/scoring/{draft.pk}/edit/"


def test_the_ranking_page_export_and_stored_results(county, shubiao, make_user, bureau):
    client = signed_in(bureau)
    html = client.get(f"/scoring/{shubiao.pk}/evaluate/", {"year": "2024"}).content.decode()
    assert re.findall(r'data-rank="(\d)"', html) == ["1", "2", "3"]
    rows = xlsx(client.get(f"/scoring/{shubiao.pk}/evaluate/", {"year": "2024", "export": "xlsx"}))
    assert rows[0][:5] == ("名次", "评价对象", "代码/编号", "总分", "结论")
    assert rows[1][:5] == (1, "鹿寨甲科技有限公司", county["first"].uscc, 81, "达标")
    assert rows[3][-1] == "销售收入增长"
    assert client.post(f"/scoring/{shubiao.pk}/evaluate/", {"year": "2024"}).status_code == 302
    assert shubiao.results.count() == 3


def test_the_project_page_scores_pasted_values(bureau):
    project = ScoringModel.objects.get(code="luzhai-project")
    client = signed_in(bureau)
    html = client.post(f"/scoring/{project.pk}/evaluate/", {"entries": "甲项目,90,80,70,60\n乙项目\t95\t95\t\t95"})
    html = html.content.decode()
    assert re.findall(r'data-rank="(\d)"><td>1</td><td>([^<]+)', html)[0][1] == "甲项目"
    bad = client.post(f"/scoring/{project.pk}/evaluate/", {"entries": "甲项目,90,80"}).content.decode()
    assert "第 1 行有 3 项，应为项目名称加 4 个指标值。" in bad


def test_the_edit_page_posts_back_unchanged(shubiao, bureau):
    """The edit page as a browser sends it back unchanged (the extra rows blank but for their unit's default) keeps
    every criterion."""
    client = signed_in(bureau)
    client.post(f"/scoring/{shubiao.pk}/new-version/")
    draft = ScoringModel.objects.get(code="luzhai-shubiao", version=2)
    formset = client.get(f"/scoring/{draft.pk}/edit/").context["formset"]
    data = {"name": draft.name, "purpose": draft.purpose, "total": "100", "pass_score": "60"}
    data |= {f"c-{k}": v for k, v in formset.management_form.initial.items()}
    for i, form in enumerate(formset.forms):
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            if value is not None and name != "DELETE":
                data[f"c-{i}-{name}"] = value
    assert len(formset.forms) == 9  # seven criteria and two blank rows
    assert client.post(f"/scoring/{draft.pk}/edit/", data).status_code == 302
    assert list(draft.criteria.values_list("code", flat=True)) == ["rd", "st_staff", "ip1", "ip2", "growth",
                                                                   "conversion", "hte"]  # fmt: skip
    data["c-6-DELETE"] = "on"  # removing the high-tech criterion leaves the weights 10 short
    html = client.post(f"/scoring/{draft.pk}/edit/", data).content.decode()
    assert "各指标权重之和为 90 分，应等于满分 100 分" in html


def test_the_default_margin_is_a_setting(county, shubiao, make_user, settings):
    settings.SCORING_NEAR_MARGIN = "0.05"
    client = signed_in(make_user(Role.BUREAU_STAFF))
    html = client.get(CALCULATOR, {"uscc": county["third"].uscc}).content.decode()
    assert statuses(html)[f"model:{shubiao.pk}"] == "fails" and 'name="margin" value="5"' in html


def test_whole_numbers_computed_column_wise_show_without_a_decimal_point(county, make_user):
    from kechuang.evaluation.views import _whole

    assert _whole({"staff": 9.0, "ratio": 0.25, "range": [1.0, 8.0], "code": "x"}) == {
        "staff": 9, "ratio": 0.25, "range": [1, 8], "code": "x"}  # fmt: skip
    assert isinstance(_whole(9.0), int)
    county["first"].hitech_domain = 4
    county["first"].save()
    html = signed_in(make_user(Role.BUREAU_STAFF)).get(CALCULATOR, {"uscc": county["first"].uscc}).content.decode()
    row = re.search(r'<tr data-code="domain"><td>[^<]*</td><td class="text-end">([^<]*)</td>', html)
    assert row.group(1) == "4"
    assert not re.search(r'class="text-end">\d+\.0<', html)


def test_the_calculator_loads_the_enterprise_once_whatever_the_number_of_schemes(county, shubiao, make_user, bureau):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = signed_in(make_user(Role.BUREAU_STAFF))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(CALCULATOR, {"uscc": county["first"].uscc}).status_code == 200
        return len(captured)

    client.get(CALCULATOR, {"uscc": county["first"].uscc})  # warm the session and caches
    one = queries()
    criteria = [services._criterion_state(c) for c in shubiao.criteria.all()]
    for code in ("copy-a", "copy-b", "copy-c"):
        copy = services.model_create(actor=bureau, data={"code": code, "name": code, "subject": "enterprise",
                                                         "pass_score": Decimal(60)}, criteria=criteria)  # fmt: skip
        services.model_publish(actor=bureau, model=copy)
    html = client.get(CALCULATOR, {"uscc": county["first"].uscc}).content.decode()
    assert sum(1 for key in statuses(html) if key.startswith("model:")) == 4
    # Each further scheme adds at most its criteria (one query), never the enterprise's fields again.
    assert queries() <= one + 3
