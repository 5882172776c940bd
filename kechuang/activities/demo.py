"""Luzhai demo records of the activities registry (科技活动、科普, 演示数据); see kechuang/orgs/demo.py.

DEMO DATA, not official records. What the records reproduce (seed ch.1 §1 and 专栏1): four county innovation
and entrepreneurship competitions in 2016–2020 (“累计连续举办四届创新创业大赛”), the graphene project
promotion (石墨烯产业项目推介会), and 33 元 of science popularisation spending per resident in 2020: with the
demo population of 鹿寨县 (361,600 in 2020) that is 11,932,800.00 元, recorded as the county's own spending
plus its townships'. Spending per resident in 2016–2019 grows from 20 to 30 元. Trainings, science weeks and
popularisation days fill the years around them.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from kechuang.orgs.demo import DEMO_SOURCE, POPULATION, TOWNSHIPS
from kechuang.regions.models import Region

from .choices import ActivityKind as K
from .models import Activity, PopularisationSpending
from .selectors import activities_in_years, popularisation_per_resident

D = datetime.date
COUNTY = "450223"
BUREAU = "鹿寨县科学技术局"
ASSOCIATION = "鹿寨县科学技术协会"
SERVICES = "鹿寨县众创科技服务有限公司"
GRAPHENE = "广西鹿寨石墨烯应用技术研究院有限公司"

# (type, title, township or the county, start, end, organiser, 承办 organisation, participants, entries, awards,
#  trainees, spending in 元)
ACTIVITIES = [
    (K.COMPETITION, "第一届鹿寨县创新创业大赛", "鹿寨镇", D(2017, 9, 21), D(2017, 9, 22), BUREAU, SERVICES,
     260, 28, 10, None, 80000),
    (K.COMPETITION, "第二届鹿寨县创新创业大赛", "鹿寨镇", D(2018, 9, 13), D(2018, 9, 14), BUREAU, SERVICES,
     310, 35, 12, None, 100000),
    (K.COMPETITION, "第三届鹿寨县创新创业大赛", "鹿寨镇", D(2019, 9, 19), D(2019, 9, 20), BUREAU, SERVICES,
     380, 42, 14, None, 120000),
    (K.COMPETITION, "第四届鹿寨县创新创业大赛", "鹿寨镇", D(2020, 10, 15), D(2020, 10, 16), BUREAU, SERVICES,
     420, 46, 15, None, 150000),
    (K.MATCHMAKING, "广西鹿寨石墨烯产业项目推介会", "鹿寨镇", D(2019, 6, 18), None, "鹿寨县人民政府", GRAPHENE,
     180, None, None, None, 60000),
    (K.TRAINING, "科技型中小企业评价工作培训会", COUNTY, D(2017, 4, 20), None, BUREAU, None,
     None, None, None, 54, 6000),
    (K.TRAINING, "高新技术企业认定政策培训会", COUNTY, D(2018, 5, 17), None, BUREAU, None,
     None, None, None, 86, 8000),
    (K.TRAINING, "高新技术企业认定政策培训会", COUNTY, D(2019, 4, 25), None, BUREAU, None,
     None, None, None, 102, 8000),
    (K.TRAINING, "研发费用税前加计扣除政策培训会", COUNTY, D(2019, 7, 11), None, BUREAU, None,
     None, None, None, 75, 6000),
    (K.TRAINING, "高新技术企业认定政策培训会", COUNTY, D(2020, 5, 21), None, BUREAU, None,
     None, None, None, 120, 9000),
    (K.TRAINING, "知识产权保护与运用培训班", COUNTY, D(2020, 8, 6), D(2020, 8, 7), BUREAU,
     "鹿寨县知识产权代理服务有限公司", None, None, None, 68, 12000),
    *[
        (K.SCIENCE_WEEK, f"{year}年鹿寨县科技活动周", "鹿寨镇", start, start + datetime.timedelta(days=6), BUREAU,
         None, people, None, None, None, spend)
        for year, start, people, spend in (
            (2016, D(2016, 5, 14), 3200, 40000), (2017, D(2017, 5, 20), 3600, 45000),
            (2018, D(2018, 5, 19), 4100, 50000), (2019, D(2019, 5, 18), 4500, 55000),
            (2020, D(2020, 8, 22), 2800, 50000),
        )
    ],
    *[
        (K.POPULARISATION, f"{year}年全国科普日鹿寨县主场活动", "鹿寨镇", start, None, ASSOCIATION, None,
         people, None, None, None, spend)
        for year, start, people, spend in (
            (2016, D(2016, 9, 17), 2500, 30000), (2017, D(2017, 9, 16), 2800, 30000),
            (2018, D(2018, 9, 15), 3000, 35000), (2019, D(2019, 9, 21), 3300, 35000),
            (2020, D(2020, 9, 19), 2600, 40000),
        )
    ],
    (K.POPULARISATION, "科普大篷车进乡村（中渡镇）", "中渡镇", D(2018, 11, 8), None, ASSOCIATION, None,
     650, None, None, None, 12000),
    (K.POPULARISATION, "桑蚕养殖科普进村活动", "黄冕镇", D(2019, 3, 27), None, ASSOCIATION, None,
     420, None, None, None, 8000),
    (K.POPULARISATION, "青少年科技教育进校园活动", "四排镇", D(2020, 11, 12), None, ASSOCIATION, None,
     900, None, None, None, 10000),
]  # fmt: skip

PER_RESIDENT = {2016: 20, 2017: 24, 2018: 27, 2019: 30, 2020: 33}  # 元 a resident (seed: 33 in 2020)
# 2020 is recorded level by level: the townships' own spending, the rest the county's own (县本级).
TOWNSHIP_SPENDING_2020 = {
    "450223100": 360000, "450223101": 150000, "450223102": 120000, "450223103": 110000, "450223104": 100000,
    "450223105": 90000, "450223200": 70000, "450223201": 68800, "450223202": 64000,
}  # fmt: skip


def spending_rows(population: dict[int, int]) -> list[tuple[str, int, Decimal]]:
    """(region code, year, 元): the county's spending makes the per-resident figure exact for every year."""
    rows = []
    for year, per_resident in PER_RESIDENT.items():
        total = Decimal(per_resident * population[year])
        townships = TOWNSHIP_SPENDING_2020 if year == 2020 else {}
        rows += [(code, year, Decimal(amount)) for code, amount in townships.items()]
        rows.append((COUNTY, year, total - sum(Decimal(a) for a in townships.values())))
    return [(code, year, amount.quantize(Decimal("0.01"))) for code, year, amount in rows]


