"""Health checks for the load balancer and monitoring, cheap enough to poll every second.

`/health/live`: the process answers (no query, nothing outside it). Restart
the app server when it fails.

`/health/ready`: the app server can serve: the database answers and every
migration this code knows is applied (one query, which proves both), and the
task backend takes tasks (with the database backend, one more query, which
also counts the tasks waiting for a worker). 503 names what failed. The
cache is checked too (one round trip to Redis) but never makes the server
unready: every app server shares the one Redis, and without it the site
serves every page from the database (slower, never stale), so a Redis outage
that took every app server out of the load balancer would turn a slow site
into no site. It is reported as "degraded" instead.

Both answer JSON, are never cached by anyone (Cache-Control: no-store), and
are not in the page cache or the rate limits, which guard posting only. The
HTTPS redirect leaves them out too, for a load balancer that checks over
plain http (SECURE_REDIRECT_EXEMPT).
"""

import functools
import logging

from django.core.cache import cache
from django.db import DatabaseError
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.http import HttpRequest, JsonResponse
from django.tasks import task_backends
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

OK = "ok"
UNKNOWN = "unknown"  # Not checked: what it needs failed first.


@require_safe
@never_cache
def live(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "live"})


@require_safe
@never_cache
def ready(request: HttpRequest) -> JsonResponse:
    checks: dict[str, str] = {}
    answer: dict = {"checks": checks}
    checks["database"], checks["migrations"] = _database_and_migrations()
    checks["tasks"], waiting = _tasks()
    if waiting is not None:
        answer["tasks_waiting"] = waiting
    checks["cache"] = _cache()

    failing = [
        name for name in ("database", "migrations", "tasks") if checks[name] not in (OK, UNKNOWN)
    ]
    if failing:
        answer["status"] = "not ready"
        answer["failing"] = failing
        response = JsonResponse(answer, status=503)
        # Django would log every 503 as an error, once a second per load
        # balancer, without its cause; _database_and_migrations and _tasks
        # have logged what failed.
        response._has_been_logged = True  # type: ignore[attr-defined]
        return response
    answer["status"] = "ready" if checks["cache"] == OK else "degraded"
    return JsonResponse(answer)


@functools.cache
def _migrations_of_this_code() -> frozenset[tuple[str, str]]:
    """Every migration on disk, read once a process: the code does not change under it."""
    return frozenset(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)


def _database_and_migrations() -> tuple[str, str]:
    try:
        applied = set(MigrationRecorder.Migration.objects.values_list("app", "name"))
    except DatabaseError as error:
        logger.warning("Not ready: the database does not answer (%r)", error)
        return "unreachable", UNKNOWN
    missing = _migrations_of_this_code() - applied
    if missing:
        logger.warning("Not ready: %d migrations not applied (manage.py migrate)", len(missing))
        return OK, f"{len(missing)} not applied"
    return OK, OK


def _tasks() -> tuple[str, int | None]:
    """Whether tasks can be queued, and how many wait for a worker (database backend)."""
    backend = task_backends["default"]
    if not isinstance(backend, DatabaseBackend):
        return OK, None  # Run in the request itself: nothing to reach.
    try:
        return OK, DBTaskResult.objects.ready().count()
    except DatabaseError as error:
        logger.warning("Not ready: the task table does not answer (%r)", error)
        return "unreachable", None


def _cache() -> str:
    try:
        cache.get("health:probe")
    except Exception as error:  # Whatever the cache's client raises: it is unreachable.
        logger.warning("Degraded: the cache does not answer (%r)", error)
        return "unreachable"
    return OK
