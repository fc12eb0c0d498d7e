"""Gunicorn, the production app server: `gunicorn` in this folder reads this file.

Everything an operator changes comes from the environment (Django's settings
too: DATABASE_URL, REDIS_URL, DJANGO_PRODUCTION...). Start N of these, on
one host or several, behind a load balancer: they share nothing but
PostgreSQL and Redis (see "Running in production" in the README).
"""

import os


def _int(name: str, default: int, *, minimum: int = 1) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < minimum:
        raise SystemExit(f"{name} must be a whole number of at least {minimum}, not {value!r}")
    return int(value)


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value not in {"1", "0", "true", "false", "on", "off", "yes", "no"}:
        raise SystemExit(f"{name} must be 1 or 0, not {value!r}")
    return value in {"1", "true", "on", "yes"}


wsgi_app = "sovereignty_forum.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")

# Synchronous workers, each serving one request at a time with one kept
# database connection (DJANGO_CONN_MAX_AGE): the processes are the pool.
# Two or three per core; pages wait on PostgreSQL and Redis, not on the CPU.
workers = _int("GUNICORN_WORKERS", 2 * (os.cpu_count() or 1) + 1)
threads = _int("GUNICORN_THREADS", 1)

# A worker silent this long is killed and replaced. Above the worst a reader's
# request may legitimately wait: a hanging mail server holds a post for up to
# EMAIL_TIMEOUT (10 s) per email sent after it.
timeout = _int("GUNICORN_TIMEOUT", 60)
# On a restart or a deploy (SIGHUP, SIGTERM) requests in flight may finish.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Behind a load balancer that keeps connections open to the app servers.
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then, so that a slow leak never grows (0: never).
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000, minimum=0)
# Each worker's own number, up to this many more, so that they restart apart.
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", max_requests // 10, minimum=0)
# Load the site once in the master, before the workers are forked.
preload_app = _bool("GUNICORN_PRELOAD", False)

# One line per request on standard output (a file with GUNICORN_ACCESS_LOG, none
# when it is empty), with the time the request took.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'

# Gunicorn 25+ opens a control socket at one fixed path per user, which two
# instances on one host would fight over; it is opened only when asked for.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True
