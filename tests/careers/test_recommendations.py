"""The in-process match service: built once, fresh within the probe interval, incremental or refitted.

The clock is injected (no sleeping): advancing it past ``probe_seconds`` makes the next request probe.
"""
from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from careers.models import Vacancy, VacancySkill
from careers.runtime.matches import MatchService, set_match_service
from careers.services.vacancies import vacancy_create, vacancy_set_status, vacancy_update
from tests import factories as f

PROBE = 5.0


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class World:
    """Two towns 120 km apart, a welder in Valmiera, welding and cooking vacancies."""

    def __init__(self) -> None:
        self.valmiera = f.TownFactory(name="Valmiera", latitude=57.54108, longitude=25.42751)
        self.ventspils = f.TownFactory(name="Ventspils", latitude=57.3894, longitude=21.5606)
        self.weld = f.SkillFactory(label_en="welding", label_lv="metināšana")
        self.tig = f.SkillFactory(label_en="TIG welding", label_lv="TIG metināšana")
        self.cook = f.SkillFactory(label_en="cook dishes", label_lv="ēdienu gatavošana")
        self.welder = f.OccupationFactory(label_en="welder", label_lv="metinātājs")
        self.chef = f.OccupationFactory(label_en="cook", label_lv="pavārs")
        f.OccupationSkillFactory(occupation=self.welder, skill=self.weld)
        f.OccupationSkillFactory(occupation=self.welder, skill=self.tig)
        f.OccupationSkillFactory(occupation=self.chef, skill=self.cook)
        self.employer = f.EmployerFactory(town=self.valmiera)
        self.member = f.EmployerMemberFactory(employer=self.employer)
        self.welding_job = self.vacancy("Metinātājs", self.welder, [(self.weld, True), (self.tig, True)])
        self.cooking_job = self.vacancy("Pavārs", self.chef, [(self.cook, True)])
        self.candidate = f.CandidateFactory(town=self.valmiera, max_commute_km=30, about="Metinātājs ar pieredzi")
        f.CandidateSkillFactory(candidate=self.candidate, skill=self.weld, proficiency=4)

    def vacancy(self, title, occupation, skills, *, town=None, employer=None):
        vacancy = f.VacancyFactory(employer=employer or self.employer, title=title, occupation=occupation,
                                   town=town or self.valmiera, description=title)
        for skill, essential in skills:
            f.VacancySkillFactory(vacancy=vacancy, skill=skill, essential=essential)
        return vacancy


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def service(clock):
    service = MatchService(clock=clock, probe_seconds=PROBE, background=False)
    previous = set_match_service(service)
    yield service
    set_match_service(previous)


@pytest.fixture
def world(db) -> World:
    return World()


def job_ids(service: MatchService, candidate) -> list[int]:
    candidate.refresh_from_db()
    frame = service.jobs_for(candidate=candidate, k=10)
    return frame["vacancy_id"].tolist()


def test_the_index_is_built_once_and_reused_by_later_requests(service, world, clock):
    first = service.state()
    clock.advance(PROBE * 3)  # probes run, but nothing changed: no rebuild
    assert job_ids(service, world.candidate)[0] == world.welding_job.pk
    assert service.state() is first
    assert service.log and all(entry["action"] == "incremental" for entry in service.log)


def test_a_new_vacancy_shows_once_the_probe_interval_has_passed(service, world, clock):
    service.state()
    new = vacancy_create(employer=world.employer, fields={
        "title": "TIG metinātājs", "description": "TIG metināšana", "town": world.valmiera, "contract_kind": "permanent",
        "hours": "full_time", "occupation": world.welder, "salary_min": 1200, "salary_max": 1500,
    }, skills=[(world.weld, True), (world.tig, False)])
    vacancy_set_status(vacancy=new, status="open")
    assert new.pk not in job_ids(service, world.candidate)  # the probe is not due yet
    clock.advance(PROBE)
    assert new.pk in job_ids(service, world.candidate)
    assert service.log[-1]["action"] == "incremental" and service.log[-1]["vacancies_upserted"] == 1


