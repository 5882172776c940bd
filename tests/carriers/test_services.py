"""Carrier and tenant services (audited, scoped) and the plan-monitoring selectors (dated, set-based)."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from kechuang.accounts.choices import Role
from kechuang.carriers import selectors, services
from kechuang.carriers.choices import INNOVATION_PLATFORMS
from kechuang.carriers.models import Carrier, Tenant
from kechuang.core.exceptions import AccessDenied
from kechuang.core.models import AuditLog

D = datetime.date
pytestmark = pytest.mark.django_db


def audit_of(instance, pk=None):
    ct = ContentType.objects.get_for_model(type(instance))
    return list(AuditLog.objects.filter(content_type=ct, object_id=str(pk or instance.pk)).order_by("pk"))


def test_create_update_delete_are_audited(bureau, home):
    carrier = services.carrier_create(
        actor=bureau, kind="incubator", name="鹿寨县某孵化器", level="county", host=home, recognised_date=D(2019, 5, 1)
    )
    services.carrier_update(
        actor=bureau, carrier=carrier, data={"level": "city", "document_number": "柳科发〔2020〕1号"}
    )
    tenant = services.tenant_create(actor=bureau, carrier=carrier, team_name="某创业团队", entry_date=D(2020, 1, 2))
    rows = audit_of(carrier)
    assert [r.action for r in rows] == ["create", "update"]
    assert rows[1].before["level"] == "county" and rows[1].after["level"] == "city"
    assert rows[1].actor == bureau
    carrier_pk, tenant_pk = carrier.pk, tenant.pk
    services.carrier_delete(actor=bureau, carrier=carrier)
    assert not Carrier.objects.exists() and not Tenant.objects.exists()
    assert audit_of(tenant, tenant_pk)[-1].action == "delete"
    last = audit_of(carrier, carrier_pk)[-1]
    assert last.action == "delete" and last.before["name"] == "鹿寨县某孵化器" and last.after is None


def test_refusals(bureau, make_user, home, far, make_carrier):
    leader = make_user(Role.LEADER)
    with pytest.raises(AccessDenied, match="无权新增该创新载体"):
        services.carrier_create(
            actor=leader, kind="etrc", name="中心", level="city", host=home, recognised_date=D(2019, 1, 1)
        )
    with pytest.raises(AccessDenied):
        services.carrier_create(
            actor=bureau, kind="etrc", name="中心", level="city", host=far, recognised_date=D(2019, 1, 1)
        )
    with pytest.raises(ValidationError) as caught:
        services.carrier_create(actor=bureau, kind="park", name="园区", level="county", recognised_date=D(2019, 1, 1))
    assert caught.value.message_dict == {"region": ["没有依托单位的载体（如园区）须填写所在区划"]}
    ours = make_carrier(host=home)
    with pytest.raises(AccessDenied):  # moving it to another county's host
        services.carrier_update(actor=bureau, carrier=ours, data={"host": far})
    staff = make_user(Role.BUREAU_STAFF)
    with pytest.raises(AccessDenied):
        services.carrier_delete(actor=staff, carrier=ours)
    assert Carrier.objects.get(pk=ours.pk).host == home
    assert not Carrier.objects.filter(host=far).exists()


@pytest.fixture
def county(make_carrier, make_org, home, far, regions):
    """Carriers of 鹿寨县 (hosted and not), one revoked, one recognised later, one in 柳城县."""
    other = make_org(name="中渡某科技有限公司", region="450223101")
    return {
        "etrc": make_carrier("中心甲", host=home, recognised_date=D(2016, 3, 1)),
        "revoked": make_carrier("中心乙", host=other, recognised_date=D(2014, 3, 1), revoked_date=D(2019, 6, 30)),
        "revoked_on_new_year": make_carrier(
            "中心丙", host=home, recognised_date=D(2015, 1, 1), revoked_date=D(2021, 1, 1)
        ),
        "later": make_carrier("中心丁", host=home, recognised_date=D(2021, 2, 1)),
        "incubator": make_carrier("孵化器甲", kind="incubator", region="450223100", recognised_date=D(2017, 1, 1)),
        "space": make_carrier(
            "众创空间甲", kind="maker_space", level="county", host=other, recognised_date=D(2020, 12, 31)
        ),
        "park": make_carrier("园区甲", kind="park", level="region", region="450223", recognised_date=D(2006, 1, 1)),
        "far": make_carrier("柳城中心", host=far, recognised_date=D(2016, 1, 1)),
    }


def test_carriers_valid_at_year_end(county, regions):
    luzhai = regions["450223"]
    valid = selectors.carriers_valid_at_year_end(year=2020, region=luzhai)
    assert {c.name for c in valid} == {"中心甲", "中心丙", "孵化器甲", "众创空间甲", "园区甲"}
    assert selectors.carriers_valid_at_year_end(year=2020, region=luzhai, kinds=["etrc"]).count() == 2
    assert selectors.carriers_valid_at_year_end(year=2018, region=luzhai, kinds=["etrc"]).count() == 3
    assert selectors.carriers_valid_at_year_end(year=2021, region=luzhai, kinds=["etrc"]).count() == 2
    # A township subtree: by the host's region, or the carrier's own.
    zhongdu = regions["450223101"]
    assert {c.name for c in selectors.carriers_valid_at_year_end(year=2020, region=zhongdu)} == {"众创空间甲"}
    assert selectors.carriers_valid_at_year_end(year=2020, region=regions["450200"]).count() == 6
    assert selectors.carrier_counts(year=2020, region=luzhai) == {
        ("etrc", "city"): 2,
        ("incubator", "city"): 1,
        ("maker_space", "county"): 1,
        ("park", "region"): 1,
    }
    assert selectors.innovation_platforms(year=2020, region=luzhai).count() == 4
    assert set(INNOVATION_PLATFORMS) >= {"etrc", "incubator", "maker_space"}


def test_selectors_respect_the_user(county, bureau, make_user, home, regions):
    assert selectors.carriers_valid_at_year_end(user=bureau, year=2020).count() == 5
    enterprise = make_user(Role.ENTERPRISE, organisation=home)
    assert {c.name for c in selectors.carriers_valid_at_year_end(user=enterprise, year=2020)} == {"中心甲", "中心丙"}
    assert not selectors.carriers_valid_at_year_end(user=make_user(Role.EXPERT), year=2020).exists()


def test_tenants_in_residence_and_entered(county, make_tenant, home, regions):
    incubator, space = county["incubator"], county["space"]
    make_tenant(incubator, organisation=home, entry_date=D(2017, 3, 1), exit_date=D(2019, 3, 1), graduated=True)
    make_tenant(incubator, team_name="团队甲", entry_date=D(2018, 5, 1))
    make_tenant(incubator, team_name="团队乙", entry_date=D(2020, 6, 1), exit_date=D(2021, 1, 1))
    make_tenant(space, team_name="团队丙", entry_date=D(2021, 1, 1))
    luzhai = regions["450223"]
    at_2020 = selectors.tenants_in_residence(day=D(2020, 12, 31), region=luzhai)
    assert {t.team_name for t in at_2020} == {"团队甲", "团队乙"}
    assert selectors.tenants_in_residence(day=D(2021, 1, 1), region=luzhai).count() == 2
    assert selectors.tenants_entered(first_year=2016, last_year=2020, region=luzhai).count() == 3
    assert selectors.tenants_entered(first_year=2021, last_year=2021, region=regions["450223101"]).count() == 1
    assert not selectors.tenants_in_residence(day=D(2020, 12, 31), region=regions["450222"]).exists()


def test_list_filters(county, bureau, regions):
    listed = selectors.carrier_list(user=bureau, filters={"kind": "etrc", "year": 2020})
    assert {c.name for c in listed} == {"中心甲", "中心丙"}
    assert {c.name for c in selectors.carrier_list(user=bureau, filters={"q": "鹿寨甲"})} == {
        "中心甲",
        "中心丙",
        "中心丁",
    }
    assert {c.name for c in selectors.carrier_list(user=bureau, filters={"region": regions["450223101"]})} == {
        "中心乙",
        "众创空间甲",
    }
