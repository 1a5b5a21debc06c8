"""The jobs list as a person reads it (issue 10): skill matches, then entry jobs; the score shown ordered it; an
empty list says why; the audit command counts what a person would object to."""
from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from careers.models import ContractKind, EducationLevel, HoursKind, RecommendationList
from careers.results import ENTRY_JOB, NO_SKILLS_YET as NO_SKILLS, NO_VACANCIES_WITHIN_REACH, NOTHING_FITS, SKILL_MATCH
from careers.runtime.matches import MatchService, set_match_service
from careers.selectors.explanations import served_item_explanation
from careers.services.recommendations import candidate_job_recommendations
from tests import factories as f

pytestmark = pytest.mark.django_db
REALISTIC = {"riasec_r": 6.5, "riasec_i": 3.0, "riasec_a": 2.0, "riasec_s": 3.0, "riasec_e": 3.0, "riasec_c": 3.0}
SOCIAL = {"riasec_r": 2.0, "riasec_i": 3.0, "riasec_a": 3.0, "riasec_s": 6.5, "riasec_e": 4.0, "riasec_c": 3.0}


@pytest.fixture(autouse=True)
def service():
    service = MatchService(background=False)
    previous = set_match_service(service)
    yield service
    set_match_service(previous)


class Town:
    """A Valmiera world: a welding job, a ward-helper job whose ad shares words with the pupil's text, summer
    jobs for pupils, a helper post (ISCO 9) and an apprenticeship."""

    def __init__(self) -> None:
        self.valmiera = f.TownFactory(name="Valmiera", latitude=57.54108, longitude=25.42751)
        self.weld = f.SkillFactory(label_en="welding", label_lv="metināšana")
        self.care = f.SkillFactory(label_en="assist patients", label_lv="palīdzēt pacientiem")
        self.welder = f.OccupationFactory(label_en="welder", label_lv="metinātājs", isco_code="7212", **REALISTIC)
        self.ward = f.OccupationFactory(label_en="healthcare assistant", label_lv="aprūpētājs", isco_code="5321",
                                        **SOCIAL)
        self.kitchen = f.OccupationFactory(label_en="kitchen assistant", label_lv="virtuves palīgs", isco_code="9412",
                                           **SOCIAL)
        self.workshop = f.OccupationFactory(label_en="metal workshop helper", label_lv="darbnīcas palīgs",
                                            isco_code="9329", **REALISTIC)
        employer = f.EmployerFactory(town=self.valmiera)
        self.welding = self.job("Metinātājs", self.welder, skills=[self.weld], min_age=16)
        self.ward_job = self.job("Palīgs slimnīcas nodaļā, darbs komandā", self.ward, skills=[self.care],
                                 employer=employer)
        self.summer_kitchen = self.job("Vasaras darbs – virtuves palīgs", self.kitchen, contract=ContractKind.SUMMER_JOB,
                                       min_age=15)
        self.summer_workshop = self.job("Vasaras darbs darbnīcā", self.workshop, contract=ContractKind.SUMMER_JOB,
                                        min_age=15)
        self.adults_summer = self.job("Vasaras darbs – 18+", self.kitchen, contract=ContractKind.SUMMER_JOB, min_age=18)
        self.helper = self.job("Palīgstrādnieks", self.workshop, education=EducationLevel.BASIC)
        self.apprentice = self.job("Māceklis metināšanā", self.welder, contract=ContractKind.APPRENTICESHIP,
                                   min_age=16)

    def job(self, title, occupation, *, skills=(), contract=ContractKind.PERMANENT, min_age=18,
            education=EducationLevel.NONE, employer=None):
        vacancy = f.VacancyFactory(title=title, description=title, occupation=occupation, contract_kind=contract,
                                   min_age=min_age, min_education=education, hours=HoursKind.PART_TIME,
                                   employer=employer or f.EmployerFactory(town=self.valmiera))
        for skill in skills:
            f.VacancySkillFactory(vacancy=vacancy, skill=skill, essential=True)
        return vacancy

    def person(self, *, age: int, skills=(), student: bool, history=None, **fields):
        kind = "student" if student else "reskilling"
        status = "studying" if student else "registered_unemployed"
        person = f.CandidateFactory(town=self.valmiera, max_commute_km=30, kind=kind, employment_status=status,
                                    birth_year=timezone.localdate().year - age, available_hours=["part_time"],
                                    highest_education=EducationLevel.BASIC if age < 18 else EducationLevel.SECONDARY,
                                    **fields)
        for skill in skills:
            f.CandidateSkillFactory(candidate=person, skill=skill)
        if history is not None:
            f.WorkExperienceFactory(candidate=person, occupation=history, years=12)
        return person


