"""The Luzhai demo data: its records add up to the seed plan's 2020 figures, and loading it is idempotent."""

import datetime
import io
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Exists, OuterRef, Sum
from hypothesis import given
from hypothesis import strategies as st

from kechuang.accounts.models import User
from kechuang.core.models import AuditLog
from kechuang.core.validators import uscc_division, uscc_error
from kechuang.orgs.choices import CertificateKind, OrgKind, ReviewStatus
from kechuang.orgs.demo import DEMO_SOURCE, ORGANISATIONS, apportion, demo_counts, demo_uscc, load_demo
from kechuang.orgs.models import AnnualFigures, Certificate, Industry, Organisation, Pool, PoolMembership, ServiceRecord
from kechuang.orgs.selectors import hte_valid_q
from kechuang.regions.models import Population, Region

pytestmark = pytest.mark.django_db

END_2015 = datetime.date(2015, 12, 31)
END_2020 = datetime.date(2020, 12, 31)
WAN = Decimal(10_000)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Load once for the module, inside a transaction rolled back at the end; each test runs in a savepoint."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo()
        transaction.set_rollback(True)


def hte_holders(day: datetime.date):
    return Organisation.objects.filter(
        Exists(Certificate.objects.filter(hte_valid_q(day), organisation=OuterRef("pk")))
    )


def figures_2020(organisations):
    return AnnualFigures.objects.filter(year=2020, organisation__in=organisations)


def share(part: Decimal, whole: Decimal) -> Decimal:
    return (part / whole * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)


# --- the seed's figures -------------------------------------------------------------------------------------


def test_25_high_tech_enterprises_hold_a_certificate_valid_at_the_end_of_2020(demo):
    holders = hte_holders(END_2020)
    assert holders.count() == 25
    # The queryset and the model's own rule agree.
    by_model = {
        c.organisation_id for c in Certificate.objects.filter(kind=CertificateKind.HTE) if c.is_valid_on(END_2020)
    }
    assert by_model == set(holders.values_list("pk", flat=True))
    assert demo["hte_2020"] == 25


def test_3_high_tech_enterprises_at_the_end_of_2015(demo):
    assert hte_holders(END_2015).count() == 3
    assert demo["hte_2015"] == 3


def test_high_tech_enterprises_grow_year_by_year_and_3_are_new_in_2020(demo):
    counts = [hte_holders(datetime.date(year, 12, 31)).count() for year in range(2015, 2021)]
    assert counts == [3, 6, 10, 15, 22, 25]
    new_in_2020 = hte_holders(END_2020).exclude(pk__in=hte_holders(datetime.date(2019, 12, 31)))
    assert new_in_2020.count() == 3
    assert all(org.above_scale for org in new_in_2020)


def test_high_tech_certificates_are_numbered_and_dated_consistently(demo):
    for cert in Certificate.objects.filter(kind=CertificateKind.HTE):
        assert re.fullmatch(r"GR(20\d{2})45\d{6}", cert.number)
        assert int(cert.number[2:6]) == cert.year == cert.issue_date.year
        assert cert.issue_date.month in (11, 12)
        cert.full_clean()


def test_high_tech_income_2020_is_29_9_yi(demo):
    total = figures_2020(hte_holders(END_2020)).aggregate(s=Sum("total_income"))["s"]
    assert total == Decimal("2990000000.00")
    assert figures_2020(hte_holders(END_2020)).filter(source="statistics").count() == 25


def test_demo_figures_are_approved_and_only_approved_figures_count(demo):
    """Every demo figure has been through the reporting round (已审核, with a basis); a figure taken back for
    review drops out of the facts at once."""
    assert not AnnualFigures.objects.exclude(review_status=ReviewStatus.APPROVED).exists()
    assert not AnnualFigures.objects.filter(basis="").exists()
    one = figures_2020(hte_holders(END_2020)).order_by("pk").first()
    AnnualFigures.objects.filter(pk=one.pk).update(review_status=ReviewStatus.SUBMITTED)
    assert demo_counts()["hte_income_2020"] == Decimal("2990000000.00") - one.total_income


def test_101_above_scale_enterprises_with_195_11_yi_output(demo):
    above = Organisation.objects.filter(above_scale=True)
    assert above.count() == 101
    assert figures_2020(above).count() == 101
    assert figures_2020(above).aggregate(s=Sum("industrial_output"))["s"] == Decimal("19511000000.00")
    # Only above-scale enterprises carry an output, so summing every 2020 figure gives the same total.
    assert AnnualFigures.objects.filter(year=2020).aggregate(s=Sum("industrial_output"))["s"] == Decimal(
        "19511000000.00"
    )
    # Above the threshold: 主营业务收入 of at least 2000万元.
    assert all(f.sales_revenue >= 2000 * WAN for f in figures_2020(above))


