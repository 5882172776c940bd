"""Writes to the region tree: CSV import of divisions and of resident population."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext

from kechuang.core.access import may
from kechuang.core.exceptions import AccessDenied, ServiceError
from kechuang.core.i18n import join_list
from kechuang.core.services import record_upsert
from kechuang.core.tabular import RowErrors, read_checked

from .choices import LEVEL_DEPTH, RegionLevel
from .models import Population, Region

REGION_HEADER = ["code", "name", "level", "parent_code", "valid_from", "valid_to"]
POPULATION_HEADER = ["code", "year", "resident", "source"]


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _date(text: str, line: int, column: str, errors: RowErrors) -> datetime.date | None:
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        errors.add(line, column, gettext("“{text}”不是有效日期，应写成 2021-01-01 的形式").format(text=text))
        return None


def _parse_region_rows(rows, errors: RowErrors) -> list[dict]:
    known = dict(Region.objects.values_list("code", "level"))
    in_file = {row[0]: row[2] for _, row in rows if row}
    parsed, seen = [], set()
    for line, row in rows:
        row = (row + [""] * 6)[:6]
        code, name, level, parent_code = row[:4]
        if not code.isdigit() or len(code) not in (6, 9, 12):
            errors.add(
                line, "code", gettext("区划代码“{code}”应为6位（县级及以上）或9、12位（乡级）数字").format(code=code)
            )
        elif code in seen:
            errors.add(line, "code", gettext("区划代码“{code}”在文件中重复出现").format(code=code))
        seen.add(code)
        if not name:
            errors.add(line, "name", gettext("名称不能为空"))
        if level not in RegionLevel.values:
            errors.add(
                line,
                "level",
                gettext("级别“{level}”无效，应为 {levels} 之一").format(
                    level=level, levels=join_list(RegionLevel.values)
                ),
            )
        parent_level = in_file.get(parent_code) or known.get(parent_code)
        if level != RegionLevel.PROVINCE and not parent_code:
            errors.add(line, "parent_code", gettext("除省级外必须填写上级区划代码"))
        elif parent_code and parent_level is None:
            errors.add(
                line, "parent_code", gettext("上级区划“{code}”既不在系统中也不在本文件中").format(code=parent_code)
            )
        elif parent_code and level in LEVEL_DEPTH and LEVEL_DEPTH.get(parent_level, 99) >= LEVEL_DEPTH[level]:
            errors.add(line, "parent_code", gettext("上级区划“{code}”的级别不高于本区划").format(code=parent_code))
        valid_from = _date(row[4], line, "valid_from", errors)
        valid_to = _date(row[5], line, "valid_to", errors)
        if valid_from and valid_to and valid_to <= valid_from:
            errors.add(line, "valid_to", gettext("撤销日期必须晚于启用日期"))
        parsed.append(
            {
                "code": code,
                "name": name,
                "level": level,
                "parent_code": parent_code,
                "valid_from": valid_from,
                "valid_to": valid_to,
            }
        )
    return parsed


@transaction.atomic
def region_import(*, actor, raw: bytes, filename: str) -> ImportResult:
    """Create or update divisions from a CSV/xlsx file; nothing is written unless every row is valid."""
    if actor is not None and actor.region_id:
        # The tree bounds every data scope, so only an installation-wide administrator may reshape it.
        raise AccessDenied(gettext("只有不限区划的系统管理员可以修改行政区划"))
    rows = read_checked(raw, filename, REGION_HEADER)
    errors = RowErrors()
    parsed = _parse_region_rows(rows, errors)
    if errors:
        raise ServiceError(errors.messages)
    result = ImportResult()
    # Parents before children, whatever order the file has.
    for item in sorted(parsed, key=lambda r: LEVEL_DEPTH[r["level"]]):
        parent_code = item.pop("parent_code")
        item["parent"] = Region.objects.get(code=parent_code) if parent_code else None
        _upsert(actor, Region, {"code": item.pop("code")}, item, result)
    return result


def _upsert(actor, model, key: dict, values: dict, result: ImportResult) -> None:
    _, outcome = record_upsert(actor=actor, model=model, key=key, values=values, check=actor is not None)
    setattr(result, outcome, getattr(result, outcome) + 1)


@transaction.atomic
def population_import(*, actor, raw: bytes, filename: str) -> ImportResult:
    """Resident population by region and year from a table with header code,year,resident,source."""
    rows = read_checked(raw, filename, POPULATION_HEADER)
    regions = {r.code: r for r in Region.objects.all()}
    errors, parsed = RowErrors(), []
    for line, row in rows:
        code, year, resident, source = (row + [""] * 4)[:4]
        if code not in regions:
            errors.add(line, "code", gettext("区划代码“{code}”不存在，请先导入行政区划").format(code=code))
        elif actor is not None and not may(actor, "import", Population(region=regions[code])):
            errors.add(line, "code", gettext("区划“{name}”不在您的管辖范围内").format(name=regions[code].name))
        if not (year.isdigit() and 1949 <= int(year) <= 2100):
            errors.add(line, "year", gettext("年份“{year}”无效，应为四位数字年份").format(year=year))
        if not resident.isdigit():
            errors.add(
                line, "resident", gettext("常住人口“{resident}”应为不带小数和逗号的非负整数").format(resident=resident)
            )
        parsed.append((code, year, resident, source))
    if errors:
        raise ServiceError(errors.messages)
    result = ImportResult()
    for code, year, resident, source in parsed:
        _upsert(
            actor,
            Population,
            {"region": regions[code], "year": int(year)},
            {"resident": int(resident), "source": source},
            result,
        )
    return result


def load_builtin_regions() -> ImportResult:
    """The shipped Guangxi → Liuzhou → counties → Luzhai townships fixture (idempotent)."""
    from pathlib import Path

    path = Path(__file__).parent / "data" / "regions.csv"
    return region_import(actor=None, raw=path.read_bytes(), filename=path.name)
