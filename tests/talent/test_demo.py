"""The Luzhai talent demo: the seed's figures come out of the records through the plan-monitoring selectors."""

import re

import pytest
from django.db import transaction

from kechuang.core.models import AuditLog
from kechuang.core.validators import is_valid_idcard
from kechuang.orgs.demo import _Loader
from kechuang.orgs.reference import load_industries
from kechuang.regions.models import Region
from kechuang.talent import demo, selectors
from kechuang.talent.choices import ServiceKind
from kechuang.talent.models import Commissioner, Person, ServiceLog, Title

pytestmark = pytest.mark.django_db


def _load(loader):
    orgs = loader.organisations()
    demo.load(loader, orgs)
    return orgs


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The organisations and this registry's demo, loaded once for the module and rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_industries()
        first = _Loader()
        _load(first)
        audits = AuditLog.objects.count()
        second = _Loader()
        _load(second)
        yield {"first": first.outcomes, "second": second.outcomes, "audits": audits, "counts": demo.counts()}
        transaction.set_rollback(True)


@pytest.fixture
def county(loaded):
    return Region.objects.get(code="450223")


def test_536_senior_and_1879_intermediate_professionals_at_the_end_of_2020(loaded, county):
    assert selectors.senior_professionals(year=2020, region=county).count() == 536
    assert selectors.intermediate_professionals(year=2020, region=county).count() == 1879
    assert (loaded["counts"]["talent_senior_2020"], loaded["counts"]["talent_intermediate_2020"]) == (536, 1879)


def test_titles_change_over_time(loaded, county):
    # 72 intermediates were promoted and 160 juniors became intermediate in 2021–2025.
    assert selectors.senior_professionals(year=2025, region=county).count() == 536 + 72
    assert selectors.intermediate_professionals(year=2025, region=county).count() == 1879 - 72 + 160
    assert selectors.senior_professionals(year=2015, region=county).count() < 536


def test_5000_researchers(loaded, county):
    assert selectors.researchers(region=county).count() == 5000 == loaded["counts"]["talent_researchers"]


def test_the_commissioner_programme_of_2016_2020(loaded, county):
    figures = selectors.commissioner_figures(year_from=2016, year_to=2020, region=county)
    assert figures == selectors.CommissionerFigures(
        commissioners=47, visits=1289, days=1349, villages=22, trainings=392, trainees=8211
    )
    visits = selectors.visits_in(year_from=2016, year_to=2020, region=county)
    assert visits.filter(kind=ServiceKind.GUIDANCE).count() == 1195
    assert visits.filter(kind=ServiceKind.DEMONSTRATION).count() == 94
    counts = loaded["counts"]
    assert [counts[f"commissioner_{k}_2016_2020"] for k in ("visits", "days", "villages", "trainings", "trainees")] == [
        1289, 1349, 22, 392, 8211,
    ]  # fmt: skip
    assert counts["commissioners_2016_2020"] == 47
    levels = set(Commissioner.objects.values_list("level", flat=True))
    assert levels == {"region", "city", "county"}


def test_people_are_synthetic_but_valid(loaded):
    numbers = [p.id_number for p in Person.objects.all()]
    assert len(numbers) == len(set(numbers)) == demo.PEOPLE
    assert all(is_valid_idcard(n) and n.startswith("4502") for n in numbers)
    names = Person.objects.values_list("name", flat=True)
    assert all(re.fullmatch(r"[\u4e00-\u9fff]{2,3}", n) for n in names)
    assert all(p.gender == ("male" if int(p.id_number[16]) % 2 else "female") for p in Person.objects.all()[:200])


def test_every_record_has_its_audit_row_without_identity_numbers(loaded):
    for model in (Person, Title, Commissioner, ServiceLog):
        audited = AuditLog.objects.filter(content_type__model=model._meta.model_name, action="create").count()
        assert audited == model.objects.count(), model
    sample = AuditLog.objects.filter(content_type__model="person").first()
    assert "id_number_encrypted" not in sample.after and "*" * 10 in sample.after["id_number_masked"]


def test_a_second_run_creates_nothing(loaded):
    assert loaded["first"]["created"] > 5600 + 2 * 47
    assert loaded["second"]["created"] == 0
    assert AuditLog.objects.count() == loaded["audits"]


def test_the_plan_is_deterministic(loaded):
    regions = {r.code: r for r in Region.objects.filter(code__in=demo.TOWNSHIPS.values())}
    orgs = {o.name: o for o in __import__("kechuang.orgs.models", fromlist=["Organisation"]).Organisation.objects.all()}
    first, second = demo.people_plan(orgs, regions), demo.people_plan(orgs, regions)
    assert [p["number"] for p in first] == [p["number"] for p in second]
    assert [p["name"] for p in first[:50]] == [p["name"] for p in second[:50]]
