"""The ESCO import as one transaction: concepts, Latvian labels, classifier codes, RIASEC, then relations."""
from __future__ import annotations

import re
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from django.db import transaction

from careers.models import Occupation, Skill
from careers.models.taxonomy import RIASEC_FIELDS

from . import concepts, extras, relations
from . import errors as e
from .csvio import Source, field_limit, file_source, folder_sources
from .report import ImportReport

SKILLS_FILE = "skills_en.csv"
OCCUPATIONS_FILE = "occupations_en.csv"
ISCO_FILE = "ISCOGroups_en.csv"
OCCUPATION_SKILLS_FILE = "occupationSkillRelations.csv"
BROADER_FILE = "broaderRelationsSkillPillar.csv"
RELATED_FILE = "skillSkillRelations.csv"
LANGUAGE_COLLECTION = re.compile(r"languageSkillsCollection_[a-z]{2,3}(-[a-z]+)?\.csv")
TRANSVERSAL_COLLECTION = re.compile(r"transversalSkillsCollection_[a-z]{2,3}(-[a-z]+)?\.csv")
LABEL_FILE = re.compile(r"(skills|occupations|ISCOGroups)_([a-z]{2,3}(?:-[a-z]+)?)\.csv")
LV_MAPPING_FILE = "esco_lv_profesiju_klasifikators_mapping.csv"
ONET_INTERESTS_FILE = "Interests.txt"
ONET_CROSSWALK_FILE = "esco_onet_crosswalk.csv"

LABEL_FIELDS = ["label_en", "alt_labels_en", "description_en", "label_lv", "alt_labels_lv", "description_lv"]
SKILL_FIELDS = [*LABEL_FIELDS, "skill_type", "reuse_level", "search_text"]
OCCUPATION_FIELDS = [*LABEL_FIELDS, "isco_code", "lv_classifier_code", *RIASEC_FIELDS, "search_text"]
CREATE_BATCH = 1000
UPDATE_BATCH = 500

C = TypeVar("C", Skill, Occupation)


@dataclass
class Concepts(Generic[C]):
    """Every concept of one model by URI, the ones to create, and the URIs of the existing ones changed."""

    model: type[C]
    by_uri: dict[str, C]
    new: dict[str, C] = field(default_factory=dict)
    dirty: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, model: type[C]) -> "Concepts[C]":
        return cls(model=model, by_uri=model.objects.in_bulk(field_name="uri"))

    def get_or_new(self, uri: str) -> C:
        if uri not in self.by_uri:
            self.by_uri[uri] = self.new[uri] = self.model(uri=uri)
        return self.by_uri[uri]

    def touch(self, uri: str) -> None:
        if uri not in self.new:
            self.dirty.add(uri)

    def write(self, fields: list[str]) -> None:
        for concept in self.new.values():
            concept.refresh_search_text()
        self.model.objects.bulk_create(self.new.values(), batch_size=CREATE_BATCH)
        changed = [self.by_uri[uri] for uri in sorted(self.dirty)]
        for concept in changed:
            concept.refresh_search_text()
        self.model.objects.bulk_update(changed, fields, batch_size=UPDATE_BATCH)


@dataclass
class ExtraSources:
    lv_labels: list[Source] = field(default_factory=list)
    lv_mapping: Source | None = None
    onet_interests: Source | None = None
    onet_crosswalk: Source | None = None


def esco_import(
    *,
    path: Path,
    lv_labels: Path | None = None,
    lv_mapping: Path | None = None,
    onet_dir: Path | None = None,
    extras: bool = True,
) -> ImportReport:
    """Import the ESCO CSV download in ``path`` (CSVs or the published ZIPs) and the extras found beside it.

    All or nothing: any malformed file raises EscoImportError and the database is left as it was.
    """
    for option, value in (("--lv-labels", lv_labels), ("--lv-mapping", lv_mapping), ("--onet-dir", onet_dir)):
        if value is not None and not extras:
            raise e.EscoImportError("options", e.OPTION_CONFLICT.format(option=option))
    report = ImportReport()
    with ExitStack() as stack:
        stack.enter_context(field_limit())
        sources = folder_sources(path, stack)
        for name in (SKILLS_FILE, OCCUPATIONS_FILE, OCCUPATION_SKILLS_FILE):
            if name not in sources:
                raise e.EscoImportError(name, e.MISSING_FILE.format(where=path))
        plan = _extra_sources(path, sources, report.notes, lv_labels, lv_mapping, onet_dir, extras)
        with transaction.atomic():
            _run(sources, plan, report)
    return report


