"""Spreadsheets in, the API's half: the upload → a frame of text cells → each row checked by the same input
serializer as the JSON body (``ProgrammeWriteInputSerializer``, ``IntakeWriteInputSerializer``,
``VacancyWriteInputSerializer``) → rows and errors by row and column for ``careers.services.spreadsheets``.

An upload is a multipart form with a ``file`` (CSV or XLSX), a raw body (``Content-Type: text/csv``, the XLSX type
or ``application/octet-stream``) or a JSON array of row objects keyed by the same column names. Rows are numbered
as the spreadsheet shows them (the header is row 1); in a JSON array the first object is row 1.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import parsers, serializers
from rest_framework.exceptions import ValidationError

from api.serializers.resources_common import UriRelatedField
from api.serializers.resources_programmes import IntakeWriteInputSerializer, ProgrammeWriteInputSerializer
from api.serializers.resources_vacancies import (
    MAX_SKILLS, VacancySkillInputSerializer, VacancyWriteInputSerializer,
)
from api.tabular import CSV_TYPE, XLSX_TYPE
from careers.spreadsheets.cells import EMPTY, CellError, Lookups, cell_value, lookups_for
from careers.spreadsheets.columns import COLUMNS, Column, header_map
from careers.spreadsheets.reading import MAX_BYTES, MAX_ROWS, MSG_TOO_LARGE, read_table
from careers.services.spreadsheets import ImportRow, RowError

MAX_CODE = 64
MSG_NO_FILE = _("Send the spreadsheet: a form field “file”, a text/csv or .xlsx body, or a JSON array of rows.")
MSG_JSON_ROWS = _("A JSON upload is an array of objects, one per row.")
MSG_CODE = _("Give each row its own code (at most 64 characters).")
MSG_TOO_MANY_ROWS = _("At most %(limit)s rows in one upload.")


class ImportIntakeInputSerializer(IntakeWriteInputSerializer):
    """An intake row: the JSON body's fields, and the programme by the uploader's code or by id."""

    programme = serializers.CharField(max_length=MAX_CODE, help_text="Your programme's code, or its id.")


class RememberedLookup:
    """A related field that looks each distinct value up once per upload: the answer (the object, or the field's
    own error) is kept in the serializer context's ``lookups`` dict, shared by the rows of one file. A file of
    10,000 vacancies naming 200 skills and 30 towns asks the database 230 times, not 50,000."""

    def to_internal_value(self, data):
        memo = self.context.get("lookups")
        key = (type(self).__name__, self.queryset.model, type(data), data)
        try:
            hash(key)
        except TypeError:
            memo = None
        if memo is None:
            return super().to_internal_value(data)
        if key not in memo:
            try:
                memo[key] = (True, super().to_internal_value(data))
            except ValidationError as error:
                memo[key] = (False, error.detail)
        found, value = memo[key]
        if not found:
            raise ValidationError(value)
        return value


class RememberedUriField(RememberedLookup, UriRelatedField):
    pass


class RememberedPrimaryKeyField(RememberedLookup, serializers.PrimaryKeyRelatedField):
    pass


class ImportVacancySkillInputSerializer(VacancySkillInputSerializer):
    uri = RememberedUriField(queryset=VacancySkillInputSerializer().fields["uri"].queryset)


class ImportVacancyInputSerializer(VacancyWriteInputSerializer):
    """A vacancy row: the JSON body's fields and rules, its skills, town and occupation looked up once per file."""

    occupation = RememberedUriField(queryset=VacancyWriteInputSerializer().fields["occupation"].queryset,
                                    allow_null=True, required=False)
    town = RememberedPrimaryKeyField(queryset=VacancyWriteInputSerializer().fields["town"].queryset)
    skills = ImportVacancySkillInputSerializer(many=True, required=False, max_length=MAX_SKILLS)


SERIALIZERS = {"programmes": ProgrammeWriteInputSerializer, "intakes": ImportIntakeInputSerializer,
               "vacancies": ImportVacancyInputSerializer}


class SpreadsheetParser(parsers.BaseParser):
    """A raw spreadsheet body: the bytes, read and checked by careers.spreadsheets.reading."""

    media_type = "*/*"

    def parse(self, stream, media_type=None, parser_context=None) -> bytes:
        return stream.read() if stream is not None else b""


class CsvParser(SpreadsheetParser):
    media_type = CSV_TYPE


class XlsxParser(SpreadsheetParser):
    media_type = XLSX_TYPE


class OctetParser(SpreadsheetParser):
    media_type = "application/octet-stream"


def _refuse(message) -> ValidationError:
    return ValidationError({"file": [message]})


