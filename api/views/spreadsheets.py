"""Spreadsheets in (issue 13): templates, dry runs and commits of programmes, intakes and vacancies.

Provider staff import their institution's programmes and intakes, employer members their employer's vacancies,
staff either (naming the institution or employer); everyone else 403, no token 401. A dry run checks every row and
writes nothing; a commit writes every row or, with any error, none (400 with the errors by row and column). Rows
are matched by the uploader's own ``code``: a new code creates, a known one updates, so a commit can be repeated.
"""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.exceptions import error_body
from api.imports import CsvParser, OctetParser, XlsxParser, check_upload, error_rows, upload_frame
from api.parsers import JSONParser
from api.permissions import IsEmployerMemberOrAdmin, IsProviderStaffOrAdmin
from api.serializers.resources_common import request_language
from api.serializers.spreadsheets import (
    ImportOutputSerializer, ImportQuerySerializer, TemplateOutputSerializer, TemplateQuerySerializer,
    UploadFormSerializer,
)
from api.tabular import CSV_TYPE, FORMAT_PARAMETER, XLSX_TYPE, TabularMixin, tabular_responses
from careers.selectors import employer_for_new_vacancy, institution_for_new_programme
from careers.selectors.programmes import institution_of
from careers.services.spreadsheets import spreadsheet_import
from careers.spreadsheets.cells import CHOICES
from careers.spreadsheets.columns import CELL_HELP, COLUMNS

TAG = ["spreadsheets"]
MSG_NOT_WRITTEN = _("%(count)s errors: nothing was written. Correct the rows and send the file again.")
UPLOAD = {
    "multipart/form-data": UploadFormSerializer,
    CSV_TYPE: OpenApiTypes.BINARY,
    XLSX_TYPE: OpenApiTypes.BINARY,
    "application/json": {"type": "array", "items": {"type": "object", "additionalProperties": True},
                         "description": "One object per row, keyed by the template's column names."},
}
PERMISSIONS = {"programmes": IsProviderStaffOrAdmin, "intakes": IsProviderStaffOrAdmin,
               "vacancies": IsEmployerMemberOrAdmin}


def _owner(kind: str, request: Request):
    query = ImportQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    data = query.validated_data
    if kind == "programmes":
        return institution_for_new_programme(user=request.user, institution_id=data.get("institution"))
    if kind == "vacancies":
        return employer_for_new_vacancy(user=request.user, employer_id=data.get("employer"))
    if data.get("institution") is None:
        return institution_of(request.user)
    return institution_for_new_programme(user=request.user, institution_id=data["institution"])


def _help(column) -> str:
    text = str(CELL_HELP[column.cell])
    if column.cell == "choice":
        text += ": " + ", ".join(str(value) for value in CHOICES[column.choices].values)
    return text


class TemplateApi(TabularMixin, APIView):
    kind = "programmes"

    def get_permissions(self):
        return [PERMISSIONS[self.kind]()]

    @property
    def export_name(self) -> str:
        return f"{self.kind}-template"

    def table(self, data: dict):
        """The template: the header row only."""
        return [column["header"] for column in data.get("columns", [])], []

    def get(self, request: Request) -> Response:
        query = TemplateQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        language = query.validated_data.get("lang") or request_language()
        columns = [{"header": c.header(language), "header_lv": c.lv, "header_en": c.en, "field": c.field,
                    "required": c.required, "format": _help(c)} for c in COLUMNS[self.kind]]
        return Response(TemplateOutputSerializer({"kind": self.kind, "language": language,
                                                  "columns": columns}).data)


class ImportApi(APIView):
    kind = "programmes"
    commit = False
    parser_classes = [MultiPartParser, CsvParser, XlsxParser, OctetParser, JSONParser]

    def get_permissions(self):
        return [PERMISSIONS[self.kind]()]

    def post(self, request: Request) -> Response:
        owner = _owner(self.kind, request)
        language = request_language()
        checked = check_upload(self.kind, upload_frame(request), language=language)
        outcome = spreadsheet_import(kind=self.kind, rows=checked.rows, owner=owner, user=request.user,
                                     commit=self.commit, errors=checked.errors)
        errors = error_rows(outcome.errors, checked.columns, language=language)
        if self.commit and errors:  # the envelope, with the rows' errors as they are (row numbers stay numbers)
            return Response(error_body(code="invalid", message=MSG_NOT_WRITTEN % {"count": len(errors)},
                                       fields={"rows": errors}), status=400)
        return Response(ImportOutputSerializer({
            "kind": self.kind, "dry_run": not self.commit, "rows": outcome.rows, "created": outcome.created,
            "updated": outcome.updated, "written": outcome.written, "errors": errors}).data)


def _template_view(kind: str) -> type[TemplateApi]:
    class View(TemplateApi):
        @extend_schema(
            tags=TAG, summary=f"The upload template for {kind} (Latvian or English headers)",
            description="`format=csv` or `xlsx` downloads the header row; JSON lists each column, whether it is "
                        "required and what to write in it. Headers are accepted in Latvian or English.",
            parameters=[TemplateQuerySerializer, FORMAT_PARAMETER],
            responses=tabular_responses(TemplateOutputSerializer))
        def get(self, request: Request) -> Response:
            return super().get(request)

    View.kind, View.__name__, View.__qualname__ = kind, f"{kind.title()}TemplateApi", f"{kind.title()}TemplateApi"
    return View


COMMIT_TEXT = ("Write every row, or with any error none (400 with the errors by row and column in `fields.rows`); "
               "rows are matched by your `code`, so sending the same file again changes nothing.")
DRY_RUN_TEXT = ("Check every row and write nothing: the errors by row and column, and how many rows would be "
                "created or updated.")
UPLOAD_TEXT = (" Send CSV (UTF-8 with or without BOM, or Windows-1257; `;` or `,`; dates as dd.mm.yyyy) or XLSX "
               "(values, no formulas) as the form field `file` or as the body, or a JSON array of rows; at most "
               "5 MB and 20,000 rows.")


def _import_view(kind: str, commit: bool) -> type[ImportApi]:
    class View(ImportApi):
        @extend_schema(
            tags=TAG, summary=f"{'Import' if commit else 'Dry run of an import of'} {kind} from a spreadsheet",
            description=(COMMIT_TEXT if commit else DRY_RUN_TEXT) + UPLOAD_TEXT,
            parameters=[ImportQuerySerializer], request=UPLOAD, responses={200: ImportOutputSerializer})
        def post(self, request: Request) -> Response:
            return super().post(request)

    name = f"{kind.title()}{'Commit' if commit else 'DryRun'}Api"
    View.kind, View.commit, View.__name__, View.__qualname__ = kind, commit, name, name
    return View


VIEWS = {f"{kind}-{step}": (_template_view(kind) if step == "template" else _import_view(kind, step == "commit"))
         for kind in ("programmes", "intakes", "vacancies") for step in ("template", "dry-run", "commit")}
