"""A word on Redis each time what readers see of an article changes, for the processes that
hold pages open.

`Article.objects.mark_changed()` announces, once its transaction commits,
that some article changed. The word names none: a listener reads the
versions of the articles it holds pages of (one query), so a word lost or
said twice costs a look and nothing else, and the write path pays one
Redis round trip, no query. The processes that stream changes to open pages
(comments.live_stream) listen, on every app server that shares the Redis.

The channel is the shared cache's Redis (the default cache, when it is a
Redis) and is named after its key prefix, as the cache's own keys are. With
no such cache, or with Redis down, nothing is announced: open pages then ask
for what changed instead (static/js/live.js).
"""

from __future__ import annotations

import functools
import logging
import re

import redis
from django.conf import settings

logger = logging.getLogger(__name__)

REDIS_CACHE = "django.core.cache.backends.redis.RedisCache"
# A Redis that is down or slow must cost a moderator's decision little.
TIMEOUT_SECONDS = 0.5


def redis_url() -> str | None:
    """Where the channel is: the shared cache's Redis, if the default cache is one."""
    cache = settings.CACHES.get("default", {})
    if cache.get("BACKEND") != REDIS_CACHE:
        return None
    location = cache["LOCATION"]
    # Django's Redis cache takes several servers (a list, or separated by , or ;), the
    # first of which it writes to: the channel is said there.
    first = (
        location[0] if isinstance(location, list | tuple) else re.split(r"[,;]", str(location))[0]
    )
    return str(first).strip()


def channel() -> str:
    return f"{settings.CACHES['default'].get('KEY_PREFIX', '')}:article-changed"


def announce() -> None:
    """Say that an article changed (after the change commits: see mark_changed)."""
    url = redis_url()
    if url is None:
        return
    try:
        _client(url).publish(channel(), b"")
    except redis.RedisError:
        logger.warning("Redis unavailable: open pages will learn of the change by asking")


@functools.cache
def _client(url: str) -> redis.Redis:
    return redis.Redis.from_url(
        url, socket_connect_timeout=TIMEOUT_SECONDS, socket_timeout=TIMEOUT_SECONDS
    )
