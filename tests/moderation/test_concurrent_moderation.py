"""Two moderators deciding the same comment at the same moment leave one consistent status and
a history with one decision per real change, in the order they took effect.

On PostgreSQL, where the two decisions really run at once in two connections.
"""

import itertools
import threading
from collections.abc import Callable

import pytest
from django.db import connections
from django.test import Client

from comments.models import Comment, ModerationDecision
from moderation.decisions import comment_moderate
from tests.factories import make_comment, make_moderator
from tests.servers import require_postgresql

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROUNDS = 10
APPROVED, REJECTED, SPAM = Comment.Status.APPROVED, Comment.Status.REJECTED, Comment.Status.SPAM


@pytest.fixture(autouse=True)
def postgresql():
    require_postgresql("Deciding at the same moment")


@pytest.fixture
def moderators():
    return make_moderator("maria"), make_moderator("luis")


def at_once(*actions: Callable[[], object]) -> list[object]:
    """Run each action in a thread of its own (its own connection), released together."""
    start = threading.Barrier(len(actions), timeout=30)
    results: list[object] = [None] * len(actions)
    errors: list[BaseException] = []

    def run(index: int, action: Callable[[], object]) -> None:
        try:
            start.wait()
            results[index] = action()
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


def history(comment: Comment) -> list[tuple[str, str]]:
    decisions = ModerationDecision.objects.filter(comment=comment).order_by("created", "pk")
    return list(decisions.values_list("from_status", "to_status"))


def assert_consistent(comment: Comment, *, first: str = Comment.Status.PENDING):
    """Each decision starts where the one before ended, and the last one is the status."""
    comment.refresh_from_db()
    steps = history(comment)
    assert steps, "no decision recorded"
    assert steps[0][0] == first
    for (_, reached), (started, _) in itertools.pairwise(steps):
        assert started == reached, steps
    assert steps[-1][1] == comment.status
    return steps


def decide(comment: Comment, status: str, moderator) -> Callable[[], object]:
    def action():
        # Each moderator works from the comment as their own page loaded it.
        loaded = Comment.objects.get(pk=comment.pk)
        return comment_moderate(comment=loaded, status=status, by=moderator)

    return action


class TestTheSameDecision:
    def test_is_recorded_once(self, article, moderators):
        maria, luis = moderators
        for _ in range(ROUNDS):
            comment = make_comment(article=article, status=Comment.Status.PENDING)

            results = at_once(decide(comment, APPROVED, maria), decide(comment, APPROVED, luis))

            assert sum(result is not None for result in results) == 1
            assert assert_consistent(comment) == [(Comment.Status.PENDING, APPROVED)]


class TestOppositeDecisions:
    def test_leave_one_status_with_the_history_that_led_to_it(self, article, moderators):
        maria, luis = moderators
        outcomes = set()
        for _ in range(ROUNDS):
            comment = make_comment(article=article, status=Comment.Status.PENDING)

            results = at_once(decide(comment, APPROVED, maria), decide(comment, REJECTED, luis))

            assert all(result is not None for result in results)
            steps = assert_consistent(comment)
            assert len(steps) == 2
            assert all(start != end for start, end in steps), steps
            outcomes.add(comment.status)
        assert outcomes <= {APPROVED, REJECTED}

    def test_a_decision_about_an_edit_applies_once(self, article, moderators):
        maria, luis = moderators
        for n in range(ROUNDS):
            comment = make_comment(article=article, pending_body=f"A revised text {n}.")

            results = at_once(decide(comment, APPROVED, maria), decide(comment, SPAM, luis))

            # The first decides the edit; the second, the comment the first left.
            assert all(result is not None for result in results)
            steps = assert_consistent(comment, first=APPROVED)
            assert len(steps) == 2
            assert comment.pending_body == ""
            edit_decisions = ModerationDecision.objects.filter(comment=comment).exclude(edit="")
            assert edit_decisions.count() == 1


class TestThroughTheAdmin:
    def test_two_moderators_clicking_at_once_leave_a_consistent_history(self, article, moderators):
        maria, luis = moderators
        desks = [Client(), Client()]
        desks[0].force_login(maria)
        desks[1].force_login(luis)
        for _ in range(ROUNDS // 2):
            comment = make_comment(article=article, status=Comment.Status.PENDING)
            url = f"/admin/comments/comment/{comment.pk}/change/"
            seen = comment.shown_version

            approve, spam = ({button: button, "seen": seen} for button in ("_approve", "_spam"))

            responses = at_once(
                lambda url=url, data=approve: desks[0].post(url, data),
                lambda url=url, data=spam: desks[1].post(url, data),
            )

            assert [response.status_code for response in responses] == [302, 302]
            # The first to take effect stands: the other was decided on a page now out of date.
            assert len(assert_consistent(comment)) == 1
