"""Spreadsheet imports: every row checked by the same rules as a JSON body, all rows written or none.

:func:`spreadsheet_import` runs in one transaction. A row whose code the owner has used before updates that object;
a new code creates one.

* **Programmes** go row by row through ``programme_create`` / ``programme_update`` (each atomic; their many-to-many
  skills and occupations are set by the services), so the models' ``full_clean`` applies as for a JSON body; the
  dry run is the same run rolled back.
* **Intakes and vacancies** (the files with thousands of rows) are checked as a whole: each row becomes the model
  instance ``intake_create`` / ``vacancy_create`` (or ``…_update``) would save, and
  :func:`careers.services.bulk_clean.bulk_full_clean` gives each the error its ``full_clean`` would give, with every
  constraint checked once per file instead of one query per constraint per row. The dry run stops there; a commit
  with no error writes them with ``bulk_create`` / ``bulk_update`` (vacancies' skills and languages too, and
  ``updated_at`` set as the services' ``save()`` sets it, so the match index sees the change). No signal listens to
  these models, so nothing a service's ``save()`` would trigger is skipped.

A commit with any error (also one found before, in the cells) writes nothing.

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
from django.db.models import Model, UniqueConstraint
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from careers.models import Employer, Institution, Intake, Programme, User, Vacancy, VacancyLanguage, VacancySkill
from careers.selectors.programmes import programmes_managed_by

from .bulk_clean import bulk_full_clean
from .programmes import INTAKE_FIELDS, programme_create, programme_update
from .vacancies import EDITABLE_FIELDS, MSG_CLOSED

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


# ------------------------------------------------------------------------------------------- intakes, vacancies
@dataclass
class Pending:
    """A row turned into the instance its service would save (not saved yet)."""

    row: ImportRow
    instance: Model
    created: bool
    key_moved: bool = False  # an update changing a unique key: written alone, in file order
    extra: dict[str, Any] = field(default_factory=dict)


def _unique_attnames(model) -> list[str]:
    names = {name for c in model._meta.constraints if isinstance(c, UniqueConstraint) for name in c.fields}
    return [model._meta.get_field(name).attname for name in sorted(names)]


def _update(instance: Model, fields: dict[str, Any], names: tuple[str, ...]) -> bool:
    """Set ``fields`` (of ``names``) on an existing instance; True when a unique key's value changes."""
    keys = _unique_attnames(type(instance))
    before = [getattr(instance, name) for name in keys]
    for name in names:
        if name in fields:
            setattr(instance, name, fields[name])
    return before != [getattr(instance, name) for name in keys]


def _pending_intakes(refs: ProgrammeRefs, rows: list[ImportRow], outcome: ImportOutcome) -> list[Pending]:
    known = {(i.programme_id, i.import_code): i for i in Intake.objects.select_for_update().filter(
        programme_id__in=list(refs.by_id), import_code__in=[r.code for r in rows])}
    pending = []
    for row in rows:
        data = dict(row.data)
        try:
            programme = refs.find(str(data.pop("programme")))
        except ValidationError as error:
            outcome.errors.extend(errors_of(row.number, error))
            continue
        fields = {**data, "import_code": row.code}
        existing = known.get((programme.pk, row.code))
        if existing is None:
            intake = Intake(programme=programme, **{k: fields[k] for k in INTAKE_FIELDS if k in fields})
            pending.append(Pending(row, intake, True))
        else:
            pending.append(Pending(row, existing, False, _update(existing, fields, INTAKE_FIELDS)))
    return pending


