"""What people write in a spreadsheet cell → the value the JSON field takes.

Dates as Latvians write them (``31.08.2027``, also ``31.8.2027``, ``31/08/2027`` and ISO ``2027-08-31``); numbers
with a decimal comma and spaces between thousands (``1 200,50``); yes/no as ``jā``/``nē``, ``yes``/``no``,
``true``/``false``, ``1``/``0``, ``x``; choices by code or by their Latvian or English name; skills and occupations
by ESCO URI or exact preferred name (Latvian or English, any case, diacritics optional); towns by name or id;
languages as ``lv; en`` and with levels as ``lv:C1; en:B2``.

:func:`cell_value` returns the field's value, :data:`EMPTY` (leave the field out: its default applies, or the
serializer says it is required) or raises :class:`CellError` with the message for that cell.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from careers.folding import fold
from careers.models import (
    CefrLevel, ContractKind, EducationLevel, HoursKind, Language, Occupation, Programme, ProgrammeKind, ProgrammeMode,
    Skill, Town, WorkArrangement,
)

from .columns import Column

EMPTY = object()
CHOICES = {
    "programme_kind": ProgrammeKind, "programme_mode": ProgrammeMode, "cost_period": Programme.CostPeriod,
    "education": EducationLevel, "language": Language, "work_arrangement": WorkArrangement,
    "contract_kind": ContractKind, "hours": HoursKind,
}
TRUE = {"ja", "yes", "true", "1", "x", "y", "j"}
FALSE = {"ne", "no", "false", "0", "n"}
DATE = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})\.?$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
NUMBER_SPACES = re.compile(r"[\s\u00a0\u202f]")

MSG_DATE = _("Write the date as dd.mm.yyyy, e.g. 31.08.2027.")
MSG_NUMBER = _("Write a number.")
MSG_WHOLE = _("Write a whole number.")
MSG_BOOL = _("Write jā or nē (yes or no).")
MSG_CHOICE = _("Unknown value “%(value)s”. Allowed: %(allowed)s.")
MSG_CONCEPT = _("Unknown: %(values)s (give ESCO URIs or exact names).")
MSG_TOWN = _("Unknown town “%(value)s”.")
MSG_LANGUAGE = _("Unknown language “%(value)s”. Use codes such as lv, en, ru.")
MSG_CEFR = _("Write language:level, e.g. lv:C1; en:B2.")


class CellError(ValueError):
    """A cell that cannot be read; the message says what to write instead."""


@dataclass
class Lookups:
    """Folded names → ids / codes, read once per upload (not once per cell)."""

    skills: dict[str, str] = field(default_factory=dict)  # uri or folded label → uri
    occupations: dict[str, str] = field(default_factory=dict)
    towns: dict[str, int] = field(default_factory=dict)
    choices: dict[str, dict[str, object]] = field(default_factory=dict)


def _concepts(model) -> dict[str, str]:
    found: dict[str, str] = {}
    for uri, label_lv, label_en in model.objects.order_by("-id").values_list("uri", "label_lv", "label_en"):
        for label in (label_lv, label_en):
            if label:
                found[fold(label)] = uri
        found[uri] = uri
    return found


def _choice_names(choices) -> dict[str, object]:
    names: dict[str, object] = {}
    for language in ("en", "lv"):
        with translation.override(language):
            for value, label in choices.choices:
                names[fold(str(label))] = value
    for value in choices.values:
        names[fold(str(value))] = value
    return names


def lookups_for(kind: str) -> Lookups:
    """What the cells of ``kind``'s template may name (only what the kind needs is read)."""
    lookups = Lookups(choices={name: _choice_names(choices) for name, choices in CHOICES.items()})
    if kind in ("programmes", "vacancies"):
        lookups.skills, lookups.occupations = _concepts(Skill), _concepts(Occupation)
    if kind == "vacancies":
        for pk, name, name_en in Town.objects.values_list("id", "name", "name_en"):
            lookups.towns[fold(name)] = pk
            if name_en:
                lookups.towns.setdefault(fold(name_en), pk)
            lookups.towns[str(pk)] = pk
    return lookups


