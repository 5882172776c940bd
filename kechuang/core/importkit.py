"""One Excel/CSV kit for every registry: a declared schema gives the template, the tolerant parser, the import
(dry run, all errors at once, nothing written unless the whole file is clean, upsert by natural key) and the
bulk write with its audit rows.

A registry declares a ``Schema`` subclass in its ``importers.py`` and registers it with ``@register``; the
``kechuang template``, ``kechuang import`` commands (and later the web wizard) only talk to this module.
"""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from .i18n import stored_text
from .tabular import RowErrors, TableError, cell_text, read_rows

__all__ = [
    "Column", "ImportRefused", "ImportReport", "Plan", "Schema", "bulk_write", "changed_values", "get_schema",
    "register", "registry", "run_import",
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


@dataclass
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
        return number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) if column.kind == "money" else number
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
            if text.lower() == str(stored).lower() or text == str(label):
                return stored
        labels = "、".join(str(label) for _, label in column.choices)
        raise ValueError(gettext("“{value}”不是可选项，应为 {labels} 之一").format(value=value, labels=labels))
    text = normalise(cell_text(value))
    if column.max_length and len(text) > column.max_length:
        reason = gettext("内容过长（{n} 字），不能超过 {limit} 字")
        raise ValueError(reason.format(n=len(text), limit=column.max_length))
    return text


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

    def parse(self, rows) -> tuple[list[Parsed], RowErrors]:
        index, mapping, errors = self.locate_header(rows)
        parsed = []
        for line, cells in rows[index + 1 :]:
            record = Parsed(line)
            for position, (column, factor) in mapping.items():
                value = cells[position] if position < len(cells) else None
                try:
                    record.values[column.name] = parse_cell(column, value, factor)
                except ValueError as exc:
                    errors.add(line, str(column.label), str(exc))
            for column in self.columns:
                if column.required and record.values.get(column.name) in (None, ""):
                    if column.name in {c.name for c, _ in mapping.values()}:
                        errors.add(line, str(column.label), gettext("必填项不能为空"))
            parsed.append(record)
        self._check_duplicate_keys(parsed, errors)
        return parsed, errors

    def _check_duplicate_keys(self, parsed: list[Parsed], errors: RowErrors) -> None:
        seen: dict[tuple, int] = {}
        labels = "+".join(str(c.label) for c in self.columns if c.name in self.key)
        for record in parsed:
            key = tuple(record.values.get(name) for name in self.key)
            if None in key:
                continue
            if key in seen:
                errors.add(record.line, labels, gettext("与第{line}行重复").format(line=seen[key]))
            else:
                seen[key] = record.line

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

    def write(self, plan, *, actor, report: ImportReport, progress: Callable[[int], None] | None = None) -> None:
        bulk_write(plan, actor=actor, report=report, progress=progress)

    def validate(self, instance, line: int, errors: RowErrors, exclude: tuple[str, ...] = ()) -> bool:
        """The model's own field and row rules (the same as its forms'), reported against the file's line."""
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


@dataclass
class Plan:
    """What an import will do: new records, (record, changed values) pairs, and how many rows change nothing."""

    creates: list = field(default_factory=list)
    updates: list = field(default_factory=list)
    unchanged: int = 0


def changed_values(existing, values: dict) -> dict:
    """The values that differ from the stored record (foreign keys compared by id)."""
    changed = {}
    for name, value in values.items():
        attname = existing._meta.get_field(name).attname
        target = value.pk if hasattr(value, "_meta") else value
        if getattr(existing, attname) != target:
            changed[name] = value
    return changed


def bulk_write(plan: Plan, *, actor, report: ImportReport, progress=None, batch: int = 1000) -> None:
    """Write a plan in batches with one audit row per record, inside the caller's transaction."""
    from .audit import audit_bulk, snapshot
    from .choices import AuditAction

    done = 0
    for start in range(0, len(plan.creates), batch):
        chunk = plan.creates[start : start + batch]
        type(chunk[0]).objects.bulk_create(chunk)
        audit_bulk(actor=actor, action=AuditAction.CREATE, entries=[(obj, None, snapshot(obj)) for obj in chunk])
        done += len(chunk)
        if progress:
            progress(done)
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
        done += len(chunk)
        if progress:
            progress(done)
    report.created, report.updated, report.unchanged = len(plan.creates), len(plan.updates), plan.unchanged


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


def run_import(
    kind: str, *, actor, raw: bytes, filename: str, update: bool = False, dry_run: bool = False, progress=None
) -> ImportReport:
    """Import a file of one kind; raises ImportRefused with every problem, and then nothing has been written."""
    from django.db import transaction

    from .access import permitted

    schema = get_schema(kind)
    if actor is not None and not permitted(actor, schema.model, "import"):
        from .exceptions import AccessDenied

        raise AccessDenied(gettext("无权导入{what}").format(what=schema.title))
    try:
        rows = read_rows(raw, filename)
        parsed, errors = schema.parse(rows)
    except TableError as exc:
        raise ImportRefused([str(exc)]) from exc
    report = ImportReport(kind=kind, rows=len(parsed), dry_run=dry_run)
    plan = schema.prepare(parsed, actor=actor, update=update, errors=errors)
    if errors:
        raise ImportRefused(errors.messages)
    with transaction.atomic():
        schema.write(plan, actor=actor, report=report, progress=progress)
        if dry_run:
            transaction.set_rollback(True)
    return report


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
