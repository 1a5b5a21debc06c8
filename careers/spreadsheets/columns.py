"""The columns of the three upload templates (programmes, intakes, vacancies), with Latvian and English headers.

A column names the field of the JSON body it fills (the API's input serializer checks it, so a spreadsheet row
and a JSON body obey the same rules) and the kind of cell it holds (how :mod:`careers.spreadsheets.cells` turns
what Latvians write into that field's value). ``code`` is the uploader's own code for the row: an import creates
the rows whose code is new and updates those whose code it has seen before.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from careers.folding import fold

KINDS = ("programmes", "intakes", "vacancies")


@dataclass(frozen=True)
class Column:
    field: str
    lv: str
    en: str
    cell: str  # text, int, decimal, date, bool, choice, languages, concepts, concept, town, cefr, programme
    required: bool = False
    choices: str = ""  # the choices' name in careers.spreadsheets.cells.CHOICES (cell "choice")

    def header(self, language: str) -> str:
        return self.en if language == "en" else self.lv


CODE = Column("code", "kods", "code", "text", required=True)
PROGRAMME_COLUMNS = (
    CODE,
    Column("name_lv", "nosaukums latviski", "name in Latvian", "text", required=True),
    Column("name_en", "nosaukums angliski", "name in English", "text", required=True),
    Column("description_lv", "apraksts latviski", "description in Latvian", "text"),
    Column("description_en", "apraksts angliski", "description in English", "text"),
    Column("kind", "veids", "kind", "choice", required=True, choices="programme_kind"),
    Column("eqf_level", "EKI līmenis", "EQF level", "int", required=True),
    Column("duration_months", "ilgums mēnešos", "duration in months", "int", required=True),
    Column("languages", "mācību valodas", "languages of instruction", "languages", required=True),
    Column("mode", "mācību forma", "mode", "choice", required=True, choices="programme_mode"),
    Column("cost_eur", "maksa EUR", "cost EUR", "decimal"),
    Column("cost_period", "maksas periods", "cost period", "choice", choices="cost_period"),
    Column("state_funded_places", "valsts budžeta vietas", "state-funded places", "bool"),
    Column("voucher_eligible", "NVA apmācību kupons", "training voucher", "bool"),
    Column("adult_learning_cofinanced", "pieaugušo izglītības līdzfinansējums", "adult-learning co-financing", "bool"),
    Column("min_education", "minimālā izglītība", "minimum education", "choice", choices="education"),
    Column("is_active", "aktīva", "active", "bool"),
    Column("skills_taught", "apgūstamās prasmes", "skills taught", "concepts"),
    Column("leads_to", "profesijas", "leads to occupations", "concepts"),
)
INTAKE_COLUMNS = (
    CODE,
    Column("programme", "programma", "programme", "programme", required=True),
    Column("start_date", "sākuma datums", "start date", "date", required=True),
    Column("application_deadline", "pieteikšanās termiņš", "application deadline", "date", required=True),
    Column("seats", "vietas", "seats", "int", required=True),
    Column("funded_seats", "finansētās vietas", "funded seats", "int"),
)
VACANCY_COLUMNS = (
    CODE,
    Column("title", "amats", "title", "text", required=True),
    Column("description", "apraksts", "description", "text", required=True),
    Column("text_language", "teksta valoda", "text language", "choice", choices="language"),
    Column("occupation", "profesija", "occupation", "concept"),
    Column("town", "pilsēta", "town", "town", required=True),
    Column("work_arrangement", "darba vieta", "work arrangement", "choice", choices="work_arrangement"),
    Column("contract_kind", "līguma veids", "contract kind", "choice", required=True, choices="contract_kind"),
    Column("hours", "darba laiks", "hours", "choice", required=True, choices="hours"),
    Column("salary_min", "alga no EUR", "salary from EUR", "int", required=True),
    Column("salary_max", "alga līdz EUR", "salary to EUR", "int", required=True),
    Column("min_education", "minimālā izglītība", "minimum education", "choice", choices="education"),
    Column("min_age", "minimālais vecums", "minimum age", "int"),
    Column("places", "vietu skaits", "places", "int"),
    Column("experience_required", "vajadzīga pieredze", "experience required", "bool"),
    Column("expires_at", "derīga līdz", "expires", "date"),
    Column("skills_essential", "obligātās prasmes", "essential skills", "concepts"),
    Column("skills_optional", "vēlamās prasmes", "optional skills", "concepts"),
    Column("languages", "valodas", "languages", "cefr"),
)
COLUMNS = {"programmes": PROGRAMME_COLUMNS, "intakes": INTAKE_COLUMNS, "vacancies": VACANCY_COLUMNS}

CELL_HELP = {
    "text": _("text"),
    "int": _("whole number"),
    "decimal": _("number; a decimal comma is fine (12,50)"),
    "date": _("date as dd.mm.yyyy (or yyyy-mm-dd)"),
    "bool": _("jā / nē (yes / no)"),
    "choice": _("one of the codes or names listed"),
    "languages": _("language codes separated by ; (lv; en)"),
    "concepts": _("ESCO URIs or exact names, separated by ;"),
    "concept": _("an ESCO URI or exact name"),
    "town": _("town name (Valmiera) or id"),
    "cefr": _("language:level separated by ; (lv:C1; en:B2)"),
    "programme": _("your programme's code or its id"),
}

MSG_UNKNOWN_COLUMN = _("Unknown column “%(name)s”. Columns: %(allowed)s.")
MSG_MISSING_COLUMN = _("The column “%(name)s” is missing.")
MSG_SAME_COLUMN = _("The columns “%(first)s” and “%(second)s” are the same column.")


def header_map(kind: str, headers: list[str], language: str) -> dict[str, Column]:
    """File header → column (Latvian, English or field name, any case, diacritics optional).

    Raises ``ValueError`` with the message (unknown or missing columns) for the caller to report on ``file``.
    """
    known = {}
    for column in COLUMNS[kind]:
        for name in (column.lv, column.en, column.field):
            known[fold(name)] = column
    found: dict[str, Column] = {}
    for header in headers:
        column = known.get(fold(header))
        if column is None:
            allowed = ", ".join(c.header(language) for c in COLUMNS[kind])
            raise ValueError(MSG_UNKNOWN_COLUMN % {"name": header, "allowed": allowed})
        twin = next((name for name, seen in found.items() if seen is column), None)
        if twin is not None:
            raise ValueError(MSG_SAME_COLUMN % {"first": twin, "second": header})
        found[header] = column
    present = {column.field for column in found.values()}
    for column in COLUMNS[kind]:
        if column.required and column.field not in present:
            raise ValueError(MSG_MISSING_COLUMN % {"name": column.header(language)})
    return found
