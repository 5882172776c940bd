"""The pools' screening criteria as data: ``rules/pools.yaml`` shipped in the package, with the installation's
overrides from the YAML file named by the setting ``SCREENING_CRITERIA_FILE`` merged key by key. A run records the
criteria it used and their digest, so a candidate list can always be explained by the numbers in force that day."""

import copy
import hashlib
import json
from decimal import Decimal
from pathlib import Path

import yaml
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext

SHIPPED = Path(__file__).resolve().parent / "rules" / "pools.yaml"
# The mechanisms screen.py knows: criteria and ranking keys. A file naming another is refused when it is read.
CRITERIA = (
    "tsme",
    "tsme_or_hte",
    "no_valid_hte",
    "registered_years",
    "revenue_growth",
    "revenue_cagr_2y",
    "rd_ratio",
    "revenue",
    "scoring_model",
)
RANK_KEYS = ("hte_total_max", "rd_ratio", "revenue_growth", "revenue_cagr_2y", "revenue")


def criteria() -> dict:
    """The criteria in force: the shipped file, with the installation's overrides merged in."""
    data = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    override = getattr(settings, "SCREENING_CRITERIA_FILE", "")
    if override:
        path = Path(override)
        if not path.is_file():
            raise ImproperlyConfigured(f"SCREENING_CRITERIA_FILE: no such file {override}")
        data = merge(data, yaml.safe_load(path.read_text(encoding="utf-8")) or {})
    check(data)
    return data


def merge(base: dict, override: dict) -> dict:
    """``base`` with ``override`` laid over it: dictionaries key by key, anything else replaced."""
    merged = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def check(data: dict) -> None:
    """Refuse criteria that name a mechanism the code does not have, or a bound that is not a number."""
    for code, pool in data.get("pools", {}).items():
        for name, bounds in (pool.get("criteria") or {}).items():
            if name not in CRITERIA:
                raise ImproperlyConfigured(f"screening criteria of {code}: unknown criterion {name!r}")
            if name == "scoring_model":  # {code: a published enterprise scoring model's code}
                if set(bounds or {}) != {"code"} or not isinstance(bounds["code"], str):
                    raise ImproperlyConfigured(f"screening criteria of {code}.{name}: give the model's code only")
                continue
            for key, value in (bounds or {}).items():
                if key not in ("min", "max") or value is None:
                    raise ImproperlyConfigured(f"screening criteria of {code}.{name}: unknown bound {key!r}")
                Decimal(str(value))
        for key in pool.get("rank") or ():
            if key not in RANK_KEYS:
                raise ImproperlyConfigured(f"screening criteria of {code}: unknown ranking key {key!r}")


def screened_pools(data: dict | None = None) -> list[str]:
    return list((data or criteria())["pools"])


def digest(pool: dict) -> str:
    """The SHA-256 of a pool's criteria in a canonical JSON form: equal criteria, equal digests."""
    text = json.dumps(pool, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def bound(pool: dict, name: str, key: str) -> Decimal | None:
    """A criterion's bound as a Decimal, or None when the criterion or the bound is not set."""
    value = ((pool.get("criteria") or {}).get(name) or {}).get(key)
    return None if value is None else Decimal(str(value))


def not_screened_message(code: str) -> str:
    return gettext("培育库“{pool}”没有筛选标准（须手工入库），不能筛选").format(pool=code)
