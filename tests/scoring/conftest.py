"""A county world for the scoring models: three enterprises of 鹿寨县 with approved figures, IP, a high-tech
certificate and conversions, one of 柳城县 outside every bureau user's scope, an achievement and two people."""

import datetime
from decimal import Decimal

import pytest

from kechuang.achievements.models import Achievement, Award, Conversion
from kechuang.orgs.models import AnnualFigures, Certificate
from kechuang.scoring.models import ScoringModel
from kechuang.talent.models import Person, Title
from tests.ip.conftest import make_patent  # noqa: F401  (the fixture)

D = datetime.date


def figures(organisation, year, *, sales, rd, staff=100, st=20, assets="20000000", status="approved"):
    return AnnualFigures.objects.create(
        organisation=organisation, year=year, review_status=status, sales_revenue=Decimal(sales),
        rd_expense=Decimal(rd), staff_total=staff, st_staff=st, net_assets=Decimal(assets),
    )  # fmt: skip


@pytest.fixture
def county(make_org, make_patent):  # noqa: F811
    """甲 meets the 树标提质 example (81 points), 丙 nearly meets it (56), 乙 fails with its growth missing; 丁 is
    in 柳城县."""
    first = make_org(name="鹿寨甲科技有限公司", region="450223100")
    second = make_org(name="鹿寨乙材料有限公司", region="450223101")
    third = make_org(name="鹿寨丙机械有限公司", region="450223101")
    outside = make_org(name="柳城丁机械有限公司", region="450222")
    # 甲: R&D 6 %, S&T staff 25 %, growth 20 %, one invention patent, a high-tech certificate, one conversion.
    figures(first, 2023, sales="10000000", rd="600000")
    figures(first, 2024, sales="12000000", rd="720000", st=25)
    make_patent(first, filed=D(2020, 3, 1), granted=D(2022, 5, 1))
    Certificate.objects.create(organisation=first, kind="hte", number="GR202345000123", year=2023,
                               issue_date=D(2023, 12, 1))  # fmt: skip
    Conversion.objects.create(subject="ZL2024", year=2024, form="licensing", organisation=first)
    # 乙: only 2024 (growth missing), R&D 2 %, S&T staff 10 %.
    figures(second, 2024, sales="5000000", rd="100000", staff=10, st=1)
    # 丙: R&D 3.5 %, S&T staff 20 %, growth 10 %, three utility models, one conversion: 18+15+7+10+6 = 56.
    figures(third, 2023, sales="10000000", rd="300000")
    figures(third, 2024, sales="11000000", rd="385000")
    for _ in range(3):
        make_patent(third, patent_type="utility", filed=D(2022, 3, 1), granted=D(2023, 1, 1))
    Conversion.objects.create(subject="ZL2023", year=2024, form="transfer", organisation=third)
    # 丁: outside; figures that would score well.
    figures(outside, 2023, sales="10000000", rd="900000")
    figures(outside, 2024, sales="20000000", rd="2000000", st=50)
    return {"first": first, "second": second, "third": third, "outside": outside}


@pytest.fixture
def registries(county):
    achievement = Achievement.objects.create(
        number="2024450223001", title="石墨烯粉体制备", kind="applied", organisation=county["first"],
        registration_date=D(2024, 3, 1), evaluation_method="evaluation", evaluation_conclusion="domestic_leading",
    )  # fmt: skip
    Conversion.objects.create(achievement=achievement, year=2024, form="transfer", amount=Decimal("800000"))
    Award.objects.create(name="自治区科学技术进步奖", level="region", grade="second", year=2024, project="石墨烯",
                         organisation=county["first"], achievement=achievement)  # fmt: skip
    doctor = Person.objects.create(
        name="张博士", organisation=county["first"], education="doctor", is_researcher=True,
        programmes=["八桂学者", "县拔尖人才"], birth_year=1985, id_number_hash="h1",
    )  # fmt: skip
    Title.objects.create(person=doctor, level="senior", name="高级工程师", obtained=D(2020, 1, 1))
    blank = Person.objects.create(name="李工", organisation=county["second"], birth_year=1990, id_number_hash="h2")
    return {"achievement": achievement, "doctor": doctor, "blank": blank}


@pytest.fixture
def shubiao(db):
    return ScoringModel.objects.get(code="luzhai-shubiao", version=1)
