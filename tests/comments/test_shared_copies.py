"""Copies of what many requests read kept in the shared cache, never outliving a change."""

import pytest
from django.test import override_settings

from comments.shared_copies import SharedCopy
from tests.servers import unreachable_cache

pytestmark = pytest.mark.django_db


def test_a_copy_is_read_once_then_served_from_the_cache():
    reads = []
    copy = SharedCopy("test:counted", lambda: reads.append(1) or len(reads))

    assert [copy.get(), copy.get(), copy.get()] == [1, 1, 1]


def test_a_change_is_seen_by_the_next_reader(django_capture_on_commit_callbacks):
    source = {"value": "old"}
    copy = SharedCopy("test:changed", lambda: source["value"])
    assert copy.get() == "old"

    source["value"] = "new"
    with django_capture_on_commit_callbacks(execute=True):
        copy.forget()

    assert copy.get() == "new"


def test_a_copy_read_just_before_a_change_committed_never_outlives_it(
    django_capture_on_commit_callbacks,
):
    source = {"value": "old"}

    def read_while_a_change_commits():
        value = source["value"]
        source["value"] = "new"
        with django_capture_on_commit_callbacks(execute=True):
            copy.forget()
        return value

    copy = SharedCopy("test:racing", read_while_a_change_commits)
    assert copy.get() == "old"  # what that request read, and stored

    copy.load = lambda: source["value"]
    assert copy.get() == "new"


def test_nothing_changes_until_the_change_commits():
    source = {"value": "old"}
    copy = SharedCopy("test:uncommitted", lambda: source["value"])
    copy.get()

    source["value"] = "new"
    copy.forget()  # inside the test's transaction, which never commits

    assert copy.get() == "old"


@pytest.mark.parametrize("operation", ["get", "forget"])
def test_an_unreachable_cache_means_reading_the_database(operation):
    copy = SharedCopy("test:outage", lambda: "from the database")

    with override_settings(CACHES=unreachable_cache()):
        if operation == "forget":
            copy.forget_now()
        assert copy.get() == "from the database"