def test_editing_a_vacancys_skills_changes_its_explanation_after_the_probe(service, world, clock):
    service.state()
    vacancy_update(vacancy=world.cooking_job, fields={"title": "Metinātājs virtuvē"}, skills=[(world.weld, True)])
    clock.advance(PROBE)
    world.candidate.refresh_from_db()
    frame = service.jobs_for(candidate=world.candidate, k=10).set_index("vacancy_id")
    explanation = frame.loc[world.cooking_job.pk, "explanation"]
    assert [s["skill_id"] for s in explanation["matched_skills"]] == [world.weld.pk]
    assert explanation["missing_essential"] == []


def test_a_closed_vacancy_leaves_the_list_after_the_probe(service, world, clock):
    assert world.welding_job.pk in job_ids(service, world.candidate)
    vacancy_set_status(vacancy=world.welding_job, status="closed")
    clock.advance(PROBE)
    assert world.welding_job.pk not in job_ids(service, world.candidate)
    assert service.log[-1]["vacancies_removed"] == 1


def test_unverifying_an_employer_removes_its_vacancies_without_touching_them(service, world, clock):
    assert world.welding_job.pk in job_ids(service, world.candidate)
    type(world.employer).objects.filter(pk=world.employer.pk).update(verified=False)
    clock.advance(PROBE)
    assert job_ids(service, world.candidate) == []


def test_a_link_row_written_without_touching_its_parent_triggers_a_full_refit(service, world, clock):
    first = service.state()
    VacancySkill.objects.create(vacancy=world.cooking_job, skill=world.weld, essential=True)  # parent not saved
    clock.advance(PROBE)
    assert world.cooking_job.pk in job_ids(service, world.candidate)
    assert service.log[-1] == {"action": "refit", "reason": "link rows changed without their parent"}
    assert service.state() is not first


def test_more_changes_than_the_incremental_limit_refit_instead(service, world, clock):
    service.max_incremental = 1
    first = service.state()
    for title in ("Metinātājs A", "Metinātājs B"):
        world.vacancy(title, world.welder, [(world.weld, True)])
    clock.advance(PROBE)
    assert len(job_ids(service, world.candidate)) == 3
    assert service.log[-1]["action"] == "refit" and service.state() is not first


def test_a_taxonomy_change_refits_the_index_and_the_extractor(service, world, clock):
    service.state()
    assert service.extract_skills("Prot lodēt", top_k=5, language="lv") == []
    f.SkillFactory(label_en="soldering", label_lv="lodēšana", alt_labels_lv=["lodēt"])
    clock.advance(PROBE)
    service.state()
    assert service.log[-1] == {"action": "refit", "reason": "taxonomy changed"}
    assert [m.label for m in service.extract_skills("Prot lodēt", top_k=5, language="lv")] == ["lodēšana"]


def test_the_candidates_own_edit_shows_at_once_without_waiting_for_the_probe(service, world, clock):
    assert world.cooking_job.pk not in job_ids(service, world.candidate)
    f.CandidateSkillFactory(candidate=world.candidate, skill=world.cook, proficiency=3)
    world.candidate.save()  # as the account service does: the parent is saved with its skills
    assert world.cooking_job.pk in job_ids(service, world.candidate)


def test_withdrawn_processing_consent_removes_the_candidate(service, world, clock):
    service.state()
    world.candidate.consent_processing = False
    world.candidate.save()
    assert service.jobs_for(candidate=world.candidate, k=10) is None
    vacancy = Vacancy.objects.get(pk=world.welding_job.pk)
    assert service.candidates_for(vacancy=vacancy, k=10, among=None)["candidate_id"].tolist() == []


def test_a_candidate_edited_by_someone_else_shows_for_the_vacancy_after_the_probe(service, world, clock):
    other = f.CandidateFactory(town=world.valmiera)
    vacancy = Vacancy.objects.get(pk=world.cooking_job.pk)
    assert other.pk not in service.candidates_for(vacancy=vacancy, k=10, among=None)["candidate_id"].tolist()
    f.CandidateSkillFactory(candidate=other, skill=world.cook)
    other.save()
    assert other.pk not in service.candidates_for(vacancy=vacancy, k=10, among=None)["candidate_id"].tolist()
    clock.advance(PROBE)
    assert other.pk in service.candidates_for(vacancy=vacancy, k=10, among=None)["candidate_id"].tolist()


