"""Spreadsheets out: any list (and insight table) as CSV or XLSX, with ``?format=csv|xlsx`` or the Accept header.

The rows are the same JSON rows the list serves (same filters, same permissions), flattened: nested objects become
dotted columns (``employer.name``), lists of values are joined with ``"; "`` and lists of objects by their label /
name / uri / id. Every text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is prefixed
with ``'`` so no spreadsheet runs it as a formula (OWASP "CSV injection"). A spreadsheet holds every row, not one
page, up to :data:`EXPORT_CAP` (more is a 400 asking for narrower filters). CSV is UTF-8 with a BOM and ``;`` between
cells, as Excel set to Latvian opens it.
"""
from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer, JSONRenderer

from careers.tabular import (  # noqa: F401  (neutralise, flatten: the API's names for the shared helpers)
    CSV_TYPE, TABULAR_FORMATS, XLSX_TYPE, csv_bytes, flatten, neutralise, table_of, xlsx_bytes,
)

EXPORT_CAP = 10_000
MSG_FORMAT = _("Unknown format “%(value)s”. Allowed: %(allowed)s.")
MSG_TOO_MANY = _("A spreadsheet holds at most %(cap)s rows and this list has %(count)s: narrow the filters.")
FORMAT_PARAMETER = OpenApiParameter(
    "format", str, enum=["json", *TABULAR_FORMATS], required=False,
    description=f"`csv` or `xlsx`: every row (up to {EXPORT_CAP}, not one page) as a spreadsheet; cells that start "
                "with =, +, -, @ get a leading apostrophe. The Accept header works too.")


def _table(data: Any, view) -> tuple[list[str], list[list[Any]]]:
    """Columns and cells: the view's own ``table(data)`` if it has one, else its rows flattened."""
    if view is not None and hasattr(view, "table"):
        return view.table(data)
    rows = view.table_rows(data) if view is not None and hasattr(view, "table_rows") else data
    return table_of(rows if isinstance(rows, list) else [])


class CSVRenderer(BaseRenderer):
    media_type = CSV_TYPE
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        columns, rows = _table(data, (renderer_context or {}).get("view"))
        return csv_bytes(columns, rows)


class XLSXRenderer(BaseRenderer):
    media_type = XLSX_TYPE
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        columns, rows = _table(data, (renderer_context or {}).get("view"))
        return xlsx_bytes(columns, rows)


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
