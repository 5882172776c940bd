"""Organisations with approved figures built for the screening tests, and the shipped pools."""

import datetime
from decimal import Decimal

import pytest

from kechuang.orgs.models import AnnualFigures, Certificate, Pool, PoolMembership
from kechuang.orgs.reference import load_pools
from tests.ip.conftest import make_patent  # noqa: F401  (the fixture)

D = datetime.date
REGISTERED = D(2015, 3, 1)


@pytest.fixture
def pools(db) -> dict[str, Pool]:
    load_pools()
    return {p.code: p for p in Pool.objects.all()}


def figures(organisation, year: int, sales: str, rd: str = "0", staff: int = 100, st: int = 20, status="approved"):
    """Approved figures of one year: sales revenue and R&D expense in 元 (the rest is enough for the evaluations)."""
    amount = Decimal(sales)
    return AnnualFigures.objects.create(
        organisation=organisation,
        year=year,
        review_status=status,
        sales_revenue=amount,
        total_income=amount,
        rd_expense=Decimal(rd),
        rd_domestic=Decimal(rd),
        total_costs=amount,
        total_assets=Decimal("9000000"),
        net_assets=Decimal("2000000"),
        staff_total=staff,
        st_staff=st,
    )


@pytest.fixture
def firm(make_org, make_patent):  # noqa: F811
    """An enterprise with approved figures: ``years`` maps a year to (sales, R&D) in 元; ``invention`` gives it a
    granted invention patent (a Class I IP: 30 tech-SME points)."""

    def make(name, *, years, region="450223100", registered=REGISTERED, invention=True, staff=100, st=20):
        organisation = make_org(name=name, region=region, registration_date=registered, hitech_domain=4)
        for year, (sales, rd) in years.items():
            figures(organisation, year, sales, rd, staff=staff, st=st)
        if invention:
            make_patent(organisation, filed=D(2020, 3, 1), granted=D(2022, 5, 1), acquisition="own_rd")
        return organisation

    return make


def hte_certificate(organisation, issued: datetime.date, number: str):
    return Certificate.objects.create(
        organisation=organisation, kind="hte", number=number, year=issued.year, issue_date=issued
    )


def member(organisation, pool: Pool, entry_year: int, reason: str = "手工入库") -> PoolMembership:
    return PoolMembership.objects.create(
        organisation=organisation, pool=pool, entry_year=entry_year, entry_reason=reason
    )


@pytest.fixture
def county(firm, make_org):
    """鹿寨县 2024: 甲 a tech SME by its data (S&T staff 20 %: 12 points, R&D 4.96 % of sales: 30, an invention
    patent: 30 = 72) growing 10 %; 乙 growing exactly 20 % with R&D exactly 3 %; 丙 growing 44 % over two years to
    1,440 万元 (exactly 20 % a year) but without IP or S&T staff; 丁 outside the county. 乙 is in 450223101, the
    others in 鹿寨镇 (450223100)."""
    first = firm("鹿寨甲科技有限公司", years={2023: ("11000000", "500000"), 2024: ("12100000", "600000")})
    second = firm(
        "鹿寨乙材料有限公司",
        years={2023: ("10000000", "300000"), 2024: ("12000000", "360000")},
        region="450223101",
        registered=D(2020, 6, 1),
    )
    third = firm(
        "鹿寨丙机械有限公司",
        years={2022: ("10000000", "0"), 2023: ("12000000", "0"), 2024: ("14400000", "0")},
        registered=D(2016, 1, 1),
        invention=False,
        st=0,
    )
    outside = firm(
        "柳城丁机械有限公司", region="450222", years={2023: ("10000000", "500000"), 2024: ("13000000", "600000")}
    )
    return {"first": first, "second": second, "third": third, "outside": outside}