@pytest.fixture
def town() -> Town:
    return Town()


def served(person, k: int = 10):
    return candidate_job_recommendations(viewer=None, candidate=person, top_k=k, language="lv")


def test_a_pupil_who_wants_summer_work_sees_the_summer_jobs_for_his_age_labelled_entry(town):
    pupil = town.person(age=16, student=True, about="Man patīk darbs komandā", **REALISTIC)
    jobs = served(pupil)
    ids = [i.vacancy["id"] for i in jobs.items]
    assert town.ward_job.pk not in ids  # shares words of its ad, no skill: not a match of either kind
    assert town.adults_summer.pk not in ids  # 18+ only
    assert town.summer_workshop.pk in ids
    assert town.summer_kitchen.pk not in ids  # against his (realistic) interests, and he has no skill for it
    assert all(i.explanation.match_kind == ENTRY_JOB for i in jobs.items)
    no_answers = town.person(age=16, student=True)
    assert {town.summer_kitchen.pk, town.summer_workshop.pk} <= {i.vacancy["id"] for i in served(no_answers).items}
    workshop = jobs.items[ids.index(town.summer_workshop.pk)]
    assert workshop.explanation.entry["parts"]["interest"] > 0.8
    assert workshop.score == pytest.approx(sum(workshop.explanation.entry["weights"][p] * v
                                               for p, v in workshop.explanation.entry["parts"].items()), abs=1e-4)


def test_skill_matches_come_first_then_entry_jobs_fill_the_list(town):
    pupil = town.person(age=16, student=True, skills=[town.weld], **REALISTIC)
    items = served(pupil).items
    kinds = [i.explanation.match_kind for i in items]
    assert kinds[0] == SKILL_MATCH and items[0].vacancy["id"] == town.welding.pk
    assert set(kinds[1:]) == {ENTRY_JOB} and len(items) == 3  # summer workshop job, apprenticeship (helper: 18+)
    assert [i.score for i in items[1:]] == sorted((i.score for i in items[1:]), reverse=True)
    assert len(served(pupil, k=2).items) == 2  # entry jobs only fill up to top_k


def test_an_experienced_adult_is_not_offered_summer_jobs_or_apprenticeships(town):
    welder = town.person(age=42, student=False, skills=[town.weld], history=town.welder)
    ids = [i.vacancy["id"] for i in served(welder).items]
    assert town.welding.pk in ids and town.helper.pk in ids  # a helper post is open to anyone
    assert town.summer_kitchen.pk not in ids and town.apprentice.pk not in ids


def test_an_empty_list_says_why(town):
    adult = town.person(age=30, student=False, history=town.ward)
    town.helper.delete()
    assert served(adult).items == () and served(adult).reason == NO_SKILLS
    f.CandidateSkillFactory(candidate=adult, skill=f.SkillFactory(label_en="astronomy"))
    adult.save()  # the service saves the parent when skills change; so does this test
    assert served(adult).reason == NOTHING_FITS


