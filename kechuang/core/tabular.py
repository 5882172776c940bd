"""Reading uploaded tables: CSV in UTF-8 (with or without BOM) or GB18030, and xlsx via python-calamine.

Every reader returns the header and the data rows as strings, each row with its 1-based line number in the
file, so errors can name 第N行 exactly as the user sees it in Excel or WPS.
"""

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext

MAX_TABLE_BYTES = 50 * 1024 * 1024


class TableError(ValueError):
    """The file as a whole cannot be read (encoding, header, size)."""


@dataclass
class RowErrors:
    """All problems found in a file, reported at once as 第N行 列名：problem."""

    messages: list[str] = field(default_factory=list)

    def add(self, line: int, column: str, problem: str) -> None:
        self.messages.append(
            gettext("第{line}行 {column}：{problem}").format(line=line, column=column, problem=problem)
        )

    def __bool__(self) -> bool:
        return bool(self.messages)


def decode_text(raw: bytes) -> str:
    """UTF-8 (a BOM is dropped) or, failing that, GB18030 — what Excel and WPS save on Chinese Windows."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return raw.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise TableError(gettext("文件编码无法识别：请另存为 UTF-8 或 GB18030 编码的 CSV")) from exc


def read_csv(raw: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    if len(raw) > MAX_TABLE_BYTES:
        raise TableError(gettext("文件过大：不能超过 {limit} MB").format(limit=MAX_TABLE_BYTES // 1024 // 1024))
    reader = csv.reader(io.StringIO(decode_text(raw), newline=""))
    rows = [(reader.line_num, [cell.strip() for cell in row]) for row in reader]
    rows = [(n, row) for n, row in rows if any(row)]
    if not rows:
        raise TableError(gettext("文件是空的：第一行应为表头"))
    return rows[0][1], rows[1:]


def read_xlsx(raw: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    from python_calamine import CalamineWorkbook

    if len(raw) > MAX_TABLE_BYTES:
        raise TableError(gettext("文件过大：不能超过 {limit} MB").format(limit=MAX_TABLE_BYTES // 1024 // 1024))
    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(raw)).get_sheet_by_index(0)
    except Exception as exc:  # calamine raises several error types for damaged files
        raise TableError(gettext("无法读取 Excel 文件：请确认是 .xlsx 格式且未损坏")) from exc
    rows = [(n, [_cell_text(c) for c in row]) for n, row in enumerate(sheet.to_python(skip_empty_area=False), 1)]
    rows = [(n, row) for n, row in rows if any(row)]
    if not rows:
        raise TableError(gettext("文件是空的：第一行应为表头"))
    return rows[0][1], rows[1:]


def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return str(value).strip()


def read_table(raw: bytes, filename: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    suffix = Path(filename).suffix.lower()
    if suffix == ".xlsx":
        return read_xlsx(raw)
    if suffix in (".csv", ".txt"):
        return read_csv(raw)
    raise TableError(gettext("不支持的文件类型“{suffix}”：请上传 .csv 或 .xlsx 文件").format(suffix=suffix))


def require_header(header: list[str], expected: list[str]) -> None:
    """The header must be exactly the expected columns, in order."""
    normalised = [h.strip().lower() for h in header]
    if normalised != expected:
        raise TableError(
            gettext("表头应为 {expected}，实际为 {actual}").format(expected=",".join(expected), actual=",".join(header))
        )


def read_checked(raw: bytes, filename: str, header: list[str]) -> list[tuple[int, list[str]]]:
    """The data rows of a table whose header must be exactly ``header``; a file-level problem is a ServiceError."""
    from .exceptions import ServiceError

    try:
        found, rows = read_table(raw, filename)
        require_header(found, header)
    except TableError as exc:
        raise ServiceError(str(exc)) from exc
    return rows
