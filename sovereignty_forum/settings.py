"""Settings for Sovereignty Forum, configured from the environment.

Every value an operator may change is read through the small typed helpers
below; a malformed value stops start-up with ImproperlyConfigured instead of
being guessed at. Defaults are the safe ones: DEBUG is off unless asked for.
"""

import os
from datetime import timedelta
from email.utils import parseaddr
from pathlib import Path

import dj_database_url
import jinja2
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.strip().lower() in _TRUE:
        return True
    if value.strip().lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def envint(name: str, default: int, *, minimum: int = 0) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None
    if number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}")
    return number


def envlist(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def envrate(name: str, default: str) -> tuple[int, int] | None:
    """A rate limit written COUNT/SECONDS ("10/600": ten in ten minutes), or "off"."""
    value = os.environ.get(name, default).strip().lower()
    if value == "off":
        return None
    count, _slash, seconds = value.partition("/")
    if count.isdigit() and seconds.isdigit() and int(count) >= 1 and int(seconds) >= 1:
        return int(count), int(seconds)
    raise ImproperlyConfigured(
        f"{name} must be COUNT/SECONDS (for example 10/600) or off, not {value!r}"
    )


def _local_secret_key() -> str:
    # Development and tests work with zero set-up: the key is made once per
    # checkout and kept out of git. Production sets DJANGO_SECRET_KEY (all app
    # servers must share it); the deploy check flags a key that came from here.
    path = BASE_DIR / ".secret_key"
    if not path.exists():
        path.write_text(get_random_secret_key())
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = envbool("DJANGO_DEBUG", False)

# Production is switched on explicitly. It turns on everything that needs
# HTTPS (secure cookies, HSTS, the redirect to https), and refuses to start
# without the values a public site must not guess. Off, plain http on
# 127.0.0.1 works (make run, the test suite).
PRODUCTION = envbool("DJANGO_PRODUCTION", False)
if PRODUCTION:
    if DEBUG:
        raise ImproperlyConfigured("DJANGO_DEBUG must be off when DJANGO_PRODUCTION is on")
    # Every worker and app server must share one cache: a page cache or a
    # rate limit kept in each process's memory would go stale or split.
    for _required in ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "REDIS_URL"):
        if not os.environ.get(_required, "").strip():
            raise ImproperlyConfigured(f"{_required} must be set when DJANGO_PRODUCTION is on")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or _local_secret_key()
SECRET_KEY_FROM_ENVIRONMENT = bool(os.environ.get("DJANGO_SECRET_KEY"))

ALLOWED_HOSTS = envlist("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])

# HTTPS. A reverse proxy that terminates TLS must say so in X-Forwarded-Proto
# (and drop that header from clients) for Django to know a request was secure.
if envbool("DJANGO_TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = envbool("DJANGO_SECURE_SSL_REDIRECT", PRODUCTION)
# A load balancer may check health over plain http (safeguards/health.py).
SECURE_REDIRECT_EXEMPT = [r"^health/(live|ready)$"]
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_HSTS_SECONDS = envint("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = envbool("DJANGO_HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    # Asking browsers to preload HSTS is hard to take back, so it is the
    # operator's decision (DJANGO_HSTS_PRELOAD), not a deployment fault.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
# Django's defaults, stated here because the site relies on them.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content Security Policy: only our own files. An inline <script> needs
# nonce="{{ csp_nonce }}"; inline event handlers and style attributes are
# refused. Under DEBUG the policy only reports (in the browser console), so
# Django's debug pages, which carry inline styles and scripts, stay readable.
_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    # Bootstrap draws its form controls' icons as data: SVG images.
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CSP = {} if DEBUG else _CSP
SECURE_CSP_REPORT_ONLY = _CSP if DEBUG else {}

INSTALLED_APPS = [
    # Django's admin, as the moderation desk (sovereignty_forum.admin).
    "sovereignty_forum.apps.ModerationAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    # Failed admin logins counted and locked out (see "The admin login" below).
    "axes",
    # A second factor for the admin: codes from an authenticator app (TOTP).
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Background tasks (emails) as rows of the site's database, and their worker.
    "django_tasks_db",
    # The site's apps, from the top layer down: imports only go downwards
    # (the layer contract in pyproject.toml).
    "moderation",
    "board",
    "commenters",
    "comments",
    "articles",
    "safeguards",
    # The seeder and the bench, for their commands; nothing imports them.
    "benchmarks",
]

MIDDLEWARE = [
    # First, so that every line logged while answering carries the request's id.
    "safeguards.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files are answered here, before sessions or anything else runs.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session's login used the second factor.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it answers a login that was locked out.
    "axes.middleware.AxesMiddleware",
]

# Pages compressed by the site itself, for a server with no compressing proxy in
# front (a 65 KB article page becomes 11 KB). Off by default: compressing is the
# front proxy's work, and here it cost every cached article page 1.6 ms, four
# times the rest of it (make bench: 4.2x hello against 1.9x). Static files come
# compressed from WhiteNoise either way. Django's compression pads each response
# against BREACH-style guessing, and its CSRF tokens are masked anew each time.
if envbool("DJANGO_COMPRESS_PAGES", False):
    MIDDLEWARE.insert(
        MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
        "django.middleware.gzip.GZipMiddleware",
    )

ROOT_URLCONF = "sovereignty_forum.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "comments.context_processors.reader",
                "comments.context_processors.live",
            ],
        },
    },
    # Jinja2, for the few partials drawn hundreds of times a page
    # (sovereignty_forum/jinja2.py). Second, so every .html stays Django's;
    # it reads only *.jinja files.
    {
        "NAME": "jinja2",
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "sovereignty_forum.jinja2.environment",
            # A misspelt name fails loudly instead of drawing nothing.
            "undefined": jinja2.StrictUndefined,
        },
    },
]

