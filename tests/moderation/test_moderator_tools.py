"""Moderators' tools beyond the plain decision: queues, reasons, blocks, picks, closing dates."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments.counters import recount
from comments.models import Block, Comment, ModerationDecision, Reason, WordRule
from tests.actions import change_url, decide_on_page, post_reply
from tests.factories import form_stamp, make_comment, make_commenter

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:comments_comment_changelist")


class TestQueues:
    def test_each_queue_is_one_click_away_with_its_count(self, moderator_client, article):
        for status, count in [("pending", 3), ("approved", 2), ("rejected", 1), ("spam", 4)]:
            for _ in range(count):
                make_comment(article=article, status=status)

        html = moderator_client.get(CHANGELIST).content.decode()

        for label in ["Pending (3)", "Approved (2)", "Rejected (1)", "Spam (4)", "Reported (0)"]:
            assert label in html
        assert "?queue=spam" in html

    @pytest.mark.parametrize("queue", ["pending", "approved", "rejected", "spam"])
    def test_a_queue_holds_only_its_comments(self, moderator_client, article, queue):
        for status in ["pending", "approved", "rejected", "spam"]:
            make_comment(article=article, status=status, body=f"A {status} comment")

        html = moderator_client.get(CHANGELIST, {"queue": queue}).content.decode()

        for status in ["pending", "approved", "rejected", "spam"]:
            assert (f"A {status} comment" in html) == (status == queue)

    def test_the_pending_queue_includes_edits_awaiting_moderation(self, moderator_client, article):
        make_comment(article=article, body="Old text", pending_body="New text")

        html = moderator_client.get(CHANGELIST, {"queue": "pending"}).content.decode()

        assert "New text" in html
        assert "[edit]" in html


class TestReasons:
    def test_a_bulk_decision_carries_a_reason_and_a_note(
        self, moderator_client, moderator, article
    ):
        comments = [make_comment(article=article, status="pending") for _ in range(2)]

        moderator_client.post(
            CHANGELIST,
            {
                "action": "reject",
                "_selected_action": [c.pk for c in comments],
                "reason": Reason.PERSONAL_ATTACK,
                "note": "Name-calling",
                **{f"seen-{c.pk}": c.shown_version for c in comments},
            },
        )

        decisions = ModerationDecision.objects.filter(moderator=moderator)
        assert decisions.count() == 2
        assert {d.reason for d in decisions} == {Reason.PERSONAL_ATTACK}
        assert {d.note for d in decisions} == {"Name-calling"}

    def test_other_needs_a_note_and_nothing_is_decided_without_one(self, moderator_client, article):
        comment = make_comment(article=article, status="pending")

        response = moderator_client.post(
            CHANGELIST,
            {"action": "reject", "_selected_action": [comment.pk], "reason": Reason.OTHER},
            follow=True,
        )

        comment.refresh_from_db()
        assert comment.status == Comment.Status.PENDING
        assert "Add a note when the reason is “Other”" in response.content.decode()

    def test_a_single_decision_carries_a_reason(self, moderator_client, moderator, article):
        comment = make_comment(article=article, status="pending")

        decide_on_page(moderator_client, comment, "_reject", reason=Reason.INCIVILITY)

        decision = comment.decisions.get()
        assert (decision.moderator, decision.to_status, decision.reason) == (
            moderator,
            Comment.Status.REJECTED,
            Reason.INCIVILITY,
        )

    def test_after_a_decision_the_next_waiting_comment_opens(self, moderator_client, article):
        first = make_comment(
            article=article, status="pending", created=timezone.now() - timedelta(hours=2)
        )
        second = make_comment(article=article, status="pending")

        response = decide_on_page(moderator_client, first, "_approve")

        assert response["Location"] == change_url(second)


class TestHistory:
    def test_the_history_shows_who_when_from_what_to_what_and_why(
        self, moderator_client, moderator, article
    ):
        comment = make_comment(article=article, status="pending")
        comment.reject(by=moderator, reason=Reason.MISINFORMATION, note="Invented statistic")

        html = moderator_client.get(change_url(comment)).content.decode()

        for text in [
            "Moderation history",
            moderator.username,
            "Pending",
            "Rejected",
            "Misinformation",
            "Invented statistic",
        ]:
            assert text in html

    def test_the_history_cannot_be_edited_or_deleted_in_the_admin(
        self, admin_client, moderator, article
    ):
        comment = make_comment(article=article, status="pending")
        comment.approve(by=moderator)

        html = admin_client.get(change_url(comment)).content.decode()

        assert 'name="decisions-0-DELETE"' not in html
        assert 'name="decisions-0-note"' not in html
        assert reverse("admin:index") + "comments/moderationdecision/" not in html

    def test_two_decisions_of_the_same_comment_leave_one_consistent_history(
        self, moderator, article
    ):
        comment = make_comment(article=article, status="pending")
        stale_copy = Comment.objects.get(pk=comment.pk)

        comment.approve(by=moderator)
        repeated = stale_copy.approve(by=moderator)

        assert repeated is None
        assert comment.decisions.count() == 1


class TestCommenterRecord:
    def test_the_comment_page_shows_the_commenters_record(self, moderator_client, article):
        for status in ["approved", "approved", "rejected"]:
            make_comment(article=article, author_email="ana@example.com", status=status)
        comment = make_comment(article=article, author_email="ana@example.com", status="pending")

        html = moderator_client.get(change_url(comment)).content.decode()

        assert "4 comments" in html
        assert "2 approved" in html
        assert "1 rejected" in html
        assert f"{CHANGELIST}?q=ana@example.com" in html

    def test_a_commenters_page_dates_their_comments_in_the_moderators_language(
        self, superuser_client, article
    ):
        written = datetime(2026, 3, 5, 12, 0, tzinfo=UTC)
        make_comment(article=article, author_email="ana@example.com", created=written)
        commenter = make_commenter(email="ana@example.com")
        page = reverse("admin:comments_commenter_change", args=[commenter.pk])

        english = superuser_client.get(page, headers={"accept-language": "en"}).content.decode()
        spanish = superuser_client.get(page, headers={"accept-language": "es"}).content.decode()

        assert "March 5, 2026" in english
        assert "5 de marzo de 2026" in spanish


class TestBlocks:
    def test_a_moderator_blocks_an_address_and_is_recorded_as_its_author(
        self, moderator_client, moderator
    ):
        moderator_client.post(
            reverse("admin:comments_block_add"),
            {"target": " Troll@Example.com ", "reason": "Abuse"},
        )

        block = Block.objects.get()
        assert block.target == "troll@example.com"
        assert block.created_by == moderator

    @pytest.mark.parametrize("target", ["not an address", "example", "300.1.1.1/99"])
    def test_a_malformed_target_is_refused(self, moderator_client, target):
        response = moderator_client.post(reverse("admin:comments_block_add"), {"target": target})

        assert (
            "Enter an email address, an @domain, or an IP address or network"
            in response.content.decode()
        )
        assert not Block.objects.exists()

    def test_an_ip_network_is_normalised(self, moderator_client):
        moderator_client.post(reverse("admin:comments_block_add"), {"target": "203.0.113.9/24"})

        assert Block.objects.get().target == "203.0.113.0/24"


class TestWordRules:
    def test_moderators_edit_the_word_lists(self, moderator_client):
        moderator_client.post(
            reverse("admin:comments_wordrule_add"), {"phrase": "narcoterrorista", "action": "hold"}
        )

        assert WordRule.objects.get().phrase == "narcoterrorista"

    def test_the_same_word_in_another_case_is_refused(self, moderator_client):
        WordRule.objects.create(phrase="casino", action="spam")

        response = moderator_client.post(
            reverse("admin:comments_wordrule_add"), {"phrase": "CASINO", "action": "hold"}
        )

        assert response.status_code == 200
        assert WordRule.objects.count() == 1


class TestEditorsPicks:
    def test_a_featured_comment_has_a_badge_and_its_own_view_without_being_pinned(
        self, client, moderator_client, article
    ):
        old = make_comment(
            article=article, body="An old insight", created=timezone.now() - timedelta(days=3)
        )
        make_comment(article=article, body="A newer remark")

        moderator_client.post(CHANGELIST, {"action": "feature", "_selected_action": [old.pk]})
        client.logout()
        html = client.get(article.get_absolute_url()).content.decode()
        picks = client.get(article.get_absolute_url() + "?sort=picks").content.decode()

        # Newest first is newest first: the pick keeps its place in time.
        assert html.index("A newer remark") < html.index("An old insight")
        assert "Editor’s pick</span>" in html
        assert "An old insight" in picks and "A newer remark" not in picks

    def test_the_change_page_toggles_the_pick(self, moderator_client, article):
        comment = make_comment(article=article)

        moderator_client.post(change_url(comment), {"_feature": "Feature"})

        comment.refresh_from_db()
        assert comment.featured


class TestClosingTheDiscussion:
    def test_a_discussion_closes_itself_at_its_closing_date(self, client, article):
        article.discussion_closes = timezone.now() - timedelta(minutes=1)
        article.save()

        response = post_reply(
            client,
            article,
            {
                "author_name": "Ana",
                "author_email": "ana@example.com",
                "body": "Too late?",
                "stamp": form_stamp(),
            },
        )

        assert "This discussion is closed" in response.content.decode()
        assert not Comment.objects.exists()

    def test_before_its_closing_date_the_discussion_is_open(self, client, article):
        article.discussion_closes = timezone.now() + timedelta(days=1)
        article.save()

        html = client.get(article.get_absolute_url()).content.decode()

        assert 'id="reply-form"' in html

    def test_editors_set_the_closing_date_and_moderation_mode_in_the_admin(
        self, admin_client, article
    ):
        html = admin_client.get(
            reverse("admin:articles_article_change", args=[article.pk])
        ).content.decode()

        assert 'name="discussion_closes_0"' in html
        assert 'name="moderation_mode"' in html


class TestModeratorsComfort:
    def test_the_admin_is_the_forums_moderation_desk_listing_its_apps(self, moderator_client):
        html = moderator_client.get(reverse("admin:index")).content.decode()

        assert "Sovereignty Forum moderation" in html
        assert reverse("admin:app_list", kwargs={"app_label": "comments"}) in html

    def test_every_admin_page_shows_how_many_comments_wait(self, moderator_client, article):
        make_comment(article=article, status="pending")
        make_comment(article=article, status="pending")

        html = moderator_client.get(reverse("admin:index")).content.decode()

        assert "2 waiting for review" in html
        assert reverse("admin:comments_comment_queue") in html

    def test_the_queue_shows_each_comment_in_context(self, moderator_client, article):
        parent = make_comment(article=article, author_name="Ana", body="Troops would help")
        reply = make_comment(
            article=article, parent=parent, status="pending", body="No they would not"
        )
        make_comment(article=article, parent=reply, author_name="Luis", body="Agreed with that")

        html = moderator_client.get(CHANGELIST, {"queue": "pending"}).content.decode()

        row = html.split("No they would not", 1)[1].split("</tr>", 1)[0]
        assert "replying to <strong>Ana</strong>: Troops would help" in row
        assert "<strong>Luis</strong> (approved): Agreed with that" in row

    def test_the_queue_costs_the_same_queries_with_more_comments(self, moderator_client, article):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        def queries_for_the_queue() -> list[str]:
            cache.clear()  # the waiting count is counted, not read from the cache, both times
            with CaptureQueriesContext(connection) as captured:
                assert moderator_client.get(CHANGELIST, {"queue": "pending"}).status_code == 200
            return [query["sql"] for query in captured.captured_queries]

        for _ in range(3):
            make_comment(article=article, parent=make_comment(article=article, status="pending"))
        few = queries_for_the_queue()
        for _ in range(40):
            make_comment(article=article, parent=make_comment(article=article, status="pending"))
        many = queries_for_the_queue()

        assert len(few) == len(many)
        unfiltered_counts = [sql for sql in many if "COUNT(" in sql and "WHERE" not in sql]
        assert unfiltered_counts == []


class TestDiscussionCounters:
    def test_the_counters_follow_every_decision(self, client, article, moderator):
        top = make_comment(article=article, status="pending")
        reply = make_comment(
            article=article, parent=make_comment(article=article), status="pending"
        )
        article.refresh_from_db()
        assert (article.published_count, article.thread_count) == (1, 1)

        top.approve(by=moderator)
        reply.approve(by=moderator)
        article.refresh_from_db()
        assert (article.published_count, article.thread_count) == (3, 2)

        top.reject(by=moderator)
        reply.mark_spam(by=moderator)
        article.refresh_from_db()
        assert (article.published_count, article.thread_count) == (1, 1)

    def test_the_counters_agree_with_a_recount(self, article, moderator):
        comments = [make_comment(article=article, status="pending") for _ in range(4)]
        comments[0].approve(by=moderator)
        comments[1].approve(by=moderator)
        comments[1].reject(by=moderator)
        article.refresh_from_db()
        counted = (article.published_count, article.thread_count)

        recount(Article.objects.filter(pk=article.pk))

        article.refresh_from_db()
        assert counted == (article.published_count, article.thread_count) == (1, 1)
