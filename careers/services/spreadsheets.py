"""Spreadsheet imports: every row written through the same services as a JSON body, all rows or none.

:func:`spreadsheet_import` runs the rows in one transaction, each in a savepoint, through ``programme_create`` /
``programme_update``, ``intake_create`` / ``intake_update`` and ``vacancy_create`` / ``vacancy_update`` (so the
models' ``full_clean`` and constraints apply as for a JSON body). A row whose code the owner has used before updates
that object; a new code creates one. The dry run is the same run rolled back, so it finds exactly the errors a
commit would; a commit with any error (also one found before, in the cells) is rolled back too: nothing is written.

Ownership: programmes belong to the institution the request resolved (the provider's own), vacancies to the
employer (the member's own); an intake row names its programme by code or id among the programmes the uploader
manages (``programmes_managed_by``), so no row can write into someone else's catalogue.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from careers.models import Employer, Institution, Intake, Programme, User, Vacancy
from careers.selectors.programmes import programmes_managed_by

from .programmes import intake_create, intake_update, programme_create, programme_update
from .vacancies import vacancy_create, vacancy_update

MSG_DUPLICATE_CODE = _("The code “%(code)s” is also on row %(row)s: each row needs its own code.")
MSG_UNKNOWN_PROGRAMME = _("Unknown programme “%(value)s”, or not one of your institution's.")
MSG_AMBIGUOUS_PROGRAMME = _("Several of the programmes you manage have the code “%(value)s”: give its id.")


@dataclass(frozen=True)
class ImportRow:
    """One checked row: its spreadsheet row number, the uploader's code and the JSON body's validated data."""

    number: int
    code: str
    data: dict[str, Any]


@dataclass(frozen=True)
class RowError:
    row: int
    field: str | None  # None: the row as a whole
    message: str


@dataclass
class ImportOutcome:
    rows: int = 0
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    written: bool = False


def errors_of(number: int, error: ValidationError) -> list[RowError]:
    """A Django ValidationError of one row, one RowError per field message."""
    if not hasattr(error, "error_dict"):
        return [RowError(number, None, str(message)) for message in error.messages]
    out = []
    for name, messages in error.message_dict.items():
        out.extend(RowError(number, None if name == NON_FIELD_ERRORS else name, str(m)) for m in messages)
    return out


def duplicate_codes(rows: Iterable[ImportRow], key: Callable[[ImportRow], Any] = lambda r: r.code) -> list[RowError]:
    first: dict[Any, int] = {}
    errors = []
    for row in rows:
        seen = first.setdefault(key(row), row.number)
        if seen != row.number:
            errors.append(RowError(row.number, "code", str(MSG_DUPLICATE_CODE % {"code": row.code, "row": seen})))
    return errors


# ------------------------------------------------------------------------------------------- writers
def _programme_writer(institution: Institution, rows: list[ImportRow]):
    codes = [row.code for row in rows]
    known = {p.import_code: p for p in Programme.objects.filter(institution=institution, import_code__in=codes)}

    def write(row: ImportRow) -> bool:
        data = dict(row.data)
        skills, occupations = data.pop("skills_taught", None), data.pop("leads_to", None)
        fields = {**data, "import_code": row.code}
        if row.code in known:
            programme_update(programme=known[row.code], fields=fields, skills_taught=skills, leads_to=occupations)
            return False
        known[row.code] = programme_create(institution=institution, fields=fields, skills_taught=skills or (),
                                           leads_to=occupations or ())
        return True
    return write


class ProgrammeRefs:
    """The programmes an intake row may name: by id or by code, among those the uploader manages."""

    def __init__(self, *, user: User, institution: Institution | None) -> None:
        managed = programmes_managed_by(user=user)
        if institution is not None:
            managed = managed.filter(institution=institution)
        self.by_id = {p.pk: p for p in managed.only("id", "import_code", "institution_id")}
        self.by_code: dict[str, list[Programme]] = {}
        for programme in self.by_id.values():
            if programme.import_code:
                self.by_code.setdefault(programme.import_code, []).append(programme)

    def find(self, value: str) -> Programme:
        matches = self.by_code.get(value, [])
        if len(matches) > 1:
            raise ValidationError({"programme": [MSG_AMBIGUOUS_PROGRAMME % {"value": value}]})
        if matches:
            return matches[0]
        programme = self.by_id.get(int(value)) if value.isdigit() else None
        if programme is None:
            raise ValidationError({"programme": [MSG_UNKNOWN_PROGRAMME % {"value": value}]})
        return programme


def _intake_writer(refs: ProgrammeRefs, rows: list[ImportRow]):
    known = {(i.programme_id, i.import_code): i
             for i in Intake.objects.filter(programme_id__in=list(refs.by_id), import_code__in=[r.code for r in rows])}

    def write(row: ImportRow) -> bool:
        data = dict(row.data)
        programme = refs.find(str(data.pop("programme")))
        fields = {**data, "import_code": row.code}
        existing = known.get((programme.pk, row.code))
        if existing is not None:
            intake_update(intake=existing, fields=fields)
            return False
        known[(programme.pk, row.code)] = intake_create(programme=programme, fields=fields)
        return True
    return write


def _vacancy_writer(employer: Employer, rows: list[ImportRow]):
    known = {v.import_code: v for v in Vacancy.objects.filter(employer=employer,
                                                                import_code__in=[r.code for r in rows])}

    def write(row: ImportRow) -> bool:
        data = dict(row.data)
        skills = data.pop("skills", None)
        languages = data.pop("languages", None)
        skills = None if skills is None else [(item["uri"], item.get("essential", True)) for item in skills]
        languages = None if languages is None else [(item["language"], item["level"]) for item in languages]
        fields = {**data, "import_code": row.code}
        if row.code in known:
            vacancy_update(vacancy=known[row.code], fields=fields, skills=skills, languages=languages)
            return False
        known[row.code] = vacancy_create(employer=employer, fields=fields, skills=skills or (),
                                         languages=languages or ())
        return True
    return write


# ------------------------------------------------------------------------------------------- the import
def _run(write, rows: list[ImportRow], outcome: ImportOutcome) -> None:
    # No savepoint of its own per row: each service call is atomic (a savepoint here), so a refused row leaves
    # nothing behind, and a writer checks what it may refuse (the programme of an intake) before it writes.
    for row in rows:
        try:
            created = write(row)
        except ValidationError as error:
            outcome.errors.extend(errors_of(row.number, error))
            continue
        outcome.created += created
        outcome.updated += not created


@transaction.atomic
def spreadsheet_import(*, kind: str, rows: list[ImportRow], owner: Institution | Employer | None, user: User,
                       commit: bool, errors: Iterable[RowError] = ()) -> ImportOutcome:
    """Write ``rows`` of ``kind`` for ``owner`` (the institution for programmes, the employer for vacancies; for
    intakes an institution that narrows the programmes, or None), or only try (``commit`` False).

    ``errors`` are those already found in the cells: with any, nothing is written either. Returns the counts and
    every error by row and field; ``written`` tells whether the rows were kept.
    """
    errors = list(errors)
    key = (lambda r: (str(r.data.get("programme")), r.code)) if kind == "intakes" else (lambda r: r.code)
    numbers = {row.number for row in rows} | {error.row for error in errors}
    outcome = ImportOutcome(rows=len(numbers), errors=[*errors, *duplicate_codes(rows, key)])
    if kind == "programmes":
        write = _programme_writer(owner, rows)
    elif kind == "intakes":
        write = _intake_writer(ProgrammeRefs(user=user, institution=owner), rows)
    else:
        write = _vacancy_writer(owner, rows)
    bad = {error.row for error in outcome.errors}
    _run(write, [row for row in rows if row.number not in bad], outcome)
    outcome.errors.sort(key=lambda e: (e.row, e.field or ""))
    outcome.written = commit and not outcome.errors
    if not outcome.written:
        transaction.set_rollback(True)
    return outcome
