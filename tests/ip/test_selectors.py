"""The dated counts the plan indicators use: applications by filing date, grants by grant date, inventions in
force on a day, per 10,000 residents — by the first patentee's region, each patent once."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kechuang.accounts.choices import Role
from kechuang.core.access import restrict
from kechuang.ip import selectors
from kechuang.ip.models import Patent
from kechuang.ip.services import OwnerSpec
from kechuang.regions.models import Population

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def county(regions):
    return regions["450223"]


@pytest.fixture
def stock(home, neighbour, far, make_patent, regions):
    """Patents of 鹿寨县 and one 柳城县 patent co-owned with a Luzhai enterprise."""
    return {
        # filed 2015, granted 2016: a 2016 grant, not a 2016–2020 application
        "carry": make_patent(home, filed=D(2015, 6, 1), granted=D(2016, 11, 2)),
        # filed 2016, granted 2018, lapsed 2020-06-30
        "lapsed": make_patent(home, filed=D(2016, 2, 1), granted=D(2018, 3, 5), events=[("lapsed", D(2020, 6, 30))]),
        # filed 2017, granted 2020-12-31 exactly
        "last_day": make_patent(neighbour, filed=D(2017, 4, 1), granted=D(2020, 12, 31)),
        # a PCT entry (filed 2018 internationally), granted 2020: an invention
        "pct": make_patent(home, patent_type="pct_invention", filed=D(2018, 1, 9), granted=D(2020, 5, 6)),
        # a utility model and a design
        "utility": make_patent(home, patent_type="utility", filed=D(2019, 3, 1), granted=D(2019, 10, 8)),
        "design": make_patent(neighbour, patent_type="design", filed=D(2020, 7, 1), granted=D(2021, 1, 8)),
        # refused
        "refused": make_patent(home, filed=D(2020, 2, 2), events=[("rejected", D(2022, 5, 1))]),
        # an individual in 黄冕镇 first
        "person": make_patent(
            OwnerSpec(name="韦志强", region=regions["450223104"]), home, filed=D(2019, 5, 5), granted=D(2022, 1, 4)
        ),
        # 柳城县 first, Luzhai second: counted in 柳城县 only
        "far": make_patent(far, home, filed=D(2018, 8, 8), granted=D(2020, 2, 2)),
    }


def test_applications_by_filing_date_and_type(stock, county):
    counted = selectors.patent_applications(since=2016, until=2020, region=county)
    assert counted.counts == {"invention": 5, "utility": 1, "design": 1, "total": 7}
    assert {p.pk for p in counted.records} == {
        stock[k].pk for k in ("lapsed", "last_day", "pct", "utility", "design", "refused", "person")
    }


def test_grants_by_grant_date_whenever_filed(stock, county):
    counted = selectors.patent_grants(since=2016, until=2020, region=county)
    assert counted.counts == {"invention": 4, "utility": 1, "design": 0, "total": 5}
    assert stock["carry"] in counted.records and stock["design"] not in counted.records


def test_inventions_in_force_on_a_day(stock, county):
    def held(day):
        return set(selectors.valid_inventions(day=day, region=county).values_list("pk", flat=True))

    assert held(D(2020, 12, 30)) == {stock["carry"].pk, stock["pct"].pk}
    assert held(D(2020, 12, 31)) == {stock["carry"].pk, stock["pct"].pk, stock["last_day"].pk}
    assert held(D(2020, 6, 29)) == {stock["carry"].pk, stock["pct"].pk, stock["lapsed"].pk}
    assert selectors.valid_inventions_by_year(years=[2017, 2018, 2019, 2020, 2022], region=county) == {
        2017: 1,
        2018: 2,
        2019: 2,
        2020: 3,
        2022: 4,
    }


def test_counts_roll_up_the_region_tree_and_each_patent_counts_once(stock, regions):
    township = selectors.patent_applications(since=2016, until=2020, region=regions["450223100"])
    assert township.total == 4  # 鹿寨镇: home's four; 中渡镇 and 黄冕镇 hold the others
    city = selectors.patent_applications(since=2016, until=2020, region=regions["450200"])
    assert city.total == 8  # the 柳城县 patent once, though a Luzhai enterprise co-owns it
    assert selectors.patent_applications(since=2016, until=2020, region=regions["450222"]).total == 1


def test_each_count_is_one_query(stock, county):
    with CaptureQueriesContext(connection) as queries:
        selectors.patent_applications(since=2016, until=2020, region=county)
        selectors.patent_grants(since=2016, until=2020, region=county)
        selectors.valid_inventions_by_year(years=list(range(2010, 2026)), region=county)
    assert len(queries) == 3


def test_per_10k_residents(stock, county):
    assert selectors.inventions_per_10k(region=county, year=2020) is None  # no population yet
    Population.objects.create(region=county, year=2020, resident=30000)
    # 3 inventions in force on 2020-12-31 for 30,000 people: exactly 1 per 10,000
    assert selectors.inventions_per_10k(region=county, year=2020) == Decimal(1)


def test_users_count_what_they_may_see(stock, county, make_user, home):
    bureau_of_liucheng = make_user(Role.BUREAU_STAFF, region="450222")
    assert selectors.patent_applications(since=2016, until=2020, user=bureau_of_liucheng).total == 1
    enterprise = make_user(Role.ENTERPRISE, organisation=home)
    mine = selectors.patent_applications(since=2016, until=2020, user=enterprise)
    # every patent naming home, the 柳城县 one included, each once
    assert mine.total == 6 and mine.records.count() == len(set(mine.records.values_list("pk", flat=True)))


def test_enterprise_scope_lists_a_shared_patent_once(make_user, home, neighbour, make_patent):
    shared = make_patent(home, neighbour)
    user = make_user(Role.ENTERPRISE, organisation=neighbour)
    assert list(restrict(Patent, user).values_list("pk", flat=True)) == [shared.pk]


def test_ip_counts_by_organisation(stock, home, neighbour, far, bureau):
    from kechuang.ip.services import other_ip_create

    other_ip_create(actor=None, organisation=home, kind="software", number="2019SR0123456", title="a",
                    date=D(2019, 1, 1))  # fmt: skip
    other_ip_create(actor=None, organisation=neighbour, kind="plant_variety", number="CNA1", title="b",
                    date=D(2019, 1, 1), acquisition="assignment")  # fmt: skip
    counts = selectors.ip_counts_by_organisation(day=D(2020, 12, 31))
    # home: carry, pct inventions (and the 柳城县 one it co-owns) · utility model · its software copyright
    assert counts[home.pk] == {"I": 3, "II": 2, "own_rd": True}
    assert counts[neighbour.pk] == {"I": 2, "II": 0, "own_rd": True}
    assert counts[far.pk] == {"I": 1, "II": 0, "own_rd": True}


def test_list_filters(stock, county, bureau):
    def listed(**filters):
        return set(selectors.patent_list(user=bureau, filters=filters).values_list("pk", flat=True))

    assert listed(status="valid", day=D(2020, 12, 31)) == {stock[k].pk for k in ("carry", "last_day", "pct", "utility")}
    assert listed(status="pending", day=D(2020, 12, 31)) == {stock[k].pk for k in ("design", "refused", "person")}
    assert listed(status="ended", day=D(2020, 12, 31)) == {stock["lapsed"].pk}
    assert listed(category="invention", granted_year=2020) == {stock["last_day"].pk, stock["pct"].pk}
    assert listed(q="韦志强") == {stock["person"].pk}
    assert listed(q=stock["pct"].number_display[:8]) == {stock["pct"].pk}
    assert listed(filed_year=2015) == {stock["carry"].pk}
