"""The Luzhai demo's carriers add up to the seed plan (专栏1 and ch.1 §1), computed from the records.

The organisations are loaded with this registry's part only (the other registries' parts are tested with their
own apps, and the whole demo by tests/orgs/test_demo.py), inside a transaction rolled back at the end.
"""

import datetime
from unittest import mock

import pytest
from django.db import transaction

from kechuang.carriers.choices import INNOVATION_PLATFORMS, TENANT_CARRIERS
from kechuang.carriers.demo import CARRIERS, NEW_TENANTS_2016_2020
from kechuang.carriers.models import Carrier, Tenant
from kechuang.core.models import AuditLog
from kechuang.orgs import demo as orgs_demo
from kechuang.regions.models import Region

D = datetime.date
END_2020 = D(2020, 12, 31)
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        with mock.patch.object(orgs_demo, "DEMO_PARTS", ("kechuang.carriers.demo",)):
            yield orgs_demo.load_demo()
        transaction.set_rollback(True)


def valid_2020(kind: str):
    """Counted straight from the model's own rule, not through the selectors the demo's counts() uses."""
    return [c for c in Carrier.objects.filter(kind=kind) if c.is_valid_on(END_2020)]


@pytest.mark.parametrize(
    ("kind", "seed", "key"),
    [
        ("etrc", 4, "carriers_etrc_2020"),
        ("etc", 5, "carriers_etc_2020"),
        ("key_lab", 1, "carriers_key_lab_2020"),
        ("incubator", 4, "carriers_incubator_2020"),
        ("maker_space", 7, "carriers_maker_space_2020"),
        ("sme_base", 5, "carriers_sme_base_2020"),
        ("hitech_zone", 0, "carriers_hitech_zones_2020"),
    ],
)
def test_carriers_valid_at_the_end_of_2020(demo, kind, seed, key):
    assert len(valid_2020(kind)) == seed
    assert demo[key] == seed


def test_21_innovation_platforms(demo):
    assert sum(len(valid_2020(kind)) for kind in INNOVATION_PLATFORMS) == 21
    assert demo["carriers_platforms_2020"] == 21


def test_4_demonstration_platforms_besides_the_water_platform(demo):
    platforms = valid_2020("platform")
    assert sorted(p.name for p in platforms if p.demonstration) == sorted(
        ["鹿寨县中小企业公共服务平台", "知航知识产权交易平台", "鹿寨县科技金融服务平台", "鹿寨县检验检测公共服务平台"]
    )
    assert [p.name for p in platforms if not p.demonstration] == ["鹿寨县水资源利用研究服务平台"]
    assert (demo["carriers_demonstration_platforms_2020"], demo["carriers_service_platforms_2020"]) == (4, 5)


def test_the_year_end_rule_matters(demo):
    """A revoked research centre and maker space, and carriers recognised after 2020, are in the registry."""
    assert Carrier.objects.filter(revoked_date__isnull=False).count() == 2
    assert Carrier.objects.filter(recognised_date__gt=END_2020).count() == 3
    assert len(valid_2020("etrc")) == 4 < Carrier.objects.filter(kind="etrc").count()
    assert [c.name for c in Carrier.objects.filter(kind="etrc") if c.is_valid_on(D(2015, 12, 31))] == [
        "柳州市人造板工程技术研究中心"
    ]


def test_hosts_are_demo_organisations_and_parks_name_their_region(demo):
    names = {org.name for org in orgs_demo.ORGANISATIONS}
    for carrier in Carrier.objects.select_related("host", "region"):
        assert carrier.host is None or carrier.host.name in names
        assert carrier.location.path.startswith(Region.objects.get(code="450223").path)
    parks = Carrier.objects.filter(kind="park")
    assert {p.name for p in parks} == {orgs_demo.ZONE, orgs_demo.GRAPHENE_PARK}
    assert all(p.host is None for p in parks)
    assert Carrier.objects.get(name="颐高众创空间（鹿寨）").level == "national"


def test_86_new_tenants_in_2016_2020(demo):
    entered = Tenant.objects.filter(entry_date__gte=D(2016, 1, 1), entry_date__lte=END_2020)
    assert entered.count() == NEW_TENANTS_2016_2020 == 86 == demo["tenants_new_2016_2020"]
    assert set(entered.values_list("carrier__kind", flat=True)) == set(TENANT_CARRIERS)
    resident = [t for t in Tenant.objects.all() if t.in_residence_on(END_2020)]
    assert len(resident) == demo["tenants_2020"]
    assert Tenant.objects.filter(organisation__isnull=False).count() == 6
    assert Tenant.objects.filter(graduated=True).exists()
    # Tenants enter carriers that are open, and leave a carrier that closes.
    for tenant in Tenant.objects.select_related("carrier"):
        assert tenant.carrier.is_valid_on(tenant.entry_date)
        if tenant.carrier.revoked_date:
            assert tenant.exit_date and tenant.exit_date <= tenant.carrier.revoked_date


def test_every_record_passes_full_clean_and_is_audited(demo):
    assert Carrier.objects.count() == len(CARRIERS)
    for model in (Carrier, Tenant):
        for record in model.objects.all():
            record.full_clean()
        assert AuditLog.objects.filter(content_type__model=model._meta.model_name, action="create").count() == (
            model.objects.count()
        )


def test_loading_again_changes_nothing_and_restores_a_changed_value(demo):
    before = list(Carrier.objects.order_by("pk").values()), list(Tenant.objects.order_by("pk").values())
    with mock.patch.object(orgs_demo, "DEMO_PARTS", ("kechuang.carriers.demo",)):
        again = orgs_demo.load_demo()
        assert (again["created"], again["updated"]) == (0, 0)
        assert (list(Carrier.objects.order_by("pk").values()), list(Tenant.objects.order_by("pk").values())) == before
        Carrier.objects.filter(name="鹿寨县电商孵化器").update(level="national")
        assert orgs_demo.load_demo()["updated"] == 1
    assert Carrier.objects.get(name="鹿寨县电商孵化器").level == "county"
