"""Reading an uploaded spreadsheet (CSV or XLSX) into a frame of text cells, refusing hostile files first.

* Size: at most :data:`MAX_BYTES` and :data:`MAX_ROWS` data rows.
* XLSX is a ZIP: before openpyxl opens it, every member's *declared uncompressed* size is summed and checked
  against :data:`MAX_XLSX_UNPACKED`, each member's compression ratio against :data:`MAX_RATIO` and the member count
  against :data:`MAX_MEMBERS` (a zip bomb is refused without inflating it). defusedxml is installed, so openpyxl
  parses the XML without entity expansion (billion laughs). The old binary ``.xls`` is refused with a hint.
* Formulas are refused (cell by cell): an import takes values, and a formula's cached value may be stale or absent.
* CSV: UTF-8 with or without BOM, else Windows-1257 (the Baltic code page of Latvian Excel); ``;``, ``,`` or tab
  between cells, sniffed from the header line.

Every refusal is a Django ``ValidationError`` on ``file`` (a 400), with a message in the request language.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import pandas as pd
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 100
MAX_XLSX_UNPACKED = 100 * 1024 * 1024
MAX_RATIO = 200
MAX_MEMBERS = 500
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
SEPARATORS = (";", ",", "\t")

MSG_EMPTY = _("The file is empty.")
MSG_TOO_LARGE = _("The file is larger than %(limit)s MB.")
MSG_TOO_MANY_ROWS = _("The file has more than %(limit)s rows; split it.")
MSG_TOO_MANY_COLUMNS = _("The file has more than %(limit)s columns.")
MSG_OLD_XLS = _("Old .xls workbooks are not read: save the file as .xlsx or .csv.")
MSG_BAD_XLSX = _("The file is not a readable .xlsx workbook.")
MSG_ZIP_BOMB = _("The workbook unpacks to far more than its size (a zip bomb?): refused.")
MSG_ENCRYPTED = _("The workbook is password-protected: save it without a password.")
MSG_ENCODING = _("The file is neither UTF-8 nor Windows-1257 text: save it as CSV UTF-8 or .xlsx.")
MSG_BAD_CSV = _("The CSV file cannot be read: %(detail)s")
MSG_NO_HEADER = _("The first row must hold the column names.")
MSG_DUPLICATE_HEADER = _("The column “%(name)s” appears twice.")
MSG_FORMULA = _("Row %(row)s, column “%(column)s”: formulas are not accepted; paste the values.")


def refuse(message) -> ValidationError:
    return ValidationError({"file": [message]})


def read_table(data: bytes) -> pd.DataFrame:
    """The cells of the first sheet as text (``""`` for empty), one column per header, fully empty rows dropped;
    the index is the spreadsheet row number (the header is row 1)."""
    if not data:
        raise refuse(MSG_EMPTY)
    if len(data) > MAX_BYTES:
        raise refuse(MSG_TOO_LARGE % {"limit": MAX_BYTES // (1024 * 1024)})
    if data.startswith(OLE_MAGIC):
        raise refuse(MSG_OLD_XLS)
    rows = _xlsx_rows(data) if data.startswith(ZIP_MAGIC) else _csv_rows(data)
    return _frame(rows)


# ------------------------------------------------------------------------------------------- XLSX
def check_zip(data: bytes) -> None:
    """Refuse a ZIP whose declared contents are too large, too many or too compressed (nothing is inflated)."""
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise refuse(MSG_BAD_XLSX) from None
    if len(members) > MAX_MEMBERS:
        raise refuse(MSG_ZIP_BOMB)
    if any(member.flag_bits & 0x1 for member in members):
        raise refuse(MSG_ENCRYPTED)
    if sum(member.file_size for member in members) > MAX_XLSX_UNPACKED:
        raise refuse(MSG_ZIP_BOMB)
    for member in members:
        if member.file_size > 1024 * 1024 and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise refuse(MSG_ZIP_BOMB)


def _xlsx_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_rows(data: bytes) -> list[list[str]]:
    check_zip(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        sheet = book.worksheets[0]
        rows = []
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            if number > MAX_ROWS + 1:
                raise refuse(MSG_TOO_MANY_ROWS % {"limit": MAX_ROWS})
            rows.append([_xlsx_cell(cell, number, rows) for cell in cells])
        book.close()
    except ValidationError:
        raise
    except Exception:  # openpyxl raises many kinds on a broken workbook (KeyError, XML errors, ...): all a 400
        raise refuse(MSG_BAD_XLSX) from None
    return rows


def _xlsx_cell(cell, number: int, rows: list[list[str]]) -> str:
    if getattr(cell, "data_type", None) == "f":
        header = rows[0] if rows else []
        column = getattr(cell, "column", 1) or 1
        name = header[column - 1] if 0 < column <= len(header) else str(column)
        raise refuse(MSG_FORMULA % {"row": number, "column": name})
    return _xlsx_value(cell.value)


# ------------------------------------------------------------------------------------------- CSV
def decode(data: bytes) -> str:
    """UTF-8 (a BOM is dropped), else Windows-1257."""
    for encoding in ("utf-8-sig", "cp1257"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise refuse(MSG_ENCODING)


def separator(header_line: str) -> str:
    """The separator that splits the header line into the most cells (``;`` on a tie)."""
    return max(SEPARATORS, key=lambda sep: (header_line.count(sep), -SEPARATORS.index(sep)))


def _csv_rows(data: bytes) -> list[list[str]]:
    text = decode(data)
    if "\x00" in text:
        raise refuse(MSG_ENCODING)
    header_line = text.split("\n", 1)[0]
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=separator(header_line)))
    except csv.Error as exc:
        raise refuse(MSG_BAD_CSV % {"detail": exc}) from None
    if len(rows) > MAX_ROWS + 1:
        raise refuse(MSG_TOO_MANY_ROWS % {"limit": MAX_ROWS})
    for number, row in enumerate(rows[1:], start=2):
        for column, value in enumerate(row):
            if value.lstrip().startswith("="):
                name = rows[0][column] if column < len(rows[0]) else str(column + 1)
                raise refuse(MSG_FORMULA % {"row": number, "column": name.strip()})
    return rows


# ------------------------------------------------------------------------------------------- both
def _frame(rows: list[list[str]]) -> pd.DataFrame:
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise refuse(MSG_NO_HEADER)
    header = [cell.strip() for cell in rows[0]]
    while header and not header[-1]:
        header.pop()
    if len(header) > MAX_COLUMNS:
        raise refuse(MSG_TOO_MANY_COLUMNS % {"limit": MAX_COLUMNS})
    seen = set()
    for name in header:
        if name in seen and name:
            raise refuse(MSG_DUPLICATE_HEADER % {"name": name})
        seen.add(name)
    width = len(header)
    body = [([c.strip() for c in row] + [""] * width)[:width] for row in rows[1:]]
    frame = pd.DataFrame(body, columns=header, dtype=object, index=range(2, len(body) + 2))
    keep = frame.apply(lambda row: any(row), axis=1) if len(frame) else pd.Series(dtype=bool)
    return frame[keep] if len(frame) else frame
