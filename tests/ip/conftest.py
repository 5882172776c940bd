"""Fixtures of the IP registry tests: organisations in and outside 鹿寨县 and a way to register patents."""

import datetime

import pytest

from kechuang.core.validators import patent_check_char
from kechuang.ip import services
from kechuang.ip.services import OwnerSpec

TYPE_DIGIT = {"invention": "1", "utility": "2", "design": "3", "pct_invention": "8", "pct_utility": "9"}
_serial = iter(range(100_000, 10_000_000))


def make_number(year: int = 2019, patent_type: str = "invention", serial: int | None = None) -> str:
    """A valid application number, as printed (with the dot)."""
    body = f"{year}{TYPE_DIGIT[patent_type]}{next(_serial) if serial is None else serial:07d}"
    return f"{body}.{patent_check_char(body)}"


@pytest.fixture
def home(make_org):
    """An enterprise in 鹿寨镇, inside 鹿寨县 (the county of the ``bureau`` user)."""
    return make_org(name="鹿寨甲科技有限公司", region="450223100")


@pytest.fixture
def neighbour(make_org):
    """Another enterprise in 鹿寨县."""
    return make_org(name="鹿寨乙材料有限公司", region="450223101")


@pytest.fixture
def far(make_org):
    """An enterprise in 柳城县, outside every 鹿寨县 user's scope."""
    return make_org(name="柳城丙机械有限公司", region="450222")


@pytest.fixture
def make_patent():
    """Register a patent through the service (as the system), its owners given as organisations or names."""

    def make(*owners, patent_type="invention", filed=datetime.date(2019, 3, 1), granted=None, events=(), **fields):
        specs = [o if isinstance(o, OwnerSpec) else OwnerSpec(name=o.name, organisation=o) for o in owners]
        fields.setdefault("number", make_number(filed.year if not patent_type.startswith("pct") else 2020,
                                                 patent_type))  # fmt: skip
        fields.setdefault("title", "一种测试装置")
        return services.patent_create(
            actor=None, owners=specs, patent_type=patent_type, application_date=filed, grant_date=granted,
            events=events, **fields,
        )  # fmt: skip

    return make
