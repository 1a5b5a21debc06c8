"""Demo candidates: the journey people from ``fixtures/demo/candidates.json`` ("named") and generated ones
(archetypes), planned from two seeded streams, then written with their skills, languages, history and targets.

Draws happen in a fixed order per person (see ``_archetype_candidate``): reordering the steps reshuffles everyone.
"""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from careers.models import CandidateLanguage, CandidateProfile, CandidateSkill, Counsellor, Role, User, WorkExperience

from .common import CEFR, EDUCATION, TOWN_GENITIVE, TOWN_LOCATIVE, at, fixture, section_rng, weighted
from .reference import Reference
from .sync import sync_children, upsert
from .traits import (
    counsellor_key, fill, is_english, languages_for, riasec_answers, same_region, skills_for, years_text,
)
from .users import NamePicker, PlannedUser

@dataclass
class PlannedCandidate:
    user: PlannedUser
    fields: dict[str, Any]
    counsellor_key: str | None
    skills: dict[int, int] = field(default_factory=dict)
    languages: dict[str, int] = field(default_factory=dict)
    history: list[tuple[int, str, str, Decimal]] = field(default_factory=list)
    targets: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class _Identity:
    """Who a generated candidate is, drawn first: name, age, town and the language of their texts."""
    gender: str
    russian: bool
    first: str
    last: str
    age: int
    town: str
    english: bool
    studies: str


def candidates_plan(*, ref: Reference, today: dt.date) -> list[PlannedCandidate]:
    """The journey people first, then every archetype's generated people, in fixture order."""
    data = fixture("candidates.json")
    rng = section_rng("candidates")
    names = NamePicker(section_rng("candidate-names"))
    planned = [_named_candidate(rng=rng, ref=ref, spec=spec, today=today) for spec in data["named"]]
    for arch in data["archetypes"]:
        towns = {name: weight for name, weight in arch["towns"].items() if name in ref.towns}
        planned += [
            _archetype_candidate(rng=rng, names=names, ref=ref, arch=arch, towns=towns, index=index, today=today)
            for index in range(1, arch["count"] + 1)
        ]
    return planned


# ----------------------------------------------------------------------------------------------- journey people


def _named_candidate(*, rng: random.Random, ref: Reference, spec: dict, today: dt.date) -> PlannedCandidate:
    occupations = [ref.occupations_by_label[label] for label in spec["skill_from"] if label in ref.occupations_by_label]
    skills = skills_for(rng, ref, occupations, spec["skills"], (spec["proficiency"], spec["proficiency"]))
    # The journey people carry no noise skills: what they have is what their story says.
    allowed = {sid for occ in occupations for sid in ref.essential.get(occ.pk, []) + ref.optional.get(occ.pk, [])}
    history = [
        (ref.occupations_by_label[label].pk, title, employer, Decimal(str(years)))
        for label, title, employer, years in spec["history"]
        if label in ref.occupations_by_label
    ]
    return PlannedCandidate(
        user=PlannedUser(spec["username"], spec["first_name"], spec["last_name"], Role.CANDIDATE, True,
                         preferred_language="en" if spec["username"] == "student.via" else "lv"),
        fields=_named_fields(ref=ref, spec=spec, today=today),
        counsellor_key=spec["counsellor"],
        skills={sid: level for sid, level in skills.items() if sid in allowed},
        languages={code: CEFR[level] for code, level in spec["languages"].items()},
        history=history,
        targets=_occupation_ids(ref, spec["targets"]),
    )


def _named_fields(*, ref: Reference, spec: dict, today: dt.date) -> dict[str, Any]:
    age = spec["age"]
    counsellor = spec["counsellor"]
    consent_day = today - dt.timedelta(days=20)
    return {
        "kind": spec["kind"],
        "employment_status": spec["employment_status"],
        "birth_year": today.year - age,
        "gender": spec["gender"],
        "town_id": ref.towns[spec["town"]].pk if spec["town"] in ref.towns else ref.towns["Valmiera"].pk,
        "max_commute_km": spec["commute"],
        "willing_to_relocate": False,
        "highest_education": EDUCATION[spec["education"]],
        "current_studies": spec["studies"],
        "about": spec["about"],
        **{f"riasec_{k}": v for k, v in spec["riasec"].items()},
        "available_hours": spec["hours"],
        "available_from": today + dt.timedelta(days=spec["available_in_days"]),
        "consent_processing": True,
        "consent_processing_at": at(consent_day),
        "consent_discoverable": spec["discoverable"],
        "consent_discoverable_at": at(consent_day) if spec["discoverable"] else None,
        "consent_counsellor": counsellor is not None,
        "consent_counsellor_at": at(consent_day) if counsellor else None,
        "supervised": spec["supervised"],
        "minor_visible_to_employers": spec["minor_visible"],
    }