WSGI_APPLICATION = "sovereignty_forum.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("DJANGO_CONN_MAX_AGE", 0),
        # A kept connection is tested before each request uses it, so after a
        # database restart the site reconnects by itself.
        conn_health_checks=True,
    )
}

# How long the site waits on its database, and how SQLite takes concurrent writes.
# A reader gets the 503 page ("try again in a moment") within about 5 s whether
# PostgreSQL is down, slow, frozen or cut off, and the site recovers by itself:
# a connection that failed is dropped, the next request connects afresh.
# Values given in DATABASE_URL's query string (?connect_timeout=…) win.
_DATABASE = DATABASES["default"]
_DATABASE_OPTIONS = _DATABASE.setdefault("OPTIONS", {})
if _DATABASE["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, with a bound on every wait for an answer (see its docstring).
    _DATABASE["ENGINE"] = "safeguards.postgresql"
    # Reaching the server, and believing a silent network: a connection whose
    # packets go unacknowledged this long, or that answers no keepalive probe
    # while idle, is given up on. libpq's shortest connect timeout is 2 s.
    _network_timeout = envint("DJANGO_DB_CONNECT_TIMEOUT", 4, minimum=2)
    _DATABASE_OPTIONS.setdefault("connect_timeout", _network_timeout)
    _DATABASE_OPTIONS.setdefault("keepalives", 1)
    _DATABASE_OPTIONS.setdefault("keepalives_idle", _network_timeout)
    _DATABASE_OPTIONS.setdefault("keepalives_interval", 1)
    _DATABASE_OPTIONS.setdefault("keepalives_count", 3)
    _DATABASE_OPTIONS.setdefault("tcp_user_timeout", _network_timeout * 1000)
    # A statement running longer is cancelled by the server (its connection
    # stays usable); one second later the site stops waiting for an answer
    # from a server that cannot even cancel (frozen, or cut off) and drops the
    # connection. 0: no limit. Management commands (migrate, seeding, backups)
    # have none unless it is set for them: see manage.py.
    # Prepared statements: a kept connection plans each of the reader pages' queries
    # once, not on every request. PostgreSQL took longer to plan a page of threads'
    # queries than to run them (the first replies: 1.0 ms planning, 1.0 ms running;
    # the page's read 1.3 ms a page, 0.6 ms prepared). Django leaves them off for
    # connection poolers: set DJANGO_DB_PREPARE_THRESHOLD=0 behind a PgBouncer in
    # transaction mode older than 1.21. A statement is prepared on its Nth run.
    _prepare_threshold = envint("DJANGO_DB_PREPARE_THRESHOLD", 2)
    if _prepare_threshold:
        _DATABASE_OPTIONS.setdefault("server_side_binding", True)
        _DATABASE_OPTIONS.setdefault("prepare_threshold", _prepare_threshold)
    _statement_timeout = envint("DJANGO_DB_STATEMENT_TIMEOUT", 4)
    if _statement_timeout:
        _DATABASE_OPTIONS.setdefault("options", f"-c statement_timeout={_statement_timeout}s")
        _DATABASE_OPTIONS.setdefault("answer_timeout", _statement_timeout + 1)
elif _DATABASE["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite (make run, laptops) with several requests writing at once. In WAL
    # mode readers never block the writer nor it them; IMMEDIATE transactions
    # take the write lock as they begin, so a second writer waits its turn (up
    # to the busy timeout, in seconds) instead of failing with "database is
    # locked" when its transaction, begun as a reader, tries to write.
    _DATABASE_OPTIONS.setdefault("transaction_mode", "IMMEDIATE")
    _DATABASE_OPTIONS.setdefault("timeout", 20)
    _DATABASE_OPTIONS.setdefault("init_command", "PRAGMA journal_mode=WAL")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Spanish as written in Mexico, where most Spanish-speaking readers are.
FORMAT_MODULE_PATH = ["sovereignty_forum.formats"]
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
# Every app server serves the static files itself, through WhiteNoise. In
# production they are collected (`manage.py collectstatic`) under names that
# carry a hash of their content, compressed, and sent with a far-future expiry;
# elsewhere they are served straight from their folders, no collecting needed.
STATIC_MANIFEST = envbool("DJANGO_STATIC_MANIFEST", PRODUCTION)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "safeguards.staticfiles.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
WHITENOISE_AUTOREFRESH = not STATIC_MANIFEST

# Messages travel in a signed cookie so that an anonymous reader's page costs
# no session lookup in the database.
MESSAGE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# The admin login, the only one on the site. Failed logins are counted by
# django-axes in the database (every app server sees the same counts) per
# account and per client network, each on its own: five failures for one
# account, from anywhere, lock that account; five from one network, whatever
# the accounts, lock that network; either for ADMIN_LOGIN_LOCKOUT_MINUTES,
# counted again from each further failure. The network is the rate limits'
# client (safeguards.clients, behind DJANGO_TRUSTED_PROXY_COUNT proxies): an
# IPv4 address, an IPv6 /64, so that a guesser cannot move through the
# addresses of one IPv6 network. A successful login clears its failures.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = envint("ADMIN_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=envint("ADMIN_LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "safeguards.logins.client_network_address"
AXES_LOCKOUT_CALLABLE = "safeguards.logins.locked_out"
AXES_RESET_ON_SUCCESS = True
# Failed attempts are kept only while they count; successful logins are not
# kept at all: staff's addresses are not stored for ever.
AXES_DISABLE_ACCESS_LOG = True
# Quiet at start-up; a lockout is logged by safeguards.logins, with what an operator needs.
AXES_VERBOSE = False
# A second factor (a code from an authenticator app) for every account that
# signs in to the admin: moderators, editors, superusers. Off, staff may turn
# one on for themselves (the "Second factor" link in the admin), and then
# their login asks for it.
ADMIN_REQUIRE_SECOND_FACTOR = envbool("ADMIN_REQUIRE_SECOND_FACTOR", False)
# The name an authenticator app shows beside the account.
OTP_TOTP_ISSUER = "Sovereignty Forum"

LOGIN_URL = "admin:login"
# Where a login goes when its `next` is missing or points off the site.
LOGIN_REDIRECT_URL = "admin:index"

# The discussion.
COMMENTS_MAX_DEPTH = envint("COMMENTS_MAX_DEPTH", 4, minimum=1)
COMMENTS_MAX_LENGTH = envint("COMMENTS_MAX_LENGTH", 5000, minimum=1)
# The first page of threads, under the article and the reply form, holds so many threads;
# each later page, threads alone, holds more: a reader who reads on turns fewer pages, and
# each page's fixed cost (the frame, the queries) is shared by more comments. At 40, a later
# page of the bench's discussion is at most 143 KB of HTML (under the 150 KB a page may
# weigh; at 50 it was 163 KB). Reading the whole of it with 50 a page took about a quarter
# less CPU than with 20 (0.391 against 0.545 ms per comment, best of three alternating rounds).
COMMENTS_THREADS_PER_PAGE = envint("COMMENTS_THREADS_PER_PAGE", 20, minimum=1)
COMMENTS_THREADS_PER_LATER_PAGE = envint("COMMENTS_THREADS_PER_LATER_PAGE", 40, minimum=1)
COMMENTS_REPLIES_PER_THREAD_PREVIEW = envint("COMMENTS_REPLIES_PER_THREAD_PREVIEW", 10, minimum=0)
# A thread listed with its first replies leaves the rest to its own page, but never only a
# few: "Show 2 more replies" would cost the reader a page for two lines. A thread of up to
# this many replies is listed whole. At 15, reading the whole bench discussion takes 142
# pages instead of 181 (39 threads of 11 to 15 replies no longer need a page of their own).
# (Below COMMENTS_REPLIES_PER_THREAD_PREVIEW, the preview's size is what counts.)
COMMENTS_THREAD_LISTED_WHOLE_UP_TO = envint("COMMENTS_THREAD_LISTED_WHOLE_UP_TO", 15, minimum=0)
# Open pages show new replies as they are published (comments.live, static/js/live.js):
# each page asks every COMMENTS_LIVE_POLL_SECONDS, up to date in a 304; a page left
# behind by more than COMMENTS_LIVE_MAX_CHANGES changes offers a reload. 0 seconds:
# pages do not ask.
COMMENTS_LIVE_POLL_SECONDS = envint("COMMENTS_LIVE_POLL_SECONDS", 3)
# The app servers run under ASGI (gunicorn.conf.py: uvicorn's workers) and send open pages
# the changes as they happen over a connection each holds (comments.live_stream), through
# Redis; pages ask every COMMENTS_LIVE_POLL_SECONDS only when that fails. The same on every
# app server: gunicorn.conf.py reads it too.
LIVE_STREAMS = envbool("LIVE_STREAMS", False)
if LIVE_STREAMS:
    # Under ASGI each request's view runs in a thread of its own, and a connection
    # belongs to its thread: one kept would be left behind by every request. On
    # PostgreSQL each process keeps a pool of them instead (psycopg_pool, through
    # Django): connecting afresh for each request cost a cached page some 10 ms.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    if DATABASES["default"]["ENGINE"] == "safeguards.postgresql":
        DATABASES["default"]["OPTIONS"].setdefault(
            "pool",
            {
                "min_size": 1,
                "max_size": envint("DJANGO_DB_POOL_SIZE", 8, minimum=1),
                # A request waits this long for a connection, then gets the 503 page.
                "timeout": DATABASES["default"]["OPTIONS"]["connect_timeout"],
            },
        )
COMMENTS_LIVE_MAX_CHANGES = envint("COMMENTS_LIVE_MAX_CHANGES", 100, minimum=1)
# A thread's page: its direct replies (branches), so many a page, each with its
# whole subtree while the page holds at most COMMENTS_THREAD_PAGE_REPLIES
# comments, else with the first COMMENTS_BRANCH_PREVIEW replies of each branch
# and "N more replies". It keeps a 1,000-reply thread's pages well under 150 KB.
COMMENTS_BRANCHES_PER_PAGE = envint("COMMENTS_BRANCHES_PER_PAGE", 20, minimum=1)
COMMENTS_THREAD_PAGE_REPLIES = envint("COMMENTS_THREAD_PAGE_REPLIES", 100, minimum=1)
COMMENTS_BRANCH_PREVIEW = envint("COMMENTS_BRANCH_PREVIEW", 3, minimum=0)
# The reply form carries a signed time stamp: a post sooner than this after the
# form was drawn is a robot's, or a slip; one later than this is refused as
# expired. Either way the reader's text is kept to post again.
COMMENTS_FORM_MIN_SECONDS = envint("COMMENTS_FORM_MIN_SECONDS", 2)
COMMENTS_FORM_MAX_AGE_HOURS = envint("COMMENTS_FORM_MAX_AGE_HOURS", 24, minimum=1)
READER_COOKIE_NAME = "sf_reader"
READER_COOKIE_MAX_AGE = 60 * 60 * 24 * 365
# The name and email a reader last posted with, for their next reply (comments.readers).
AUTHOR_COOKIE_NAME = "sf_author"

# What a request may carry. A reply twice as long as COMMENTS_MAX_LENGTH (each
# character up to 4 bytes of UTF-8, 3 times that percent-encoded) stays below
# this, and gets the form's clear message; a larger body is refused (400)
# before it is read. Nothing on the site takes a file: a request carrying one
# is refused rather than spooled to disk.
DATA_UPLOAD_MAX_MEMORY_SIZE = max(512 * 1024, 2 * 12 * COMMENTS_MAX_LENGTH)
DATA_UPLOAD_MAX_NUMBER_FILES = 0

# Logging -------------------------------------------------------------------
# One handler, on the root logger, prints every line once, with the request's
# id (safeguards/logs.py): as text, or one JSON object a line
# (DJANGO_LOG_FORMAT=json) for a log collector. Django's own configuration
# gives its "django" logger a console handler of its own under DEBUG, and each
# record then went on to the root's handler too: every task and 404 line was
# printed twice. Here Django's loggers keep no handler and pass their records
# up; the runserver's request lines ("django.server") read alike. (Django's
# mail_admins handler goes with them: it mailed only the ADMINS, who are none.)
LOG_FORMAT = os.environ.get("DJANGO_LOG_FORMAT", "text").strip().lower()
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured("DJANGO_LOG_FORMAT must be 'text' or 'json'")
LOG_LEVEL = os.environ.get("DJANGO_LOG_LEVEL", "INFO").strip().upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "safeguards.logs.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "safeguards.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        "django.server": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        # django-axes tells of every login at INFO; its warnings (failures, lockouts) are enough.
        "axes": {"level": "WARNING"},
    },
}
# Loggers heard at DEBUG whatever the level above, to look into one part without
# the rest's DEBUG lines (Django's templates log every missing variable there):
# articles.page_cache tells each drawing of a cached page (make bench-drawings).
for _logger in envlist("DJANGO_DEBUG_LOGGERS", []):
    LOGGING["loggers"][_logger] = {"level": "DEBUG"}  # type: ignore[index]
