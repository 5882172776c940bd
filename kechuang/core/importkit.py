"""One Excel/CSV kit for every registry: a declared schema gives the template, the tolerant parser, the import
(dry run, all errors at once, nothing written unless the whole file is clean, upsert by natural key) and the
bulk write with its audit rows.

A registry declares a ``Schema`` subclass in its ``importers.py`` and registers it with ``@register``; the
``kechuang template``, ``kechuang import`` commands (and later the web wizard) only talk to this module.
"""

import contextlib
import datetime
import functools
import gc
import itertools
import math
import operator
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext

from .access import may
from .i18n import stored_text
from .tabular import RowErrors, TableError, cell_text, iter_rows
from .validators import normalise_uscc, uscc_error

__all__ = [
    "Column", "ImportRefused", "ImportReport", "Plan", "Schema", "ScopedSchema", "SeenKeys", "bulk_write",
    "changed_values", "copy_with", "credit_code", "get_schema", "register", "register_template", "registry",
    "run_import", "template_schema",
]  # fmt: skip

UNITS = {"元": Decimal(1), "万元": Decimal(10_000), "亿元": Decimal(100_000_000)}
FULL_WIDTH = str.maketrans({**{chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}, "\u3000": " "})
HEADER_UNIT = re.compile(r"^(?P<base>.*?)\s*[(（]\s*(?P<unit>元|万元|亿元|人|个|件|年)\s*[)）]\s*$")
TRUE_WORDS = {"是", "有", "y", "yes", "true", "1", "√", "对"}
FALSE_WORDS = {"否", "无", "n", "no", "false", "0", "×", "不是"}
DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
EXCEL_EPOCH = datetime.date(1899, 12, 30)
HEADER_SEARCH_ROWS = 10
CENT = Decimal("0.01")
PLAIN_FIELDS = (models.IntegerField, models.CharField, models.TextField, models.BooleanField, models.DecimalField,
                models.ForeignKey)  # fmt: skip
# Rows are read, checked and written this many at a time, inside one transaction for the whole file.
CHUNK_ROWS = 5000


class ImportRefused(ValidationError):
    """The file was not imported; ``messages`` lists every problem (第N行 列名：problem)."""


@dataclass(frozen=True)
class Column:
    """One column of an import schema."""

    name: str
    label: str
    kind: str = "text"  # text | int | year | decimal | money | date | bool | choice
    required: bool = False
    choices: tuple = ()  # (value, label) pairs; a cell may hold either
    unit: str = ""  # money: the unit of the template's header (a header may name another one)
    help: str = ""
    example: object = ""
    max_length: int | None = None

    def header(self) -> str:
        unit = f"（{self.unit}）" if self.unit else ""
        return f"{self.label}{unit}{'*' if self.required else ''}"


@dataclass
class ImportReport:
    """What an import did, or would do in a dry run."""

    kind: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False


@dataclass(slots=True)
class Parsed:
    """One data row turned into typed values, with the file's line number."""

    line: int
    values: dict = field(default_factory=dict)


def normalise(text: str) -> str:
    return str(text).translate(FULL_WIDTH).strip()


def _number_text(text: str) -> str:
    return normalise(text).replace(",", "").replace(" ", "")


def parse_cell(column: Column, value, factor: Decimal):
    """The typed value of one cell, or raises ValueError with a Chinese reason; empty cells give None."""
    if value is None or (isinstance(value, str) and not normalise(value)):
        return None
    if column.kind in ("int", "year"):
        text = _number_text(cell_text(value))
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(gettext("“{value}”不是整数").format(value=value)) from None
        if number != number.to_integral_value():
            raise ValueError(gettext("“{value}”应为整数").format(value=value))
        number = int(number)
        if column.kind == "year" and not 1949 <= number <= 2100:
            raise ValueError(gettext("年份“{value}”无效").format(value=value))
        return number
    if column.kind in ("decimal", "money"):
        text = _number_text(cell_text(value) if not isinstance(value, float) else repr(value))
        try:
            number = Decimal(text) * factor
        except InvalidOperation:
            raise ValueError(gettext("“{value}”不是数字").format(value=value)) from None
        if not number.is_finite():
            raise ValueError(gettext("“{value}”不是数字").format(value=value))
        return cents(number, value) if column.kind == "money" else number
    if column.kind == "date":
        return parse_date(value)
    if column.kind == "bool":
        word = normalise(value).lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValueError(gettext("“{value}”应填“是”或“否”").format(value=value))
    if column.kind == "choice":
        text = normalise(cell_text(value))
        for stored, label in column.choices:
            # The label is normalised like the cell: full-width brackets in a label must still match.
            if text.lower() == str(stored).lower() or text == normalise(str(label)):
                return stored
        labels = "、".join(str(label) for _, label in column.choices)
        raise ValueError(gettext("“{value}”不是可选项，应为 {labels} 之一").format(value=value, labels=labels))
    text = normalise(cell_text(value))
    if column.max_length and len(text) > column.max_length:
        reason = gettext("内容过长（{n} 字），不能超过 {limit} 字")
        raise ValueError(reason.format(n=len(text), limit=column.max_length))
    return text