def test_high_tech_output_share_rounds_to_18_45_percent(demo):
    holders = hte_holders(END_2020)
    assert set(holders.values_list("above_scale", flat=True)) == {True}
    hte_output = figures_2020(holders).aggregate(s=Sum("industrial_output"))["s"]
    total = figures_2020(Organisation.objects.filter(above_scale=True)).aggregate(s=Sum("industrial_output"))["s"]
    assert share(hte_output, total) == Decimal("18.45")
    assert demo["hte_output_share_2020"] == Decimal("18.45")


def test_above_scale_rd_expense_is_1_8_percent_of_sales(demo):
    sums = figures_2020(Organisation.objects.filter(above_scale=True)).aggregate(
        rd=Sum("rd_expense"), sales=Sum("sales_revenue")
    )
    assert share(sums["rd"], sums["sales"]) == Decimal("1.80")


def test_high_tech_enterprises_meet_the_national_criteria_in_their_figures(demo):
    for f in AnnualFigures.objects.filter(organisation__in=hte_holders(END_2020)):
        threshold = Decimal("0.05") if f.sales_revenue <= 5000 * WAN else Decimal("0.04")
        threshold = Decimal("0.03") if f.sales_revenue > 20000 * WAN else threshold
        assert f.rd_expense >= f.sales_revenue * threshold
        assert f.rd_domestic >= f.rd_expense * Decimal("0.6")
        assert f.st_staff * 10 >= f.staff_total
        assert f.hitech_revenue >= f.total_income * Decimal("0.6")
    assert AnnualFigures.objects.filter(organisation__in=hte_holders(END_2020), year=2019).count() == 25


def test_24_tech_sme_registrations_from_2016_to_2020(demo):
    tsme = Certificate.objects.filter(kind=CertificateKind.TSME)
    assert tsme.count() == 24
    assert tsme.values("organisation").distinct().count() == 24
    assert set(tsme.values_list("year", flat=True)) == {2016, 2017, 2018, 2019, 2020}
    for cert in tsme:
        assert re.fullmatch(r"20\d{2}[0-9A-Z]{10,16}", cert.number)
        assert int(cert.number[:4]) == cert.year
    assert demo["tsme"] == 24


def test_two_gazelle_enterprises(demo):
    gazelles = Certificate.objects.filter(kind=CertificateKind.OTHER, name="瞪羚企业", level="region")
    assert gazelles.count() == 2
    assert set(hte_holders(END_2020).filter(certificates__in=gazelles).values_list("pk", flat=True)) == set(
        gazelles.values_list("organisation", flat=True)
    )


def test_three_enterprises_in_the_graphene_park(demo):
    assert Organisation.objects.filter(park="鹿寨县石墨烯产业园").count() == 3


# --- the records themselves ---------------------------------------------------------------------------------


def test_every_credit_code_validates_and_names_luzhai(demo):
    codes = list(Organisation.objects.values_list("uscc", flat=True))
    assert len(codes) == len(ORGANISATIONS) == demo["organisations"]
    for code in codes:
        assert uscc_error(code) is None, code
        assert code.startswith("91") and uscc_division(code) == "450223" and code[8:11] == "MA5"


def test_organisations_sit_in_luzhai_townships_with_a_division(demo):
    county = Region.objects.get(code="450223")
    for org in Organisation.objects.select_related("region", "industry"):
        assert org.region.parent_id == county.pk and org.region.level == "township"
        assert org.industry.level == "division"
        assert org.name_initials
    assert Organisation.objects.values("region").distinct().count() == 9
    assert Organisation.objects.filter(kind=OrgKind.PROVIDER).count() == 2


def test_high_tech_enterprises_have_a_domain(demo):
    assert not hte_holders(END_2020).filter(hitech_domain__isnull=True).exists()


def test_every_record_passes_full_clean(demo):
    for model in (Organisation, AnnualFigures, Certificate, PoolMembership, ServiceRecord):
        for record in model.objects.all():
            record.full_clean()


def test_amounts_are_whole_thousands_of_yuan(demo):
    for f in AnnualFigures.objects.all():
        for name in AnnualFigures.MONEY_FIELDS:
            value = getattr(f, name)
            assert value is None or (value >= 0 and value % 1000 == 0), (f, name, value)


