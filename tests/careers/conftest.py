"""Fixtures shared by the careers tests."""
from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker):
    """The reference and demo data, loaded once for the module that asks (the loads take seconds); flushed after."""
    with django_db_blocker.unblock():
        call_command("load_reference", stdout=StringIO())
        call_command("load_demo", stdout=StringIO())
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
