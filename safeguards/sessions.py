"""Sessions kept in the database and read from the shared cache, which may be unreachable.

Every page a moderator opens reads their session. Django's cached_db store
reads it from the cache (Redis in production) instead of the database,
but fails the page when the cache cannot be reached. This store reads and
writes the database alone while the cache is unreachable, as the rest of
the site does: a cache that is down costs speed, never a page.

A sign-out deletes the session from the database and then from the cache.
Should the cache miss that deletion (unreachable, or too slow to answer),
the copy it keeps would still sign the moderator in: copies are therefore
kept for COPY_TIMEOUT at most, never for the session's whole life, and a
missed deletion is logged as an error.
"""

import logging

from asgiref.sync import sync_to_async
from django.contrib.sessions.backends import cached_db, db

logger = logging.getLogger(__name__)

COPY_TIMEOUT = 5 * 60


class SessionStore(cached_db.SessionStore):
    def load(self):
        data = self._cache_call("get", self.cache_key)
        if data is not None:
            return data
        stored = self._get_session_from_db()
        if stored is None:
            return {}
        data = self.decode(stored.session_data)
        self._copy(data, self.get_expiry_age(expiry=stored.expire_date))
        return data

    def exists(self, session_key):
        if session_key and self._cache_call("has_key", self.cache_key_prefix + session_key):
            return True
        return db.SessionStore.exists(self, session_key)

    def save(self, must_create=False):
        db.SessionStore.save(self, must_create)
        self._copy(self._session, self.get_expiry_age())

    def delete(self, session_key=None):
        db.SessionStore.delete(self, session_key)
        session_key = session_key or self.session_key
        if session_key is None:
            return
        try:
            self._cache.delete(self.cache_key_prefix + session_key)
        except Exception:
            logger.error(
                "A session ended, but its copy in the cache could not be deleted: it lasts "
                "%d seconds at most",
                COPY_TIMEOUT,
                exc_info=True,
            )

    # The same rules for async callers (alogin, alogout), not Django's cached_db ones.
    async def aload(self):
        return await sync_to_async(self.load)()

    async def aexists(self, session_key):
        return await sync_to_async(self.exists)(session_key)

    async def asave(self, must_create=False):
        return await sync_to_async(self.save)(must_create)

    async def adelete(self, session_key=None):
        return await sync_to_async(self.delete)(session_key)

    def _copy(self, data, age: int) -> None:
        self._cache_call("set", self.cache_key, data, min(age, COPY_TIMEOUT))

    def _cache_call(self, operation: str, *args):
        try:
            return getattr(self._cache, operation)(*args)
        except Exception:
            logger.warning("Session cache unavailable; using the database alone", exc_info=True)
            return None
