"""Spreadsheet uploads of the employer and school pages: template download, a check that writes nothing (the
report by row and column), then the commit of the same file.

The checked file is kept in the session under its SHA-256 until it is committed, so "write these rows" writes
exactly the file that was checked (``careers.services.spreadsheets.spreadsheet_import``: all rows or none).
"""
from __future__ import annotations

import base64
import hashlib
import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import Workbook

from careers.models import Employer, Institution
from careers.services.spreadsheets import ImportOutcome, spreadsheet_import
from careers.spreadsheets.checking import check_cells, template_headers
from careers.spreadsheets.columns import COLUMNS
from careers.spreadsheets.reading import read_table
from web.forms_employer import UploadForm

SESSION_KEY = "web_upload"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def template_download(kind: str) -> HttpResponse:
    """The header row of ``kind``'s template as .xlsx, headers in the page language."""
    book = Workbook()
    book.active.append(template_headers(kind, language=get_language()))
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{kind}-template.xlsx"'
    return response


def _report(kind: str, outcome: ImportOutcome, columns: dict) -> list[dict]:
    language, aliases = get_language(), {"skills": "skills_essential"}
    rows = []
    for error in outcome.errors:
        column = columns.get(aliases.get(error.field, error.field)) if error.field else None
        rows.append({"row": error.row, "column": column.header(language) if column else "—",
                     "message": error.message})
    return rows


def _run(kind: str, data: bytes, owner: Institution | Employer | None, request: HttpRequest, *, commit: bool):
    checked = check_cells(kind, read_table(data), language=get_language())
    outcome = spreadsheet_import(kind=kind, rows=checked.rows, owner=owner, user=request.user, commit=commit,
                                 errors=checked.errors)
    return outcome, _report(kind, outcome, checked.columns)


def upload(request: HttpRequest, *, kind: str, owner, template: str, context: dict, done_url: str) -> HttpResponse:
    """GET: the form; POST ``check``: the dry run and its report; POST ``commit``: write the checked file."""
    form, report, outcome, token = UploadForm(), None, None, None
    if request.method == "POST" and request.POST.get("action") == "commit":
        kept = request.session.get(SESSION_KEY) or {}
        if kept.get("token") != request.POST.get("token") or kept.get("kind") != kind:
            messages.error(request, _("That upload is no longer waiting; check the file again."))
            return redirect(request.path)
        outcome, report = _run(kind, base64.b64decode(kept["data"]), owner, request, commit=True)
        if outcome.written:
            request.session.pop(SESSION_KEY, None)
            messages.success(request, _("Written: %(created)d new, %(updated)d updated.") % {
                "created": outcome.created, "updated": outcome.updated})
            return redirect(done_url)
    elif request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data["file"].read()
            try:
                outcome, report = _run(kind, data, owner, request, commit=False)
            except ValidationError as error:
                for message in [m for errors in error.message_dict.values() for m in errors]:
                    form.add_error("file", message)
            else:
                if not outcome.errors:
                    token = hashlib.sha256(data).hexdigest()
                    request.session[SESSION_KEY] = {"token": token, "kind": kind,
                                                    "data": base64.b64encode(data).decode()}
    columns = [{"header": c.header(get_language()), "required": c.required} for c in COLUMNS[kind]]
    status = 400 if form.errors or (outcome is not None and outcome.errors and request.POST.get("action") == "commit") \
        else 200
    return render(request, template, {**context, "form": form, "kind": kind, "report": report, "outcome": outcome,
                                      "token": token, "columns": columns}, status=status)
