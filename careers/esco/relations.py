"""ESCO relation files: occupation–skill links and the skill-to-skill M2M tables, synced in bulk.

Relations present in the database but absent from the files are kept: the files add and update, never prune.
"""
from __future__ import annotations

from django.db import models

from careers.models import OccupationSkill, RelationType, Skill

from .csvio import Source, Table
from .report import Counts

RELATION_TYPES = {"essential": RelationType.ESSENTIAL, "optional": RelationType.OPTIONAL}
SKILL_PILLAR_TYPES = {"KnowledgeSkillCompetence": "skill", "SkillGroup": "group"}
SKILL_TYPE_COLUMN = {"skill/competence": "", "knowledge": "", "": ""}
BATCH = 2000

Pair = tuple[int, int]


class _Orphans:
    """Well-formed URIs that name no stored concept: ESCO v1.1.1 itself links 67 rows to an unpublished occupation."""

    def __init__(self) -> None:
        self.rows = 0
        self.uris: set[str] = set()

    def note(self, source: Source, notes: list[str]) -> None:
        if self.rows:
            examples = ", ".join(sorted(self.uris)[:3])
            notes.append(
                f"{source.name}: {self.rows:,} rows skipped, they name {len(self.uris):,} concepts found neither in "
                f"the concept files nor in the database (e.g. {examples})"
            )


def _resolve(table: Table, record: list[str], columns: tuple[str, str], kinds: tuple[str, str],
             ids: tuple[dict[str, int], dict[str, int]], orphans: _Orphans) -> Pair | None:
    uris = (table.uri(record, columns[0], kinds[0]), table.uri(record, columns[1], kinds[1]))
    first, second = ids[0].get(uris[0]), ids[1].get(uris[1])
    if first is None or second is None:
        orphans.rows += 1
        orphans.uris.update(uri for uri, pk in zip(uris, (first, second)) if pk is None)
        return None
    return first, second


def read_occupation_skills(
    source: Source, *, occupation_ids: dict[str, int], skill_ids: dict[str, int], notes: list[str]
) -> dict[Pair, str]:
    """(occupation id, skill id) → relation; a pair listed twice keeps 'essential' and is noted."""
    required = ("occupationUri", "relationType", "skillUri")
    with Table(source, required=required, optional=("skillType",)) as table:
        desired: dict[Pair, str] = {}
        duplicates = 0
        orphans = _Orphans()
        for record in table:
            pair = _resolve(table, record, ("occupationUri", "skillUri"), ("occupation", "skill"),
                            (occupation_ids, skill_ids), orphans)
            relation = table.choice(record, "relationType", RELATION_TYPES)
            if "skillType" in table.present:
                table.choice(record, "skillType", SKILL_TYPE_COLUMN)
            if pair is None:
                continue
            if pair in desired:
                duplicates += 1
                if relation == RelationType.ESSENTIAL:
                    desired[pair] = relation
            else:
                desired[pair] = relation
    orphans.note(source, notes)
    if duplicates:
        notes.append(f"{source.name}: {duplicates:,} repeated occupation–skill pairs counted once (essential wins)")
    return desired


def sync_occupation_skills(desired: dict[Pair, str]) -> Counts:
    existing = {
        (occupation_id, skill_id): (pk, relation)
        for pk, occupation_id, skill_id, relation in OccupationSkill.objects.values_list(
            "pk", "occupation_id", "skill_id", "relation"
        ).iterator(chunk_size=BATCH)
    }
    counts = Counts()
    new, changed = [], []
    for (occupation_id, skill_id), relation in desired.items():
        current = existing.get((occupation_id, skill_id))
        if current is None:
            new.append(OccupationSkill(occupation_id=occupation_id, skill_id=skill_id, relation=relation))
        elif current[1] != relation:
            changed.append(OccupationSkill(pk=current[0], relation=relation))
        else:
            counts.unchanged += 1
    OccupationSkill.objects.bulk_create(new, batch_size=BATCH)
    OccupationSkill.objects.bulk_update(changed, ["relation"], batch_size=500)
    counts.created, counts.updated = len(new), len(changed)
    return counts


def read_broader(source: Source, *, skill_ids: dict[str, int], notes: list[str]) -> set[Pair]:
    """(narrower skill id, broader skill id) for rows whose two ends are skills in the Skill table."""
    required = ("conceptType", "conceptUri", "broaderType", "broaderUri")
    with Table(source, required=required) as table:
        pairs: set[Pair] = set()
        groups = unknown = 0
        for record in table:
            ends = (table.uri(record, "conceptUri"), table.uri(record, "broaderUri"))
            kinds = (
                table.choice(record, "conceptType", SKILL_PILLAR_TYPES),
                table.choice(record, "broaderType", SKILL_PILLAR_TYPES),
            )
            if "group" in kinds:
                groups += 1
            elif ends[0] in skill_ids and ends[1] in skill_ids:
                if ends[0] != ends[1]:
                    pairs.add((skill_ids[ends[0]], skill_ids[ends[1]]))
            else:
                unknown += 1
    notes.append(f"{source.name}: {groups:,} rows with a skill group at one end skipped (skill groups are not stored)")
    if unknown:
        notes.append(f"{source.name}: {unknown:,} rows skipped: a skill not in the Skill table")
    return pairs


def read_related(source: Source, *, skill_ids: dict[str, int], notes: list[str]) -> set[Pair]:
    """(skill id, related skill id); ESCO's essential/optional is validated but the model does not keep it."""
    required = ("originalSkillUri", "relationType", "relatedSkillUri")
    with Table(source, required=required) as table:
        pairs: set[Pair] = set()
        orphans = _Orphans()
        to_itself = 0
        for record in table:
            pair = _resolve(table, record, ("originalSkillUri", "relatedSkillUri"), ("skill", "skill"),
                            (skill_ids, skill_ids), orphans)
            table.choice(record, "relationType", RELATION_TYPES)
            if pair is not None and pair[0] == pair[1]:
                to_itself += 1
            elif pair is not None:
                pairs.add(pair)
    orphans.note(source, notes)
    if to_itself:
        notes.append(f"{source.name}: {to_itself:,} rows relating a skill to itself skipped")
    return pairs


def sync_pairs(through: type[models.Model], desired: set[Pair]) -> Counts:
    """Add the missing rows of a Skill↔Skill M2M through table (from_skill, to_skill)."""
    existing = set(through.objects.values_list("from_skill_id", "to_skill_id").iterator(chunk_size=BATCH))
    new = desired - existing
    through.objects.bulk_create(
        (through(from_skill_id=a, to_skill_id=b) for a, b in sorted(new)), batch_size=BATCH
    )
    return Counts(created=len(new), unchanged=len(desired) - len(new))


BROADER_THROUGH = Skill.broader.through
RELATED_THROUGH = Skill.related.through
