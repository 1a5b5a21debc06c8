"""Spreadsheets out: any list (and insight table) as CSV or XLSX, with ``?format=csv|xlsx`` or the Accept header.

The rows are the same JSON rows the list serves (same filters, same permissions), flattened: nested objects become
dotted columns (``employer.name``), lists of values are joined with ``"; "`` and lists of objects by their label /
name / uri / id. Every text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is prefixed
with ``'`` so no spreadsheet runs it as a formula (OWASP "CSV injection"). A spreadsheet holds every row, not one
page, up to :data:`EXPORT_CAP` (more is a 400 asking for narrower filters). CSV is UTF-8 with a BOM and ``;`` between
cells, as Excel set to Latvian opens it.
"""
from __future__ import annotations

import csv
import io
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from openpyxl import Workbook
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer, JSONRenderer

EXPORT_CAP = 10_000
CSV_TYPE = "text/csv"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TABULAR_FORMATS = ("csv", "xlsx")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LABEL_KEYS = ("label", "name", "uri", "title", "id")
MSG_FORMAT = _("Unknown format “%(value)s”. Allowed: %(allowed)s.")
MSG_TOO_MANY = _("A spreadsheet holds at most %(cap)s rows and this list has %(count)s: narrow the filters.")
FORMAT_PARAMETER = OpenApiParameter(
    "format", str, enum=["json", *TABULAR_FORMATS], required=False,
    description=f"`csv` or `xlsx`: every row (up to {EXPORT_CAP}, not one page) as a spreadsheet; cells that start "
                "with =, +, -, @ get a leading apostrophe. The Accept header works too.")


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
    """One JSON row as one flat spreadsheet row (see the module docstring)."""
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


def _table(data: Any, view) -> tuple[list[str], list[list[Any]]]:
    """Columns and cells: the view's own ``table(data)`` if it has one, else its rows flattened."""
    if view is not None and hasattr(view, "table"):
        return view.table(data)
    rows = view.table_rows(data) if view is not None and hasattr(view, "table_rows") else data
    return table_of(rows if isinstance(rows, list) else [])


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


class CSVRenderer(BaseRenderer):
    media_type = CSV_TYPE
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        columns, rows = _table(data, (renderer_context or {}).get("view"))
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow(columns)
        writer.writerows([[_cell(v) for v in row] for row in rows])
        return ("\ufeff" + out.getvalue()).encode("utf-8")


class XLSXRenderer(BaseRenderer):
    media_type = XLSX_TYPE
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        columns, rows = _table(data, (renderer_context or {}).get("view"))
        book = Workbook(write_only=True)
        sheet = book.create_sheet("data")
        sheet.append(columns)
        for row in rows:
            sheet.append([None if v is None else v for v in row])
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()


def tabular_responses(json_response) -> dict:
    """``extend_schema(responses=...)`` for an operation that also answers CSV and XLSX."""
    return {(200, "application/json"): json_response,
            (200, CSV_TYPE): OpenApiResponse(OpenApiTypes.STR, description="The rows as CSV (UTF-8, `;`)."),
            (200, XLSX_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="The rows as an XLSX workbook.")}


class TabularNegotiation(DefaultContentNegotiation):
    """DRF's negotiation, but an unknown ``?format=`` is a 400 naming the field (DRF answers 404)."""

    def filter_renderers(self, renderers, format):
        found = [renderer for renderer in renderers if renderer.format == format]
        if not found:
            allowed = ", ".join(sorted({renderer.format for renderer in renderers}))
            raise ValidationError({"format": [MSG_FORMAT % {"value": str(format)[:20], "allowed": allowed}]})
        return found


class TabularMixin:
    """A view whose answer may be a spreadsheet: adds the renderers, names the download, answers errors in JSON.

    ``export_name`` names the file; ``tabular_rows`` the key of the rows when the answer is an object (or override
    :meth:`table_rows`).
    """

    export_name = "export"
    tabular_rows = "rows"
    content_negotiation_class = TabularNegotiation

    def table_rows(self, data: Any) -> list[dict]:
        """The rows of the spreadsheet: the list itself, or the answer's ``tabular_rows``."""
        if isinstance(data, list):
            return data
        return list(data.get(self.tabular_rows, [])) if isinstance(data, dict) else []

    def get_renderers(self):
        return [*super().get_renderers(), CSVRenderer(), XLSXRenderer()]

    def wants_table(self) -> bool:
        renderer = getattr(self.request, "accepted_renderer", None)
        return getattr(renderer, "format", None) in TABULAR_FORMATS

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if not self.wants_table():
            return response
        # An error stays the JSON envelope whatever was asked for, and so do OPTIONS and writes: only a read is a
        # spreadsheet.
        if response.status_code >= 400 or request.method not in ("GET", "HEAD"):
            response.accepted_renderer, response.accepted_media_type = JSONRenderer(), "application/json"
        else:
            fmt = request.accepted_renderer.format
            response["Content-Disposition"] = f'attachment; filename="{self.export_name}.{fmt}"'
        return response


class TabularListMixin(TabularMixin):
    """For a paginated list: a spreadsheet holds every row (up to :data:`EXPORT_CAP`) instead of one page."""

    def paginate_queryset(self, queryset):
        if not self.wants_table():
            return super().paginate_queryset(queryset)
        count = queryset.count() if hasattr(queryset, "count") and not isinstance(queryset, list) else len(queryset)
        if count > EXPORT_CAP:
            raise ValidationError({"format": [MSG_TOO_MANY % {"cap": EXPORT_CAP, "count": count}]})
        return None