def _occupation_ids(ref: Reference, labels: list[str]) -> list[int]:
    return [ref.occupations_by_label[label].pk for label in labels if label in ref.occupations_by_label]


# ----------------------------------------------------------------------------------------------- generated people


def _archetype_candidate(
    *, rng: random.Random, names: NamePicker, ref: Reference, arch: dict, towns: dict[str, float], index: int,
    today: dt.date,
) -> PlannedCandidate:
    """One generated person of ``arch``; each step below draws from ``rng``, so their order is part of the data."""
    who = _identity(rng=rng, names=names, arch=arch, towns=towns)
    history_labels, history = _work_history(rng=rng, ref=ref, arch=arch, age=who.age)
    skill_sources = [ref.occupations_by_label[l] for l in arch["skill_from"] if l in ref.occupations_by_label]
    sources = [ref.occupations_by_label[l] for l in history_labels if l in ref.occupations_by_label]
    sources += rng.sample(skill_sources, k=min(len(skill_sources), 1))
    skills = skills_for(rng, ref, sources, rng.randint(*arch["skills"]), tuple(arch["proficiency"]))
    targets = rng.sample(arch["targets"], k=min(len(arch["targets"]), rng.randint(1, 3)))
    counsellor = counsellor_key(arch["counsellor"], who.town)
    consent_day = today - dt.timedelta(days=rng.randint(5, 120))
    discoverable = rng.random() < arch["discoverable"]
    about = _archetype_about(rng=rng, ref=ref, arch=arch, who=who, history=history)
    fields = _archetype_fields(rng=rng, ref=ref, arch=arch, who=who, today=today, consent_day=consent_day,
                               discoverable=discoverable, counsellor=counsellor, about=about)
    return PlannedCandidate(
        user=PlannedUser(f"{arch['key'].replace('_', '-')}-{index:02d}", who.first, who.last, Role.CANDIDATE, False,
                         preferred_language="en" if who.english else "lv"),
        fields=fields,
        counsellor_key=counsellor,
        skills=skills,
        languages=languages_for(rng, who.age, who.russian),
        history=history,
        targets=_occupation_ids(ref, targets),
    )


def _identity(*, rng: random.Random, names: NamePicker, arch: dict, towns: dict[str, float]) -> _Identity:
    gender = weighted(rng, arch["gender"])
    russian = rng.random() < arch["ru_speakers"]
    first, last = names.pick(gender, russian)
    age = rng.randint(*arch["age"])
    town = weighted(rng, towns)
    english = bool(arch["about_en"]) and rng.random() < arch["en_about"]
    # English study names only in English texts: "Studijas: Vidzeme University..." would read oddly.
    studies_pool = [x for x in arch["studies"] if is_english(x) == english] or arch["studies"]
    # A Ventspils pupil studies in Ventspils: keep the school in the person's region.
    studies_pool = [x for x in studies_pool if same_region(x, town)] or studies_pool
    studies = rng.choice(studies_pool) if studies_pool else ""
    return _Identity(gender, russian, first, last, age, town, english, studies)


def _work_history(
    *, rng: random.Random, ref: Reference, arch: dict, age: int,
) -> tuple[list[str], list[tuple[int, str, str, Decimal]]]:
    """The occupations drawn for the person's past work, and the history rows of those loaded."""
    history_labels = (
        rng.sample(arch["history"], k=min(len(arch["history"]), rng.choice([1, 1, 2]))) if arch["history"] else []
    )
    if arch["kind"] == "student" and rng.random() < 0.4:
        history_labels = []
    history = []
    for label in history_labels:
        occupation = ref.occupations_by_label.get(label)
        if occupation is None:
            continue
        low, high = arch["history_years"]
        years = rng.uniform(low, min(high, max(low, age - 16)))
        # People state experience in whole years, or halves when it is short.
        years = Decimal(str(max(0.2, round(years * 2) / 2 if years < 3 else round(years))))
        history.append((occupation.pk, "", "", years))
    return history_labels, history


