"""Synthetic benchmark data (``kechuang synth``): the same seed gives the same rows, every row keeps the models'
rules and the IP services' derived values, and a database with real organisations is refused."""

import datetime
import io
import random

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from kechuang.core.models import AuditLog
from kechuang.core.validators import is_valid_patent, is_valid_uscc, uscc_division
from kechuang.ip.choices import PatentStatus
from kechuang.ip.models import Patent, PatentEvent, PatentOwner, number_type
from kechuang.ip.services import derive, sequence_error
from kechuang.orgs.choices import CertificateKind, OrgKind
from kechuang.orgs.models import AnnualFigures, Certificate, Organisation
from kechuang.orgs.services import pinyin_initials
from kechuang.orgs.synth import MARK, _patent_number, _uscc
from kechuang.regions.choices import RegionLevel
from kechuang.regions.models import Region

pytestmark = pytest.mark.django_db

SMALL = {"orgs": 150, "patents": 500}
MODELS = (Organisation, AnnualFigures, Certificate, Patent, PatentOwner, PatentEvent)


def synth(**options) -> str:
    out = io.StringIO()
    call_command("synth", stdout=out, **{"scale": "county", "seed": 1, **SMALL, **options})
    return out.getvalue()


def contents() -> dict:
    """What a run wrote, by natural keys (ids and timestamps aside)."""
    return {
        "orgs": list(Organisation.objects.order_by("uscc").values_list("uscc", "name", "region__code", "kind")),
        "income": AnnualFigures.objects.aggregate(total=Sum("total_income"))["total"],
        "figures": AnnualFigures.objects.count(),
        "certificates": sorted(Certificate.objects.values_list("number", "issue_date")),
        "patents": list(
            Patent.objects.order_by("number").values_list("number", "application_date", "grant_date", "owner_names")
        ),
        "events": PatentEvent.objects.count(),
    }


def generated(**options) -> dict:
    """Run, note what was written, and roll it back."""
    with transaction.atomic():
        synth(**options)
        found = contents()
        transaction.set_rollback(True)
    return found


