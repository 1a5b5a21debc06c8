"""Tables as spreadsheets: rows of plain values flattened into columns, written as CSV or XLSX.

Both front doors export through here (the API's ``?format=csv|xlsx`` renderers, the site's download links), so a
download is the same file whichever door gave it. Nested objects become dotted columns (``employer.name``), lists of
values are joined with ``"; "`` and lists of objects by their label / name / uri / id. Every text cell that starts
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is prefixed with ``'`` so no spreadsheet runs it as a
formula (OWASP "CSV injection"). CSV is UTF-8 with a BOM and ``;`` between cells, as Excel set to Latvian opens it.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook

CSV_TYPE = "text/csv"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TABULAR_FORMATS = ("csv", "xlsx")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LABEL_KEYS = ("label", "name", "uri", "title", "id")


def neutralise(value: Any) -> Any:
    """A text cell a spreadsheet would read as a formula, prefixed with ``'``; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _label(item: Any) -> str:
    if isinstance(item, dict):
        return next((str(item[key]) for key in LABEL_KEYS if item.get(key) not in (None, "")), "")
    return "" if item is None else str(item)


def flatten(row: dict, prefix: str = "") -> dict[str, Any]:
    """One nested row as one flat spreadsheet row (see the module docstring)."""
    flat: dict[str, Any] = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, prefix=f"{name}."))
        elif isinstance(value, list):
            flat[name] = "; ".join(_label(item) for item in value)
        else:
            flat[name] = value
    return flat


def table_of(rows: list[dict]) -> tuple[list[str], list[list[Any]]]:
    """Columns (in first-seen order) and neutralised cell values."""
    flat = [flatten(row) for row in rows]
    columns: dict[str, None] = {}
    for row in flat:
        columns.update(dict.fromkeys(row))
    return list(columns), [[neutralise(row.get(column)) for column in columns] for row in flat]


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def csv_bytes(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    """The table as CSV: UTF-8 with a BOM, ``;`` between cells, CRLF line ends; cells neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise(c) for c in columns])
    writer.writerows([[_cell(neutralise(v)) for v in row] for row in rows])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(columns: Sequence[str], rows: Sequence[Sequence[Any]], *, sheet: str = "data") -> bytes:
    """The table as an XLSX workbook of one sheet; cells neutralised."""
    book = Workbook(write_only=True)
    page = book.create_sheet(sheet[:31])
    page.append([neutralise(c) for c in columns])
    for row in rows:
        page.append([None if v is None else neutralise(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