def cents(number: Decimal, value) -> Decimal:
    """An amount rounded to the cent; one too large for that (more than 26 integer digits) is a cell error."""
    try:
        return number.quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        raise ValueError(gettext("“{value}”数值过大，请检查单位和位数").format(value=value)) from None


def parse_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and 1 <= value < 2958466:  # an Excel serial day number
        return EXCEL_EPOCH + datetime.timedelta(days=int(value))
    text = normalise(value)
    for pattern in DATE_PATTERNS:
        if found := pattern.match(text):
            try:
                return datetime.date(*(int(part) for part in found.groups()))
            except ValueError:
                break
    reason = gettext("“{value}”不是有效日期，可写成 2020-12-31、2020/12/31 或 2020年12月31日")
    raise ValueError(reason.format(value=value))


def column_parser(column: Column, factor: Decimal) -> Callable[[list], list]:
    """The typed values of a column's cells, all at once; raises ValueError when a cell is bad (the reader then goes
    cell by cell with ``parse_cell`` to name each). The numbers calamine hands over (floats, ints) take a fast path,
    with the same results as ``parse_cell``."""

    def one_by_one(cells: list) -> list:
        return [parse_cell(column, cell, factor) for cell in cells]

    if column.kind in ("money", "decimal"):
        money, scale = column.kind == "money", factor != 1

        def parse_numbers(cells: list) -> list:
            if not set(map(type, cells)) <= NUMBER_TYPES:
                return one_by_one(cells)
            try:
                finite = all(map(math.isfinite, filter(PRESENT, cells)))
            except OverflowError:  # an int too large for a float
                finite = False
            if not finite:
                return one_by_one(cells)
            present = list(filter(PRESENT, cells)) if None in cells else cells
            numbers = map(Decimal, map(repr, present))
            if scale:
                numbers = map(factor.__mul__, numbers)
            if money:
                numbers = map(HALF_UP.quantize, numbers, itertools.repeat(CENT))
            try:
                numbers = list(numbers)
            except InvalidOperation:  # a number too large for cents: named by ``cents``
                return one_by_one(cells)
            if present is cells:
                return numbers
            given = iter(numbers)
            return [None if v is None else next(given) for v in cells]

        return parse_numbers
    if column.kind in ("int", "year"):
        low, high = (1949, 2100) if column.kind == "year" else (-math.inf, math.inf)

        def parse_ints(cells: list) -> list:
            if set(map(type, cells)) <= NUMBER_TYPES:
                present = list(filter(PRESENT, cells))
                try:
                    whole = all(map(float.is_integer, map(float, present)))
                except OverflowError:  # an int too large for a float: left to ``parse_cell``
                    whole = False
                if whole and (not present or (low <= min(present) and max(present) <= high)):
                    return [None if v is None else int(v) for v in cells]
            return one_by_one(cells)

        return parse_ints
    if column.kind == "text":
        limit = column.max_length or math.inf

        def parse_texts(cells: list) -> list:
            if set(map(type, cells)) <= TEXT_TYPES:
                texts = [None if v is None else v.translate(FULL_WIDTH).strip() or None for v in cells]
                if all(v is None or len(v) <= limit for v in texts):
                    return texts
            return one_by_one(cells)

        return parse_texts
    return one_by_one


NUMBER_TYPES = {float, int, type(None)}
HALF_UP = Context(rounding=ROUND_HALF_UP)  # cents as ``cents`` rounds them (the default context otherwise)
PRESENT = functools.partial(operator.is_not, None)  # for ``filter``: the cells that hold a value
TEXT_TYPES = {str, type(None)}
BAD = object()  # a cell that could not be read, left out of its row's values


def field_checks(model, columns: Iterable[Column]) -> dict[str, "Bounds"]:
    """Checks that ``clean_fields()`` would make, derived once from the model's fields, for rows validated as values
    (without model instances): digits of decimals, the range of integers. Each returns a reason or None."""
    checks = {}
    for column in columns:
        try:
            model_field = model._meta.get_field(column.name)
        except Exception:  # a column that is not a model field (a credit code naming the organisation)
            continue
        if isinstance(model_field, models.DecimalField):
            limit = Decimal(10) ** (model_field.max_digits - model_field.decimal_places)
            checks[column.name] = _too_large(limit)
        elif isinstance(model_field, models.IntegerField):
            low, high = _integer_range(model_field)
            checks[column.name] = _out_of_range(low, high)
    return checks


