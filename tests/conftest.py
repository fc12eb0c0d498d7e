import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.utils import translation

from articles.models import Article
from comments import readers
from tests.factories import RETURNING_READER_TOKEN, make_moderator, reply_data


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
