"""The desk in figures: what waits and since when, today's decisions by moderator, the week's
median time from posting to decision and its rejections by reason, in a fixed number of
queries, on SQLite and PostgreSQL alike."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment, ModerationDecision, Reason, Rule
from moderation import desk
from tests.factories import make_comment, make_moderator

pytestmark = pytest.mark.django_db

DESK = reverse("admin:comments_comment_desk")


def decided(article, moderator, *, waited: timedelta, status="approved", reason="", at=None):
    """A comment posted `waited` before `moderator` decided it (at `at`, now by default)."""
    at = at or timezone.now()
    comment = make_comment(article=article, status="pending", created=at - waited)
    decision = comment.decide(status, by=moderator, reason=reason)
    ModerationDecision.objects.filter(pk=decision.pk).update(created=at)
    return comment


def start_of_today():
    return timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)


class TestTheFigures:
    def test_what_waits_and_since_when(self, article):
        oldest = timezone.now() - timedelta(hours=5)
        make_comment(article=article, status="pending", created=timezone.now())
        make_comment(article=article, pending_body="An edit.", created=oldest)

        figures = desk.desk_figures(waiting=2)

        assert figures.waiting == 2
        assert figures.oldest_waiting_since == oldest
        assert figures.oldest_wait == "5\xa0hours"

    def test_decisions_today_by_moderator_leave_out_undos_corrections_and_yesterday(self, article):
        lucia, tomas = make_moderator("lucia"), make_moderator("tomas")
        for _ in range(2):
            decided(article, lucia, waited=timedelta(minutes=5))
        decided(article, tomas, waited=timedelta(minutes=5))
        decided(
            article, tomas, waited=timedelta(minutes=5), at=start_of_today() - timedelta(hours=1)
        )
        taken_back = decided(article, tomas, waited=timedelta(minutes=5))
        taken_back.undo(taken_back.decisions.get(kind="decision"), by=tomas)
        ModerationDecision.objects.create(
            comment=taken_back, moderator=lucia, kind="correction", to_status="pending"
        )
        # An automatic rule's decision is nobody's.
        make_comment(article=article, status="pending").decide(
            "spam", by=None, rule=Rule.BANNED_WORD
        )

        figures = desk.desk_figures(waiting=0)

        assert figures.decisions_today == [("lucia", 2), ("tomas", 1)]

    @pytest.mark.parametrize(
        ("waits", "median"),
        [
            ([10, 20, 90], timedelta(minutes=20)),
            ([10, 20, 30, 90], timedelta(minutes=25)),
            ([45], timedelta(minutes=45)),
        ],
    )
    def test_the_median_wait_from_posting_to_decision_this_week(
        self, article, moderator, waits, median
    ):
        for minutes in waits:
            decided(article, moderator, waited=timedelta(minutes=minutes))
        # Last week's and a reported comment's waits are not this week's waits for a decision.
        week_start = start_of_today() - timedelta(days=start_of_today().weekday())
        decided(article, moderator, waited=timedelta(days=3), at=week_start - timedelta(minutes=1))
        hidden = make_comment(article=article, created=timezone.now() - timedelta(days=30))
        hidden.decide("pending", by=None, rule=Rule.REPORTS)
        hidden.decide("approved", by=moderator)

        figures = desk.desk_figures(waiting=0)

        assert figures.median_wait == median
        assert figures.decided_this_week == len(waits)

    def test_no_decision_no_median(self, article):
        figures = desk.desk_figures(waiting=0)

        assert (figures.median_wait, figures.median_wait_words) == (None, "")

    def test_the_weeks_rejections_by_reason_with_their_share(self, article, moderator):
        for reason in [Reason.INCIVILITY, Reason.INCIVILITY, Reason.OFF_TOPIC, ""]:
            decided(
                article, moderator, waited=timedelta(minutes=1), status="rejected", reason=reason
            )
        decided(article, moderator, waited=timedelta(minutes=1), status="spam", reason=Reason.SPAM)
        decided(article, moderator, waited=timedelta(minutes=1))

        figures = desk.desk_figures(waiting=0)

        assert figures.rejected_this_week == 4
        assert [(str(s.reason), s.count, s.percent) for s in figures.rejections_by_reason] == [
            ("Incivility", 2, 50),
            ("(no reason)", 1, 25),
            ("Off-topic", 1, 25),
        ]


class TestThePage:
    def test_it_shows_the_figures(self, moderator_client, moderator, article):
        make_comment(article=article, status="pending", created=timezone.now() - timedelta(hours=2))
        decided(article, moderator, waited=timedelta(minutes=30), status="rejected", reason="spam")

        html = moderator_client.get(DESK).content.decode()

        assert "1 comment waits" in html
        assert "the oldest was posted 2\xa0hours ago." in html
        assert "<td>moderator</td><td>1</td>" in html
        assert "Median wait: 30\xa0minutes, over 1 decision since Monday." in html
        assert "<td>Spam</td><td>1</td><td>100 %</td>" in html

    def test_it_speaks_spanish(self, moderator_client, moderator, article):
        decided(article, moderator, waited=timedelta(minutes=30))

        html = moderator_client.get(DESK, headers={"accept-language": "es"}).content.decode()

        assert 'lang="es"' in html

    @pytest.mark.parametrize("size", [1, 8])
    def test_it_costs_the_same_queries_however_many_comments_and_moderators(
        self, moderator_client, article, django_assert_num_queries, size
    ):
        for n in range(size):
            moderator = make_moderator(f"moderator-{n}")
            make_comment(article=article, status="pending")
            make_comment(article=article, pending_body="An edit.")
            decided(article, moderator, waited=timedelta(minutes=n + 1))
            decided(
                article, moderator, waited=timedelta(minutes=1), status="rejected", reason="spam"
            )

        # Session, user, the user's permissions (their own and their group's),
        # the count of what waits, the oldest new comment and the oldest edit,
        # today's decisions by moderator, the week's decisions counted and
        # their middle read, the week's rejections by reason.
        cache.clear()
        with django_assert_num_queries(11):
            assert moderator_client.get(DESK).status_code == 200

    def test_staff_outside_the_moderators_may_not_see_it(self, client, staff_outsider):
        client.force_login(staff_outsider)

        assert client.get(DESK).status_code == 403

    def test_the_queue_leads_to_it(self, moderator_client):
        assert (
            f'href="{DESK}"'
            in moderator_client.get(reverse("admin:comments_comment_queue")).content.decode()
        )


def test_a_comment_is_decided_once_in_the_figures_even_when_undone_and_decided_again(
    article, moderator
):
    comment = make_comment(
        article=article, status="pending", created=timezone.now() - timedelta(minutes=10)
    )
    first = comment.decide(Comment.Status.REJECTED, by=moderator)
    comment.undo(first, by=moderator)
    comment.decide(Comment.Status.APPROVED, by=moderator)

    figures = desk.desk_figures(waiting=0)

    assert figures.decisions_today == [("moderator", 1)]
    assert figures.rejected_this_week == 0
    assert figures.decided_this_week == 1
