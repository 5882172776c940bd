"""Reading uploaded tables: CSV in UTF-8 (with or without BOM) or GB18030, and xlsx via python-calamine.

Every reader returns the header and the data rows as strings, each row with its 1-based line number in the
file, so errors can name 第N行 exactly as the user sees it in Excel or WPS.
"""

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext


class TableError(ValueError):
    """The file as a whole cannot be read (encoding, header, size)."""


class RowErrors:
    """All problems found in a file, reported at once as 第N行 列名：problem, in the order of the file's rows."""

    def __init__(self):
        self._entries: list[tuple[int, int, str]] = []
        self._said: set[tuple[int, str]] = set()

    def add(self, line: int, column: str, problem: str) -> None:
        """One problem of a line; the same problem found twice (by two checks) is reported once."""
        text = gettext("第{line}行 {column}：{problem}").format(line=line, column=column, problem=problem)
        if (line, text) not in self._said:
            self._said.add((line, text))
            self._entries.append((line, len(self._entries), text))

    @property
    def messages(self) -> list[str]:
        return [text for _, _, text in sorted(self._entries)]

    def __bool__(self) -> bool:
        return bool(self._entries)


def decode_text(raw: bytes) -> str:
    """UTF-8 (a BOM is dropped) or, failing that, GB18030 — what Excel and WPS save on Chinese Windows."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return raw.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise TableError(gettext("文件编码无法识别：请另存为 UTF-8 或 GB18030 编码的 CSV")) from exc


def _limit_mb() -> int:
    return settings.IMPORT_MAX_MB


def check_size(raw: bytes) -> None:
    if len(raw) > _limit_mb() * 1024 * 1024:
        raise TableError(gettext("文件过大：不能超过 {limit} MB").format(limit=_limit_mb()))


def read_csv_rows(raw: bytes) -> list[tuple[int, list[str]]]:
    """Every non-blank row of a CSV file with its line number."""
    check_size(raw)
    reader = csv.reader(io.StringIO(decode_text(raw), newline=""))
    rows = [(reader.line_num, [cell.strip() for cell in row]) for row in reader]
    return [(n, row) for n, row in rows if any(row)]


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
DIMENSION = re.compile(rb'<dimension ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


def _column_number(letters: bytes) -> int:
    number = 0
    for char in letters.decode():
        number = number * 26 + ord(char) - 64
    return number


def check_xlsx(raw: bytes) -> None:
    """Refuse, before reading a single cell, what would hurt: encrypted or legacy files, zip bombs, and sheets that
    declare more cells than IMPORT_MAX_CELLS (a sparse sheet declaring A1:XFD1048576 would exhaust memory)."""
    check_size(raw)
    if raw.startswith(OLE_MAGIC):
        raise TableError(
            gettext("文件设置了打开密码，或是旧的 .xls 格式：请在 Excel 或 WPS 中取消密码，另存为 .xlsx 后再上传")
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        members = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise TableError(gettext("无法读取 Excel 文件：请确认是 .xlsx 格式且未损坏")) from exc
    unpacked = sum(m.file_size for m in members)
    if unpacked > settings.IMPORT_MAX_UNPACKED_MB * 1024 * 1024:
        raise TableError(gettext("文件解压后过大（{mb} MB），拒绝读取").format(mb=unpacked // 1048576))
    for member in members:
        if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
            with archive.open(member) as sheet:
                head = sheet.read(4096)
            found = DIMENSION.search(head)
            if found and found.group(3):
                rows = int(found.group(4)) - int(found.group(2)) + 1
                cols = _column_number(found.group(3)) - _column_number(found.group(1)) + 1
                if rows * cols > settings.IMPORT_MAX_CELLS:
                    raise TableError(
                        gettext("工作表声明了 {cells} 个单元格，超过上限 {limit}：请删除多余的空行空列后另存").format(
                            cells=rows * cols, limit=settings.IMPORT_MAX_CELLS
                        )
                    )


class Rows:
    """The non-blank rows of a file, read lazily, and how many rows the file says it has (for progress bars)."""

    def __init__(self, rows: Iterator[tuple[int, list]], total: int):
        self._rows, self.total = rows, total

    def __iter__(self) -> Iterator[tuple[int, list]]:
        return self._rows


def iter_xlsx_rows(raw: bytes) -> Rows:
    """The non-blank rows of the first sheet with their row numbers, read lazily (a million-row sheet is never
    held as Python objects all at once); cells keep their types (numbers, dates)."""
    from python_calamine import CalamineWorkbook

    check_xlsx(raw)  # before anything is read, and at once (not on the first row asked for)
    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(raw)).get_sheet_by_index(0)
        rows = sheet.iter_rows()
    except Exception as exc:  # calamine raises several error types for damaged files
        raise TableError(gettext("无法读取 Excel 文件：请确认是 .xlsx 格式且未损坏")) from exc
    numbered = ((n, row) for n, row in enumerate(rows, 1) if _filled(row))
    return Rows(numbered, sheet.height)


def _filled(row: list) -> bool:
    """Whether a row holds anything but empty cells and spaces."""
    for cell in row:
        if cell is not None and cell != "" and (type(cell) is not str or cell.strip()):
            return True
    return False


def iter_rows(raw: bytes, filename: str) -> Rows:
    """The non-blank rows of an uploaded .xlsx or .csv file; file-level problems raise TableError at once."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".xlsx":
        return iter_xlsx_rows(raw)
    if suffix in (".csv", ".txt"):
        rows = read_csv_rows(raw)
        return Rows(iter(rows), len(rows))
    raise TableError(gettext("不支持的文件类型“{suffix}”：请上传 .csv 或 .xlsx 文件").format(suffix=suffix))


def read_rows(raw: bytes, filename: str) -> list[tuple[int, list]]:
    return list(iter_rows(raw, filename))


def cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return str(value).strip()


def read_table(raw: bytes, filename: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The first non-blank row as the header and the rest as text, for simple fixed-header tables."""
    rows = [(n, [cell_text(c) for c in row]) for n, row in read_rows(raw, filename)]
    if not rows:
        raise TableError(gettext("文件是空的：第一行应为表头"))
    return rows[0][1], rows[1:]


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
