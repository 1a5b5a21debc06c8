"""Fixtures of the web site's tests: the demo world (loaded once per module) and fresh inline match services."""
from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from careers.models import User
from careers.runtime.matches import MatchService, set_match_service
from careers.runtime.paths import PathService, set_path_service

DEMO_PASSWORD = "Demo-Parole-2026"


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker):
    """The reference and demo data, loaded once for the module that asks; flushed after."""
    with django_db_blocker.unblock():
        call_command("load_reference", stdout=StringIO())
        call_command("load_demo", stdout=StringIO())
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(autouse=True, scope="module")
def services():
    """A match index and path finder of this module's own (its data is the module's), probing inline."""
    matches = MatchService(background=False)
    previous_matches = set_match_service(matches)
    previous_paths = set_path_service(PathService(matches=lambda: matches, background=False))
    yield matches
    set_match_service(previous_matches)
    set_path_service(previous_paths)


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client