# ---------------------------------------------------------------------------

# Rate limits on what readers send, counted in the shared cache (see
# safeguards/ratelimit.py): posts per client IP and per email address, reports
# and ratings per client IP. Each is COUNT/SECONDS, or "off".
RATE_LIMITS = {
    "post": {
        "ip": envrate("COMMENTS_RATE_POSTS_PER_IP", "20/600"),
        "email": envrate("COMMENTS_RATE_POSTS_PER_EMAIL", "10/600"),
    },
    "report": {"ip": envrate("COMMENTS_RATE_REPORTS_PER_IP", "20/3600")},
    "rate": {"ip": envrate("COMMENTS_RATE_RATINGS_PER_IP", "60/600")},
}
# How many reverse proxies (load balancers) in front of the app servers each
# append the address they received a request from to X-Forwarded-For. With 0
# the client is REMOTE_ADDR and X-Forwarded-For, which anyone can send, is
# ignored; with N the client is the Nth address from the right.
TRUSTED_PROXY_COUNT = envint("DJANGO_TRUSTED_PROXY_COUNT", 0)

# Moderation.
COMMENTS_MODERATION_MODE = os.environ.get("COMMENTS_MODERATION_MODE", "pre")
if COMMENTS_MODERATION_MODE not in {"pre", "post"}:
    raise ImproperlyConfigured("COMMENTS_MODERATION_MODE must be 'pre' or 'post'")
