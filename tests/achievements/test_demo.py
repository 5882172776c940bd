"""The Luzhai demo of the registry: its records add up to the seed plan's figures for 2016–2020 (the 十三五 period),
computed through the plan-monitoring selectors, and loading it twice changes nothing."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import transaction

from kechuang.achievements import demo, selectors
from kechuang.achievements.models import Achievement, AchievementUnit, Award, AwardParticipant, Conversion, TechContract
from kechuang.core.models import AuditLog
from kechuang.orgs.demo import ORGANISATIONS, _Loader
from kechuang.orgs.reference import load_industries
from kechuang.regions.models import Region

pytestmark = pytest.mark.django_db

MODELS = (Achievement, AchievementUnit, Conversion, TechContract, Award, AwardParticipant)


def load() -> _Loader:
    """The demo's organisations, then this registry's part (independent of the other registries' parts)."""
    loader = _Loader()
    load_industries()
    demo.load(loader, loader.organisations())
    return loader


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield load()
        transaction.set_rollback(True)


@pytest.fixture
def luzhai(loaded):
    return Region.objects.get(code="450223")


def test_42_achievements_registered_in_2016_2020(luzhai):
    found = selectors.achievements_registered(region=luzhai, start=2016, end=2020)
    assert found.count() == 42 == Achievement.objects.count()
    assert selectors.achievements_by_year(region=luzhai, start=2016, end=2020) == {
        2016: 6, 2017: 7, 2018: 8, 2019: 9, 2020: 12,
    }  # fmt: skip
    assert selectors.achievements_registered(region=luzhai, start=2021, end=2026).count() == 0


def test_29_conversions_of_which_7_major(luzhai):
    assert selectors.conversions_in(region=luzhai, start=2016, end=2020).count() == 29
    major = selectors.conversions_in(region=luzhai, start=2016, end=2020, major=True)
    assert major.count() == 7
    assert all(c.major_reason for c in major)
    assert selectors.conversions_by_year(region=luzhai, start=2016, end=2020) == {
        2016: 3, 2017: 5, 2018: 6, 2019: 7, 2020: 8,
    }  # fmt: skip


def test_16737_29_wan_of_technology_contracts(luzhai):
    period = selectors.contract_turnover(region=luzhai, start=2016, end=2020)
    assert period.amount == Decimal("167372900.00")  # 16737.29 万元 over the 十三五 period
    last_year = selectors.contract_turnover(region=luzhai, start=2020, end=2020)
    assert (last_year.amount / Decimal(100_000_000)).quantize(Decimal("0.01"), ROUND_HALF_UP) == Decimal("1.67")
    assert period.technical_income <= period.amount
    for contract in TechContract.objects.all():
        assert 0 < contract.technical_income <= contract.amount
        assert contract.signing_date <= contract.registration_date
    # Every contract is sold from 鹿寨县; the buyers are inside and outside the county.
    assert selectors.contracts_registered(region=luzhai, start=2016, end=2020).count() == TechContract.objects.count()
    assert TechContract.objects.filter(buyer__isnull=True).exists()
    assert TechContract.objects.filter(buyer__isnull=False).exists()


def test_the_2018_regional_first_prize(luzhai):
    award = selectors.awards_in(region=luzhai, start=2018, end=2018, level="region").get()
    assert (award.name, award.grade, award.project) == (
        "自治区科学技术进步奖", "first", "桑蚕茧丝绸产业发展关键技术研究开发与应用"
    )  # fmt: skip
    assert award.achievement.title == award.project
    assert award.participants.filter(kind="person").count() == 10
    assert [p.display_name for p in award.participants.filter(kind="unit")] == [
        "鹿寨县中渡茧丝绸有限公司", "广西壮族自治区蚕业技术推广站", "鹿寨县蚕桑科技有限公司",
    ]  # fmt: skip


def test_counts_are_computed_from_the_records(loaded):
    facts = demo.counts()
    assert facts["achievements_registered"] == 42
    assert (facts["achievement_conversions"], facts["major_conversions"]) == (29, 7)
    assert facts["tech_contract_amount"] == Decimal("167372900.00")
    assert facts["tech_contract_amount_2020"] == Decimal("167000000.00")
    assert facts["region_st_awards"] == 1


def test_records_are_valid_and_realistic(loaded):
    names = {org.name for org in ORGANISATIONS}
    for model in MODELS:
        for record in model.objects.all():
            record.full_clean()
    for achievement in Achievement.objects.select_related("organisation__region"):
        assert achievement.organisation.name in names
        assert achievement.organisation.region.path.startswith("450000/450200/450223/")
        assert achievement.number.startswith(f"{achievement.registration_date.year}450223")
        assert 3 <= len(achievement.people) <= 7 and all(2 <= len(n) <= 3 for n in achievement.people)
        if achievement.evaluation_date:
            assert achievement.evaluation_date < achievement.registration_date
    for conversion in Conversion.objects.select_related("achievement"):
        if conversion.achievement:
            assert conversion.year >= conversion.achievement.registration_date.year
    assert Achievement.objects.values("organisation").distinct().count() > 30


def test_loading_twice_changes_nothing(loaded):
    state = {m.__name__: list(m.objects.order_by("pk").values()) for m in MODELS}
    audits = AuditLog.objects.count()
    again = load()
    assert again.outcomes["created"] == again.outcomes["updated"] == 0
    assert {m.__name__: list(m.objects.order_by("pk").values()) for m in MODELS} == state
    assert AuditLog.objects.count() == audits


def test_loading_restores_a_changed_value(loaded):
    contract = TechContract.objects.order_by("pk").first()
    TechContract.objects.filter(pk=contract.pk).update(name="被改动的名称")
    assert load().outcomes["updated"] == 1
    contract.refresh_from_db()
    assert contract.name != "被改动的名称"


def test_registration_dates_fall_on_working_days():
    for year in range(2016, 2021):
        for index in range(12):
            day = demo.registration_date(year, index, 12)
            assert day.year == year and day.weekday() < 5 and day >= datetime.date(year, 3, 6)
