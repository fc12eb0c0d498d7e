"""What every post or admin page reads and few changes alter, kept in the shared cache.

A copy is stored under a generation that a change replaces once its
transaction has committed. A request that read the database just before a
change stores its copy under the old generation, where no one looks any
more: deleting the copy instead would let that request put it back, stale,
for the whole timeout. The cache is Redis in production (REDIS_URL), shared
by every worker and server. If it is unreachable, the database is read.
"""

import contextlib
import uuid
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction

TIMEOUT = 300


class SharedCopy[T]:
    def __init__(self, name: str, load: Callable[[], T]):
        self.name = name
        self.load = load

    def get(self) -> T:
        try:
            key = f"{self.name}:{self._generation()}"
            copy = cache.get(key)
            if copy is None:
                copy = self.load()
                cache.set(key, copy, TIMEOUT)
            return copy
        except Exception:
            return self.load()

    def forget(self, **signal_arguments) -> None:
        """After the current transaction commits, readers read afresh (also a signal receiver)."""
        transaction.on_commit(self.forget_now)

    def forget_now(self) -> None:
        """For what is written around the usual paths: bulk seeding, test data."""
        self._new_generation()

    def _generation(self) -> str:
        key = f"{self.name}:generation"
        generation = cache.get(key)
        if generation is None:
            cache.add(key, uuid.uuid4().hex, None)
            generation = cache.get(key)
        return generation

    def _new_generation(self) -> None:
        # A cache that is down holds no copy to replace.
        with contextlib.suppress(Exception):
            cache.set(f"{self.name}:generation", uuid.uuid4().hex, None)