def load(loader, orgs: dict) -> None:
    """Upsert this registry's demo records through ``loader.upsert`` (idempotent)."""
    codes = {**TOWNSHIPS, COUNTY: COUNTY}
    regions = {r.code: r for r in Region.objects.filter(code__in=[*codes.values(), *TOWNSHIP_SPENDING_2020])}
    for kind, title, place, start, end, organiser, host, people, entries, awards, trainees, spend in ACTIVITIES:
        loader.upsert(
            Activity,
            {"kind": kind, "title": title, "start_date": start, "region": regions[codes[place]]},
            {"end_date": end, "organiser": organiser, "organisation": orgs[host] if host else None,
             "participants": people, "entries": entries, "awards": awards, "trainees": trainees,
             "spending": Decimal(spend).quantize(Decimal("0.01")), "notes": ""},
        )  # fmt: skip
    for code, year, amount in spending_rows(POPULATION):
        loader.upsert(
            PopularisationSpending,
            {"region": regions[code], "year": year},
            {"amount": amount, "source": f"{DEMO_SOURCE}：鹿寨县{year}年科普经费决算", "notes": ""},
        )


def counts() -> dict:
    """The demo facts of this registry, computed from the records through the plan-monitoring selectors."""
    county = Region.objects.filter(code=COUNTY).first()
    five_years = activities_in_years(first_year=2016, last_year=2020, region=county)
    figure = popularisation_per_resident(year=2020, region=county) if county else None
    value = figure.value if figure else None
    return {
        "activities_2016_2020": five_years.count(),
        "activities_competitions_2016_2020": five_years.filter(kind=K.COMPETITION).count(),
        "activities_trainings_2016_2020": five_years.filter(kind=K.TRAINING).count(),
        "popularisation_spending_2020": figure.spending if figure else Decimal("0.00"),
        "popularisation_per_resident_2020": None if value is None else value.quantize(Decimal("0.01"), ROUND_HALF_UP),
    }
