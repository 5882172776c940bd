"""One Table declaration per list: the same columns render the HTML list and the xlsx export."""

import datetime
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .units import to_wan


@dataclass(frozen=True)
class Column:
    name: str  # attribute path with "." or "__", or a callable's key
    label: str
    value: Callable | None = None  # row → value; defaults to following ``name``
    money: bool = False  # stored in 元, shown and exported in 万元
    link: bool = False  # the list links this column to the record's page

    def get(self, row):
        if self.value is not None:
            value = self.value(row)
        else:
            value = row
            for part in self.name.replace("__", ".").split("."):
                value = getattr(value, part, None) if value is not None else None
                if callable(value) and not hasattr(value, "all"):
                    value = value()
        if self.money:
            return to_wan(value)
        return value


class Table:
    """Subclasses set ``columns``; ``rows()`` yields display values, ``export()`` writes xlsx."""

    columns: tuple[Column, ...] = ()
    title: str = ""

    def __init__(self, rows: Iterable):
        self.data = rows

    def headers(self) -> list[str]:
        return [gettext("{label}（万元）").format(label=c.label) if c.money else str(c.label) for c in self.columns]

    def rows(self):
        for row in self.data:
            yield row, [(c, c.get(row)) for c in self.columns]

    def export(self, filename: str) -> HttpResponse:
        from openpyxl import Workbook
        from openpyxl.styles import Font

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(str(self.title)[:31] or "Sheet1")
        header = []
        for text in self.headers():
            cell = _write_only_cell(sheet, text)
            cell.font = Font(bold=True)
            header.append(cell)
        sheet.append(header)
        for row in self.data:
            sheet.append([_excel_value(c.get(row)) for c in self.columns])
        buffer = io.BytesIO()
        workbook.save(buffer)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response = HttpResponse(
            buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(f'{filename}-{stamp}.xlsx')}"
        return response


def _write_only_cell(sheet, value):
    from openpyxl.cell import WriteOnlyCell

    return WriteOnlyCell(sheet, value=value)


def _excel_value(value):
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if value is None or isinstance(value, int | float | Decimal | datetime.date):
        return value
    return formula_safe(value)


def formula_safe(value) -> str:
    """Text a spreadsheet will not run as a formula: a cell starting with = + - @ would, in Excel or WPS
    (CSV/formula injection)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class AuditTable(Table):
    title = _("审计日志")
    columns = (
        Column("time", _("时间"), link=True),
        Column("actor_name", _("操作人")),
        Column("action", _("操作"), value=lambda r: r.get_action_display()),
        Column(
            "content_type",
            _("对象类型"),
            value=lambda r: (
                capfirst(r.content_type.model_class()._meta.verbose_name)
                if r.content_type.model_class()
                else r.content_type.model
            ),
        ),
        Column("object_repr", _("对象")),
        Column("source", _("来源")),
        Column("ip", _("IP 地址")),
        Column("request_id", _("请求编号")),
    )
