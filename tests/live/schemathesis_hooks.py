"""Schemathesis hooks for tests/live/test_schemathesis_live.py (SCHEMATHESIS_HOOKS=tests.live.schemathesis_hooks).

``positive_data_acceptance_of_stored_data``: schemathesis' ``positive_data_acceptance`` (a schema-valid request must
not be refused), except a 400 whose every field names stored data — an id or URI that does not exist, a username
already taken, a workflow move the current state forbids. A schema says what is well formed, not which ids exist
(the ``town`` id 0 is well formed and names no town); every other 400 on valid data stays a failure.
"""
from __future__ import annotations

import json

import schemathesis
from schemathesis.openapi.checks import RejectedPositiveData
from schemathesis.specs.openapi.checks import positive_data_acceptance

# Request fields whose value refers to rows in the database or to the state of one.
STORED_DATA_FIELDS = frozenset({
    "town", "near", "employer", "institution", "programme", "intake", "vacancy", "candidate", "occupation",
    "skill", "skills", "uri", "target_occupations", "work_history", "item_key", "username", "name",
    "registration_number", "status", "allowed", "version", "non_field_errors",
})


def _field_names(fields) -> set[str]:
    names = set()
    if isinstance(fields, dict):
        for key, value in fields.items():
            if not key.isdigit():
                names.add(key)
            names |= _field_names(value)
    elif isinstance(fields, list):
        for value in fields:
            names |= _field_names(value)
    return names


def names_only_stored_data(body: bytes) -> bool:
    try:
        fields = json.loads(body)["error"]["fields"]
    except (ValueError, KeyError, TypeError):
        return False
    names = _field_names(fields)
    return bool(names) and names <= STORED_DATA_FIELDS


@schemathesis.check
def positive_data_acceptance_of_stored_data(ctx, response, case):
    try:
        return positive_data_acceptance(ctx, response, case)
    except RejectedPositiveData:
        if response.status_code == 400 and names_only_stored_data(response.content):
            return None
        raise