def test_pools_and_services(demo):
    reserve = PoolMembership.objects.filter(pool__code="hte-reserve")
    active = reserve.filter(exit_year__isnull=True)
    assert active.filter(entry_year=2020).count() == 10
    assert not hte_holders(END_2020).filter(pool_memberships__in=active).exists()
    # Those that left the reserve in 2020 did so by being recognised.
    left = reserve.filter(exit_year=2020)
    assert left.count() == 3
    assert hte_holders(END_2020).filter(pool_memberships__in=left).count() == 3
    assert Pool.objects.count() == 4
    assert ServiceRecord.objects.count() == 8
    assert not User.objects.exists(), "the demo creates no accounts; `kechuang setup` does"


def test_population_is_demo_data(demo):
    rows = Population.objects.filter(region__code="450223").order_by("year")
    assert [p.year for p in rows] == list(range(2015, 2026))
    assert {p.source for p in rows} == {DEMO_SOURCE}
    resident_2020 = rows.get(year=2020).resident
    assert 340_000 < resident_2020 < 380_000
    # 81 invention patents in force give the seed's 2.24 per 10,000 people.
    assert share(Decimal(81) * 100, Decimal(resident_2020)) == Decimal("2.24")


def test_reference_data_is_loaded(demo):
    assert Industry.objects.filter(level="section").count() == 20
    assert Industry.objects.filter(level="division").count() == 97
    assert Region.objects.filter(parent__code="450223").count() == 9


def test_creations_are_audited_as_system(demo):
    org = Organisation.objects.get(uscc=demo_uscc(1))
    log = AuditLog.objects.get(object_id=str(org.pk), content_type__model="organisation", action="create")
    assert log.actor is None and log.actor_name == "system"
    assert AuditLog.objects.filter(content_type__model="annualfigures").count() == AnnualFigures.objects.count()


# --- idempotency ----------------------------------------------------------------------------------------------

MODELS = (
    Region,
    Population,
    Industry,
    Pool,
    Organisation,
    AnnualFigures,
    Certificate,
    PoolMembership,
    ServiceRecord,
    User,
    AuditLog,
)


def _state():
    counts = {m.__name__: m.objects.count() for m in MODELS}
    stamps = {
        m.__name__: list(m.objects.order_by("pk").values_list("updated", flat=True))
        for m in (Organisation, AnnualFigures, Certificate, PoolMembership, ServiceRecord, Pool, Population)
    }
    return counts, stamps


def test_loading_twice_changes_nothing(demo):
    before = _state()
    again = load_demo()
    assert _state() == before
    assert again["created"] == again["updated"] == 0
    assert {k: v for k, v in again.items() if k not in ("created", "updated", "unchanged")} == {
        k: v for k, v in demo.items() if k not in ("created", "updated", "unchanged")
    }


def test_loading_restores_a_changed_value(demo):
    figures = AnnualFigures.objects.filter(year=2020).first()
    right = figures.total_income
    AnnualFigures.objects.filter(pk=figures.pk).update(total_income=right + 1000)
    result = load_demo()
    assert result["updated"] == 1
    figures.refresh_from_db()
    assert figures.total_income == right


def test_demo_command_prints_a_chinese_summary(demo):
    out = io.StringIO()
    call_command("demo", stdout=out)
    text = out.getvalue()
    assert "高新技术企业：2020年末 25 家（2015年末 3 家），营业收入 29.90 亿元，产值占规上工业 18.45%" in text
    assert "规模以上工业企业 101 家，2020年工业总产值 195.11 亿元" in text
    assert "本次新建 0 条、更新 0 条" in text


# --- arithmetic ---------------------------------------------------------------------------------------------


@given(
    units=st.integers(min_value=0, max_value=10**9),
    weights=st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=30).filter(any),
)
def test_apportion_sums_exactly_in_whole_thousands(units, weights):
    total = Decimal(units) * 1000
    parts = apportion(total, [Decimal(w) for w in weights])
    assert sum(parts) == total
    weight_sum = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        assert part % 1000 == 0 and part >= 0
        # Never more than one 千元 away from the exact share.
        assert abs(part - total * weight / weight_sum) < 1000


def test_apportion_refuses_a_total_that_is_not_whole_thousands():
    with pytest.raises(ValueError):
        apportion(Decimal("1500.00"), [Decimal(1)])
