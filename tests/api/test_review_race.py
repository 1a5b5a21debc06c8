"""Two reviews of the same item at once, through real threads and real database transactions (issue 6).

Each writer signs in over ``/api/v1/auth/token/`` and sends its ``PUT …/reviews/jobs/{item}/`` from its own thread
(so on its own database connection, in its own transaction). A barrier placed just before the service call lines
the two writes up, so both have read the request and passed the permission checks before either writes: the
compare-and-set in ``careers.services.oversight.save_review`` is all that decides who wins. Exactly one answers
200/201, the other 409 with the stored review; the log holds the winning write only; the loser succeeds when it
resends with the version it was given. Runs on SQLite (the test database the suite configures) and PostgreSQL.
"""
from __future__ import annotations

import os
import sqlite3
import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from api.views import oversight as oversight_views
from careers.models import Review, ReviewLog
from tests import factories as f
from tests.api.test_oversight_e2e import signed_in

pytestmark = pytest.mark.django_db(transaction=True)

# Races per test, each on its own item; REVIEW_RACE_ROUNDS=30 for a longer hunt after changing save_review.
ROUNDS = int(os.environ.get("REVIEW_RACE_ROUNDS", "3"))
BARRIER_SECONDS = 30  # only a hung writer ever waits this long; then the barrier breaks and the test fails


@pytest.fixture(scope="module")
def django_db_setup(django_db_setup, django_db_blocker, tmp_path_factory):
    """On SQLite, run this module on a file copy of the test database (WAL, as configured for production).

    The suite's in-memory SQLite database is shared between threads through SQLite's shared cache, whose table
    locks fail at once ("database table is locked") instead of waiting: no real server behaves like that. A file
    database waits for the other writer (the busy timeout), like PostgreSQL's row locks. PostgreSQL: unchanged.
    """
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    with django_db_blocker.unblock():
        connection.ensure_connection()
        memory, name = connection.connection, connection.settings_dict["NAME"]
        path = tmp_path_factory.mktemp("review-race") / "test.sqlite3"
        copy = sqlite3.connect(path)
        memory.backup(copy)  # schema and migration data, as the suite set them up
        copy.close()
        connection.connection = None  # held in ``memory``: the in-memory database lives on for the other modules
        connection.settings_dict["NAME"] = str(path)
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            connection.close()
            connection.settings_dict["NAME"] = name
            connection.connection = memory


@pytest.fixture
def people() -> dict:
    town = f.TownFactory()
    counsellor = f.CounsellorFactory(town=town)
    candidate = f.CandidateFactory(town=town, counsellor=counsellor, supervised=True)
    return {"counsellor": counsellor.user, "admin": f.AdminUserFactory(), "candidate": candidate}


class Gate:
    """While armed, the view's call of ``save_review`` waits until both writers have reached it."""

    def __init__(self) -> None:
        self.armed = False
        self.barrier = threading.Barrier(2, timeout=BARRIER_SECONDS)


@pytest.fixture
def gate(monkeypatch) -> Gate:
    gate = Gate()
    real = oversight_views.save_review

    def save_review(**kwargs):
        if gate.armed:
            gate.barrier.wait()
        return real(**kwargs)

    monkeypatch.setattr(oversight_views, "save_review", save_review)
    return gate


def race(gate: Gate, requests: list[tuple[APIClient, str, dict]]) -> list:
    """Send the two (client, url, body) PUTs from their own threads at once; the responses in the same order."""
    responses: list = [None] * len(requests)
    failures: list[BaseException] = []

    def send(at: int, client: APIClient, url: str, body: dict) -> None:
        try:
            responses[at] = client.put(url, body, format="json")
        except BaseException as exc:  # re-raised in the test's thread below
            failures.append(exc)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=send, args=(at, *request)) for at, request in enumerate(requests)]
    gate.armed = True
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        gate.armed = False
    if failures:
        raise failures[0]
    return responses


