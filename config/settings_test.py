"""Settings for the test suite: the production settings with a test key and a fast hasher."""
import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-" + "t" * 40)

from .settings import *  # noqa: E402,F401,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The match index probes and refits inline in tests (a background thread would not see the test's transaction).
MATCHING_BACKGROUND = False

# No full collection after every index build: the suite builds hundreds of small indexes (careers.runtime.heap; one test
# turns it on).
MATCHING_SETTLE_HEAP = False

# The suite's in-process requests count throttles in local memory (no cache-table queries inside the suites'
# query-count assertions); tests/api/test_live_server.py runs real server processes on the production database cache.
CACHES = {**CACHES, "throttle": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "throttle"}}
