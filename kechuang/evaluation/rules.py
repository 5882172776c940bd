"""Rule sets as versioned data: the YAML files in ``rules/`` shipped inside the package, so the standalone mode
needs no database. A file holds the name, the issuing documents, the effective dates, the condition thresholds and
the scoring tables; the mechanisms that read them are code (``hte.py``, ``tsme.py``)."""

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
    """The shipped rule set of a kind (``hte`` or ``tsme``)."""
    return from_source((RULES_DIR / SHIPPED[kind]).read_text(encoding="utf-8"))


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
