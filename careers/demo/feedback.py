"""A seeded, invented feedback history for the demo: served jobs lists and what people did with them.

So that ``train_ranker`` has something to learn from in a fresh demo (issue 6, learning to rank):

* **Lists** are the real index's jobs lists (``MatchIndex`` fitted on the demo data, the features the API logs),
  logged through :func:`careers.services.oversight.log_served_list` for generated demo candidates (never the journey
  logins: their lists stay theirs to make during the demo), backdated over the last eight weeks.
* **Candidates** behave plausibly, not by the hand weights: they look at the top of a list more than the bottom
  (position bias), apply to close jobs whose essential skills they mostly cover, save promising ones, dismiss jobs
  beyond an easy commute or far from their skills. Distance matters to them far more than the 0.05 the hand weights
  give it, so a learned ranker has something real to find; the behaviour has noise, so it does not trivially win.
* **Employers** (those with a demo member login) shortlist, reject or hire candidates who applied; a demo
  application whose status is shortlisted, rejected or hired and whose vacancy was listed gives the matching events.
* **Counsellors** review part of their candidates' lists: approve, or reject with a reason (location, skills
  mismatch, not ready).

Idempotent: the events carry ``client_event_id`` ``demo-history:…``; when any exists the history is not written
again (the whole demo load is one transaction, so it is all there or none of it).
"""
from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, models
from django.utils import timezone

from careers.frames import match_frames
from careers.models import (
    Application, CandidateProfile, Employer, FeedbackEvent, RecommendationKind, RecommendationList, Review, ReviewLog,
    Vacancy,
)
from careers.services.oversight import MODEL_VERSION, log_served_list
from careers.services.ranking import job_features
from matching.index import MatchIndex

MARK = "demo-history:"
SEED = 2026
LISTS = 130  # served lists (about one in ten gets no reaction at all)
TOP_K = 10
MIN_ITEMS = 3
DAYS = 56
JOBS = RecommendationKind.JOBS


@dataclass
class Served:
    number: int
    candidate: CandidateProfile
    at: dt.datetime
    items: list[dict]  # item_key, rank, score, features, vacancy_id
    row: RecommendationList | None = None


def load_feedback_history(*, today: dt.date, exclude_usernames: set[str]) -> dict[str, int]:
    """Write the history once (see the module docstring); returns what was written (zeros on a re-run)."""
    if FeedbackEvent.objects.filter(client_event_id__startswith=MARK).exists():
        return {"history lists": 0, "history events": 0, "history reviews": 0}
    rng = random.Random(f"{SEED}:feedback-history")
    served = _serve_lists(rng, today, exclude_usernames)
    candidate_events = _candidate_events(rng, served)
    events = candidate_events + _employer_events(rng, served, candidate_events, today)
    reviews = _reviews(rng, served, today)
    _write_events(events)
    _write_reviews(reviews)
    return {"history lists": len(served), "history events": len(events), "history reviews": len(reviews)}