COMMENTS_MAX_LINKS = envint("COMMENTS_MAX_LINKS", 2)
COMMENTS_DUPLICATE_WINDOW_HOURS = envint("COMMENTS_DUPLICATE_WINDOW_HOURS", 24)
COMMENTS_TRUST_MIN_APPROVED = envint("COMMENTS_TRUST_MIN_APPROVED", 2, minimum=1)
COMMENTS_TRUST_REJECTION_DAYS = envint("COMMENTS_TRUST_REJECTION_DAYS", 30)
COMMENTS_REPORT_HIDE_THRESHOLD = envint("COMMENTS_REPORT_HIDE_THRESHOLD", 3, minimum=1)
COMMENTS_EDIT_WINDOW_MINUTES = envint("COMMENTS_EDIT_WINDOW_MINUTES", 15)
COMMENTS_IP_RETENTION_DAYS = envint("COMMENTS_IP_RETENTION_DAYS", 30)
# "immediate": an email to moderators for each reply that waits; "digest": the
# send_moderation_digest command (run it from cron) sums them up; "off".
COMMENTS_MODERATOR_NOTIFICATIONS = os.environ.get("COMMENTS_MODERATOR_NOTIFICATIONS", "immediate")
if COMMENTS_MODERATOR_NOTIFICATIONS not in {"immediate", "digest", "off"}:
    raise ImproperlyConfigured(
        "COMMENTS_MODERATOR_NOTIFICATIONS must be 'immediate', 'digest' or 'off'"
    )

