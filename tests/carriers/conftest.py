"""Fixtures of the carriers tests: host organisations in and out of 鹿寨县, and a maker for carriers and tenants."""

import datetime
import io

import pytest
from openpyxl import Workbook, load_workbook

from kechuang.carriers.models import Carrier, Tenant
from kechuang.core.importkit import get_schema, write_template

D = datetime.date


@pytest.fixture
def home(make_org):
    """An enterprise in 鹿寨镇, inside the scope of the 鹿寨县 bureau."""
    return make_org(name="鹿寨甲汽车零部件有限公司", region="450223100")


@pytest.fixture
def far(make_org):
    """An enterprise in 柳城县, outside the scope of every 鹿寨县 user."""
    return make_org(name="柳城丙机械有限公司", region="450222")


@pytest.fixture
def make_carrier(regions):
    def make(name="测试工程技术研究中心", kind="etrc", level="city", host=None, region=None, **fields):
        fields.setdefault("recognised_date", D(2018, 6, 1))
        region_obj = regions[region] if region else None
        return Carrier.objects.create(kind=kind, name=name, level=level, host=host, region=region_obj, **fields)

    return make


@pytest.fixture
def make_tenant():
    def make(carrier, organisation=None, team_name="", **fields):
        fields.setdefault("entry_date", D(2019, 3, 1))
        return Tenant.objects.create(carrier=carrier, organisation=organisation, team_name=team_name, **fields)

    return make


def xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_rows(kind: str, data_rows) -> bytes:
    """Fill the generated template's data sheet, as a user would."""
    buffer = io.BytesIO()
    write_template(get_schema(kind), buffer)
    workbook = load_workbook(io.BytesIO(buffer.getvalue()))
    for row in data_rows:
        workbook["数据"].append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