@pytest.fixture(scope="class")
def county(django_db_setup, django_db_blocker):
    """One county run for a class of tests, rolled back after its last test; each test runs in a savepoint."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield synth()
        transaction.set_rollback(True)


# --- determinism ----------------------------------------------------------------------------------------------


def test_the_same_seed_gives_the_same_credit_codes_numbers_and_totals():
    first, again, other = generated(seed=7), generated(seed=7), generated(seed=8)
    assert first == again
    assert len(first["orgs"]) == 150 and len(first["patents"]) == 500
    assert first["orgs"] != other["orgs"] and first["income"] != other["income"]


@given(serial=st.integers(min_value=1, max_value=31**6 - 1), division=st.sampled_from(["450223", "450151", "451467"]))
def test_a_synthetic_credit_code_is_valid_and_names_its_county(serial, division):
    code = _uscc("91", division, serial)
    assert is_valid_uscc(code) and uscc_division(code) == division and code[8:10] == "HC"


@given(year=st.integers(min_value=2004, max_value=2025), digit=st.sampled_from("123"), serial=st.integers(0, 9999999))
def test_a_synthetic_application_number_is_valid(year, digit, serial):
    assert is_valid_patent(_patent_number(year, digit, serial), today=datetime.date(2026, 1, 1))


# --- regions --------------------------------------------------------------------------------------------------


def _placed_under(code: str) -> None:
    root = Region.objects.get(code=code)
    levels = set(Organisation.objects.values_list("region__level", flat=True))
    assert levels <= {RegionLevel.COUNTY, RegionLevel.TOWNSHIP}
    assert not Organisation.objects.exclude(region__path__startswith=root.path).exists()
    assert not Organisation.objects.filter(region__valid_to__isnull=False).exists()


def test_city_scale_spreads_organisations_over_liuzhou(db):
    synth(scale="city")
    _placed_under("450200")
    assert len(set(Organisation.objects.values_list("region", flat=True))) > 5


def test_province_scale_has_14_cities_and_111_county_level_units(db):
    synth(scale="province", orgs=300, patents=100)
    province = Region.objects.get(code="450000")
    cities = Region.objects.filter(parent=province, level=RegionLevel.PREFECTURE)
    assert cities.count() == 14 and cities.get(code="451400").name == "崇左市"
    counties = Region.objects.selectable().filter(level=RegionLevel.COUNTY, path__startswith=province.path)
    assert counties.count() == 111
    synthetic = counties.filter(name__contains="合成")
    assert synthetic.count() == 101 and not synthetic.filter(valid_from=None).exists()
    for county in synthetic:
        assert county.code[:4] == county.parent.code[:4] and county.path == f"{county.parent.path}{county.code}/"
    _placed_under("450000")
    cities_used = {path.split("/")[1] for path in Organisation.objects.values_list("region__path", flat=True)}
    assert len(cities_used) > 10


# --- where it runs ----------------------------------------------------------------------------------------------


def test_a_database_with_real_organisations_is_refused(make_org):
    make_org()
    with pytest.raises(CommandError, match="非合成单位"):
        synth()
    assert Organisation.objects.count() == 1 and not Patent.objects.exists()


def test_force_writes_beside_real_organisations(make_org):
    real = make_org()
    synth(force=True)
    assert Organisation.objects.count() == 151
    assert Organisation.objects.get(pk=real.pk).address == ""


# --- one county run -------------------------------------------------------------------------------------------


class TestCountyRun:
    """What one ``synth --scale county`` run writes."""

    def test_every_credit_code_and_application_number_is_valid_and_unique(self, county):
        orgs = list(Organisation.objects.select_related("region"))
        assert len({o.uscc for o in orgs}) == len(orgs) == 150
        for org in orgs:
            assert is_valid_uscc(org.uscc), org.uscc
            assert uscc_division(org.uscc) == org.region.code[:6]
            assert org.name_initials == pinyin_initials(org.name)
            assert org.address.startswith(MARK)
        patents = list(Patent.objects.all())
        assert len({p.number for p in patents}) == len(patents) == 500
        for patent in patents:
            assert is_valid_patent(patent.number), patent.number
            assert number_type(patent.number) == patent.patent_type
            assert int(patent.number[:4]) == patent.application_date.year

    def test_a_sample_of_every_model_passes_full_clean(self, county):
        rng = random.Random(0)
        for model in MODELS:
            ids = list(model.objects.values_list("pk", flat=True))
            assert ids, model
            for pk in rng.sample(ids, min(40, len(ids))):
                model.objects.get(pk=pk).full_clean()

    def test_figures_keep_every_part_within_its_whole_over_the_last_five_complete_years(self, county):
        figures = AnnualFigures.objects.all()
        assert not figures.filter(st_staff__gt=F("staff_total")).exists()
        assert not figures.filter(rd_domestic__gt=F("rd_expense")).exists()
        assert not figures.filter(hitech_revenue__gt=F("total_income")).exists()
        this_year = timezone.localdate().year
        assert set(figures.values_list("year", flat=True)) == set(range(this_year - 5, this_year))
        assert not figures.filter(year__lt=F("organisation__registration_date__year")).exists()
        reporting = Organisation.objects.filter(kind__in=[OrgKind.ENTERPRISE, OrgKind.PROVIDER])
        assert set(figures.values_list("organisation", flat=True)) == set(reporting.values_list("pk", flat=True))

    def test_certificates_carry_their_validity_and_unique_numbers(self, county):
        certificates = list(Certificate.objects.all())
        assert {c.kind for c in certificates} == {CertificateKind.HTE, CertificateKind.TSME}
        assert len({(c.kind, c.number) for c in certificates}) == len(certificates)
        for certificate in certificates:
            assert certificate.valid_until == certificate.compute_valid_until()
            assert certificate.issue_date.year == certificate.year
            if certificate.kind == CertificateKind.HTE:
                assert certificate.valid_until is not None and certificate.number[2:6] == str(certificate.year)

    def test_patents_store_what_the_ip_services_derive_from_their_owners_and_events(self, county):
        last_day = datetime.date(timezone.localdate().year - 1, 12, 31)
        patents = Patent.objects.prefetch_related("owners__organisation", "events")
        for patent in patents:
            events = [(e.status, e.date) for e in patent.events.all()]
            owners = list(patent.owners.all())
            assert events[0] == (PatentStatus.PENDING, patent.application_date)
            assert max(day for _, day in events) <= last_day
            assert sequence_error(events, application_date=patent.application_date) is None
            assert derive(patent, events) == {
                "grant_date": patent.grant_date,
                "ended_on": patent.ended_on,
                "end_reason": patent.end_reason,
            }
            assert patent.owner_names == [owner.name for owner in owners]
            assert owners[0].organisation is not None and patent.region_id == owners[0].organisation.region_id
            for owner in owners:
                expected = owner.organisation.region_id if owner.organisation else None
                assert owner.region_id == expected
        assert patents.exclude(grant_date=None).exists() and patents.filter(owners__position=2).exists()

    def test_synthetic_records_leave_no_audit_rows(self, county):
        types = ContentType.objects.get_for_models(*MODELS).values()
        assert not AuditLog.objects.filter(content_type__in=types).exists()

    def test_records_created_afterwards_get_fresh_ids(self, county, make_org):
        # On PostgreSQL this needs the sequences reset after the explicit ids.
        org = make_org(name="基准之后新增的单位")
        assert org.pk > Organisation.objects.exclude(pk=org.pk).order_by("-pk")[0].pk
        AnnualFigures.objects.create(organisation=org, year=2024, staff_total=3)
        patent = Patent.objects.order_by("pk").first()
        PatentEvent.objects.create(patent=patent, status=PatentStatus.TRANSFERRED, date=patent.application_date)

    def test_the_summary_counts_each_table(self, county):
        assert "单位" in county and "专利法律状态" in county
        assert f"{Patent.objects.count():,}" in county

    def test_county_scale_places_organisations_in_luzhai_and_its_townships(self, county):
        _placed_under("450223")
        assert Organisation.objects.filter(region__level=RegionLevel.TOWNSHIP).exists()

    def test_a_second_run_with_the_same_parameters_changes_nothing(self, county):
        before = contents()
        assert "未做任何改动" in synth()
        assert contents() == before

    def test_a_second_run_with_other_parameters_is_refused(self, county):
        with pytest.raises(CommandError, match="另一组合成数据"):
            synth(seed=2)
        with pytest.raises(CommandError, match="另一组合成数据"):
            synth(orgs=151)