def _extra_sources(
    path: Path,
    sources: dict[str, Source],
    notes: list[str],
    lv_labels: Path | None,
    lv_mapping: Path | None,
    onet_dir: Path | None,
    enabled: bool,
) -> ExtraSources:
    languages = sorted({m.group(2) for name in sources if (m := LABEL_FILE.fullmatch(name))} - {"en", "lv"})
    if languages:
        notes.append(f"labels in {', '.join(languages)} ignored: only English and Latvian are stored")
    if not enabled:
        notes.append("extras skipped (--no-extras): Latvian labels, classifier codes, RIASEC profiles")
        return ExtraSources()
    plan = ExtraSources()
    plan.lv_labels = [sources[name] for name in ("skills_lv.csv",) if name in sources]
    if lv_labels is not None:
        plan.lv_labels.append(file_source(lv_labels))
    elif "occupations_lv.csv" in sources:
        plan.lv_labels.append(sources["occupations_lv.csv"])
    plan.lv_mapping = _optional_file(lv_mapping, path.parent / "latvia" / LV_MAPPING_FILE, notes)
    folder = onet_dir if onet_dir is not None else path.parent / "onet"
    plan.onet_interests = _optional_file(onet_dir and onet_dir / ONET_INTERESTS_FILE, folder / ONET_INTERESTS_FILE, notes)
    plan.onet_crosswalk = _optional_file(onet_dir and onet_dir / ONET_CROSSWALK_FILE, folder / ONET_CROSSWALK_FILE, notes)
    if not plan.lv_labels:
        notes.append("no Latvian label file (occupations_lv.csv) found; Latvian labels skipped")
    return plan


def _optional_file(given: Path | None, guess: Path, notes: list[str]) -> Source | None:
    """An extra named by an option must exist; one guessed beside PATH is used only when it does."""
    if given is not None:
        return file_source(given)
    if guess.is_file():
        return file_source(guess)
    notes.append(f"{guess} not found; skipped")
    return None


def _run(sources: dict[str, Source], plan: ExtraSources, report: ImportReport) -> None:
    skills = _import_skills(sources, report)
    occupations = _import_occupations(sources, report)
    for source in plan.lv_labels:
        _apply_lv_labels(source, skills, occupations, report)
    if plan.lv_mapping is not None:
        _apply_lv_classifier(plan.lv_mapping, occupations, report)
    if plan.onet_interests is not None and plan.onet_crosswalk is not None:
        _apply_riasec(plan.onet_interests, plan.onet_crosswalk, occupations, report)
    skills.write(SKILL_FIELDS)
    occupations.write(OCCUPATION_FIELDS)
    _import_relations(sources, report)


def _collection(sources: dict[str, Source], pattern: re.Pattern[str]) -> set[str]:
    uris: set[str] = set()
    for name, source in sources.items():
        if pattern.fullmatch(name):
            uris |= concepts.read_uri_set(source)
    return uris


def _import_skills(sources: dict[str, Source], report: ImportReport) -> Concepts[Skill]:
    language = _collection(sources, LANGUAGE_COLLECTION)
    transversal = _collection(sources, TRANSVERSAL_COLLECTION)
    if not language:
        report.notes.append("no languageSkillsCollection file: language skills are typed by skillType only")
    records = concepts.read_skills(sources[SKILLS_FILE], language=language, transversal=transversal)
    skills = Concepts.load(Skill)
    counts = report.counts["skills"]
    for uri, record in records.items():
        is_new = uri not in skills.by_uri
        changed = concepts.apply_skill(skills.get_or_new(uri), record)
        counts.add("created" if is_new else "updated" if changed else "unchanged")
        if changed:
            skills.touch(uri)
    return skills


def _import_occupations(sources: dict[str, Source], report: ImportReport) -> Concepts[Occupation]:
    isco_codes = concepts.read_isco_codes(sources[ISCO_FILE]) if ISCO_FILE in sources else None
    if isco_codes is None:
        report.notes.append(f"{ISCO_FILE} not found: ISCO codes of occupations checked for format only")
    records = concepts.read_occupations(sources[OCCUPATIONS_FILE], isco_codes=isco_codes, isco_file=ISCO_FILE)
    occupations = Concepts.load(Occupation)
    counts = report.counts["occupations"]
    for uri, record in records.items():
        is_new = uri not in occupations.by_uri
        changed = concepts.apply_occupation(occupations.get_or_new(uri), record)
        counts.add("created" if is_new else "updated" if changed else "unchanged")
        if changed:
            occupations.touch(uri)
    return occupations


