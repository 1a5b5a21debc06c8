"""Protected attributes are never ranking features (issue 6): changing them leaves every ranking as it was.

On the demo world (load_reference + load_demo, loaded once for the module), through the real services
(``careers.runtime.matches.MatchService`` for jobs, ``careers.runtime.paths.PathService`` for programmes and
careers): adults get another gender and another age that keeps them legally eligible for everything they were
(19–45; no demo vacancy asks for more than 18), and every list is the same, item for item and score for score,
both in an index built afresh and in the running index (which upserts the edited profiles). A control changes a real
feature (the town) to show the comparison does see a change. Pathways are left out: written when their search stopped
on a wall-clock budget; it now stops after a count of evaluations (``PathFinder.max_evaluations``), so they could join.
"""
from __future__ import annotations

import pytest
from django.apps import apps
from django.db.models import Max
from django.utils import timezone

from careers.frames import candidates_frame
from careers.models import CandidateProfile, Town, Vacancy
from careers.runtime.paths import PathService
from careers.runtime.matches import MatchService, indexed_candidates
from matching.index import FILTERS
from matching.ltr import check_features
from tests.careers.test_recommendations import PROBE, FakeClock

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_world")]

SAMPLE = 30
ADULT_AGES = (19, 23, 31, 45, 27)
GENDER_SWAP = {"female": "male", "male": "female", "other": "female", "undisclosed": "male"}


def services() -> tuple[MatchService, PathService]:
    clock = FakeClock()
    matches = MatchService(clock=clock, probe_seconds=PROBE, background=False)
    return matches, PathService(matches=lambda: matches, clock=clock, probe_seconds=PROBE, background=False)


def adults() -> list[CandidateProfile]:
    """Indexed adults of 19 or more with skills: every age they get below is as eligible as their own."""
    oldest_birth_year = timezone.localdate().year - 19
    return list(indexed_candidates().filter(birth_year__lte=oldest_birth_year, skill_links__isnull=False)
                .distinct().order_by("pk")[:SAMPLE])


def protected(name: str) -> bool:
    """Whether ``matching.ltr.check_features`` refuses this name as a ranking feature."""
    try:
        check_features([name])
    except ValueError:
        return True
    return False


def _rows(frame, id_column: str) -> list[tuple]:
    return [] if frame is None else [(int(i), round(float(s), 9)) for i, s in zip(frame[id_column], frame["score"])]


def rankings(matches: MatchService, paths: PathService, people: list[CandidateProfile]) -> dict:
    """Every list of each person: (id, score) in rank order."""
    out = {}
    for person in people:
        person = CandidateProfile.objects.get(pk=person.pk)  # what a request would read
        out[person.pk] = {
            "jobs": _rows(matches.jobs_for(candidate=person, k=20), "vacancy_id"),
            "programmes": _rows(paths.programmes_for(candidate=person, k=10), "programme_id"),
            "careers": _rows(paths.careers_for(candidate=person, k=10), "occupation_id"),
        }
    return out


def test_the_sample_is_demo_like_and_has_lists_to_compare():
    people = adults()
    assert len(people) == SAMPLE
    assert len({p.gender for p in people}) >= 2 and len({p.birth_year for p in people}) >= 5
    assert Vacancy.objects.aggregate(oldest=Max("min_age"))["oldest"] <= min(ADULT_AGES)
    before = rankings(*services(), people)
    assert sum(bool(lists["jobs"]) for lists in before.values()) >= SAMPLE // 2
    assert sum(bool(lists["programmes"]) for lists in before.values()) >= SAMPLE // 2
    assert all(lists["careers"] for lists in before.values())


def _change_gender_and_age(people: list[CandidateProfile]) -> None:
    """Another gender and another adult age (19–45) for each; saved, so ``updated_at`` moves."""
    year = timezone.localdate().year
    for index, person in enumerate(people):
        age = ADULT_AGES[index % len(ADULT_AGES)]
        person.gender = GENDER_SWAP[person.gender]
        person.birth_year = year - (age if year - age != person.birth_year else age + 1)
        person.save()


