"""Spreadsheets in, the web site's half: an uploaded table → rows in the shape the import writers take, and the
errors of the cells by row and column.

The API checks each row with its JSON input serializer (``api.imports``); the web site may not import the API, so
here the cells are read by the same readers (:func:`careers.spreadsheets.cells.cell_value`), required columns are
checked, and names are resolved to the objects the services take; every other rule is the models' own
(``full_clean`` and the constraints), which :func:`careers.services.spreadsheets.spreadsheet_import` applies to
each row in its dry run as in a commit.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pandas as pd
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from careers.models import Occupation, Skill, Town
from careers.services.spreadsheets import ImportRow, RowError
from careers.spreadsheets.cells import EMPTY, CellError, Lookups, cell_value, lookups_for
from careers.spreadsheets.columns import COLUMNS, Column, header_map

MAX_CODE = 64
MSG_REQUIRED = _("This cell is required.")
MSG_CODE = _("Give each row its own code (at most 64 characters).")
MSG_SALARY_RANGE = _("The salary “to” is lower than the salary “from”.")


@dataclass
class CheckedCells:
    rows: list[ImportRow]
    errors: list[RowError]
    columns: dict[str, Column]  # field → column, to name each error's column


class _Resolver:
    """URIs and town ids → model objects, read once per upload."""

    def __init__(self) -> None:
        self.skills: dict[str, Skill] = {}
        self.occupations: dict[str, Occupation] = {}
        self.towns = Town.objects.in_bulk()

    def concepts(self, model, cache: dict, uris: list[str]) -> list:
        missing = [u for u in uris if u not in cache]
        if missing:
            cache.update(model.objects.filter(uri__in=missing).in_bulk(field_name="uri"))
        return [cache[u] for u in uris if u in cache]


def _shape(kind: str, cells: dict[str, Any], resolver: _Resolver) -> dict[str, Any]:
    data = dict(cells)
    for name in ("start_date", "application_deadline", "expires_at"):
        if name in data:
            data[name] = dt.date.fromisoformat(data[name])
    if "cost_eur" in data:
        data["cost_eur"] = Decimal(data["cost_eur"])
    if kind == "programmes":
        if "skills_taught" in data:
            data["skills_taught"] = resolver.concepts(Skill, resolver.skills, data["skills_taught"])
        if "leads_to" in data:
            data["leads_to"] = resolver.concepts(Occupation, resolver.occupations, data["leads_to"])
    if kind == "vacancies":
        data["town"] = resolver.towns.get(data["town"]) if "town" in data else None
        if "occupation" in data:
            data["occupation"] = next(iter(resolver.concepts(Occupation, resolver.occupations, [data["occupation"]])),
                                      None)
        essential, optional = data.pop("skills_essential", None), data.pop("skills_optional", None)
        if essential is not None or optional is not None:
            data["skills"] = (
                [{"uri": s, "essential": True} for s in resolver.concepts(Skill, resolver.skills, essential or [])]
                + [{"uri": s, "essential": False} for s in resolver.concepts(Skill, resolver.skills, optional or [])])
    return data


def _check_row(kind: str, number: int, row: pd.Series, headers: dict[str, Column], lookups: Lookups,
               resolver: _Resolver) -> tuple[ImportRow | None, list[RowError]]:
    cells, errors = {}, []
    for header, column in headers.items():
        try:
            value = cell_value(column, str(row[header]), lookups)
        except CellError as error:
            errors.append(RowError(number, column.field, str(error)))
            continue
        if value is EMPTY:
            if column.required and column.field != "code":
                errors.append(RowError(number, column.field, str(MSG_REQUIRED)))
        else:
            cells[column.field] = value
    code = cells.pop("code", "")
    if not code or len(code) > MAX_CODE:
        errors.append(RowError(number, "code", str(MSG_CODE)))
    if kind == "vacancies" and isinstance(cells.get("salary_min"), int) and isinstance(cells.get("salary_max"), int) \
            and cells["salary_min"] > cells["salary_max"]:
        errors.append(RowError(number, "salary_max", str(MSG_SALARY_RANGE)))
    if errors:
        return None, errors
    return ImportRow(number=number, code=code, data=_shape(kind, cells, resolver)), []


def check_cells(kind: str, frame: pd.DataFrame, *, language: str) -> CheckedCells:
    """Every row of ``frame`` read; unknown or missing columns are a ValidationError on ``file`` before any row."""
    try:
        headers = header_map(kind, [str(name) for name in frame.columns], language)
    except ValueError as error:
        raise ValidationError({"file": [str(error)]}) from None
    lookups, resolver = lookups_for(kind), _Resolver()
    rows, errors = [], []
    for number, row in frame.iterrows():
        checked, row_errors = _check_row(kind, int(number), row, headers, lookups, resolver)
        errors.extend(row_errors)
        if checked is not None:
            rows.append(checked)
    return CheckedCells(rows=rows, errors=errors, columns={c.field: c for c in COLUMNS[kind]})


def template_headers(kind: str, *, language: str) -> list[str]:
    """The header row of ``kind``'s upload template in ``language``."""
    return [column.header(language) for column in COLUMNS[kind]]