# ------------------------------------------------------------------------------------------- cells
def as_date(text: str) -> str:
    match = DATE.match(text) or ISO_DATE.match(text)
    if match is None:
        raise CellError(MSG_DATE)
    parts = [int(p) for p in match.groups()]
    day, month, year = parts if DATE.match(text) else parts[::-1]
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        raise CellError(MSG_DATE) from None


def as_decimal(text: str) -> str:
    value = NUMBER_SPACES.sub("", text).replace(",", ".")
    if not re.fullmatch(r"-?\d+(\.\d+)?", value):
        raise CellError(MSG_NUMBER)
    return value


def as_int(text: str) -> int:
    value = as_decimal(text)
    if "." in value:
        whole, fraction = value.split(".")
        if set(fraction) != {"0"}:
            raise CellError(MSG_WHOLE)
        value = whole
    return int(value)


def as_bool(text: str) -> bool:
    value = fold(text)
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise CellError(MSG_BOOL)


def as_choice(text: str, names: dict[str, object]):
    value = names.get(fold(text))
    if value is None:
        allowed = ", ".join(sorted({str(v) for v in names.values()}))
        raise CellError(MSG_CHOICE % {"value": text, "allowed": allowed})
    return value


def split_list(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;\n]", text) if part.strip()]


def as_concepts(text: str, known: dict[str, str]) -> list[str]:
    parts = split_list(text)
    unknown = [part for part in parts if known.get(part, known.get(fold(part))) is None]
    if unknown:
        raise CellError(MSG_CONCEPT % {"values": "; ".join(unknown[:5])})
    return [known.get(part, known.get(fold(part))) for part in parts]


def as_languages(text: str, names: dict[str, object]) -> list[str]:
    codes = []
    for part in re.split(r"[;,\s]+", text):
        if part:
            value = names.get(fold(part))
            if value is None:
                raise CellError(MSG_LANGUAGE % {"value": part})
            codes.append(value)
    return codes


def as_cefr(text: str, names: dict[str, object]) -> list[dict]:
    levels = {label.lower(): value for value, label in CefrLevel.choices}
    out = []
    for part in split_list(text.replace(",", ";")):
        language, _sep, level = part.partition(":")
        code = names.get(fold(language))
        if code is None:
            raise CellError(MSG_LANGUAGE % {"value": language.strip()})
        value = levels.get(level.strip().lower()) or (int(level) if level.strip().isdigit() else None)
        if value is None:
            raise CellError(MSG_CEFR)
        out.append({"language": code, "level": value})
    return out


def as_town(text: str, towns: dict[str, int]) -> int:
    value = towns.get(fold(text)) or towns.get(text.strip())
    if value is None:
        raise CellError(MSG_TOWN % {"value": text})
    return value


def cell_value(column: Column, text: str, lookups: Lookups):
    """The JSON value of one cell (see the module docstring)."""
    text = (text or "").strip()
    if not text:
        return EMPTY
    readers = {
        "text": lambda: text, "int": lambda: as_int(text), "decimal": lambda: as_decimal(text),
        "date": lambda: as_date(text), "bool": lambda: as_bool(text), "programme": lambda: text,
        "choice": lambda: as_choice(text, lookups.choices[column.choices]),
        "languages": lambda: as_languages(text, lookups.choices["language"]),
        "cefr": lambda: as_cefr(text, lookups.choices["language"]),
        "concepts": lambda: as_concepts(text, lookups.occupations if column.field == "leads_to" else lookups.skills),
        "concept": lambda: as_concepts(text, lookups.occupations)[0],
        "town": lambda: as_town(text, lookups.towns),
    }
    return readers[column.cell]()
