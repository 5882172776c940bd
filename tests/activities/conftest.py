"""Fixtures of the activities tests: a maker for activities and spending records, a JSON API client."""

import datetime
from decimal import Decimal

import pytest

from kechuang.activities.models import Activity, PopularisationSpending
from kechuang.regions.models import Population

D = datetime.date


@pytest.fixture
def make_activity(regions):
    def make(title="鹿寨县科技活动周", kind="science_week", region="450223100", **fields):
        fields.setdefault("start_date", D(2020, 5, 16))
        fields.setdefault("organiser", "鹿寨县科学技术局")
        return Activity.objects.create(kind=kind, title=title, region=regions[region], **fields)

    return make


@pytest.fixture
def make_spending(regions):
    def make(region="450223", year=2020, amount="1000000.00", **fields):
        return PopularisationSpending.objects.create(
            region=regions[region], year=year, amount=Decimal(amount), **fields
        )

    return make


@pytest.fixture
def population(regions):
    def make(region="450223", year=2020, resident=361600):
        return Population.objects.create(region=regions[region], year=year, resident=resident, source="测试")

    return make
