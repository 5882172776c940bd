"""The figures plan monitoring reads: dated title counts, researchers, commissioners — and the records behind them."""

import datetime

import pytest
from django.db import transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from kechuang.accounts.choices import Role
from kechuang.regions.models import Region
from kechuang.talent import selectors
from kechuang.talent.choices import TITLE_RANK, ServiceKind, TitleLevel
from kechuang.talent.models import Person, Title

from .conftest import INTERMEDIATE, JUNIOR, SENIOR, make_id

pytestmark = pytest.mark.django_db


def d(year, month=6, day=1):
    return datetime.date(year, month, day)


@pytest.fixture
def staff_careers(make_person, make_org, regions):
    """Four people of 鹿寨县 and one of 柳城县, with titles obtained over the years."""
    org = make_org(region="450223100")
    far_org = make_org("柳城企业", region="450222")
    return {
        "promoted": make_person(
            "甲", organisation=org, titles=[(INTERMEDIATE, "工程师", d(2012)), (SENIOR, "高级工程师", d(2020, 12, 31))]
        ),
        "late": make_person("乙", organisation=org, titles=[(INTERMEDIATE, "工程师", d(2021, 1, 1))]),
        "junior": make_person("丙", region="450223104", titles=[(JUNIOR, "助理农艺师", d(2015))], is_researcher=True),
        "individual": make_person("丁", region="450223", titles=[(INTERMEDIATE, "农艺师", d(2010))]),
        "far": make_person("戊", organisation=far_org, titles=[(SENIOR, "高级工程师", d(2010))], is_researcher=True),
    }


def names(queryset) -> set[str]:
    return set(queryset.values_list("name", flat=True))


def test_title_counts_at_a_year_end_use_the_highest_title_held_then(staff_careers, regions):
    county = regions["450223"]
    assert names(selectors.senior_professionals(year=2020, region=county)) == {"甲"}
    assert names(selectors.intermediate_professionals(year=2020, region=county)) == {"丁"}
    assert names(selectors.intermediate_professionals(year=2019, region=county)) == {"甲", "丁"}
    assert names(selectors.senior_professionals(year=2019, region=county)) == set()
    assert names(selectors.intermediate_professionals(year=2021, region=county)) == {"乙", "丁"}
    # Without a region: the whole installation (柳城县 too).
    assert names(selectors.senior_professionals(year=2020)) == {"甲", "戊"}


def test_people_are_placed_by_their_organisation_or_their_own_region(staff_careers, regions):
    township = regions["450223104"]
    assert names(selectors.professionals(level=TitleLevel.JUNIOR, year=2020, region=township)) == {"丙"}
    assert names(selectors.researchers(region=regions["450223"])) == {"丙"}
    assert names(selectors.researchers(region=regions["450200"])) == {"丙", "戊"}


def test_counts_follow_the_users_scope(staff_careers, make_user):
    leader = make_user(Role.LEADER)
    assert names(selectors.senior_professionals(year=2020, user=leader)) == {"甲"}
    enterprise = make_user(Role.ENTERPRISE, organisation=staff_careers["far"].organisation)
    assert names(selectors.senior_professionals(year=2020, user=enterprise)) == {"戊"}
    assert not selectors.senior_professionals(year=2020, user=make_user(Role.EXPERT)).exists()


def test_person_list_filter_by_current_title_and_search(staff_careers, regions, bureau):
    listed = selectors.person_list(user=bureau, filters={"title_level": TitleLevel.INTERMEDIATE})
    assert names(listed) == {"乙", "丁"}
    number = staff_careers["junior"].id_number
    assert names(selectors.person_list(user=bureau, filters={"q": number})) == {"丙"}
    assert names(selectors.person_list(user=bureau, filters={"q": number[-4:]})) >= {"丙"}
    assert names(selectors.person_list(user=bureau, filters={"q": "丁"})) == {"丁"}


# --- the dated count against a plain model of it (property test) ------------------------------------------------

LEVELS = [TitleLevel.SENIOR, TitleLevel.INTERMEDIATE, TitleLevel.JUNIOR]
career = st.dictionaries(st.sampled_from(LEVELS), st.integers(min_value=2005, max_value=2025), max_size=3)