def _pending_vacancies(employer: Employer, rows: list[ImportRow], outcome: ImportOutcome) -> list[Pending]:
    known = {v.import_code: v for v in Vacancy.objects.select_for_update().filter(
        employer=employer, import_code__in=[r.code for r in rows])}
    pending = []
    for row in rows:
        data = dict(row.data)
        skills, languages = data.pop("skills", None), data.pop("languages", None)
        extra = {"skills": None if skills is None else [(item["uri"], item.get("essential", True)) for item in skills],
                 "languages": None if languages is None else [(item["language"], item["level"])
                                                              for item in languages]}
        fields = {**data, "import_code": row.code}
        existing = known.get(row.code)
        if existing is None:
            vacancy = Vacancy(employer=employer, status=Vacancy.Status.DRAFT,
                              **{k: fields[k] for k in EDITABLE_FIELDS if k in fields})
            pending.append(Pending(row, vacancy, True, extra=extra))
        elif existing.status == Vacancy.Status.CLOSED:  # as vacancy_update refuses it, before any other check
            outcome.errors.extend(errors_of(row.number, ValidationError({"status": [MSG_CLOSED]})))
        else:
            pending.append(Pending(row, existing, False, _update(existing, fields, EDITABLE_FIELDS), extra))
    return pending


def _checked(pending: list[Pending], outcome: ImportOutcome, *, resolved: set[str]) -> list[Pending]:
    clean = []
    errors = bulk_full_clean([p.instance for p in pending], resolved=resolved, name_fields=True)
    for item, error in zip(pending, errors):
        if error is not None:
            outcome.errors.extend(errors_of(item.row.number, error))
            continue
        clean.append(item)
        outcome.created += item.created
        outcome.updated += not item.created
    return clean


def _write(model, pending: list[Pending], names: tuple[str, ...]) -> None:
    """Updates first (those moving a unique key one by one, in file order), then the new rows."""
    columns = [model._meta.get_field(name).name for name in names]
    if any(f.name == "updated_at" for f in model._meta.concrete_fields):
        now = timezone.now()
        for item in pending:
            item.instance.updated_at = now  # what save() sets (auto_now); bulk_update does not
        columns.append("updated_at")
    for item in pending:
        if not item.created and item.key_moved:
            item.instance.save(update_fields=columns)
    model.objects.bulk_update([p.instance for p in pending if not p.created and not p.key_moved], columns,
                              batch_size=500)
    model.objects.bulk_create([p.instance for p in pending if p.created], batch_size=500)


def _write_vacancy_links(pending: list[Pending]) -> None:
    """As ``vacancy_create`` / ``vacancy_update``: the given lists replace the vacancy's skills and languages."""
    for name, model, make in (
            ("skills", VacancySkill, lambda v, s, e: VacancySkill(vacancy=v, skill=s, essential=e)),
            ("languages", VacancyLanguage, lambda v, c, lv: VacancyLanguage(vacancy=v, language=c, level=lv))):
        replaced = [p.instance.pk for p in pending if not p.created and p.extra[name] is not None]
        for start in range(0, len(replaced), 500):
            model.objects.filter(vacancy_id__in=replaced[start:start + 500]).delete()
        model.objects.bulk_create([make(p.instance, *pair) for p in pending for pair in (p.extra[name] or ())],
                                  batch_size=1000)


# ------------------------------------------------------------------------------------------- the import
def _run(write, rows: list[ImportRow], outcome: ImportOutcome) -> None:
    # No savepoint of its own per row: each service call is atomic (a savepoint here), so a refused row leaves
    # nothing behind.
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
    bad = {error.row for error in outcome.errors}
    rows = [row for row in rows if row.number not in bad]
    if kind == "programmes":
        _run(_programme_writer(owner, rows), rows, outcome)
    elif kind == "intakes":
        clean = _checked(_pending_intakes(ProgrammeRefs(user=user, institution=owner), rows, outcome), outcome,
                         resolved={"programme"})
        if commit and not outcome.errors:
            _write(Intake, clean, INTAKE_FIELDS)
    else:
        clean = _checked(_pending_vacancies(owner, rows, outcome), outcome,
                         resolved={"employer", "town", "occupation"})
        if commit and not outcome.errors:
            _write(Vacancy, clean, EDITABLE_FIELDS)
            _write_vacancy_links(clean)
    outcome.errors.sort(key=lambda e: (e.row, e.field or ""))
    outcome.written = commit and not outcome.errors
    if not outcome.written:
        transaction.set_rollback(True)
    return outcome
