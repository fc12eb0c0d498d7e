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

# LIVE_STREAMS=1: the site under ASGI, in uvicorn's workers, which hold a connection
# open to each open page and send it the discussion's changes as they happen
# (comments.live_stream); pages are served as under WSGI, each view in a thread of
# its own. Without it, open pages ask every few seconds what changed.
if _bool("LIVE_STREAMS", False):
    wsgi_app = "sovereignty_forum.asgi:application"
    # uvicorn's worker, which ends the open pages' streams soon after it is told to stop.
    worker_class = "sovereignty_forum.live_worker.LiveStreamsWorker"

# Synchronous workers, each serving one request at a time with one kept
# database connection (DJANGO_CONN_MAX_AGE): the processes are the pool.
# (Under LIVE_STREAMS each worker serves many at once, each in a thread, with a
# pool of DJANGO_DB_POOL_SIZE connections; GUNICORN_THREADS does not apply.)
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
# Recycle workers now and then, so that a slow leak never grows (0: never);
# each worker's number is up to a tenth more (the jitter), so that they
# restart apart. The site is loaded by each worker, not preloaded in the master.
# Chosen by `manage.py bench_serving` (5 workers on PostgreSQL and Redis, the
# cached article page, keep-alive readers; two cores shared with other work,
# configurations taking turns, medians of 4 rounds of 15 s): at 64 connections
# recycling every 2,000 +- 200 requests restarted a worker every 3 s and
# served 328 requests a second, p99 2,056 ms; preloaded, restarts are cheaper
# (364/s, p99 503 ms); every 100,000 +- 10,000: 403/s, p99 208 ms, the same
# as never (420/s, 217 ms) within the noise, and preloading it gained nothing
# (409/s, 229 ms). An earlier series of 3 rounds of 20 s agreed: 330/s and
# p99 741 ms at 2,000; 412/s and 356 ms at 100,000; 416/s and 187 ms never.
# At 8 connections all were alike (400-440/s, p99 31-35 ms), the workers not
# reaching 2,000 requests within the window. So: 100,000, which still
# replaces a leaking worker, and no preload, which would buy nothing and
# stop `kill -HUP` from loading a deploy's new code.
max_requests = _int("GUNICORN_MAX_REQUESTS", 100_000, minimum=0)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", max_requests // 10, minimum=0)
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
