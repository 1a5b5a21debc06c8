"""Chunked request bodies (no Content-Length) through gunicorn (issue 15, finding 7): one over 1 MB gets 413 with
the envelope's message, a small one is read and parsed like any other."""
from __future__ import annotations

import json

import requests

from tests.live.server import gunicorn

MB = 1024 * 1024


def chunks(payload: bytes, size: int = 64 * 1024):
    for start in range(0, len(payload), size):
        yield payload[start:start + size]


def test_a_chunked_body_over_1_mb_is_413_and_a_small_one_is_read(empty_database_url):
    big = json.dumps({"text": "metināšana " * (MB // 5)}).encode()
    small = json.dumps({"text": "Metinātājs ar pieredzi", "top_k": 3}).encode()
    headers = {"Content-Type": "application/json"}
    with gunicorn(empty_database_url, workers=1, threads=2) as url:
        refused = requests.post(f"{url}/api/v1/skills/extract/", data=chunks(big), headers=headers, timeout=60)
        read = requests.post(f"{url}/api/v1/skills/extract/", data=chunks(small), headers=headers, timeout=60)
    assert refused.status_code == 413
    assert refused.json()["error"]["code"] == "request_too_large"
    assert str(MB) in refused.json()["error"]["message"]
    assert read.status_code == 200, read.content
    assert "skills" in read.json()
