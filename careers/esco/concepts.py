"""ESCO skills and occupations: reading the concept files and merging them into model objects."""
from __future__ import annotations

import re
from dataclasses import dataclass

from careers.models import Occupation, Skill, SkillType

from . import errors as e
from .csvio import Source, Table

SKILL_TYPES = {"skill/competence": SkillType.SKILL, "knowledge": SkillType.KNOWLEDGE, "": SkillType.SKILL}
REUSE_LEVELS = {level: level for level in ("", "transversal", "cross-sector", "sector-specific", "occupation-specific")}
ISCO_CODE = re.compile(r"\d{1,4}")
SKILL_CONCEPT_TYPES = {"KnowledgeSkillCompetence": "KnowledgeSkillCompetence", "": ""}
OCCUPATION_CONCEPT_TYPES = {"Occupation": "Occupation", "": ""}
LABEL_CONCEPT_TYPES = {name: name for name in ("Occupation", "KnowledgeSkillCompetence", "ISCOGroup", "SkillGroup", "")}


@dataclass(frozen=True, slots=True)
class SkillRecord:
    uri: str
    label: str
    alt_labels: tuple[str, ...]
    description: str
    skill_type: str
    reuse_level: str


@dataclass(frozen=True, slots=True)
class OccupationRecord:
    uri: str
    label: str
    alt_labels: tuple[str, ...]
    description: str
    isco_code: str


@dataclass(frozen=True, slots=True)
class LabelRecord:
    """Labels of one concept in a second language (Latvian)."""

    uri: str
    kind: str  # 'skill', 'occupation', or another ESCO kind the model does not store
    label: str
    alt_labels: tuple[str, ...]
    description: str


def read_uri_set(source: Source) -> set[str]:
    """The concept URIs of a collection file (languageSkillsCollection_en.csv, …)."""
    with Table(source, required=("conceptUri",)) as table:
        return {table.uri(record, "conceptUri") for record in table}


def read_isco_codes(source: Source) -> set[str]:
    with Table(source, required=("conceptUri", "code")) as table:
        codes = set()
        for record in table:
            table.uri(record, "conceptUri", "isco")
            codes.add(table.code(record, "code", ISCO_CODE, "ISCO-08 code"))
        return codes


def skill_type_for(*, file_type: str, reuse_level: str, uri: str, language: set[str], transversal: set[str]) -> str:
    """ESCO's skillType, overridden by membership: language skills first, then transversal ones."""
    if uri in language:
        return SkillType.LANGUAGE
    if reuse_level == "transversal" or uri in transversal:
        return SkillType.TRANSVERSAL
    return file_type


def read_skills(source: Source, *, language: set[str], transversal: set[str]) -> dict[str, SkillRecord]:
    required = ("conceptUri", "skillType", "reuseLevel", "preferredLabel", "altLabels", "description")
    with Table(source, required=required, optional=("conceptType",)) as table:
        skills: dict[str, SkillRecord] = {}
        first_row: dict[str, int] = {}
        for record in table:
            if "conceptType" in table.present:
                table.choice(record, "conceptType", SKILL_CONCEPT_TYPES)
            uri = table.uri(record, "conceptUri", "skill")
            if uri in first_row:
                table.fail("conceptUri", e.DUPLICATE_URI.format(first=first_row[uri]))
            first_row[uri] = table.row
            reuse_level = table.choice(record, "reuseLevel", REUSE_LEVELS)
            file_type = table.choice(record, "skillType", SKILL_TYPES)
            skills[uri] = SkillRecord(
                uri=uri,
                label=table.label(record, "preferredLabel"),
                alt_labels=tuple(table.labels(record, "altLabels")),
                description=table.text(record, "description"),
                skill_type=skill_type_for(
                    file_type=file_type, reuse_level=reuse_level, uri=uri, language=language, transversal=transversal
                ),
                reuse_level=reuse_level,
            )
        return skills