def test_a_post_that_trains_beginners_is_an_entry_job_for_an_adult_with_no_skill_for_it(town):
    operator = f.OccupationFactory(label_en="food production operator", label_lv="pārtikas ražošanas operators",
                                   isco_code="8160", **REALISTIC)
    trains = town.job("Ražošanas operators (apmācīsim)", operator, skills=[f.SkillFactory()],
                      education=EducationLevel.BASIC)
    older = town.job("Ražošanas operators 60+ (apmācīsim)", operator, skills=[f.SkillFactory()], min_age=60)
    for post in (trains, older):
        post.experience_required = False
        post.save()
    asks = town.job("Ražošanas operators ar pieredzi", operator, skills=[f.SkillFactory()],
                    education=EducationLevel.BASIC)
    adult = town.person(age=45, student=False, skills=[town.care], history=town.ward, **REALISTIC)
    items = {i.vacancy["id"]: i for i in served(adult).items}
    assert items[trains.pk].explanation.match_kind == ENTRY_JOB
    assert asks.pk not in items  # the same post asking experience, no skill in common: not listed
    assert older.pk not in items  # the hard filters still apply to an entry job (here: age)


def test_an_empty_list_says_when_no_vacancy_is_within_reach_at_all(town):
    far = f.TownFactory(name="Valka", latitude=57.7752, longitude=26.0179)
    adult = town.person(age=30, student=False, skills=[town.weld], history=town.welder)
    adult.town, adult.max_commute_km = far, 10
    adult.save()
    jobs = served(adult)
    assert jobs.items == () and jobs.reason == NO_VACANCIES_WITHIN_REACH
    assert "Tavā tuvumā nav vakanču" in jobs.reason_message


def test_the_score_shown_is_the_learned_rankers_when_it_reordered_the_list(town, monkeypatch):
    from careers.runtime import ranker as runtime_ranker

    class Reverse:
        label = "test-reverse"

        def pool(self, k):
            return k

        def rescore(self, parts, names):  # reverses the hand-weighted order
            return -parts.sum(axis=1)

        def annotate(self, frame):
            return runtime_ranker.HAND.__class__.annotate(self, frame)

    welder = town.person(age=42, student=False, skills=[town.weld, town.care], history=town.welder)
    monkeypatch.setattr("careers.services.recommendations.jobs_ranker", lambda: Reverse())
    items = [i for i in served(welder).items if i.explanation.match_kind == SKILL_MATCH]
    assert len(items) == 2
    assert [i.score for i in items] == sorted((i.score for i in items), reverse=True)
    assert all(i.score == i.explanation.ranker["score"] for i in items)


def test_audit_recommendations_counts_every_list_and_changes_nothing(town):
    town.person(age=16, student=True, **REALISTIC)
    town.person(age=42, student=False, skills=[town.weld], history=town.welder)
    before = RecommendationList.objects.count()
    out = io.StringIO()
    call_command("audit_recommendations", stdout=out)
    text = out.getvalue()
    assert RecommendationList.objects.count() == before
    jobs = next(line for line in text.splitlines() if line.startswith("jobs"))
    people, non_empty, median, items, no_skill, out_of_reach, ineligible, order, empty = jobs.split()[1:10]
    assert (people, non_empty, no_skill, ineligible, order, empty) == ("2", "2", "0", "0", "0", "0")
    assert "adults looking for work with 5+ jobs: 0 of 1 (0%)" in text, text


def test_thirty_years_as_a_welder_count_from_your_work_as_welder(town):
    f.OccupationSkillFactory(occupation=town.welder, skill=town.weld)
    welder = town.person(age=55, student=False, history=town.welder)  # names his work, lists no skill
    jobs = served(welder)
    first = jobs.items[0]
    assert first.vacancy["id"] == town.welding.pk and first.explanation.match_kind == SKILL_MATCH
    assert [(x["skill"]["id"], x["occupation"]["label"]) for x in first.explanation.experience_skills] == [
        (town.weld.pk, "metinātājs")]
    assert first.explanation.missing_essential == [] and first.explanation.essential_from_experience == 1
    said = served_item_explanation(viewer=None, candidate=welder, kind="jobs", item_key=f"vacancy:{town.welding.pk}",
                                   language="lv").sentences
    assert "Pēc Jūsu pieredzes profesijā “metinātājs” Jums visticamāk ir arī: metināšana (apstipriniet tās profilā)." \
        in said
    assert not any("Neviena no" in s for s in said)
