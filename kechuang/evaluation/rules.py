"""Rule sets as versioned data: the YAML files in ``rules/`` shipped inside the package, so the standalone mode
needs no database. A file holds the name, the issuing documents, the effective dates, the condition thresholds and
the scoring tables; the mechanisms that read them are code (``hte.py``, ``tsme.py``).

The rules the policy text leaves open ([U] in the reference: 365 days, growth point ranges …) are settings with the
shipped values as defaults: a file of the same name in the folder the setting ``EVALUATION_RULES_DIR`` names replaces
the shipped one (read once per process). Every stored result keeps the file it used, word for word."""

import datetime
import functools
import hashlib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import yaml

RULES_DIR = Path(__file__).resolve().parent / "rules"
SHIPPED = {"hte": "hte-2016.yaml", "tsme": "tsme-2017.yaml"}


@dataclass(frozen=True)
class RuleSet:
    kind: str
    version: str
    name: str
    documents: tuple[str, ...]
    effective_from: datetime.date
    effective_to: datetime.date | None
    data: dict  # conditions, scores, bands: numbers as Decimal
    source: str  # the YAML file, word for word: what a stored version keeps
    digest: str  # its SHA-256

    @property
    def label(self) -> str:
        return f"{self.name}（{self.documents[0]}）"

    def conditions(self, code: str):
        return self.data["conditions"][code]

    def scores(self, code: str):
        return self.data["scores"][code]


@functools.cache
def ruleset(kind: str) -> RuleSet:
    """The rule set in force of a kind (``hte`` or ``tsme``): the installation's own file if
    ``EVALUATION_RULES_DIR`` holds one, else the shipped one."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    folder = getattr(settings, "EVALUATION_RULES_DIR", "")
    path = Path(folder) / SHIPPED[kind] if folder else None
    if path is None or not path.is_file():
        return from_source((RULES_DIR / SHIPPED[kind]).read_text(encoding="utf-8"))
    try:
        rules = from_source(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeError, yaml.YAMLError, KeyError, TypeError, AttributeError) as exc:
        raise ImproperlyConfigured(f"EVALUATION_RULES_DIR: {path} is not a readable rule set ({exc!r})") from exc
    shipped = from_source((RULES_DIR / SHIPPED[kind]).read_text(encoding="utf-8"))
    if rules.kind != kind or _shape(rules.data) != _shape(shipped.data):
        raise ImproperlyConfigured(
            f"EVALUATION_RULES_DIR: {path} must be a {kind} rule set with the keys of the shipped {SHIPPED[kind]}"
        )
    return rules


def _shape(value):
    """The keys of a rule set's data, nested, without the values: an installation's file may change numbers only."""
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shape(v) for v in value] if value and isinstance(value[0], dict | list) else "list"
    return "value"


def from_source(source: str) -> RuleSet:
    """A rule set from its YAML text: the shipped file, or a version stored with the results that used it."""
    raw = yaml.safe_load(source)
    return RuleSet(
        kind=raw["kind"],
        version=str(raw["version"]),
        name=raw["name"],
        documents=tuple(raw["documents"]),
        effective_from=raw["effective_from"],
        effective_to=raw["effective_to"],
        data=_decimals({k: v for k, v in raw.items() if k in ("conditions", "scores", "growth_bands", "routes")}),
        source=source,
        digest=hashlib.sha256(source.encode()).hexdigest(),
    )


# Lists of codes, which stay text ("16" is an industry division, not a number).
CODE_KEYS = {"excluded_divisions"}


def _decimals(value):
    """Numbers written as strings in the YAML ("0.35") become Decimal, so that no bound passes through a float."""
    if isinstance(value, dict):
        return {k: v if k in CODE_KEYS else _decimals(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decimals(v) for v in value]
    if isinstance(value, str):
        try:
            return Decimal(value)
        except ArithmeticError:
            return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    return value