def read_occupations(source: Source, *, isco_codes: set[str] | None, isco_file: str) -> dict[str, OccupationRecord]:
    required = ("conceptUri", "iscoGroup", "preferredLabel", "altLabels", "description")
    with Table(source, required=required, optional=("conceptType",)) as table:
        occupations: dict[str, OccupationRecord] = {}
        first_row: dict[str, int] = {}
        for record in table:
            if "conceptType" in table.present:
                table.choice(record, "conceptType", OCCUPATION_CONCEPT_TYPES)
            uri = table.uri(record, "conceptUri", "occupation")
            if uri in first_row:
                table.fail("conceptUri", e.DUPLICATE_URI.format(first=first_row[uri]))
            first_row[uri] = table.row
            isco_code = table.raw(record, "iscoGroup").strip()
            if isco_code:
                table.code(record, "iscoGroup", ISCO_CODE, "ISCO-08 code")
                if isco_codes is not None and isco_code not in isco_codes:
                    table.fail("iscoGroup", e.UNKNOWN_ISCO.format(value=e.shorten(isco_code), file=isco_file))
            occupations[uri] = OccupationRecord(
                uri=uri,
                label=table.label(record, "preferredLabel"),
                alt_labels=tuple(table.labels(record, "altLabels")),
                description=table.text(record, "description"),
                isco_code=isco_code,
            )
        return occupations


def read_labels(source: Source) -> list[LabelRecord]:
    """A second-language label file: ESCO's skills_lv.csv/occupations_lv.csv or the shorter Latvian one."""
    optional = ("conceptType", "altLabels", "description")
    with Table(source, required=("conceptUri", "preferredLabel"), optional=optional) as table:
        records = []
        for record in table:
            if "conceptType" in table.present:
                table.choice(record, "conceptType", LABEL_CONCEPT_TYPES)
            uri = table.uri(record, "conceptUri")
            records.append(
                LabelRecord(
                    uri=uri,
                    kind=table.uri_kind(uri),
                    label=table.label(record, "preferredLabel"),
                    alt_labels=tuple(table.labels(record, "altLabels")) if "altLabels" in table.present else (),
                    description=table.text(record, "description") if "description" in table.present else "",
                )
            )
        return records


def merge_labels(existing: object, new: tuple[str, ...] | list[str], *, preferred: str) -> list[str]:
    """Existing labels first, then new ones; no duplicates, not the preferred label itself."""
    merged: list[str] = []
    seen = {preferred}
    for label in [*(existing if isinstance(existing, list) else []), *new]:
        if isinstance(label, str) and label and label not in seen:
            seen.add(label)
            merged.append(label)
    return merged


def apply_skill(skill: Skill, record: SkillRecord) -> bool:
    """Merge the English file's fields into ``skill``; True when something changed. Blank cells erase nothing."""
    before = (skill.label_en, skill.alt_labels_en, skill.description_en, skill.skill_type, skill.reuse_level)
    skill.label_en = record.label
    skill.alt_labels_en = merge_labels(skill.alt_labels_en, record.alt_labels, preferred=record.label)
    skill.description_en = record.description or skill.description_en
    skill.skill_type = record.skill_type
    skill.reuse_level = record.reuse_level or skill.reuse_level
    return before != (skill.label_en, skill.alt_labels_en, skill.description_en, skill.skill_type, skill.reuse_level)


def apply_occupation(occupation: Occupation, record: OccupationRecord) -> bool:
    """Merge the English file's fields into ``occupation``; True when something changed."""
    o = occupation
    before = (o.label_en, o.alt_labels_en, o.description_en, o.isco_code)
    o.label_en = record.label
    o.alt_labels_en = merge_labels(o.alt_labels_en, record.alt_labels, preferred=record.label)
    o.description_en = record.description or o.description_en
    o.isco_code = record.isco_code or o.isco_code
    return before != (o.label_en, o.alt_labels_en, o.description_en, o.isco_code)


def apply_lv_labels(concept: Skill | Occupation, record: LabelRecord) -> str:
    """Merge Latvian labels; a curated preferred label wins and the file's one becomes an alternative.

    Returns 'created' (had no Latvian label), 'updated' or 'unchanged'.
    """
    before = (concept.label_lv, concept.alt_labels_lv, concept.description_lv)
    alternatives = list(record.alt_labels)
    if not concept.label_lv:
        concept.label_lv = record.label
    elif concept.label_lv != record.label:
        alternatives.insert(0, record.label)
    concept.alt_labels_lv = merge_labels(concept.alt_labels_lv, alternatives, preferred=concept.label_lv)
    concept.description_lv = concept.description_lv or record.description
    if before == (concept.label_lv, concept.alt_labels_lv, concept.description_lv):
        return "unchanged"
    return "created" if not before[0] else "updated"