class Bounds:
    """A column's check from a model field: a reason for a value outside ``low``..``high`` (``strict``: both
    excluded), or None; ``holds`` checks a whole column at once."""

    def __init__(self, low, high, *, strict: bool, reasons: tuple[str, str]):
        self.low, self.high, self.strict, self.reasons = low, high, strict, reasons

    def __call__(self, value) -> str | None:
        if value is None:
            return None
        if self.low is not None and (value <= self.low if self.strict else value < self.low):
            return self.reasons[0]
        if self.high is not None and (value >= self.high if self.strict else value > self.high):
            return self.reasons[1]
        return None

    def holds(self, values: list) -> bool:
        present = list(filter(PRESENT, values))
        return not present or (self(min(present)) is None and self(max(present)) is None)


def _too_large(limit: Decimal) -> Bounds:
    reason = gettext("数值过大，整数部分不能超过 {n} 位").format(n=len(str(limit)) - 1)
    return Bounds(-limit, limit, strict=True, reasons=(reason, reason))


def _integer_range(model_field) -> tuple[int | None, int | None]:
    from django.core.validators import MaxValueValidator, MinValueValidator

    low = max((v.limit_value for v in model_field.validators if isinstance(v, MinValueValidator)), default=None)
    high = min((v.limit_value for v in model_field.validators if isinstance(v, MaxValueValidator)), default=None)
    return low, high


def _out_of_range(low, high) -> Bounds:
    below = (gettext("不能小于 {low}").format(low=low) if low else gettext("不能为负数")) if low is not None else ""
    above = gettext("不能大于 {high}").format(high=high) if high is not None else ""
    return Bounds(low, high, strict=False, reasons=(below, above))


def _split_header(cell) -> tuple[str, str]:
    text = normalise(cell_text(cell)).replace("＊", "*").strip("* ")
    if found := HEADER_UNIT.match(text):
        return found.group("base").strip(), found.group("unit")
    return text, ""


