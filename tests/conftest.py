import subprocess
import sys
from contextlib import contextmanager

import pytest
from django.conf import global_settings, settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.utils import translation

from articles.models import Article
from comments import readers
from tests.factories import RETURNING_READER_TOKEN, make_moderator, reply_data
from tests.servers import (
    ROOT,
    Reader,
    gunicorn,
    production_environment,
    redis_key_prefix,
    require_postgresql,
    require_redis,
)


@pytest.fixture
def article(db) -> Article:
    """The article the site ships with, loaded by its data migration."""
    return Article.objects.get(slug="mexico-rejects-us-intervention")


@pytest.fixture
def post_moderated(article) -> Article:
    """The article, its discussion moderated after publication: trusted replies appear at once."""
    article.moderation_mode = article.ModerationMode.POST
    article.save()
    return article


@pytest.fixture
def moderator(db) -> User:
    return make_moderator()


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


@pytest.fixture
def staff_outsider(db) -> User:
    """Staff, but not in the Moderators group."""
    return User.objects.create_user(
        "outsider", "outsider@example.com", "a-long-password-1", is_staff=True
    )


@pytest.fixture
def reader_account(db) -> User:
    return User.objects.create_user("reader", "reader@example.com", "a-long-password-1")


@pytest.fixture
def valid_reply() -> dict[str, str]:
    """What a reader sends from the reply form, its stamp included."""
    return reply_data()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The accounts in these tests guard nothing; hashing their passwords
    # properly would only make the suite slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def superuser(db) -> User:
    """The site's administrator, who answers commenters' privacy requests."""
    return User.objects.create_superuser("admin", "admin@example.com", "a-long-password-1")


@pytest.fixture
def superuser_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture(autouse=True)
def empty_cache():
    # Cached pages and rate-limit counters must not leak from one test to the next.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def returning_reader_key(client) -> str:
    """Gives `client` the browser identity of a reader who has posted before; returns its key."""
    client.cookies[settings.READER_COOKIE_NAME] = readers.cookie_value(RETURNING_READER_TOKEN)
    return readers.digest(RETURNING_READER_TOKEN)


@pytest.fixture(autouse=True)
def english_after_each_test():
    # A request in Spanish leaves Spanish active in this thread; the next
    # test must start from the site's default language.
    yield
    translation.activate(settings.LANGUAGE_CODE)


IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    # Most tests read the emails a request sent: they are sent in the request,
    # right after its commit. Those of the worker use `database_tasks`.
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture
def database_tasks(settings, immediate_tasks):
    """Tasks are rows in the database, waiting for a worker, as in production."""
    settings.TASKS = DATABASE_TASKS


@pytest.fixture
def broken_mail_server(settings):
    """Every email goes to a mail server that has gone away."""
    settings.MAILERS = {"default": {"BACKEND": "tests.mailbox.BrokenMailServer"}}


# The two app servers of tests/test_two_app_servers.py and of the browser test of live
# updates across them (tests/browser/test_live_across_two_app_servers.py): each module that
# uses them starts its own pair.
PASSWORD = "a-long-password-1"  # make_moderator's
TWO_SERVERS_EMAIL_LIMIT = 3


@pytest.fixture(scope="module")
def servers(django_db_setup, tmp_path_factory):
    """Two gunicorn instances on two ports, with production's static files and one Redis.

    Started once for these tests: each test's data is its own (the database is
    emptied after each), and they use texts and addresses of their own.
    """
    with _two_app_servers(tmp_path_factory.mktemp("two-app-servers")) as pair:
        yield pair


@pytest.fixture(scope="module")
def streaming_servers(django_db_setup, tmp_path_factory):
    """The two app servers under ASGI, sending open pages the changes as they happen
    (LIVE_STREAMS, comments.live_stream) through their Redis."""
    with _two_app_servers(
        tmp_path_factory.mktemp("two-streaming-servers"), LIVE_STREAMS="1"
    ) as pair:
        yield pair


@contextmanager
def _two_app_servers(tmp_path, **variables):
    require_postgresql("Two app servers sharing a database")
    require_redis()
    with redis_key_prefix() as prefix:
        # Every app server signs with the environment's one key: a session started
        # on one is valid on the other.
        environment = production_environment(
            prefix,
            DJANGO_STATIC_MANIFEST="1",
            DJANGO_STATIC_ROOT=str(tmp_path / "static"),
            COMMENTS_RATE_POSTS_PER_IP="1000/600",
            COMMENTS_RATE_POSTS_PER_EMAIL=f"{TWO_SERVERS_EMAIL_LIMIT}/600",
            # Open pages ask for new replies every second (3 by default).
            COMMENTS_LIVE_POLL_SECONDS="1",
            **variables,
        )
        collected = subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input"],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert collected.returncode == 0, collected.stderr
        with (
            gunicorn(environment, workers=2, log=tmp_path / "one.log") as one,
            gunicorn(environment, workers=2, log=tmp_path / "two.log") as two,
        ):
            yield one, two


@pytest.fixture
def moderator_on(settings):
    # Hashed as the servers hash passwords (the suite's own hasher is a fast one).
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    moderator = make_moderator()

    def log_in(server: str) -> Reader:
        desk = Reader(server)
        hidden = desk.form("/admin/login/", action="/admin/login/")
        answer = desk.post(
            "/admin/login/", {**hidden, "username": moderator.username, "password": PASSWORD}
        )
        assert answer.status == 302, answer.text[:500]
        return desk

    return log_in