@given(careers=st.lists(career, min_size=1, max_size=12), year=st.integers(min_value=2004, max_value=2026))
@settings(max_examples=25, deadline=None)
def test_dated_counts_match_the_highest_title_rule(careers, year, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        region = Region.objects.get(code="450223100")
        for i, titles in enumerate(careers):
            person = Person(name=f"人员{i}", region=region)
            person.set_id_number(make_id(birth="19700101", serial=i))
            person.save()
            Title.objects.bulk_create(
                Title(person=person, level=level, name=str(level), obtained=d(y, 12, 31)) for level, y in titles.items()
            )
        for level in LEVELS:
            expected = sum(
                1
                for titles in careers
                if max(((TITLE_RANK[lv], lv) for lv, y in titles.items() if y <= year), default=(0, None))[1] == level
            )
            assert selectors.professionals(level=level, year=year).count() == expected
        transaction.set_rollback(True)


# --- commissioners -------------------------------------------------------------------------------------------


@pytest.fixture
def programme(make_person, make_commissioner, make_log, far_township):
    """Two commissioners in 鹿寨县 over 2019–2020 (one serves both years) and one in 柳城县."""
    a, b, c = make_person("甲"), make_person("乙"), make_person("丙", region="450222")
    a2019 = make_commissioner(a, year=2019, village="大兆村")
    a2020 = make_commissioner(a, year=2020, village="大兆村")
    b2020 = make_commissioner(b, year=2020, township="450223105", village="英山村")
    far = make_commissioner(c, year=2020, township=far_township, village="某村")
    make_log(a2019, date=d(2019, 3, 1), days=2)
    make_log(a2019, date=d(2019, 4, 1), kind=ServiceKind.TRAINING, trainees=30)
    make_log(a2020, date=d(2020, 3, 1), kind=ServiceKind.DEMONSTRATION, days=3)
    make_log(a2020, date=d(2020, 3, 2), village="长盛村")
    make_log(b2020, date=d(2020, 5, 1), kind=ServiceKind.OTHER)
    make_log(b2020, date=d(2020, 6, 1), kind=ServiceKind.TRAINING, trainees=45)
    make_log(far, date=d(2020, 6, 1), kind=ServiceKind.TRAINING, trainees=99)
    return {"a2019": a2019, "a2020": a2020, "b2020": b2020}


def test_commissioner_figures_of_a_span_and_a_year(programme, regions):
    county = regions["450223"]
    span = selectors.commissioner_figures(year_from=2019, year_to=2020, region=county)
    assert span == selectors.CommissionerFigures(
        commissioners=2, visits=4, days=7, villages=3, trainings=2, trainees=75
    )
    year = selectors.commissioner_figures(year=2020, region=county)
    assert year == selectors.CommissionerFigures(
        commissioners=2, visits=3, days=5, villages=3, trainings=1, trainees=45
    )
    assert selectors.commissioner_figures(year=2020).trainees == 144  # the whole installation


def test_the_records_behind_the_figures(programme, regions):
    county = regions["450223"]
    assert names(selectors.commissioner_people(year_from=2019, year_to=2020, region=county)) == {"甲", "乙"}
    assert selectors.commissioners_in(year_from=2019, year_to=2020, region=county).count() == 3
    assert selectors.visits_in(year=2020, region=county).count() == 3
    assert sum(selectors.trainings_in(year=2020, region=county).values_list("trainees", flat=True)) == 45


def test_yearly_summary_per_commissioner(programme, bureau):
    rows = {c.pk: c for c in selectors.commissioner_summary(user=bureau, year=2020)}
    a, b = rows[programme["a2020"].pk], rows[programme["b2020"].pk]
    assert (a.visits, a.days, a.villages, a.trainings, a.trainees) == (2, 4, 2, 0, 0)
    assert (b.visits, b.days, b.villages, b.trainings, b.trainees) == (1, 1, 1, 1, 45)
    assert len(rows) == 2  # 柳城县's commissioner is outside the bureau's county
