"""One shared object per process, made on first use: the match service, the path service and the ranker runtime."""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class ProcessHolder(Generic[T]):
    """Holds one ``T`` for every thread of this process; ``factory`` makes it on first :meth:`get` (settings are
    read then, not at import). Tests swap it with :meth:`replace`."""

    def __init__(self, factory: Callable[[], T]) -> None:
        self._factory = factory
        self._value: T | None = None
        self._lock = threading.Lock()

    def get(self) -> T:
        value = self._value
        if value is None:
            with self._lock:
                if self._value is None:
                    self._value = self._factory()
                value = self._value
        return value

    def replace(self, value: T | None) -> T | None:
        """Put ``value`` in place (None: make a new one on next use); returns the previous one."""
        with self._lock:
            previous, self._value = self._value, value
        return previous