# ------------------------------------------------------------------------------------------- lists
def _serve_lists(rng: random.Random, today: dt.date, exclude: set[str]) -> list[Served]:
    frames = match_frames()
    if frames.vacancies.empty or frames.candidates.empty:
        return []
    index = MatchIndex(**(getattr(settings, "MATCHING_INDEX_PARAMS", None) or {})).fit(frames)
    indexed = set(frames.candidates["candidate_id"].tolist())
    people = [c for c in CandidateProfile.objects.select_related("user", "counsellor__user").order_by("user__username")
              if c.pk in indexed and c.user.username not in exclude]
    # Too short a list says little about order (counted without explanations: they are built for served lists).
    people = [c for c in people if len(index.recommend_jobs(c.pk, TOP_K, explain=False)) >= MIN_ITEMS]
    rng.shuffle(people)
    # Everyone once; the first few come back for a second list a few weeks later.
    visits = [(c, 0) for c in people[:LISTS]] + [(c, 1) for c in people[: max(0, LISTS - len(people))]]
    start = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=DAYS), dt.time(8, 0)))
    served: list[Served] = []
    lists = {c.pk: index.recommend_jobs(c.pk, TOP_K) for c, visit in visits if not visit}
    for number, (candidate, visit) in enumerate(visits):
        day = rng.randint(0, DAYS // 2 - 1) + visit * DAYS // 2
        at = start + dt.timedelta(days=day, minutes=rng.randint(0, 10 * 60))
        items = [{"item_key": f"vacancy:{row.vacancy_id}", "rank": int(row.rank), "score": float(row.score),
                  "features": job_features(row.explanation), "vacancy_id": int(row.vacancy_id)}
                 for row in lists[candidate.pk].itertuples()]
        served.append(Served(number, candidate, at, items))
    for s in served:
        s.row = log_served_list(requested_by=s.candidate.user, candidate=s.candidate, kind=JOBS,
                                items=s.items, model_version=MODEL_VERSION)
    _backdate(RecommendationList, "created_at", [(s.row.pk, s.at) for s in served])
    return served


# ------------------------------------------------------------------------------------------- behaviour
def _appeal(parts: dict, rng: random.Random) -> float:
    """How much a candidate wants the job: skills they have, the work they are after, closeness; plus noise.

    Not the hand weights: people care far more about the occupation they are after and the commute (0.10 and 0.05
    by hand) and hardly about text similarity or the taxonomy profile (0.10 and 0.20 by hand).
    """
    return (1.6 * parts.get("essential", 0) + 1.4 * parts.get("occupation", 0) + 1.8 * parts.get("distance", 0)
            + 0.4 * parts.get("proficiency", 0) + 0.3 * parts.get("contract", 0) - 2.4 + rng.gauss(0, 0.25))


def _candidate_events(rng: random.Random, served: list[Served]) -> list[dict]:
    events = []
    for s in served:
        if rng.random() < 0.1:
            continue  # never looked at the list
        patience = rng.uniform(0.97, 1.0)
        for item in s.items:
            if rng.random() > 0.95 * patience ** (item["rank"] - 1):
                continue  # not looked at: position bias
            parts = item["features"]["parts"]
            appeal = _appeal(parts, rng)
            at = s.at + dt.timedelta(minutes=rng.randint(1, 90))
            events.append(_event(s, item, "viewed", at, s.candidate.user_id))
            later = at + dt.timedelta(hours=rng.randint(1, 72))
            if appeal > 0.15 and rng.random() < 1 / (1 + math.exp(-4 * (appeal - 0.35))):
                events.append(_event(s, item, "applied", later, s.candidate.user_id))
            elif appeal > -0.25 and rng.random() < 0.45:
                events.append(_event(s, item, "saved", later, s.candidate.user_id))
            elif (parts.get("distance", 1) < 0.3 or appeal < -0.4) and rng.random() < 0.7:
                events.append(_event(s, item, "dismissed", later, s.candidate.user_id))
    return events


def _employer_events(rng: random.Random, served: list[Served], candidate_events: list[dict],
                     today: dt.date) -> list[dict]:
    """Employers with a demo member answer applications: from the simulated ones and the demo applications."""
    listed = {(s.candidate.pk, item["vacancy_id"]): (s, item) for s in served for item in s.items}
    members = _employer_members({v for _, v in listed})
    applied = {(e["candidate"].pk, e["item"]["vacancy_id"]): e for e in candidate_events if e["event"] == "applied"}
    statuses = dict(((c, v), st) for c, v, st in Application.objects.filter(
        vacancy_id__in={v for _, v in listed}).values_list("candidate_id", "vacancy_id", "status"))
    limit = timezone.make_aware(dt.datetime.combine(today, dt.time(7, 0)))
    events = []
    for key, (s, item) in sorted(listed.items(), key=lambda kv: (kv[1][0].number, kv[1][1]["rank"])):
        member = members.get(item["vacancy_id"])
        status = statuses.get(key)
        if status in ("shortlisted", "rejected", "hired") and key not in applied:
            at = s.at + dt.timedelta(hours=rng.randint(2, 48))
            events.append(_event(s, item, "applied", min(at, limit), s.candidate.user_id))
            applied[key] = events[-1]
        if member is None or key not in applied:
            continue
        if status not in ("shortlisted", "rejected", "hired"):
            essential = item["features"]["parts"].get("essential", 0)
            status = "shortlisted" if rng.random() < 0.2 + 0.6 * essential else "rejected"
            status = "hired" if status == "shortlisted" and rng.random() < 0.3 else status
        at = min(applied[key]["at"] + dt.timedelta(days=rng.randint(1, 6)), limit)
        events.append(_event(s, item, status, at, member))
    return events


def _event(s: Served, item: dict, event: str, at: dt.datetime, actor_id: int) -> dict:
    return {"served": s, "candidate": s.candidate, "item": item, "event": event, "at": at, "actor_id": actor_id}


def _employer_members(vacancy_ids: set[int]) -> dict[int, int]:
    """vacancy id → the user id of one member of its employer (the first by username), where it has one."""
    employer_of = dict(Vacancy.objects.filter(pk__in=vacancy_ids).values_list("pk", "employer_id"))
    first_member: dict[int, int] = {}
    links = Employer.members.through.objects.filter(employer_id__in=set(employer_of.values()))
    for employer_id, user_id in links.order_by("employer_id", "user__username").values_list("employer_id", "user_id"):
        first_member.setdefault(employer_id, user_id)
    return {v: first_member[e] for v, e in employer_of.items() if e in first_member}


def _reviews(rng: random.Random, served: list[Served], today: dt.date) -> list[dict]:
    seen, reviews = set(), []
    existing = set(Review.objects.filter(kind=JOBS, candidate_id__in={s.candidate.pk for s in served})
                   .values_list("candidate_id", "item_key"))
    limit = timezone.make_aware(dt.datetime.combine(today, dt.time(7, 0)))
    for s in served:
        counsellor = s.candidate.counsellor
        if counsellor is None or rng.random() < 0.35:
            continue
        for item in s.items[: rng.randint(2, 6)]:
            key = (s.candidate.pk, item["item_key"])
            if key in seen or key in existing:
                continue
            seen.add(key)
            parts = item["features"]["parts"]
            decision, reason, note = "approved", "", ""
            if parts.get("distance", 1) < 0.3 and not item["features"]["remote"]:
                decision, reason, note = "rejected", "location", "Pārāk tālu no mājām."
            elif parts.get("essential", 0) < 0.35:
                decision, reason, note = "rejected", "skills_mismatch", "Trūkst galveno prasmju."
            elif s.candidate.is_supervised and rng.random() < 0.15:
                decision, reason, note = "rejected", "not_ready", "Vispirms jāpabeidz mācības."
            at = min(s.at + dt.timedelta(hours=rng.randint(3, 96)), limit)
            reviews.append({"candidate_id": s.candidate.pk, "item_key": item["item_key"], "decision": decision,
                            "reason": reason, "note": note, "counsellor_id": counsellor.user_id, "at": at})
    return reviews


# ------------------------------------------------------------------------------------------- writes
def _write_events(events: list[dict]) -> None:
    created = FeedbackEvent.objects.bulk_create([
        FeedbackEvent(actor_id=e["actor_id"], candidate=e["candidate"], kind=JOBS, item_key=e["item"]["item_key"],
                      event=e["event"], client_event_id=f"{MARK}{e['served'].number}:{e['item']['rank']}:{e['event']}")
        for e in events], batch_size=500)
    _backdate(FeedbackEvent, "created_at", [(obj.pk, e["at"]) for obj, e in zip(created, events)])


def _write_reviews(reviews: list[dict]) -> None:
    objs = Review.objects.bulk_create([
        Review(candidate_id=r["candidate_id"], kind=JOBS, item_key=r["item_key"], decision=r["decision"],
               reason=r["reason"], note=r["note"], counsellor_id=r["counsellor_id"], version=1) for r in reviews],
        batch_size=500)
    _backdate(Review, "updated_at", [(obj.pk, r["at"]) for obj, r in zip(objs, reviews)])
    logs = ReviewLog.objects.bulk_create([
        ReviewLog(review=obj, actor_id=r["counsellor_id"], decision=r["decision"], reason=r["reason"],
                  note=r["note"], version=1) for obj, r in zip(objs, reviews)], batch_size=500)
    _backdate(ReviewLog, "created_at", [(log.pk, r["at"]) for log, r in zip(logs, reviews)])


def _backdate(model: type[models.Model], field_name: str, stamps: list[tuple[int, dt.datetime]]) -> None:
    """Set an ``auto_now(_add)`` column (which ``save``/``bulk_create`` overwrite) to history times: one
    parametrised UPDATE run for all rows (``bulk_update`` builds a CASE per row: seconds for a thousand rows)."""
    ops = connection.ops
    column = ops.quote_name(model._meta.get_field(field_name).column)
    sql = (f"UPDATE {ops.quote_name(model._meta.db_table)} SET {column} = %s "
           f"WHERE {ops.quote_name(model._meta.pk.column)} = %s")
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(ops.adapt_datetimefield_value(at), pk) for pk, at in stamps])

