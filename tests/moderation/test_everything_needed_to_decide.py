"""The queue gives a moderator everything needed to decide: the readers' reports and how many
readers they stand for, buttons that say what they do, the tags (which a moderator can
correct, on the record), "tell the author" only with a rejection, the keys, and an undo."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment, ModerationDecision, Report, Rule, Strategy
from moderation.admin.queue import UNDO_SESSION_KEY
from moderation.decisions import UNDO_SECONDS
from tests.factories import ANA, LUIS, make_comment, make_moderator, report_by

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:comments_comment_queue")


def hidden_by_reports(article, **fields) -> Comment:
    """A published comment two readers, on two networks, reported until it was hidden."""
    comment = make_comment(article=article, body="Cartels are run from Washington.", **fields)
    report_by(ANA, comment, reason=Report.Reason.MISINFORMATION, text="No source for this.")
    report_by(LUIS, comment, reason=Report.Reason.ABUSE)
    report_by(
        {**LUIS, "reader_key": "luis-private-window"}, comment, reason=Report.Reason.OFF_TOPIC
    )
    comment.decide(Comment.Status.PENDING, by=None, rule=Rule.REPORTS, rule_detail="2")
    return comment


def item_of(html: str, comment: Comment) -> str:
    return html.split(f'id="queue-{comment.pk}"', 1)[1].split("</article>", 1)[0]


def decide(client, comment: Comment, decision: str, **data):
    return client.post(
        QUEUE,
        {
            "comments": comment.pk,
            "decision": decision,
            "origin": comment.pk,
            f"seen-{comment.pk}": comment.shown_version,
            **data,
        },
    )


class TestAReportedComment:
    def test_shows_each_reports_reason_and_text_and_how_many_readers_reported_it(
        self, moderator_client, article
    ):
        comment = hidden_by_reports(article)

        item = item_of(moderator_client.get(QUEUE).content.decode(), comment)

        # Three reports, from two readers' networks: Luis's second browser counts once.
        assert "Reported by 2 different readers" in item
        assert "3 reports" in item
        assert "<strong>Misinformation</strong>: “No source for this.”" in item
        assert "<strong>Abuse or harassment</strong></li>" in item
        assert "<strong>Off-topic</strong></li>" in item
        assert "Hidden from readers by their reports until you decide." in item

    def test_reports_from_unknown_networks_count_one_reader_each(self, moderator_client, article):
        comment = make_comment(article=article, pending_body="An edit to decide.")
        for key in ["older-report-1", "older-report-2"]:
            Report.objects.create(comment=comment, reason="spam", reader_key=key)
        report_by(ANA, comment)

        item = item_of(moderator_client.get(QUEUE).content.decode(), comment)

        assert "Reported by 3 different readers" in item

    def test_its_buttons_say_what_they_do(self, moderator_client, article):
        reported = hidden_by_reports(article)
        new = make_comment(article=article, status="pending", rule=Rule.PRE_MODERATION)

        html = moderator_client.get(QUEUE).content.decode()

        assert ">Keep, dismiss the reports</button>" in item_of(html, reported)
        assert ">Remove</button>" in item_of(html, reported)
        assert ">Approve</button>" not in item_of(html, reported)
        assert ">Approve</button>" in item_of(html, new)
        assert ">Keep, dismiss the reports</button>" not in item_of(html, new)

    def test_keeping_it_dismisses_the_reports_and_publishes_it_again(
        self, moderator_client, moderator, article
    ):
        comment = hidden_by_reports(article)

        decide(moderator_client, comment, "approved")

        comment.refresh_from_db()
        assert comment.status == Comment.Status.APPROVED
        assert not Report.objects.filter(comment=comment, resolved__isnull=True).exists()
        assert set(Report.objects.values_list("resolved_by", flat=True)) == {moderator.pk}

    def test_keeping_it_says_it_is_published_again_and_its_reports_dismissed(
        self, moderator_client, article
    ):
        comment = hidden_by_reports(article)

        answer = decide(moderator_client, comment, "approved")

        page = moderator_client.get(answer["Location"]).content.decode()
        assert "1 comment is published again; its reports are dismissed." in page
        assert "is now approved" not in page

    def test_removing_it_rejects_it(self, moderator_client, article):
        comment = hidden_by_reports(article)

        decide(moderator_client, comment, "rejected")

        comment.refresh_from_db()
        assert comment.status == Comment.Status.REJECTED


class TestTheTags:
    def test_every_item_shows_its_language_and_a_proposal_its_strategies_and_mode(
        self, moderator_client, article
    ):
        proposal = make_comment(
            article=article, status="pending", language="es", sovereignty_mode="bilateral"
        )
        proposal.strategies.set(Strategy.objects.order_by("position")[:2])
        reply = make_comment(article=article, parent=proposal, status="pending")
        untagged = make_comment(article=article, status="pending")
        first, second = Strategy.objects.order_by("position")[:2]

        html = moderator_client.get(QUEUE).content.decode()

        tagged = item_of(html, proposal)
        assert "Language: <strong>Spanish</strong>" in tagged
        assert f"Strategies: <strong>{first.name}, {second.name}</strong>" in tagged
        assert "Sovereignty: <strong>Bilateral, with consent</strong>" in tagged
        assert "Language: <strong>English</strong>" in item_of(html, reply)
        assert "Strategies:" not in item_of(html, reply)
        assert "Strategies: <strong>none named</strong>" in item_of(html, untagged)
        assert "Sovereignty: <strong>(not said)</strong>" in item_of(html, untagged)

    def test_a_moderator_corrects_them_from_the_queue_on_the_record(
        self, moderator_client, moderator, article
    ):
        proposal = make_comment(article=article, status="pending", sovereignty_mode="unilateral")
        wrong, right = Strategy.objects.order_by("position")[:2]
        proposal.strategies.set([wrong])

        response = moderator_client.post(
            QUEUE,
            {
                "correct": "tags",
                "comment": proposal.pk,
                "strategies": [right.pk],
                "sovereignty_mode": "bilateral",
            },
        )

        assert response.status_code == 302
        proposal.refresh_from_db()
        assert list(proposal.strategies.all()) == [right]
        assert proposal.sovereignty_mode == "bilateral"
        # Still waiting for its decision.
        assert proposal.status == Comment.Status.PENDING
        correction = ModerationDecision.objects.get(comment=proposal)
        assert correction.kind == ModerationDecision.Kind.CORRECTION
        assert correction.moderator == moderator
        assert correction.tags_before == f"{wrong.name} · Unilateral"
        assert correction.tags_after == f"{right.name} · Bilateral, with consent"
        page = moderator_client.get(QUEUE).content.decode()
        assert (
            f"Tags of the comment by {proposal.author_name} corrected: "
            f"{wrong.name} · Unilateral → {right.name} · Bilateral, with consent"
        ) in page

    def test_the_correction_is_in_the_history_nobody_can_edit(self, moderator_client, article):
        proposal = make_comment(article=article, status="pending")
        strategy = Strategy.objects.first()
        moderator_client.post(
            QUEUE, {"correct": "tags", "comment": proposal.pk, "strategies": [strategy.pk]}
        )

        page = moderator_client.get(
            reverse("admin:comments_comment_change", args=[proposal.pk])
        ).content.decode()

        history = page.split('id="decisions-group"', 1)[1]
        assert f"Tags: — → {strategy.name}" in history
        assert 'name="decisions-0-note"' not in history

    def test_the_comments_page_records_its_corrections_too(self, moderator_client, article):
        proposal = make_comment(article=article)
        strategy = Strategy.objects.first()
        change = reverse("admin:comments_comment_change", args=[proposal.pk])

        moderator_client.post(
            change,
            {
                "strategies": [strategy.pk],
                "sovereignty_mode": "domestic",
                "_save": "Save",
                "reports-TOTAL_FORMS": 0,
                "reports-INITIAL_FORMS": 0,
                "decisions-TOTAL_FORMS": 0,
                "decisions-INITIAL_FORMS": 0,
            },
        )

        correction = ModerationDecision.objects.get(comment=proposal)
        assert correction.tags_after == f"{strategy.name} · Domestic action only"

    def test_nothing_is_recorded_when_nothing_changes(self, moderator_client, article):
        proposal = make_comment(article=article, status="pending", sovereignty_mode="domestic")

        moderator_client.post(
            QUEUE, {"correct": "tags", "comment": proposal.pk, "sovereignty_mode": "domestic"}
        )

        assert not ModerationDecision.objects.exists()

    def test_a_reply_has_no_tags_to_correct(self, moderator_client, article):
        reply = make_comment(article=article, parent=make_comment(article=article))

        moderator_client.post(QUEUE, {"correct": "tags", "comment": reply.pk, "strategies": [1]})

        assert not reply.strategies.exists()
        assert not ModerationDecision.objects.exists()


class TestTellingTheAuthor:
    def test_without_javascript_the_option_says_it_applies_to_a_rejection(
        self, moderator_client, article
    ):
        make_comment(article=article, status="pending")

        html = moderator_client.get(QUEUE).content.decode()

        assert "Tell the author why by email (rejections)" in html
        # The button the page's script puts beside Reject in its place.
        assert 'data-button="Reject and tell the author why"' in html

    def test_an_approval_never_emails_the_author_even_with_the_box_ticked(
        self, moderator_client, article, django_capture_on_commit_callbacks
    ):
        comment = make_comment(article=article, status="pending", author_email="a@example.com")

        with django_capture_on_commit_callbacks(execute=True):
            decide(moderator_client, comment, "approved", tell_author="on")

        assert [m for m in mail.outbox if m.to == ["a@example.com"]] == []


class TestTheKeys:
    def test_the_page_names_the_keys_and_each_button_its_key(self, moderator_client, article):
        make_comment(article=article, status="pending")

        html = moderator_client.get(QUEUE).content.decode()

        assert '<p class="queue-keys" hidden>' in html
        assert "<kbd>j</kbd>/<kbd>k</kbd> next / previous comment" in html
        for decision, key in [("approved", "a"), ("rejected", "r"), ("spam", "s")]:
            assert re.search(rf'value="{decision}" [^>]*data-key="{key}"', html)
        assert 'tabindex="-1"' in html


class TestUndo:
    def test_the_last_decision_can_be_undone_for_a_moment_and_the_undo_is_recorded(
        self, moderator_client, moderator, article
    ):
        comment = make_comment(article=article, status="pending", rule=Rule.TOO_MANY_LINKS)
        decide(moderator_client, comment, "rejected", reason="off_topic")
        page = moderator_client.get(QUEUE).content.decode()
        assert f"You can undo that decision for {UNDO_SECONDS} more seconds." in page
        assert "are not recalled" in page

        answer = moderator_client.post(QUEUE, {"undo": "last"})

        # Back on the queue at the comment that returned to it.
        assert answer["Location"] == f"{QUEUE}#queue-comment-{comment.pk}"
        comment.refresh_from_db()
        assert (comment.status, comment.rule) == (Comment.Status.PENDING, Rule.TOO_MANY_LINKS)
        rejection, undo = ModerationDecision.objects.filter(comment=comment).order_by("pk")
        assert rejection.to_status == Comment.Status.REJECTED
        assert (undo.kind, undo.undoes, undo.moderator) == ("undo", rejection, moderator)
        assert (undo.from_status, undo.to_status) == ("rejected", "pending")
        page = moderator_client.get(QUEUE).content.decode()
        assert "Decision undone: 1 comment is back as it was." in page
        assert "You can undo" not in page

    def test_keeping_a_reported_comment_undone_hides_it_again_with_its_reports_open(
        self, moderator_client, article
    ):
        comment = hidden_by_reports(article)
        decide(moderator_client, comment, "approved")

        moderator_client.post(QUEUE, {"undo": "last"})

        comment.refresh_from_db()
        assert (comment.status, comment.rule) == (Comment.Status.PENDING, Rule.REPORTS)
        assert Report.objects.filter(comment=comment, resolved__isnull=True).count() == 3
        assert ">Keep, dismiss the reports</button>" in moderator_client.get(QUEUE).content.decode()

    def test_a_refused_edit_undone_waits_again(self, moderator_client, article):
        comment = make_comment(article=article, body="Published.", pending_body="The edit.")
        decide(moderator_client, comment, "rejected")

        moderator_client.post(QUEUE, {"undo": "last"})

        comment.refresh_from_db()
        assert (comment.status, comment.body, comment.pending_body) == (
            "approved",
            "Published.",
            "The edit.",
        )

    def test_after_the_moment_nothing_is_undone(self, moderator_client, article):
        comment = make_comment(article=article, status="pending")
        decide(moderator_client, comment, "approved")

        # The moment passed: the decision and the page's offer are older by then.
        past = timezone.now() - timedelta(seconds=UNDO_SECONDS + 6)
        ModerationDecision.objects.update(created=past)
        session = moderator_client.session
        session[UNDO_SESSION_KEY] = {**session[UNDO_SESSION_KEY], "until": past.isoformat()}
        session.save()
        assert "You can undo" not in moderator_client.get(QUEUE).content.decode()
        moderator_client.post(QUEUE, {"undo": "last"})

        comment.refresh_from_db()
        assert comment.status == Comment.Status.APPROVED
        assert ModerationDecision.objects.filter(comment=comment).count() == 1

    def test_a_comment_decided_again_since_is_not_undone(self, moderator_client, article):
        comment = make_comment(article=article, status="pending")
        decide(moderator_client, comment, "approved")
        comment.decide(Comment.Status.SPAM, by=make_moderator("other"))

        moderator_client.post(QUEUE, {"undo": "last"})

        comment.refresh_from_db()
        assert comment.status == Comment.Status.SPAM
        assert "Nothing was undone" in moderator_client.get(QUEUE).content.decode()

    def test_the_queue_comes_back_at_a_comment_the_undo_brought_back(
        self, moderator_client, article
    ):
        taken, kept = (make_comment(article=article, status="pending") for _ in range(2))
        moderator_client.post(
            QUEUE,
            {
                "comments": [taken.pk, kept.pk],
                "decision": "rejected",
                "reason": "off_topic",
                f"seen-{taken.pk}": taken.shown_version,
                f"seen-{kept.pk}": kept.shown_version,
            },
        )
        # Another moderator decides the first again: the undo leaves it as they did.
        taken.refresh_from_db()
        taken.decide(Comment.Status.SPAM, by=make_moderator("other"))

        answer = moderator_client.post(QUEUE, {"undo": "last"})

        assert answer["Location"] == f"{QUEUE}#queue-comment-{kept.pk}"

    def test_only_the_moderators_own_decisions_are_undone(self, client, moderator, article):
        comment = make_comment(article=article, status="pending")
        decide(client_of(client, moderator), comment, "approved")
        other = make_moderator("other")
        client.force_login(other)

        client.post(QUEUE, {"undo": "last"})

        comment.refresh_from_db()
        assert comment.status == Comment.Status.APPROVED

    def test_a_published_edit_cannot_be_undone(self, moderator_client, article):
        comment = make_comment(article=article, body="Published.", pending_body="The edit.")
        decide(moderator_client, comment, "approved")

        moderator_client.post(QUEUE, {"undo": "last"})

        comment.refresh_from_db()
        assert (comment.body, comment.pending_body) == ("The edit.", "")


def client_of(client, user):
    client.force_login(user)
    return client


class TestCost:
    @pytest.mark.parametrize("size", [2, 12])
    def test_proposals_reports_and_tags_cost_the_same_queries_however_many(
        self, moderator_client, article, django_assert_num_queries, size
    ):
        strategies = list(Strategy.objects.all()[:2])
        for _ in range(size):
            make_comment(article=article, status="pending").strategies.set(strategies)
            hidden_by_reports(article)

        # Session, user, the user's permissions (their own and their group's),
        # the page's comments, the strategies they name, every strategy (for
        # the labels and the correction), the open reports, the first replies
        # of the published ones, the count of what waits.
        cache.clear()
        with django_assert_num_queries(10):
            moderator_client.get(QUEUE)