def _apply_lv_labels(
    source: Source, skills: Concepts[Skill], occupations: Concepts[Occupation], report: ImportReport
) -> None:
    targets: dict[str, Concepts] = {"skill": skills, "occupation": occupations}
    unknown = other = 0
    for record in concepts.read_labels(source):
        target = targets.get(record.kind)
        if target is None:
            other += 1
        elif record.uri not in target.by_uri:
            unknown += 1
        else:
            outcome = concepts.apply_lv_labels(target.by_uri[record.uri], record)
            report.counts["labels_lv"].add(outcome)
            if outcome != "unchanged":
                target.touch(record.uri)
    if other:
        report.notes.append(f"{source.name}: {other:,} rows for ISCO groups or skill groups skipped (not stored)")
    if unknown:
        report.notes.append(f"{source.name}: {unknown:,} rows for concepts not in ESCO v1.1.1 or the database skipped")


def _apply_lv_classifier(source: Source, occupations: Concepts[Occupation], report: ImportReport) -> None:
    unknown = 0
    counts = report.counts["lv_classifier_codes"]
    for uri, code in extras.read_lv_classifier(source, notes=report.notes).items():
        occupation = occupations.by_uri.get(uri)
        if occupation is None:
            unknown += 1
            continue
        counts.add(_fill_empty_fields(occupations, uri, {"lv_classifier_code": code}))
    if unknown:
        report.notes.append(f"{source.name}: {unknown:,} occupations not in ESCO v1.1.1 or the database skipped")


def _apply_riasec(interests: Source, crosswalk: Source, occupations: Concepts[Occupation], report: ImportReport) -> None:
    profiles = extras.riasec_profiles(extras.read_crosswalk(crosswalk), extras.read_interests(interests, notes=report.notes))
    counts = report.counts["riasec"]
    unknown = 0
    for uri, profile in profiles.items():
        if uri not in occupations.by_uri:
            unknown += 1
            continue
        counts.add(_fill_empty_fields(occupations, uri, dict(zip(RIASEC_FIELDS, profile))))
    if unknown:
        report.notes.append(f"{crosswalk.name}: {unknown:,} occupations not in ESCO v1.1.1 or the database skipped")


def _fill_empty_fields(target: Concepts, uri: str, values: dict[str, object]) -> str:
    """Derived values (classifier code, RIASEC) only fill gaps: a curated value from load_reference wins,
    so running import_esco and load_reference in either order gives one stable result."""
    concept = target.by_uri[uri]
    if any(getattr(concept, name) not in (None, "") for name in values):
        return "unchanged"
    return _set_fields(target, uri, values)


def _set_fields(target: Concepts, uri: str, values: dict[str, object]) -> str:
    concept = target.by_uri[uri]
    before = {name: getattr(concept, name) for name in values}
    if before == values:
        return "unchanged"
    for name, value in values.items():
        setattr(concept, name, value)
    target.touch(uri)
    return "created" if all(value in (None, "") for value in before.values()) else "updated"


def _import_relations(sources: dict[str, Source], report: ImportReport) -> None:
    skill_ids = dict(Skill.objects.values_list("uri", "id"))
    occupation_ids = dict(Occupation.objects.values_list("uri", "id"))
    desired = relations.read_occupation_skills(
        sources[OCCUPATION_SKILLS_FILE], occupation_ids=occupation_ids, skill_ids=skill_ids, notes=report.notes
    )
    report.counts["occupation_skills"] = relations.sync_occupation_skills(desired)
    if BROADER_FILE in sources:
        pairs = relations.read_broader(sources[BROADER_FILE], skill_ids=skill_ids, notes=report.notes)
        report.counts["broader"] = relations.sync_pairs(relations.BROADER_THROUGH, pairs)
    else:
        report.notes.append(f"{BROADER_FILE} not found: broader skill relations skipped")
    if RELATED_FILE in sources:
        pairs = relations.read_related(sources[RELATED_FILE], skill_ids=skill_ids, notes=report.notes)
        report.counts["related"] = relations.sync_pairs(relations.RELATED_THROUGH, pairs)
    else:
        report.notes.append(f"{RELATED_FILE} not found: related skill relations skipped")