def test_a_ventspils_job_is_left_out_for_a_valmiera_candidate_with_a_30_km_limit(service, world, clock):
    far = world.vacancy("Metinātājs Ventspilī", world.welder, [(world.weld, True)], town=world.ventspils)
    assert far.pk not in job_ids(service, world.candidate)
    world.candidate.willing_to_relocate = True
    world.candidate.save()
    assert far.pk in job_ids(service, world.candidate)


def test_build_index_prints_counts_and_build_time(world):
    out = io.StringIO()
    call_command("build_index", stdout=out)
    text = out.getvalue()
    assert "match index: 2 public vacancies (3 skill links), 1 candidates (1 skill links)" in text
    assert "built in" in text and "taxonomy models:" in text


@pytest.mark.django_db
def test_evaluate_matching_prints_every_metric_and_beats_random_on_the_curated_taxonomy():
    call_command("load_reference", stdout=io.StringIO())
    out = io.StringIO()
    call_command("evaluate_matching", "--seed", "3", "--candidates", "150", "--occupations", "40",
                 "--path-candidates", "60", stdout=out)
    text = out.getvalue()
    metrics = {}
    for line in text.splitlines():
        if line.startswith("metric "):
            _, name, system, value = line.split()
            metrics[(name, system)] = float(value)
    for name in ("P@10", "R@10", "nDCG@10", "MRR", "coverage"):
        for system in ("MatchIndex", "random", "tfidf"):
            assert 0.0 <= metrics[(name, system)] <= 1.0, (name, system)
    for name in ("RP@5", "MRR"):
        assert 0.0 <= metrics[(name, "extraction")] <= 1.0
    assert 0.0 <= metrics[("MRR", "titles")] <= 1.0
    assert metrics[("nDCG@10", "MatchIndex")] > metrics[("nDCG@10", "random")]
    for system in ("PathFinder", "popularity"):
        assert 0.0 <= metrics[("top5_teach_missing", system)] <= 1.0
        assert metrics[("unlocked_top_pathway", system)] >= 0.0
    assert metrics[("top5_teach_missing", "PathFinder")] > metrics[("top5_teach_missing", "popularity")]
    assert "candidates 150" in text and "vacancies 400" in text
    # Seeded: a second run prints the same figures.
    again = io.StringIO()
    call_command("evaluate_matching", "--seed", "3", "--candidates", "150", "--occupations", "40",
                 "--path-candidates", "60", stdout=again)
    assert [l for l in again.getvalue().splitlines() if l.startswith("metric ")] == \
        [l for l in text.splitlines() if l.startswith("metric ")]


@pytest.mark.django_db(transaction=True)
def test_in_background_mode_the_probe_runs_in_a_thread_and_the_request_does_not_wait(clock):
    world = World()
    service = MatchService(clock=clock, probe_seconds=PROBE, background=True)
    service.state()
    new = world.vacancy("Metinātājs B", world.welder, [(world.weld, True)])
    clock.advance(PROBE)
    service.state()  # notices the probe is due and starts it in a thread
    assert service._worker is not None
    service._worker.join(timeout=60)
    assert not service._worker.is_alive()
    assert service.log[-1]["action"] == "incremental" and service.log[-1]["vacancies_upserted"] == 1
    assert new.pk in job_ids(service, world.candidate)


def test_a_full_build_settles_the_heap_so_collections_skip_the_index(world, service, settings):
    import gc

    from careers.runtime.heap import settle_heap

    settings.MATCHING_SETTLE_HEAP = False
    gc.unfreeze()
    assert settle_heap() is False and gc.get_freeze_count() == 0
    service.build()
    assert gc.get_freeze_count() == 0
    settings.MATCHING_SETTLE_HEAP = True
    try:
        state = service.build()
        assert gc.get_freeze_count() > 0
        # gc.get_objects() lists the generations the collector walks; frozen objects are not among them.
        walked = {id(o) for o in gc.get_objects()}
        assert gc.is_tracked(state) and id(state) not in walked and id(state.index) not in walked
        fresh = [["made after the settle"]]
        assert id(fresh) in {id(o) for o in gc.get_objects()}
    finally:
        gc.unfreeze()
