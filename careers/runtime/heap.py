"""Keep the garbage collector off the long-lived in-memory indexes.

A built match index and the taxonomy models are hundreds of thousands of Python containers that live until the
next full build. CPython's cyclic collector walks all of them on every oldest-generation collection: at 100,000
vacancies a pause of about 100 ms every few thousand requests, in whichever request triggers it. After a full
build is swapped in, :func:`settle_heap` collects once (freeing the previous build's cycles) and freezes what
is alive into the permanent generation (``gc.freeze``), so later collections only walk objects made since;
measured in process, the longest collection over 2,000 recommendation requests fell from 103 ms to 4 ms.
Reference counting still frees frozen objects; only cycles among them wait for the next settle.
"""
from __future__ import annotations

import gc
import threading

from django.conf import settings

_lock = threading.Lock()


def settle_heap() -> bool:
    """Collect everything, then freeze the survivors (``MATCHING_SETTLE_HEAP`` off: nothing). True if it ran."""
    if not getattr(settings, "MATCHING_SETTLE_HEAP", True):
        return False
    with _lock:
        gc.unfreeze()
        gc.collect()
        gc.freeze()
    return True
