"""After ``DELETE /me/`` no copy of the person's data is left in SQLite's files (issue 15, finding 5).

``secure_delete`` zeroes what the erasure frees inside the database pages and the checkpoint after it empties the
write-ahead log, so the CV text, phone, e-mail, names and a counsellor's note about the person appear nowhere in the
bytes of the database file or its WAL. Runs on a file copy of the test database (as tests/api/test_review_race.py);
on PostgreSQL the table scan of tests/api/test_me.py is the check (dead tuples are vacuum's business).
"""
from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from tests.api.test_me import ME, MARKERS, _text_hits, client_for, person  # noqa: F401 (fixture)
from tests.api.test_review_race import django_db_setup  # noqa: F401 (fixture: the file copy on SQLite)

pytestmark = pytest.mark.django_db(transaction=True)


def file_hits(markers: list[str]) -> list[str]:
    """Markers found in the bytes of the database file and its WAL (UTF-8, as SQLite stores text)."""
    base = Path(connection.settings_dict["NAME"])
    hits = []
    for path in (base, base.with_name(base.name + "-wal")):
        data = path.read_bytes() if path.exists() else b""
        hits += [f"{path.name}: {marker}" for marker in markers if marker.encode() in data]
    return hits


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's files; PostgreSQL: test_me's table scan")
def test_erasure_leaves_no_copy_in_the_database_files(person):  # noqa: F811
    with connection.cursor() as cursor:  # what the person entered is on disk, as in any running service
        cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
    assert len(file_hits(MARKERS)) >= len(MARKERS) - 1
    assert client_for(person.user).delete(ME).status_code == 204
    assert _text_hits(MARKERS) == []
    assert file_hits(MARKERS) == []
