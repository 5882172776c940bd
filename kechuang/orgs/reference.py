"""Shipped reference data of the organisation master file: the industry classification and the pools.

Both tables are loaded from CSV files under ``data/`` by the system, not typed by a user, and the loaders are
idempotent: a row is matched by its code, created if missing, brought back to the shipped values if it
differs, and left alone (not even re-saved) if it already matches.

Loads are audited like any other write (architecture principle 6, and the same as
``kechuang.regions.services.load_builtin_regions``): every created or changed row gets an audit entry with
actor "system". A run that changes nothing writes nothing, so repeated loads leave no noise. Auditing also
means that if a shipped value overwrites a pool the bureau has renamed, the overwrite is visible in the
pool's history.
"""

import csv
import io
from collections import Counter
from pathlib import Path

from django.db import models, transaction

from kechuang.core.services import CREATED, UNCHANGED, UPDATED, record_upsert

from .choices import IndustryLevel
from .models import Industry, Pool

__all__ = ["CREATED", "DATA_DIR", "UNCHANGED", "UPDATED", "load_industries", "load_pools", "system_upsert"]

DATA_DIR = Path(__file__).parent / "data"
INDUSTRY_HEADER = ["code", "name", "level", "section"]
POOL_HEADER = ["code", "name", "description"]


def system_upsert(model: type[models.Model], key: dict, values: dict) -> tuple[models.Model, str]:
    """Create or update one record of shipped data as the system (actor None), audited."""
    return record_upsert(actor=None, model=model, key=key, values=values, check=False)


def _read(name: str, header: list[str]) -> list[dict[str, str]]:
    text = (DATA_DIR / name).read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames != header:
        raise ValueError(f"{name}: header should be {','.join(header)}, got {reader.fieldnames}")
    return [{k: (v or "").strip() for k, v in row.items()} for row in reader]


@transaction.atomic
def load_industries() -> dict[str, int]:
    """GB/T 4754-2017 国民经济行业分类: the 20 sections (门类 A–T) and 97 divisions (大类 01–97)."""
    rows = _read("industries.csv", INDUSTRY_HEADER)
    result: Counter[str] = Counter()
    sections = {}
    for row in rows:
        if row["level"] == IndustryLevel.SECTION:
            sections[row["code"]], outcome = system_upsert(
                Industry, {"code": row["code"]}, {"name": row["name"], "level": IndustryLevel.SECTION, "section": None}
            )
            result[outcome] += 1
    for row in rows:
        if row["level"] == IndustryLevel.DIVISION:
            if row["section"] not in sections:
                raise ValueError(f"industries.csv: division {row['code']} names unknown section {row['section']!r}")
            _, outcome = system_upsert(
                Industry,
                {"code": row["code"]},
                {"name": row["name"], "level": IndustryLevel.DIVISION, "section": sections[row["section"]]},
            )
            result[outcome] += 1
        elif row["level"] != IndustryLevel.SECTION:
            raise ValueError(f"industries.csv: {row['code']} has unknown level {row['level']!r}")
    return dict(result)


@transaction.atomic
def load_pools() -> dict[str, int]:
    """The cultivation pools (培育库) the plan names: reserve HTEs, high-growth tech SMEs, listing, gazelles."""
    result: Counter[str] = Counter()
    for row in _read("pools.csv", POOL_HEADER):
        _, outcome = system_upsert(
            Pool, {"code": row["code"]}, {"name": row["name"], "description": row["description"]}
        )
        result[outcome] += 1
    return dict(result)