class Schema:
    """The declaration of one importable kind: its columns, its natural key and how records are written."""

    kind: str = ""
    title: str = ""
    model = None
    columns: tuple[Column, ...] = ()
    key: tuple[str, ...] = ()
    instructions: tuple[str, ...] = ()
    # Rows per chunk of an import (None: the whole file at once, for schemas that must see every row together).
    chunk_rows: int | None = CHUNK_ROWS
    # Attnames of a unique constraint of the model, for schemas that plan new records as values (``Plan.rows``),
    # and what the audit trail calls such a record, as ``audit.audit_inserted`` takes it (its ``str()`` in SQL).
    model_key: tuple[str, ...] = ()
    describe_sql: tuple[str, dict[str, str]] | None = None

    # --- reading ----------------------------------------------------------------------------------------------

    def locate_header(self, rows) -> tuple[int, dict[int, tuple[Column, Decimal]], RowErrors]:
        """The header row (a title row above it is allowed) and which column each cell position holds."""
        # A header may be in the user's language or the installation's (a template made by a colleague).
        by_label = {normalise(name): c for c in self.columns for name in (str(c.label), stored_text(c.label), c.name)}
        required = [c for c in self.columns if c.required]
        for index, (line, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
            found = [_split_header(cell) for cell in cells]
            hits = sum(1 for base, _ in found if base in by_label)
            if hits < max(1, len(required) // 2 + 1):
                continue
            errors, mapping = RowErrors(), {}
            for position, (base, unit) in enumerate(found):
                if not base:
                    continue
                column = by_label.get(base)
                if column is None:
                    errors.add(line, base, gettext("无法识别的列，请使用模板中的表头"))
                    continue
                if any(column is mapped for mapped, _ in mapping.values()):
                    errors.add(line, base, gettext("这一列出现了两次"))
                    continue
                mapping[position] = (column, self._factor(column, unit, line, errors))
            present = {column.name for column, _ in mapping.values()}
            for column in required:
                if column.name not in present:
                    errors.add(line, str(column.label), gettext("缺少必填列"))
            return index, mapping, errors
        raise TableError(
            gettext("找不到表头：前 {n} 行中没有包含“{labels}”的行，请使用模板").format(
                n=HEADER_SEARCH_ROWS, labels="、".join(str(c.label) for c in required)
            )
        )

    @staticmethod
    def _factor(column: Column, unit: str, line: int, errors: RowErrors) -> Decimal:
        if column.kind != "money":
            return Decimal(1)
        if unit and unit not in UNITS:
            errors.add(line, str(column.label), gettext("金额单位“{unit}”无法识别").format(unit=unit))
            return Decimal(1)
        return UNITS[unit or column.unit or "元"]

    def label_of(self, name: str) -> str:
        return next((str(c.label) for c in self.columns if c.name == name), name)

    def add_validation_error(self, errors: RowErrors, line: int, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                for message in messages:
                    errors.add(line, self.label_of(name), message)
        else:
            for message in error.messages:
                errors.add(line, gettext("整行"), message)

    # --- writing (each schema implements these) -------------------------------------------------------------

    def prepare(self, parsed: list[Parsed], *, actor, update: bool, errors: RowErrors):
        """Check everything that needs the database (references, scope, existing keys) and return a plan."""
        raise NotImplementedError

    def write(self, plan, *, actor, report: ImportReport) -> None:
        bulk_write(plan, actor=actor, report=report, schema=self)

    def validate(self, instance, line: int, errors: RowErrors, exclude: tuple[str, ...] = (), changed=None) -> bool:
        """The model's own field and row rules (the same as its forms'), reported against the file's line.

        Foreign keys are not looked up again, one query per row, where their record is known to exist: one the
        instance holds (read from the database by the schema) and, for an update (``changed``: the values it
        changes), one it leaves as stored. A key narrowed by ``limit_choices_to`` is always checked."""
        known = [
            f.name
            for f in instance._meta.concrete_fields
            if f.is_relation and not f.remote_field.limit_choices_to
            and (_held(f, instance) or (changed is not None and f.name not in changed and f.attname not in changed))
        ]  # fmt: skip
        exclude = (*exclude, *known)
        valid = True
        for check in (lambda: instance.clean_fields(exclude=list(exclude)), instance.clean):
            try:
                check()
            except ValidationError as error:
                self.add_validation_error(errors, line, error)
                valid = False
        return valid

    def example_row(self) -> list:
        return [c.example for c in self.columns]

    # --- exporting in the import format ------------------------------------------------------------------------

    def export_queryset(self, *, actor, region=None, year: int | None = None):
        """The records the actor may export, optionally inside a region subtree and a year."""
        raise NotImplementedError

    def export_values(self, record) -> list:
        """One record's values in column order (stored units; ``export_cell`` converts them)."""
        raise NotImplementedError


def _held(field, instance) -> bool:
    """A foreign key whose record the instance holds."""
    return field.is_cached(instance) and field.get_cached_value(instance) is not None


class Reader:
    """Reads a file's data rows in chunks, typed column by column, reporting every bad cell and repeated key.

    For a schema that plans new records as values (``model_key``), the checks ``clean_fields()`` would make
    (digits, ranges) and the model's row rules (``column_errors``, what its ``clean()`` checks) run here too, on each
    column at once."""

    def __init__(self, schema: Schema, rows: Iterable):
        self.schema, self.rows = schema, iter(rows)
        self.total = getattr(rows, "total", None)
        head = list(itertools.islice(self.rows, HEADER_SEARCH_ROWS))
        index, mapping, self.errors = schema.locate_header(head)
        self.pending = head[index + 1 :]
        checks = field_checks(schema.model, schema.columns) if schema.model_key else {}
        self.columns = [
            (position, column, factor, column_parser(column, factor), checks.get(column.name))
            for position, (column, factor) in mapping.items()
        ]
        required = {c.name for c in schema.columns if c.required}
        self.required = {column.name for _, column, *_ in self.columns if column.name in required}
        self.key_label = "+".join(str(c.label) for c in schema.columns if c.name in schema.key)
        self.seen: dict[tuple, int] = {}
        self.today = timezone.localdate()  # for the row rules: one look-up per file (0.5 s per 100,000 rows)

    def chunks(self, size: int | None = CHUNK_ROWS):
        """Lists of ``Parsed`` rows, ``size`` at a time (None: all at once)."""
        rows = itertools.chain(self.pending, self.rows)
        while batch := list(itertools.islice(rows, size)) if size else list(rows):
            yield self.parse(batch)
            if not size:
                return

    def parse(self, batch: list[tuple[int, list]]) -> list[Parsed]:
        lines = [line for line, _ in batch]
        width = max((position for position, *_ in self.columns), default=-1) + 1
        rows = [row if len(row) >= width else [*row, *[None] * (width - len(row))] for _, row in batch]
        table = list(zip(*rows, strict=False)) or [()] * width  # the batch column by column
        names, typed_columns, readable_columns, bad_cells = [], [], [], False
        for position, column, factor, parse, check in self.columns:
            name, label, cells = column.name, str(column.label), table[position]
            try:
                typed = readable = parse(cells)
            except ValueError:  # now cell by cell, to name every bad one; they are left out of the values
                typed = self._one_by_one(column, factor, cells, lines, label)
                readable = [None if value is BAD else value for value in typed]
                bad_cells = True
            if check is not None and not check.holds(readable):
                for line, value in zip(lines, readable, strict=True):
                    if (reason := check(value)) is not None:
                        self.errors.add(line, label, reason)
            if name in self.required and (None in typed or "" in typed):
                for line, value in zip(lines, typed, strict=True):
                    if value is None or value == "":
                        self.errors.add(line, label, gettext("必填项不能为空"))
            names.append(name)
            typed_columns.append(typed)
            readable_columns.append(readable)
        if self.schema.model_key:
            self._row_rules(dict(zip(names, readable_columns, strict=True)), lines)
        values = zip(*typed_columns, strict=True) if typed_columns else ((),) * len(lines)
        if bad_cells:
            parsed = [Parsed(line, {n: v for n, v in zip(names, row, strict=True) if v is not BAD})
                      for line, row in zip(lines, values, strict=True)]  # fmt: skip
        else:
            parsed = [Parsed(line, dict(zip(names, row, strict=True))) for line, row in zip(lines, values, strict=True)]
        if self.schema.key:
            self._repeated_keys(parsed)
        return parsed

    def _row_rules(self, columns: dict[str, list], lines: list[int]) -> None:
        """The model's row rules on the file's columns (a bad cell counts as empty). An update checks its record
        again with the stored values filling the columns the file lacks; a reason found twice is reported once."""
        for row, found in self.schema.model.column_errors(columns, self.today).items():
            for name, reason in found.items():
                self.errors.add(lines[row], self.schema.label_of(name), reason)

    def _one_by_one(self, column: Column, factor: Decimal, cells, lines: list[int], label: str) -> list:
        typed = []
        for line, cell in zip(lines, cells, strict=True):
            try:
                typed.append(parse_cell(column, cell, factor))
            except ValueError as exc:
                self.errors.add(line, label, str(exc))
                typed.append(BAD)
        return typed

    def _repeated_keys(self, parsed: list[Parsed]) -> None:
        names = self.schema.key
        keys = [tuple(map(record.values.get, names)) for record in parsed]
        fresh = set(keys)
        complete = not any(map(operator.contains, fresh, itertools.repeat(None)))
        if len(fresh) == len(keys) and complete and self.seen.keys().isdisjoint(fresh):
            self.seen.update(zip(keys, (record.line for record in parsed), strict=True))  # the usual case, at once
            return
        for record, key in zip(parsed, keys, strict=True):
            if None in key:
                continue
            first = self.seen.setdefault(key, record.line)
            if first != record.line:
                self.errors.add(record.line, self.key_label, gettext("与第{line}行重复").format(line=first))


@dataclass
class Plan:
    """What an import will do: new records, (record, changed values) pairs, and how many rows change nothing."""

    creates: list = field(default_factory=list)
    updates: list = field(default_factory=list)
    unchanged: int = 0
    rows: list[dict] = field(default_factory=list)  # new records as checked values (foreign keys by attname)


def changed_values(existing, values: dict) -> dict:
    """The values that differ from the stored record (foreign keys compared by id)."""
    changed = {}
    for name, value in values.items():
        attname = existing._meta.get_field(name).attname
        target = value.pk if hasattr(value, "_meta") else value
        if getattr(existing, attname) != target:
            changed[name] = value
    return changed


def copy_with(current, changed: dict):
    """An unsaved copy of a stored record with the changed values, to validate before anything is written."""
    model = type(current)
    candidate = model(**{f.attname: getattr(current, f.attname) for f in model._meta.concrete_fields})
    for name, value in changed.items():
        setattr(candidate, name, value)
    candidate._state.adding = False
    return candidate


def credit_code(value, line: int, errors: RowErrors, label: str) -> str | None:
    """A credit code from a cell, or None after reporting why it is not one (under the row's own column)."""
    if error := uscc_error(value):
        errors.add(line, label, error)
        return None
    return normalise_uscc(value)


class SeenKeys:
    """Rows that name the same record once their references are resolved (鹿寨镇 and 450223100 are one region).

    The kit already reports rows whose key cells are equal; those pairs are not reported a second time here.
    """

    def __init__(self, schema: Schema):
        self.schema = schema
        self.lines: dict[tuple, tuple[int, tuple]] = {}

    def repeated(self, key: tuple, record, errors: RowErrors, label: str) -> bool:
        cells = tuple(record.values.get(name) for name in self.schema.key)
        if key not in self.lines:
            self.lines[key] = (record.line, cells)
            return False
        first_line, first_cells = self.lines[key]
        if cells != first_cells or None in cells:
            errors.add(record.line, label, gettext("与第{line}行重复").format(line=first_line))
        return True


class ScopedSchema(Schema):
    """Planning of records created and updated one by one: the scope, then the record's rules, before anything is
    written."""

    # A model field's error is shown under the column the user filled in for it.
    field_columns: dict[str, str] = {}

    def label_of(self, name: str) -> str:
        return super().label_of(self.field_columns.get(name, name))

    def plan_create(self, plan: Plan, record, actor, line: int, errors: RowErrors, label: str, exclude) -> None:
        if actor is not None and not may(actor, "add", record):
            errors.add(line, label, gettext("不在您的管辖范围内"))
        elif self.validate(record, line, errors, exclude=exclude):
            plan.creates.append(record)

    def plan_update(self, plan: Plan, current, values, actor, line: int, errors: RowErrors, label: str, exclude):
        changed = changed_values(current, values)
        if not changed:
            plan.unchanged += 1
            return
        candidate = copy_with(current, changed)
        if actor is not None and not may(actor, "change", current):
            errors.add(line, label, gettext("不在您的管辖范围内"))
        elif self.validate(candidate, line, errors, exclude=exclude, changed=changed):
            plan.updates.append((current, changed))


def bulk_write(plan: Plan, *, actor, report: ImportReport, batch: int = 1000, schema=None) -> None:
    """Write a plan in batches with one audit row per record, inside the caller's transaction; counts add up
    in ``report`` (an import writes chunk after chunk)."""
    from .audit import audit_bulk, snapshot
    from .choices import AuditAction

    if plan.rows:
        insert_rows(schema.model, plan.rows, actor=actor, key=schema.model_key, describe=schema.describe_sql)
    for start in range(0, len(plan.creates), batch):
        chunk = plan.creates[start : start + batch]
        type(chunk[0]).objects.bulk_create(chunk)
        audit_bulk(actor=actor, action=AuditAction.CREATE, entries=[(obj, None, snapshot(obj)) for obj in chunk])
    for start in range(0, len(plan.updates), batch):
        chunk = plan.updates[start : start + batch]
        entries, fields = [], set()
        for obj, changed in chunk:
            before = snapshot(obj)
            for name, value in changed.items():
                setattr(obj, name, value)
            fields.update(changed)
            entries.append((obj, before, snapshot(obj)))
        type(chunk[0][0]).objects.bulk_update([obj for obj, _ in chunk], sorted(fields))
        audit_bulk(actor=actor, action=AuditAction.UPDATE, entries=entries)
    report.created += len(plan.creates) + len(plan.rows)
    report.updated += len(plan.updates)
    report.unchanged += plan.unchanged


def insert_rows(model, rows: list[dict], *, actor, key: tuple[str, ...], describe: tuple[str, dict]) -> None:
    """Insert checked rows with one raw executemany, then their audit rows with one ``INSERT … SELECT`` — what
    ``bulk_create`` and ``audit_bulk`` do, without compiling every value through the ORM or bringing the records
    back to Python. ``key`` (attnames of a unique constraint) finds the new primary keys afterwards on every engine;
    ``describe`` is the audit rows' object text (see ``audit.audit_inserted``)."""
    from django.db import connection

    from .audit import audit_inserted

    if not rows:
        return
    now = timezone.now()
    # The rows of one file give the same values in the same order: grouped by their names, they become columns.
    groups: dict[tuple, list[dict]] = {}
    for row in rows:
        groups.setdefault(tuple(row), []).append(row)
    given = set().union(*groups)

    defaults = {
        f: now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default()
        for f in model._meta.concrete_fields
        if not f.primary_key
    }
    # A column no row gives is left out of the statement when its default is NULL or the database's own: the
    # database writes it (a third of the figures' columns in a usual file; binding NULLs took a quarter of the
    # executemany).
    fields = [
        f
        for f, value in defaults.items()
        if f.attname in given or f.name in given or (value is not None and f.db_default is models.NOT_PROVIDED)
    ]
    # The drivers take numbers, text, booleans and keys by attname as they are; dates, times, JSON and related
    # records go through the field, each distinct value once (the rows of an import share their time stamps).
    slot = {}
    for i, f in enumerate(fields):
        slot[f.attname] = (i, isinstance(f.target_field if f.is_relation else f, PLAIN_FIELDS))
        slot.setdefault(f.name, (i, False))
    last: dict[int, tuple] = {}

    def prepare(i: int, value):
        seen = last.get(i)
        if seen is None or seen[0] is not value:
            ready = value.pk if isinstance(value, Model) else fields[i].get_db_prep_save(value, connection)
            seen = last[i] = (value, ready)
        return seen[1]

    blank = []
    for i, f in enumerate(fields):
        blank.append(defaults[f] if slot[f.attname][1] else prepare(i, defaults[f]))
    params = []
    for names, group in groups.items():
        columns = [itertools.repeat(value) for value in blank]  # a column no row of the group gives: its default
        for name, values in zip(names, zip(*(row.values() for row in group), strict=True), strict=True):
            i, plain = slot[name]
            if plain:
                columns[i] = values
            elif all(map(operator.is_, values, itertools.repeat(values[0]))):  # one time stamp or reviewer for all
                columns[i] = itertools.repeat(prepare(i, values[0]))
            else:
                columns[i] = [prepare(i, value) for value in values]
        params.extend(itertools.islice(zip(*columns, strict=False), len(group)))
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
        sqlite = connection.vendor == "sqlite" and connection.in_atomic_block  # the write lock held until commit
        pks = _inserted_keys(cursor, model, len(params)) if sqlite else None
    if pks is None:
        at = [slot[name][0] for name in key]
        key_of = operator.itemgetter(*at) if len(at) > 1 else lambda record: (record[at[0]],)
        new = set(map(key_of, params))
        pks = [found[-1] for found in _new_keys(model, key, {k[0] for k in new}) if found[:-1] in new]
    audit_inserted(model, pks, actor=actor, describe=describe)


def _inserted_keys(cursor, model, count: int) -> range | None:
    """On SQLite, the primary keys of the ``count`` rows an executemany has just inserted, without reading them
    back: the connection's last key and the ones before it. Inside a transaction, from its first row on, the insert
    held the database's only write lock, and new keys are greater than every key before; counting the range
    confirms it (else None). Outside a transaction another writer's rows could fill the range: not for that case."""
    cursor.execute("SELECT last_insert_rowid()")
    last = cursor.fetchone()[0]
    keys = range(last - count + 1, last + 1)
    quote = cursor.db.ops.quote_name
    pk = quote(model._meta.pk.column)
    cursor.execute(f"SELECT COUNT(*) FROM {quote(model._meta.db_table)} WHERE {pk} BETWEEN %s AND %s", [keys[0], last])
    return keys if cursor.fetchone()[0] == count else None


def _new_keys(model, key: tuple[str, ...], first: set):
    """(key values…, pk) of the rows just inserted, found by the first key column (one query)."""
    return model._default_manager.filter(**{f"{key[0]}__in": first}).values_list(*key, "pk").iterator(2000)


_registry: dict[str, Schema] = {}


def register(cls: type[Schema]) -> type[Schema]:
    _registry[cls.kind] = cls()
    return cls


def registry() -> dict[str, Schema]:
    return dict(sorted(_registry.items(), key=lambda item: list(IMPORT_ORDER).index(item[0])))


# The fixed kind names of the import interface, in the order they are listed.
IMPORT_ORDER = (
    "orgs", "figures", "certificates", "pools", "patents", "other-ip", "talents", "commissioners", "service-logs",
    "carriers", "tenants", "achievements", "conversions", "contracts", "activities",
)  # fmt: skip


def get_schema(kind: str) -> Schema:
    try:
        return _registry[kind]
    except KeyError:
        raise TableError(
            gettext("未知的导入类型“{kind}”，可用：{kinds}").format(kind=kind, kinds=", ".join(registry()))
        ) from None


_templates: dict[str, Schema] = {}


def register_template(cls: type[Schema]) -> type[Schema]:
    """A kind that has an xlsx template but is never imported (the standalone evaluation's input files): ``kechuang
    template`` writes it, ``kechuang import`` and ``--list`` do not know it."""
    _templates[cls.kind] = cls()
    return cls


def template_schema(kind: str) -> Schema:
    """The schema of a template: an import kind or a template-only kind."""
    if kind in _templates:
        return _templates[kind]
    if kind in _registry:
        return _registry[kind]
    kinds = ", ".join([*registry(), *sorted(_templates)])
    raise TableError(gettext("未知的模板类型“{kind}”，可用：{kinds}").format(kind=kind, kinds=kinds))


def run_import(
    kind: str, *, actor, raw: bytes, filename: str, update: bool = False, dry_run: bool = False, progress=None
) -> ImportReport:
    """Import a file of one kind; raises ImportRefused with every problem, and then nothing has been written.

    The file is read, checked and written ``CHUNK_ROWS`` rows at a time inside one transaction: after the first
    problem nothing more is written, the rest is still checked so that every problem is reported, and the
    transaction is rolled back. ``progress(done, total)`` is called after every chunk."""
    from django.db import transaction

    from .access import permitted

    schema = get_schema(kind)
    if actor is not None and not permitted(actor, schema.model, "import"):
        from .exceptions import AccessDenied

        raise AccessDenied(gettext("无权导入{what}").format(what=schema.title))
    report = ImportReport(kind=kind, dry_run=dry_run)
    try:
        with transaction.atomic(), _without_cycle_collector():
            reader = Reader(schema, iter_rows(raw, filename))
            for chunk in reader.chunks(schema.chunk_rows):
                report.rows += len(chunk)
                plan = schema.prepare(chunk, actor=actor, update=update, errors=reader.errors)
                if not reader.errors:
                    schema.write(plan, actor=actor, report=report)
                if progress:
                    progress(report.rows, reader.total)
            if reader.errors:
                raise ImportRefused(reader.errors.messages)
            if dry_run:
                transaction.set_rollback(True)
    except TableError as exc:
        raise ImportRefused([str(exc)]) from exc
    return report


@contextlib.contextmanager
def _without_cycle_collector():
    """Python's cycle collector paused while an import runs: it would walk the growing heap of parsed rows again and
    again (a fifth of an import's time) and find nothing, as rows hold no reference cycles; reference counting still
    frees them chunk after chunk. It is process-wide, so other threads of the process pause it too, only as long."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def write_template(schema: Schema, stream) -> None:
    """An xlsx template generated from the schema: a data sheet with marked required columns and dropdowns, an
    instructions sheet with an example row, and a hidden sheet holding the dropdown lists."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    data = workbook.active
    data.title = gettext("数据")
    lists = workbook.create_sheet(gettext("选项"))
    lists.sheet_state = "hidden"
    for position, column in enumerate(schema.columns, 1):
        cell = data.cell(row=1, column=position, value=column.header())
        cell.font = Font(bold=True, color="C00000" if column.required else "000000")
        cell.fill = PatternFill("solid", fgColor="FCE4D6" if column.required else "DDEBF7")
        letter = get_column_letter(position)
        data.column_dimensions[letter].width = max(12, len(column.header()) * 2 + 2)
        options = [str(label) for _, label in column.choices] or (["是", "否"] if column.kind == "bool" else [])
        if options:
            for row, option in enumerate(options, 1):
                lists.cell(row=row, column=position, value=option)
            validation = DataValidation(
                type="list", formula1=f"'{lists.title}'!${letter}$1:${letter}${len(options)}", allow_blank=True
            )
            validation.add(f"{letter}2:{letter}100000")
            data.add_data_validation(validation)
    data.freeze_panes = "A2"
    _write_instructions(workbook.create_sheet(gettext("填写说明"), 1), schema)
    workbook.save(stream)


def _write_instructions(sheet, schema: Schema) -> None:
    from openpyxl.styles import Font

    sheet.append([gettext("{title}导入模板（类型：{kind}）").format(title=schema.title, kind=schema.kind)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    for line in (
        gettext("在“数据”工作表第 2 行起逐行填写，不要改动第 1 行表头；带 * 的列必须填写（红色表头）。"),
        gettext("整个文件没有任何错误才会导入；有错误时会列出所有错误（第N行 列名：问题），什么也不写入。"),
        *[str(text) for text in schema.instructions],
    ):
        sheet.append([line])
    sheet.append([])
    sheet.append([gettext("列"), gettext("必填"), gettext("说明"), gettext("填写示例")])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for column in schema.columns:
        choices = "、".join(str(label) for _, label in column.choices)
        note = str(column.help) or (gettext("可选：{choices}").format(choices=choices) if choices else "")
        sheet.append([column.header(), gettext("是") if column.required else "", note, str(column.example)])
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["C"].width = 60
    sheet.column_dimensions["D"].width = 30


def export_cell(column: Column, value):
    """A stored value as the import template writes it, so an exported file imports back unchanged."""
    if value is None:
        return None
    if column.kind == "money":
        return (Decimal(value) / UNITS[column.unit or "元"]).normalize()
    if column.kind == "bool":
        return "是" if value else "否"
    if column.kind == "choice":
        return next((str(label) for stored, label in column.choices if stored == value), value)
    return value


def write_export(schema: Schema, records, stream, *, where: dict[str, str] | None = None) -> int:
    """Write records in the schema's import format (the template's headers); returns the number of rows."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(gettext("数据"))
    sheet.append([column.header() for column in schema.columns])
    positions = {name: _position(schema, name) for name in where or {}}
    # A condition is read like a cell of an imported file (是/yes, a choice's value or label …), then written back.
    wanted = {name: _as_exported(schema.columns[positions[name]], value) for name, value in (where or {}).items()}
    count = 0
    for record in records:
        values = zip(schema.columns, schema.export_values(record), strict=True)
        cells = [export_cell(column, value) for column, value in values]
        if any(str(cells[positions[name]]) != value for name, value in wanted.items()):
            continue
        sheet.append([_safe(cell) for cell in cells])
        count += 1
    workbook.save(stream)
    return count


def _as_exported(column: Column, value: str) -> str:
    try:
        parsed = parse_cell(column, value, UNITS.get(column.unit, Decimal(1)))
    except ValueError as exc:
        raise TableError(f"{column.label}：{exc}") from exc
    return str(export_cell(column, parsed))


def _position(schema: Schema, name: str) -> int:
    for position, column in enumerate(schema.columns):
        if name in (column.name, str(column.label)):
            return position
    raise TableError(gettext("没有名为“{name}”的列").format(name=name))


def _safe(cell):
    # The same formula-injection guard as every other export.
    from .tables import _excel_value

    return _excel_value(cell)
