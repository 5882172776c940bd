"""Fixtures of the web page tests: reference data and readers for what a page or an export shows."""

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from kechuang.orgs.choices import IndustryLevel
from kechuang.orgs.models import Industry, Pool

LAST_YEAR = timezone.localdate().year - 1


@pytest.fixture
def industries(db) -> dict[str, Industry]:
    """Two sections with one division each (制造业/39 and 信息技术服务业/65)."""
    manufacturing, _ = Industry.objects.get_or_create(
        code="C", defaults={"name": "制造业", "level": IndustryLevel.SECTION}
    )
    it, _ = Industry.objects.get_or_create(
        code="I", defaults={"name": "信息传输、软件和信息技术服务业", "level": IndustryLevel.SECTION}
    )
    electronics, _ = Industry.objects.get_or_create(
        code="39",
        defaults={
            "name": "计算机、通信和其他电子设备制造业",
            "level": IndustryLevel.DIVISION,
            "section": manufacturing,
        },
    )
    software, _ = Industry.objects.get_or_create(
        code="65", defaults={"name": "软件和信息技术服务业", "level": IndustryLevel.DIVISION, "section": it}
    )
    return {"C": manufacturing, "I": it, "39": electronics, "65": software}


@pytest.fixture
def pool(db) -> Pool:
    return Pool.objects.get_or_create(code="hte-reserve", defaults={"name": "后备高新技术企业库"})[0]


def xlsx_rows(response) -> list[tuple]:
    """The rows of the first sheet of an xlsx download, header first."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    return [tuple(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def describe(response) -> str:
    """Status, the exception a 500 carries, and any form errors: what a failed assertion needs to say."""
    parts = [f"status {response.status_code}"]
    if getattr(response, "exc_info", None):
        parts.append(f"raised {response.exc_info[1]!r}")
    context = getattr(response, "context", None)
    form = context.get("form") if context is not None and hasattr(context, "get") else None
    if form is not None and getattr(form, "errors", None):
        parts.append(f"form errors {form.errors.get_json_data()}")
    return "; ".join(parts)