def _archetype_about(
    *, rng: random.Random, ref: Reference, arch: dict, who: _Identity, history: list[tuple[int, str, str, Decimal]],
) -> str:
    """The person's "about me" text: one of the archetype's, in their language, filled in for them."""
    job = ""
    if history:
        occupation = next(o for o in ref.occupations.values() if o.pk == history[0][0])
        job = occupation.label_en if who.english else occupation.label(language="lv")
    texts = arch["about_en"] if who.english else arch["about_lv"]
    texts = [t for t in texts if history or "{job}" not in t] or texts
    town = who.town
    return fill(
        rng.choice(texts) if texts else "",
        who.gender,
        {
            "town": town, "town_in": TOWN_LOCATIVE.get(town, town), "town_of": TOWN_GENITIVE.get(town, town),
            "job": job or "—", "years": years_text(history[0][3], who.english) if history else "1",
            "studies": who.studies,
            "age": who.age,
        },
    )


def _archetype_fields(
    *, rng: random.Random, ref: Reference, arch: dict, who: _Identity, today: dt.date, consent_day: dt.date,
    discoverable: bool, counsellor: str | None, about: str,
) -> dict[str, Any]:
    """The profile's columns; the RIASEC answers first, then the draws in the dict's order."""
    minor = who.age < 18
    riasec = riasec_answers(rng, arch["riasec"].upper()) if rng.random() < arch["riasec_answered"] else {
        f"riasec_{letter}": None for letter in "riasec"
    }
    return {
        "kind": arch["kind"],
        "employment_status": arch["employment_status"],
        "birth_year": today.year - who.age,
        "gender": who.gender,
        "town_id": ref.towns[who.town].pk,
        "max_commute_km": int(round(rng.randint(*arch["commute"]) / 5) * 5),
        "willing_to_relocate": (not minor) and rng.random() < arch["relocate"],
        "highest_education": EDUCATION[rng.choice(arch["education"])],
        "current_studies": who.studies,
        "about": about,
        **riasec,
        "available_hours": rng.choice(arch["hours"]),
        "available_from": today + dt.timedelta(days=rng.randint(*arch["available_in_days"])),
        "consent_processing": True,
        "consent_processing_at": at(consent_day),
        "consent_discoverable": discoverable,
        "consent_discoverable_at": at(consent_day, 11) if discoverable else None,
        "consent_counsellor": counsellor is not None,
        "consent_counsellor_at": at(consent_day, 12) if counsellor else None,
        # A counsellor's choice for an adult only (minors are supervised by age); no draw for minors, as before.
        "supervised": (not minor) and counsellor is not None and rng.random() < arch["supervised"],
        "minor_visible_to_employers": minor and rng.random() < arch["minor_visible"],
    }


# ----------------------------------------------------------------------------------------------- writes


def candidate_profiles_sync(
    *, planned: list[PlannedCandidate], users: dict[str, User], counsellors: dict[str, Counsellor],
) -> list[tuple[PlannedCandidate, CandidateProfile]]:
    """Write the planned profiles and their children; returns (plan, profile) pairs in plan order."""
    user_ids = [users[c.user.username].pk for c in planned]
    existing_profiles = {p.user_id: p for p in CandidateProfile.objects.filter(user_id__in=user_ids)}
    profiles = upsert(
        CandidateProfile,
        existing_profiles,
        {
            users[c.user.username].pk: {
                "user_id": users[c.user.username].pk,
                **c.fields,
                "counsellor_id": counsellors[c.counsellor_key].pk if c.counsellor_key else None,
            }
            for c in planned
        },
    )
    pairs = [(c, profiles[users[c.user.username].pk]) for c in planned]
    _candidate_children_sync(pairs=pairs)
    return pairs


def _candidate_children_sync(*, pairs: list[tuple[PlannedCandidate, CandidateProfile]]) -> None:
    profile_ids = [p.pk for _, p in pairs]
    sync_children(CandidateSkill, "candidate_id", profile_ids, "skill_id",
                  {p.pk: {sid: {"proficiency": lvl} for sid, lvl in c.skills.items()} for c, p in pairs})
    sync_children(CandidateLanguage, "candidate_id", profile_ids, "language",
                  {p.pk: {code: {"level": lvl} for code, lvl in c.languages.items()} for c, p in pairs})
    sync_children(WorkExperience, "candidate_id", profile_ids, "occupation_id",
                  {p.pk: {occ: {"title": title, "employer_name": emp, "years": years}
                          for occ, title, emp, years in c.history} for c, p in pairs})
    sync_children(CandidateProfile.target_occupations.through, "candidateprofile_id", profile_ids, "occupation_id",
                  {p.pk: {occ: {} for occ in c.targets} for c, p in pairs})