def test_changing_gender_and_age_within_eligibility_changes_no_ranking():
    people = adults()
    original = {p.pk: (p.gender, p.birth_year) for p in people}
    before = rankings(*services(), people)  # an index built on the data as loaded
    _change_gender_and_age(people)
    stored = {pk: (g, b) for pk, g, b in CandidateProfile.objects.filter(pk__in=original)
              .values_list("pk", "gender", "birth_year")}
    year = timezone.localdate().year
    assert all(stored[pk][0] != g and stored[pk][1] != b and year - stored[pk][1] >= 19
               for pk, (g, b) in original.items())
    assert rankings(*services(), people) == before  # an index built afresh on the changed data


def test_the_running_index_upserts_changed_gender_and_age_without_changing_a_ranking():
    people = adults()
    matches, paths = services()
    paths.state()  # build both now, so the saves below are upserts into them
    for person in people:  # the baseline goes through the same upsert path as the change (see the report's note:
        person.save()      # a fitted and an upserted row may break text-term ties differently)
    before = rankings(matches, paths, people)
    _change_gender_and_age(people)
    after = rankings(matches, paths, people)
    versions = matches.state().candidate_versions
    assert all(versions[p.pk] == CandidateProfile.objects.get(pk=p.pk).updated_at for p in people)  # upserted
    assert after == before


def test_the_comparison_sees_a_change_of_a_real_feature():
    """Control: moving people to another town (distance is a ranking feature) changes some ranking."""
    people = adults()
    before = rankings(*services(), people)
    towns = list(Town.objects.order_by("pk"))
    for person in people:
        person.town = next(t for t in reversed(towns) if t.pk != person.town_id)
        person.save()
    after = rankings(*services(), people)
    assert any(after[pk]["jobs"] != before[pk]["jobs"] for pk in before)


def test_age_still_works_as_the_legal_minimum_age_of_a_vacancy():
    """The one place age may act: a 16-year-old no longer gets the vacancies that ask for 18."""
    people = adults()
    matches, _ = services()
    adult_only = set(Vacancy.objects.filter(min_age__gte=18).values_list("pk", flat=True))
    person = next(p for p in people if {v for v, _ in _rows(matches.jobs_for(candidate=p, k=50), "vacancy_id")}
                  & adult_only)
    person.birth_year = timezone.localdate().year - 16
    person.save()
    minor_list = {v for v, _ in _rows(matches.jobs_for(candidate=person, k=50), "vacancy_id")}
    assert not minor_list & adult_only


# ------------------------------------------------------------------------------------- not stored, not features
ALLOWED_PROTECTED_FIELDS = {
    ("CandidateProfile", "gender"),  # kept only for fairness monitoring
    ("CandidateProfile", "birth_year"),  # age: legal eligibility (minimum age) and monitoring
    ("Vacancy", "min_age"),  # the legal minimum age of a job
    ("Programme", "min_age"),  # a programme's admission rule (e.g. adult learning from 25)
    ("Programme", "max_age"),
}


def test_nationality_disability_and_the_like_are_not_stored_anywhere():
    flagged = {(model.__name__, field.name)
               for model in apps.get_app_config("careers").get_models()
               for field in model._meta.get_fields() if protected(field.name)}
    assert flagged == ALLOWED_PROTECTED_FIELDS


def test_no_ranking_feature_is_a_protected_attribute():
    people = adults()
    matches, paths = services()
    state = matches.state()
    check_features(state.index.weights_)  # the score parts of jobs and candidates lists
    person = next(p for p in people if matches.jobs_for(candidate=p, k=5) is not None
                  and len(matches.jobs_for(candidate=p, k=5)))
    explanation = matches.jobs_for(candidate=person, k=5)["explanation"].iloc[0]
    check_features(explanation["parts"])
    check_features(explanation["contributions"])
    for frame in (paths.programmes_for(candidate=person, k=5), paths.careers_for(candidate=person, k=5)):
        check_features(frame["explanation"].iloc[0]["parts"])
    # Age reaches the index only as a hard filter (the vacancy's legal minimum age), never as a score part.
    columns = candidates_frame().columns
    assert {c for c in columns if protected(c)} == {"age"}
    assert "age" in FILTERS and "age" not in state.index.weights_
    assert "gender" not in columns
    assert protected("gender") and protected("nationality") and protected("is_disabled")  # the check does catch them