# Email: printed to the console in development; SMTP when EMAIL_HOST is set.
# Production refuses to start without a mail server, as without a secret key:
# on the console, every confirmation link and moderators' notice would be lost.
if PRODUCTION and not os.environ.get("EMAIL_HOST", "").strip():
    raise ImproperlyConfigured("EMAIL_HOST must be set when DJANGO_PRODUCTION is on")
if os.environ.get("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["EMAIL_HOST"],
                "port": envint("EMAIL_PORT", 587),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": envbool("EMAIL_USE_TLS", True),
                # A mail server that hangs must not hold a reader's request for long.
                "timeout": envint("EMAIL_TIMEOUT", 10, minimum=1),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Sovereignty Forum <forum@localhost>")
# The public address of the site: in links sent by email, canonical links and
# the pages' structured data.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Where readers write about moderation and about their data (the community
# guidelines and the privacy notice give it); the sender's address by default.
CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", "").strip() or parseaddr(DEFAULT_FROM_EMAIL)[1]

# Background work (emails) -------------------------------------------------
# "database": each task is a row of the site's database (django-tasks-db),
# written as the request's transaction commits and run by a worker process
# (`manage.py db_worker`; `make run` starts one): a slow or hanging mail server
# never holds a request, and a task waits for a worker that is down.
# "immediate": run in the request itself, right after the commit (the tests).
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
}
TASKS_BACKEND = os.environ.get("DJANGO_TASKS_BACKEND", "database").strip().lower()
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured("DJANGO_TASKS_BACKEND must be 'database' or 'immediate'")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND]}}
# Seconds a worker waits before each new try of an email the mail server did
# not take (1 minute, 5, 30, 2 hours: five tries in all), then gives up.
_retry_delays = envlist("EMAIL_RETRY_DELAYS", ["60", "300", "1800", "7200"])
if not all(delay.isdigit() for delay in _retry_delays):
    raise ImproperlyConfigured(
        f"EMAIL_RETRY_DELAYS must be whole seconds separated by commas, not {_retry_delays!r}"
    )
EMAIL_RETRY_DELAYS = [int(delay) for delay in _retry_delays]
# ---------------------------------------------------------------------------

# The cache every app server shares: whole pages of anonymous readers and the
# rate limits (sessions live in the database, Django's default engine).
# Redis in production (REDIS_URL); this process's memory otherwise. Cached
# pages are fresh either way: each request checks the article's version in
# the database (articles.page_cache), so a change made by any process (a
# management command, cron, another server) is on the next page. A file or
# database cache shared by all processes was measured slower than that check.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "sovereignty-forum"),
            # A Redis that is down or slow must cost little: callers fall back.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            # Each page of a discussion is two entries (its copy, and which version of
            # it was drawn last: articles.page_cache); a 10,000-comment discussion has
            # about 180 pages in each language. Django's default of 300 entries culled
            # a third of them while one reader read it whole, who then found most
            # pages drawn again (make bench: 0.47 ms a comment cached, not 0.05). At
            # 100 to 150 KB a page, 2,000 entries hold at most some 200 to 300 MB a process.
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }
