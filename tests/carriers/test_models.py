"""Rules of carriers and tenants: where a carrier counts, its validity on a day, who may be a tenant, and scope."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kechuang.accounts.choices import Role
from kechuang.carriers.models import Carrier, Tenant, carrier_valid_q, tenant_in_residence_q
from kechuang.core.access import may, restrict

D = datetime.date
pytestmark = pytest.mark.django_db


def errors_of(instance) -> dict:
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return caught.value.message_dict


def test_a_carrier_has_a_host_or_a_region_not_both(home, regions):
    assert errors_of(Carrier(kind="park", name="园区", level="county", recognised_date=D(2018, 1, 1)))["region"] == [
        "没有依托单位的载体（如园区）须填写所在区划"
    ]
    both = Carrier(
        kind="etrc", name="中心", level="city", host=home, region=regions["450223100"], recognised_date=D(2018, 1, 1)
    )
    assert errors_of(both)["region"] == ["有依托单位的载体按依托单位所在区划统计，所在区划请留空"]
    with pytest.raises(IntegrityError), transaction.atomic():
        Carrier.objects.create(kind="park", name="园区", level="county", recognised_date=D(2018, 1, 1))


def test_revocation_after_recognition_and_no_future_recognition(home):
    carrier = Carrier(kind="etrc", name="中心", level="city", host=home, recognised_date=D(2018, 5, 1))
    carrier.revoked_date = D(2018, 5, 1)
    assert errors_of(carrier)["revoked_date"] == ["撤销日期须晚于认定日期（2018-05-01）"]
    carrier.revoked_date, carrier.recognised_date = None, D(2100, 1, 1)
    assert errors_of(carrier)["recognised_date"] == ["认定日期不能晚于今天"]


def test_the_same_carrier_twice_is_refused(make_carrier, home):
    make_carrier("柳州市某工程技术研究中心", host=home)
    duplicate = Carrier(
        kind="etrc", name="柳州市某工程技术研究中心", level="city", host=home, recognised_date=D(2019, 1, 1)
    )
    assert errors_of(duplicate)["__all__"] == ["该依托单位已登记过同类型、同名称的载体"]
    # The same name as another type is another carrier.
    Carrier(
        kind="etc", name="柳州市某工程技术研究中心", level="city", host=home, recognised_date=D(2019, 1, 1)
    ).full_clean()


def test_location_follows_the_host(make_carrier, home, regions):
    hosted = make_carrier(host=home)
    park = make_carrier("鹿寨县某产业园", kind="park", region="450223101")
    assert hosted.location == regions["450223100"] and park.location == regions["450223101"]
    home.region = regions["450223102"]
    home.save()
    assert Carrier.objects.get(pk=hosted.pk).location == regions["450223102"]


def test_only_incubators_and_maker_spaces_take_tenants(make_carrier, home):
    centre = make_carrier(host=home)
    tenant = Tenant(carrier=centre, team_name="某创业团队", entry_date=D(2019, 1, 1))
    assert errors_of(tenant)["carrier"] == [
        "只有科技企业孵化器和众创空间登记入驻企业，“测试工程技术研究中心”是工程技术研究中心"
    ]
    tenant.carrier = make_carrier("某众创空间", kind="maker_space", region="450223100")
    tenant.full_clean()


def test_tenant_rules(make_carrier, home):
    space = make_carrier("某众创空间", kind="maker_space", region="450223100")
    tenant = Tenant(carrier=space, entry_date=D(2019, 1, 1))
    assert errors_of(tenant)["team_name"] == ["请选择入驻单位，或填写尚未在单位档案中的团队/企业名称"]
    tenant.organisation, tenant.team_name = home, "某团队"
    assert errors_of(tenant)["team_name"] == ["已选择入驻单位时不用再填写团队/企业名称"]
    tenant.team_name, tenant.exit_date = "", D(2018, 12, 31)
    assert errors_of(tenant)["exit_date"] == ["迁出日期须晚于入驻日期（2019-01-01）"]
    tenant.exit_date, tenant.graduated = None, True
    assert errors_of(tenant)["exit_date"] == ["毕业企业须填写迁出日期"]
    tenant.exit_date = D(2021, 6, 30)
    tenant.full_clean()
    assert tenant.tenant_name == home.name


def test_scope_of_carriers_and_tenants(make_carrier, make_tenant, make_user, home, far, make_org):
    staff = make_user(Role.BUREAU_STAFF)
    ours = make_carrier("鹿寨某孵化器", kind="incubator", host=home)
    park = make_carrier("鹿寨某园区", kind="park", region="450223101")
    theirs = make_carrier("柳城某孵化器", kind="incubator", host=far)
    assert set(restrict(Carrier, staff)) == {ours, park}
    assert may(staff, "change", ours) and not may(staff, "view", theirs)
    # An enterprise sees the carriers it hosts, its own tenancies and the tenants of its carriers.
    guest = make_org(name="鹿寨某电商有限公司", region="450223100")
    elsewhere = make_tenant(theirs, organisation=guest)
    hosted = make_tenant(ours, team_name="某团队")
    enterprise = make_user(Role.ENTERPRISE, organisation=home)
    assert set(restrict(Carrier, enterprise)) == {ours}
    assert set(restrict(Tenant, enterprise)) == {hosted}
    assert set(restrict(Tenant, make_user(Role.ENTERPRISE, organisation=guest))) == {elsewhere}
    assert set(restrict(Tenant, staff)) == {hosted}
    assert not may(make_user(Role.ENTERPRISE, organisation=guest), "view", hosted)


dates = st.dates(min_value=D(2010, 1, 1), max_value=D(2025, 12, 31))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(recognised=dates, day=dates, revoked_after=st.one_of(st.none(), st.integers(min_value=1, max_value=3000)))
def test_validity_query_and_model_agree(home, recognised, day, revoked_after):
    revoked = recognised + datetime.timedelta(days=revoked_after) if revoked_after else None
    carrier = Carrier.objects.create(
        kind="etrc", name="中心", level="city", host=home, recognised_date=recognised, revoked_date=revoked
    )
    in_query = Carrier.objects.filter(carrier_valid_q(day), pk=carrier.pk).exists()
    assert in_query == carrier.is_valid_on(day) == (recognised <= day and (revoked is None or day < revoked))
    carrier.delete()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entry=dates, day=dates, stay=st.one_of(st.none(), st.integers(min_value=1, max_value=3000)))
def test_residence_query_and_model_agree(make_carrier, entry, day, stay):
    space = Carrier.objects.filter(kind="maker_space").first() or make_carrier(
        "众创空间", kind="maker_space", region="450223100"
    )
    leaves = entry + datetime.timedelta(days=stay) if stay else None
    tenant = Tenant.objects.create(carrier=space, team_name="团队", entry_date=entry, exit_date=leaves)
    in_query = Tenant.objects.filter(tenant_in_residence_q(day), pk=tenant.pk).exists()
    assert in_query == tenant.in_residence_on(day) == (entry <= day and (leaves is None or day < leaves))
    tenant.delete()