def review_url(candidate, key: str) -> str:
    return f"/api/v1/candidates/{candidate.pk}/reviews/jobs/{key}/"


def split(responses, ok: int):
    """(winner index, loser index) after asserting exactly one ``ok`` and one 409."""
    statuses = sorted(r.status_code for r in responses)
    assert statuses == sorted([ok, 409]), [r.content for r in responses]
    winner = next(at for at, r in enumerate(responses) if r.status_code == ok)
    return winner, 1 - winner


@pytest.mark.parametrize("second", ["admin", "counsellor"])
def test_two_updates_from_the_same_version_at_once_one_wins_one_gets_409_and_the_loser_can_retry(
        people, gate, second):
    candidate = people["candidate"]
    actors = [people["counsellor"], people[second]]
    clients = [signed_in(user) for user in actors]
    bodies = [{"decision": "rejected", "reason": "location", "note": "par tālu", "version": 1},
              {"decision": "approved", "note": "der", "version": 1}]
    jobs = [f.VacancyFactory() for _ in range(ROUNDS)]  # a review names an existing item
    for n in range(ROUNDS):
        key = f"vacancy:{jobs[n].pk}"
        url = review_url(candidate, key)
        assert clients[0].put(url, {"decision": "added"}, format="json").status_code == 201
        responses = race(gate, [(clients[0], url, bodies[0]), (clients[1], url, bodies[1])])
        winner, loser = split(responses, 200)
        error = responses[loser].json()["error"]
        assert error["code"] == "conflict" and "version" in error["fields"]
        assert error["current"] == responses[winner].json()  # the stored review: the winner's write
        review = Review.objects.get(candidate=candidate, kind="jobs", item_key=key)
        assert (review.version, review.decision, review.counsellor_id) == (
            2, bodies[winner]["decision"], actors[winner].pk)
        assert logged(review) == [(1, "added", actors[0].pk), (2, bodies[winner]["decision"], actors[winner].pk)]
        # Nothing is lost: the loser resends its decision on the version the 409 named, and it is kept.
        retry = clients[loser].put(url, {**bodies[loser], "version": error["current"]["version"]}, format="json")
        assert retry.status_code == 200, retry.content
        assert (retry.json()["version"], retry.json()["decision"]) == (3, bodies[loser]["decision"])
        assert logged(review)[2:] == [(3, bodies[loser]["decision"], actors[loser].pk)]


@pytest.mark.parametrize("second", ["admin", "counsellor"])
def test_two_first_writes_at_once_create_one_review_and_the_other_gets_409_with_it(people, gate, second):
    candidate = people["candidate"]
    actors = [people["counsellor"], people[second]]
    clients = [signed_in(user) for user in actors]
    bodies = [{"decision": "approved", "version": 0},
              {"decision": "rejected", "reason": "skills_mismatch", "note": "trūkst TIG", "version": None}]
    jobs = [f.VacancyFactory() for _ in range(ROUNDS)]  # a review names an existing item
    for n in range(ROUNDS):
        key = f"vacancy:{jobs[n].pk}"
        url = review_url(candidate, key)
        responses = race(gate, [(clients[0], url, bodies[0]), (clients[1], url, bodies[1])])
        winner, loser = split(responses, 201)
        current = responses[loser].json()["error"]["current"]
        assert current == responses[winner].json() and current["version"] == 1
        review = Review.objects.get(candidate=candidate, kind="jobs", item_key=key)
        assert logged(review) == [(1, bodies[winner]["decision"], actors[winner].pk)]
        retry = clients[loser].put(url, {**bodies[loser], "version": current["version"]}, format="json")
        assert retry.status_code == 200 and retry.json()["version"] == 2
        assert Review.objects.filter(candidate=candidate, kind="jobs", item_key=key).count() == 1
        assert logged(review)[1:] == [(2, bodies[loser]["decision"], actors[loser].pk)]


def logged(review: Review) -> list[tuple]:
    return list(ReviewLog.objects.filter(review=review).order_by("version").values_list("version", "decision", "actor"))
