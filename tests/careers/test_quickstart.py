"""quickstart: from an empty database to the demo in one idempotent command."""
from __future__ import annotations

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from careers import demo


def _counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


@pytest.mark.django_db(transaction=True)
def test_quickstart_twice_gives_the_same_counts_of_every_model():
    first = StringIO()
    call_command("quickstart", "--no-esco", stdout=first)
    after_first = _counts()
    second = StringIO()
    call_command("quickstart", "--no-esco", stdout=second)
    assert _counts() == after_first
    assert after_first["careers.Vacancy"] >= 170 and after_first["careers.CandidateProfile"] >= 220
    for output in (first.getvalue(), second.getvalue()):
        for login in demo.DEMO_LOGINS:
            assert login.username in output
        assert demo.DEMO_PASSWORD in output
        assert "http://127.0.0.1:8000/api/docs/" in output and "/admin/" in output
        assert output.count("Demo logins") == 1


@pytest.mark.django_db
def test_load_demo_without_reference_data_fails_clearly_and_writes_nothing():
    with pytest.raises(CommandError, match="load_reference"):
        call_command("load_demo", stdout=StringIO())
    assert all(count == 0 for label, count in _counts().items() if label.startswith("careers."))
