"""The Luzhai demo's activities and popularisation spending add up to the seed plan, computed from the records.

The organisations are loaded with this registry's part only (the whole demo is tested by tests/orgs/test_demo.py),
inside a transaction rolled back at the end.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal
from unittest import mock

import pytest
from django.db import transaction
from django.db.models import Sum

from kechuang.activities.models import Activity, PopularisationSpending
from kechuang.orgs import demo as orgs_demo
from kechuang.regions.models import Population

D = datetime.date
pytestmark = pytest.mark.django_db
PARTS = ("kechuang.activities.demo",)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        with mock.patch.object(orgs_demo, "DEMO_PARTS", PARTS):
            yield orgs_demo.load_demo()
        transaction.set_rollback(True)


def test_33_yuan_of_popularisation_spending_per_resident_in_2020(demo):
    spending = PopularisationSpending.objects.filter(year=2020, region__path__startswith="450000/450200/450223/")
    total = spending.aggregate(s=Sum("amount"))["s"]
    resident = Population.objects.get(region__code="450223", year=2020).resident
    assert (total, resident) == (Decimal("11932800.00"), 361600)
    assert total / resident == Decimal(33)
    assert demo["popularisation_spending_2020"] == Decimal("11932800.00")
    assert demo["popularisation_per_resident_2020"] == Decimal("33.00")
    # Recorded level by level: the county's own spending and each township's.
    assert spending.count() == 10 and spending.get(region__code="450223").amount == Decimal("10800000.00")


def test_spending_per_resident_grows_over_the_plan_period(demo):
    per_resident = []
    for year in range(2016, 2021):
        total = PopularisationSpending.objects.filter(year=year).aggregate(s=Sum("amount"))["s"]
        resident = Population.objects.get(region__code="450223", year=year).resident
        per_resident.append((total / resident).quantize(Decimal("0.01"), ROUND_HALF_UP))
    assert per_resident == [Decimal(n) for n in (20, 24, 27, 30, 33)]


def test_four_innovation_competitions_in_2016_2020(demo):
    contests = Activity.objects.filter(kind="competition", start_date__year__gte=2016, start_date__year__lte=2020)
    assert [c.title for c in contests.order_by("start_date")] == [
        "第一届鹿寨县创新创业大赛",
        "第二届鹿寨县创新创业大赛",
        "第三届鹿寨县创新创业大赛",
        "第四届鹿寨县创新创业大赛",
    ]
    assert demo["activities_competitions_2016_2020"] == 4
    assert all(c.entries and c.awards <= c.entries and c.organisation for c in contests)
    assert Activity.objects.filter(kind="matchmaking", title="广西鹿寨石墨烯产业项目推介会").exists()


def test_trainings_and_popularisation_every_year(demo):
    assert demo["activities_trainings_2016_2020"] == Activity.objects.filter(kind="training").count() == 6
    assert all(t.trainees for t in Activity.objects.filter(kind="training"))
    for year in range(2016, 2021):
        assert Activity.objects.filter(kind="science_week", start_date__year=year).count() == 1
        assert Activity.objects.filter(kind="popularisation", start_date__year=year).exists()
    assert demo["activities_2016_2020"] == Activity.objects.count()


def test_every_record_passes_full_clean(demo):
    for model in (Activity, PopularisationSpending):
        for record in model.objects.all():
            record.full_clean()


def test_loading_again_changes_nothing(demo):
    before = list(Activity.objects.order_by("pk").values()), list(PopularisationSpending.objects.values())
    with mock.patch.object(orgs_demo, "DEMO_PARTS", PARTS):
        again = orgs_demo.load_demo()
    assert (again["created"], again["updated"]) == (0, 0)
    assert (list(Activity.objects.order_by("pk").values()), list(PopularisationSpending.objects.values())) == before
