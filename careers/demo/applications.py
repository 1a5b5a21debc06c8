"""Demo applications of generated candidates to open vacancies and programme intakes, backdated over weeks."""
from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from careers.models import Application, CandidateProfile, Intake, Vacancy

from .candidates import PlannedCandidate
from .common import KURZEME, at, section_rng, weighted
from .logins import JOURNEY_USERNAMES
from .reference import Reference
from .sync import upsert

JOB_STATUSES = {"submitted": 35, "viewed": 20, "shortlisted": 15, "rejected": 15, "hired": 7, "withdrawn": 8}
INTAKE_STATUSES = {"submitted": 50, "enrolled": 25, "rejected": 10, "withdrawn": 15}
MESSAGE_LV = "Labdien! Piesakos šai vakancei, CV pievienots profilā."
MESSAGE_EN = "Hello, I am applying for this position; my CV is in my profile."


def applications_load(
    *, pairs: list[tuple[PlannedCandidate, CandidateProfile]], vacancies: list[Vacancy], ref: Reference,
    today: dt.date,
) -> None:
    vacancy_rows, intake_rows = _applications_plan(pairs=pairs, vacancies=vacancies, ref=ref, today=today)
    _applications_sync(vacancy_rows=vacancy_rows, intake_rows=intake_rows, today=today)


def _applications_plan(
    *, pairs: list[tuple[PlannedCandidate, CandidateProfile]], vacancies: list[Vacancy], ref: Reference,
    today: dt.date,
) -> tuple[dict, dict]:
    """(candidate, vacancy) -> row and (candidate, intake) -> row; ``_days_ago`` is the backdating, not a column."""
    rng = section_rng("applications")
    open_vacancies = sorted(
        (v for v in vacancies if v.status == Vacancy.Status.OPEN and v.employer.verified),
        key=lambda v: (v.employer.name, v.title, v.town.name),
    )
    intakes = [i for i in ref.intakes if i.application_deadline >= today - dt.timedelta(days=60)]
    vacancy_rows: dict[tuple, dict] = {}
    intake_rows: dict[tuple, dict] = {}
    for plan, profile in pairs:
        if plan.user.username in JOURNEY_USERNAMES:
            continue  # the journey logins apply during the demo itself
        age = today.year - plan.fields["birth_year"]
        town = next(t for t in ref.towns.values() if t.pk == plan.fields["town_id"]).name
        region = KURZEME if town in KURZEME else set(ref.towns) - KURZEME
        wanted = set(plan.targets) | {h[0] for h in plan.history}
        if rng.random() < (0.25 if age < 18 else 0.4):
            fitting = [
                v for v in open_vacancies
                if v.town.name in region and v.min_age <= age and (v.occupation_id in wanted or age < 18)
            ]
            vacancy_rows.update(_job_applications(rng=rng, profile=profile, fitting=fitting))
        if intakes and rng.random() < 0.25:
            intake_rows.update(_intake_application(rng=rng, profile=profile, intakes=intakes, wanted=wanted,
                                                   region=region))
    return vacancy_rows, intake_rows


def _job_applications(*, rng: random.Random, profile: CandidateProfile, fitting: list[Vacancy]) -> dict[tuple, dict]:
    rows = {}
    for vacancy in rng.sample(fitting, k=min(len(fitting), rng.randint(1, 3))):
        rows[(profile.pk, vacancy.pk)] = {
            "candidate_id": profile.pk, "vacancy_id": vacancy.pk, "intake_id": None,
            "status": weighted(rng, JOB_STATUSES),
            "message": "" if rng.random() < 0.5 else (MESSAGE_LV if rng.random() < 0.8 else MESSAGE_EN),
            "_days_ago": rng.randint(0, 20),
        }
    return rows


def _intake_application(
    *, rng: random.Random, profile: CandidateProfile, intakes: list[Intake], wanted: set[int], region: set[str],
) -> dict[tuple, dict]:
    """At most one application: to an intake leading where the person wants to go, else to one in their region."""
    fitting = [i for i in intakes if set(o.pk for o in i.programme.leads_to.all()) & wanted]
    fitting = fitting or [i for i in intakes if i.programme.institution.town.name in region]
    if not fitting:
        return {}
    intake = rng.choice(fitting)
    return {(profile.pk, intake.pk): {
        "candidate_id": profile.pk, "vacancy_id": None, "intake_id": intake.pk,
        "status": weighted(rng, INTAKE_STATUSES), "message": "",
        "_days_ago": rng.randint(0, 40),
    }}


def _applications_sync(*, vacancy_rows: dict, intake_rows: dict, today: dt.date) -> None:
    candidate_ids = {key[0] for key in (*vacancy_rows, *intake_rows)}
    existing_v, existing_i = {}, {}
    for app in Application.objects.filter(candidate_id__in=candidate_ids):
        if app.vacancy_id:
            existing_v[(app.candidate_id, app.vacancy_id)] = app
        else:
            existing_i[(app.candidate_id, app.intake_id)] = app
    for existing, rows in ((existing_v, vacancy_rows), (existing_i, intake_rows)):
        clean = {key: {k: v for k, v in row.items() if not k.startswith("_")} for key, row in rows.items()}
        _backdate(result=upsert(Application, existing, clean), rows=rows, today=today)


def _backdate(*, result: dict[tuple, Application], rows: dict[tuple, dict], today: dt.date) -> None:
    # created_at is auto_now_add; backdate it so outcomes spread over the last weeks like real ones.
    by_day: dict[int, list[int]] = defaultdict(list)
    for key, obj in result.items():
        by_day[rows[key]["_days_ago"]].append(obj.pk)
    for days, ids in by_day.items():
        stamp = at(today - dt.timedelta(days=days), 9)
        Application.objects.filter(pk__in=ids).exclude(created_at=stamp).update(created_at=stamp, updated_at=stamp)
