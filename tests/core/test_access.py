"""restrict(): each role's data scope over the region tree and its own organisation."""

import pytest

from kechuang.core.access import ensure_may, restrict, user_scope
from kechuang.core.exceptions import AccessDenied
from kechuang.orgs.models import AnnualFigures, Organisation
from kechuang.regions.models import Region


@pytest.fixture
def orgs(make_org):
    return {
        "town": make_org("鹿寨镇企业", region="450223100"),
        "county": make_org("鹿寨县直企业", region="450223"),
        "other_county": make_org("柳城县企业", region="450222"),
        "city": make_org("柳州市直单位", region="450200"),
    }


def names(qs):
    return sorted(o.name for o in qs)


@pytest.mark.parametrize(
    ("role", "region", "expected"),
    [
        ("bureau_admin", "450223", ["鹿寨县直企业", "鹿寨镇企业"]),
        ("bureau_staff", "450223100", ["鹿寨镇企业"]),
        ("leader", "450200", ["柳城县企业", "柳州市直单位", "鹿寨县直企业", "鹿寨镇企业"]),
        ("bureau_admin", None, []),
        # reads organisations only to bind accounts to them; no other business data (see below)
        ("sysadmin", None, ["柳城县企业", "柳州市直单位", "鹿寨县直企业", "鹿寨镇企业"]),
        ("auditadmin", None, []),
        ("expert", "450223", []),
    ],
)
def test_region_subtree(orgs, make_user, role, region, expected):
    user = make_user(role, region=region)
    assert names(restrict(Organisation, user)) == expected


def test_enterprise_sees_only_its_own(orgs, make_user):
    user = make_user("enterprise", organisation=orgs["town"])
    assert names(restrict(Organisation, user)) == ["鹿寨镇企业"]
    AnnualFigures.objects.create(organisation=orgs["town"], year=2020)
    AnnualFigures.objects.create(organisation=orgs["county"], year=2020)
    assert [f.organisation.name for f in restrict(AnnualFigures, user)] == ["鹿寨镇企业"]
    assert not restrict(Organisation, user, "delete").exists()


def test_sysadmin_reads_no_figures_and_writes_nothing(orgs, make_user):
    admin = make_user("sysadmin", region=None)
    AnnualFigures.objects.create(organisation=orgs["town"], year=2020)
    assert not restrict(AnnualFigures, admin).exists()
    assert not restrict(Organisation, admin, "change").exists()


def test_enterprise_without_organisation_sees_nothing(orgs, make_user):
    assert not restrict(Organisation, make_user("enterprise")).exists()


def test_anonymous_and_inactive_see_nothing(orgs, make_user):
    from django.contrib.auth.models import AnonymousUser

    assert not restrict(Organisation, AnonymousUser()).exists()
    user = make_user("bureau_admin", is_active=False)
    assert not restrict(Organisation, user).exists()


def test_leader_reads_but_cannot_write(orgs, make_user):
    leader = make_user("leader")
    assert restrict(Organisation, leader, "export").count() == 2
    assert not restrict(Organisation, leader, "change").exists()
    with pytest.raises(AccessDenied, match="无权修改"):
        ensure_may(leader, "change", orgs["county"])


def test_new_record_outside_scope_is_refused(make_user, regions):
    staff = make_user("bureau_staff", region="450223")
    ensure_may(staff, "add", Organisation(region=regions["450223101"]))
    with pytest.raises(AccessDenied):
        ensure_may(staff, "add", Organisation(region=regions["450222"]))


def test_reference_data_is_visible_to_every_role_that_may_view_it(make_user):
    for role in ("bureau_admin", "enterprise", "expert", "leader"):
        assert restrict(Region, make_user(role)).count() == Region.objects.count()
    assert not restrict(Region, make_user("auditadmin", region=None)).exists()


def test_scope_of_installation_admin_without_region_is_everything(make_user):
    assert user_scope(make_user("sysadmin", region=None)).kind == "all"
    assert user_scope(make_user("bureau_admin", region=None)).kind == "none"