def _json_frame(rows: list) -> pd.DataFrame:
    if not all(isinstance(row, dict) for row in rows):
        raise _refuse(MSG_JSON_ROWS)
    if len(rows) > MAX_ROWS:
        raise _refuse(MSG_TOO_MANY_ROWS % {"limit": MAX_ROWS})
    text = [{str(k): "" if v is None else ("; ".join(map(str, v)) if isinstance(v, list) else str(v))
             for k, v in row.items()} for row in rows]
    frame = pd.DataFrame(text, dtype=object, index=range(1, len(text) + 1))
    return frame.fillna("")


def upload_frame(request) -> pd.DataFrame:
    """The uploaded table, whatever way it came (see the module docstring); a bad upload is a 400 on ``file``."""
    upload = request.FILES.get("file") if hasattr(request, "FILES") else None
    data: Any = request.data
    try:
        if upload is not None:
            if upload.size > MAX_BYTES:
                raise _refuse(MSG_TOO_LARGE % {"limit": MAX_BYTES // (1024 * 1024)})
            return read_table(upload.read())
        if isinstance(data, (bytes, bytearray)):
            return read_table(bytes(data))
        if isinstance(data, list):
            return _json_frame(data)
    except DjangoValidationError as error:
        raise ValidationError(error.message_dict) from None
    raise _refuse(MSG_NO_FILE)


# ------------------------------------------------------------------------------------------- rows
@dataclass
class CheckedUpload:
    rows: list[ImportRow]
    errors: list[RowError]
    columns: dict[str, Column]  # field → column, to name each error's column


def _body(kind: str, cells: dict[str, Any]) -> dict:
    """Cell values → the JSON body's shape (vacancy skills from the two skill columns)."""
    body = dict(cells)
    if kind == "vacancies":
        essential, optional = body.pop("skills_essential", None), body.pop("skills_optional", None)
        if essential is not None or optional is not None:
            body["skills"] = ([{"uri": uri, "essential": True} for uri in essential or ()]
                              + [{"uri": uri, "essential": False} for uri in optional or ()])
    return body


def _messages(value) -> list[str]:
    """Every message in a DRF error structure (nested lists and dicts flattened)."""
    if isinstance(value, dict):
        return [m for item in value.values() for m in _messages(item)]
    if isinstance(value, list):
        return [m for item in value for m in _messages(item)]
    return [str(value)]


def _check_row(kind: str, number: int, row: pd.Series, headers: dict[str, Column], lookups: Lookups,
               checker: serializers.Serializer) -> tuple[ImportRow | None, list[RowError]]:
    cells, errors = {}, []
    for header, column in headers.items():
        try:
            value = cell_value(column, str(row[header]), lookups)
        except CellError as error:
            errors.append(RowError(number, column.field, str(error)))
            continue
        if value is not EMPTY:
            cells[column.field] = value
    code = cells.pop("code", "")
    if not code or len(code) > MAX_CODE:
        errors.append(RowError(number, "code", str(MSG_CODE)))
    unread = {error.field for error in errors}  # a cell that could not be read is not also "required"
    try:
        validated = checker.run_validation(_body(kind, cells))
    except ValidationError as error:  # what is_valid() keeps as .errors
        for name, detail in error.detail.items():
            field = None if name == "non_field_errors" else name
            if field not in unread and not (field == "skills" and unread & {"skills_essential", "skills_optional"}):
                errors.extend(RowError(number, field, message) for message in _messages(detail))
        validated = None
    if errors:
        return None, errors
    return ImportRow(number=number, code=code, data=dict(validated)), []


def check_upload(kind: str, frame: pd.DataFrame, *, language: str) -> CheckedUpload:
    """Every row of ``frame`` checked; unknown or missing columns are a 400 on ``file`` before any row."""
    try:
        headers = header_map(kind, [str(name) for name in frame.columns], language)
    except ValueError as error:
        raise _refuse(str(error)) from None
    lookups = lookups_for(kind)
    # One serializer for every row (run_validation is what is_valid() runs): its fields are bound once, not deep-
    # copied per row; the lookups of related fields are remembered for the file (RememberedLookup).
    checker = SERIALIZERS[kind](context={"lookups": {}})
    rows, errors = [], []
    for number, row in frame.iterrows():
        checked, row_errors = _check_row(kind, int(number), row, headers, lookups, checker)
        errors.extend(row_errors)
        if checked is not None:
            rows.append(checked)
    return CheckedUpload(rows=rows, errors=errors, columns={c.field: c for c in COLUMNS[kind]})


def error_rows(errors: list[RowError], columns: dict[str, Column], *, language: str) -> list[dict]:
    """``[{row, column, field, message}]``: ``column`` is the header in the request language (null: the row)."""
    aliases = {"skills": "skills_essential"}
    out = []
    for error in errors:
        column = columns.get(aliases.get(error.field, error.field)) if error.field else None
        out.append({"row": error.row, "column": column.header(language) if column else None,
                    "field": error.field, "message": error.message})
    return out
