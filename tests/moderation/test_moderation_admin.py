"""Moderators keep the discussion civil from the Django admin."""

import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from comments.models import Comment, ModerationDecision, Rule, Strategy
from tests.actions import change_url, decide_on_page
from tests.factories import make_comment, make_moderator

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:comments_comment_changelist")


def shown_on_the_list(client, query: str = "") -> dict[str, str]:
    """The `seen-<id>` fields the comment list sends with an action: what it showed."""
    html = client.get(CHANGELIST + query).content.decode()
    return dict(re.findall(r'<input type="hidden" name="(seen-\d+)" value="(\w+)">', html))


def bulk(client, action: str, *comments: Comment, shown: dict[str, str] | None = None):
    """An action on the ticked comments, sent from the list as it shows them now (or `shown`)."""
    return client.post(
        CHANGELIST,
        {
            "action": action,
            "_selected_action": [comment.pk for comment in comments],
            **(shown_on_the_list(client) if shown is None else shown),
        },
        follow=True,
    )


class TestTheQueue:
    def test_lists_comments_with_status_article_author_excerpt_and_link(
        self, moderator_client, article
    ):
        comment = make_comment(article=article, body="Joint investigations, not troops.")

        html = moderator_client.get(CHANGELIST).content.decode()

        for text in (
            "Joint investigations, not troops.",
            comment.author_name,
            comment.author_email,
        ):
            assert text in html
        assert "Approved" in html
        assert article.title in html
        assert comment.get_absolute_url() in html

    def test_shows_the_pending_count_without_searching(self, moderator_client, article):
        make_comment(article=article, status=Comment.Status.PENDING)
        make_comment(article=article, status=Comment.Status.PENDING)
        make_comment(article=article)

        html = moderator_client.get(CHANGELIST).content.decode()

        assert "2 comments await moderation" in html
        assert "?queue=pending" in html

    def test_filters_by_status(self, moderator_client, article):
        make_comment(article=article, body="Waiting words", status=Comment.Status.PENDING)
        make_comment(article=article, body="Published words")

        html = moderator_client.get(CHANGELIST + "?queue=pending").content.decode()

        assert "Waiting words" in html
        assert "Published words" not in html

    @pytest.mark.parametrize("query", ["precursor", "Lucía", "lucia@example"])
    def test_searches_text_name_and_email(self, moderator_client, article, query):
        make_comment(
            article=article,
            body="Control precursor chemicals.",
            author_name="Lucía",
            author_email="lucia@example.com",
        )
        make_comment(
            article=article,
            body="Something else",
            author_name="Pedro",
            author_email="p@example.com",
        )

        html = moderator_client.get(CHANGELIST, {"q": query}).content.decode()

        assert "Control precursor chemicals." in html
        assert "Something else" not in html


class TestBulkDecisions:
    @pytest.mark.parametrize(
        ("action", "status"),
        [
            ("approve", Comment.Status.APPROVED),
            ("reject", Comment.Status.REJECTED),
            ("mark_spam", Comment.Status.SPAM),
        ],
    )
    def test_decide_every_selected_comment(
        self, moderator_client, moderator, article, action, status
    ):
        comments = [make_comment(article=article, status=Comment.Status.PENDING) for _ in range(3)]

        response = bulk(moderator_client, action, *comments)

        assert f"3 comments are now {status.label.lower()}" in response.content.decode()
        assert set(Comment.objects.values_list("status", flat=True)) == {status}

    def test_record_who_decided_and_when(self, moderator_client, moderator, article):
        comment = make_comment(article=article, status=Comment.Status.PENDING)

        bulk(moderator_client, "reject", comment)

        decision = ModerationDecision.objects.get()
        assert decision.comment == comment
        assert decision.moderator == moderator
        assert decision.from_status == Comment.Status.PENDING
        assert decision.to_status == Comment.Status.REJECTED
        assert decision.created is not None

    def test_never_delete_the_readers_text(self, moderator_client, article):
        comment = make_comment(article=article, body="Rude but kept", status=Comment.Status.PENDING)

        bulk(moderator_client, "mark_spam", comment)

        comment.refresh_from_db()
        assert comment.body == "Rude but kept"

    def test_deciding_the_same_status_again_records_nothing(self, moderator_client, article):
        comment = make_comment(article=article)

        response = bulk(moderator_client, "approve", comment)

        assert "1 comment already had that status; nothing changed." in response.content.decode()
        assert not ModerationDecision.objects.exists()

    def test_the_list_says_what_it_showed_of_each_comment(self, moderator_client, article):
        comments = [make_comment(article=article, status=Comment.Status.PENDING) for _ in range(2)]

        shown = shown_on_the_list(moderator_client)

        assert shown == {f"seen-{c.pk}": c.shown_version for c in comments}

    def test_a_stale_list_does_not_approve_a_comment_another_moderator_just_rejected(
        self, moderator_client, moderator, article
    ):
        rejected, still_waiting = (
            make_comment(article=article, status=Comment.Status.PENDING) for _ in range(2)
        )
        shown = shown_on_the_list(moderator_client)
        rejected.reject(by=make_moderator("other"))

        response = bulk(moderator_client, "approve", rejected, still_waiting, shown=shown)

        rejected.refresh_from_db()
        still_waiting.refresh_from_db()
        assert rejected.status == Comment.Status.REJECTED
        assert still_waiting.status == Comment.Status.APPROVED
        assert not rejected.decisions.filter(moderator=moderator).exists()
        html = response.content.decode()
        assert "1 comment is now approved." in html
        assert "1 comment was left as it is: since this page was shown" in html

    def test_a_stale_list_does_not_publish_an_edit_its_author_changed_since(
        self, moderator_client, article
    ):
        comment = make_comment(article=article, body="Published.", pending_body="Edit A")
        shown = shown_on_the_list(moderator_client)
        Comment.objects.filter(pk=comment.pk).update(pending_body="Edit B")

        bulk(moderator_client, "approve", comment, shown=shown)

        comment.refresh_from_db()
        assert (comment.body, comment.pending_body) == ("Published.", "Edit B")

    def test_comments_the_list_did_not_show_are_not_decided(self, moderator_client, article):
        shown_one = make_comment(article=article, status=Comment.Status.PENDING)
        never_shown = make_comment(article=article, status=Comment.Status.PENDING)
        shown = {f"seen-{shown_one.pk}": shown_one.shown_version}

        bulk(moderator_client, "reject", shown_one, never_shown, shown=shown)

        assert Comment.objects.get(pk=shown_one.pk).status == Comment.Status.REJECTED
        assert Comment.objects.get(pk=never_shown.pk).status == Comment.Status.PENDING

    def test_there_is_no_delete_action(self, moderator_client, article):
        make_comment(article=article)

        html = moderator_client.get(CHANGELIST).content.decode()

        assert "delete_selected" not in html


class TestTheCommentPage:
    def test_shows_the_parent_and_the_replies(self, moderator_client, article):
        parent = make_comment(article=article, body="The parent says hello")
        comment = make_comment(article=article, parent=parent, body="The comment itself")
        make_comment(
            article=article, parent=comment, body="A reply below", status=Comment.Status.PENDING
        )

        html = moderator_client.get(change_url(comment)).content.decode()

        assert "The parent says hello" in html
        assert "The comment itself" in html
        assert "A reply below" in html

    def test_approve_button_decides_and_returns_to_the_queue(
        self, moderator_client, moderator, article
    ):
        comment = make_comment(article=article, status=Comment.Status.PENDING)

        response = decide_on_page(moderator_client, comment, "_approve")

        assert response.status_code == 302
        comment.refresh_from_db()
        assert comment.status == Comment.Status.APPROVED
        assert comment.decisions.get().moderator == moderator

    def test_the_page_says_which_text_it_showed(self, moderator_client, article):
        comment = make_comment(article=article, status=Comment.Status.PENDING)

        html = moderator_client.get(change_url(comment)).content.decode()

        assert f'name="seen" value="{comment.shown_version}"' in html

    def test_an_edit_made_after_the_page_was_shown_is_not_published_unread(
        self, moderator_client, article
    ):
        comment = make_comment(article=article, body="Published.", pending_body="Edit A")
        seen = comment.shown_version
        Comment.objects.filter(pk=comment.pk).update(pending_body="Edit B")

        response = decide_on_page(moderator_client, comment, "_approve", seen=seen)

        comment.refresh_from_db()
        assert (comment.body, comment.pending_body) == ("Published.", "Edit B")
        assert (
            "1 comment was left as it is: since this page was shown"
            in moderator_client.get(response.url).content.decode()
        )

    def test_a_comment_another_moderator_decided_after_the_page_was_shown_keeps_that_decision(
        self, moderator_client, article
    ):
        comment = make_comment(article=article, status=Comment.Status.PENDING)
        seen = comment.shown_version
        comment.reject(by=make_moderator("other"))

        decide_on_page(moderator_client, comment, "_approve", seen=seen)

        comment.refresh_from_db()
        assert comment.status == Comment.Status.REJECTED
        assert comment.decisions.count() == 1

    def test_a_decision_that_does_not_say_what_the_page_showed_is_not_taken(
        self, moderator_client, article
    ):
        comment = make_comment(article=article, status=Comment.Status.PENDING)

        response = moderator_client.post(change_url(comment), {"_approve": "Approve"})

        comment.refresh_from_db()
        assert comment.status == Comment.Status.PENDING
        assert not comment.decisions.exists()
        assert response["Location"] == change_url(comment)

    def test_telling_the_author_why_is_a_rejections_button_not_a_box(
        self, moderator_client, article
    ):
        comment = make_comment(article=article, status=Comment.Status.PENDING)

        html = moderator_client.get(change_url(comment)).content.decode()

        assert 'value="Reject and tell the author why" name="_reject_and_tell"' in html
        assert 'name="tell_author"' not in html

    def test_an_approval_tells_the_author_nothing_even_if_asked(
        self, moderator_client, article, mailoutbox, django_capture_on_commit_callbacks
    ):
        comment = make_comment(
            article=article, status=Comment.Status.PENDING, author_email="ana@example.com"
        )

        with django_capture_on_commit_callbacks(execute=True):
            decide_on_page(moderator_client, comment, "_approve", tell_author="on")

        assert [m for m in mailoutbox if "ana@example.com" in m.to and "rejected" in m.body] == []

    def test_a_comment_hidden_by_reports_is_kept_or_removed(self, moderator_client, article):
        comment = make_comment(article=article, body="Cartels are run from Washington.")
        comment.decide(Comment.Status.PENDING, by=None, rule=Rule.REPORTS, rule_detail="3")

        html = moderator_client.get(change_url(comment)).content.decode()

        assert 'value="Keep, dismiss the reports" name="_approve"' in html
        assert 'value="Remove" name="_reject"' in html
        assert 'value="Remove and tell the author why" name="_reject_and_tell"' in html
        assert 'value="Approve"' not in html

    def test_removing_a_reported_comment_can_tell_its_author_why(
        self, moderator_client, article, mailoutbox, django_capture_on_commit_callbacks
    ):
        comment = make_comment(article=article, author_email="ana@example.com")
        comment.decide(Comment.Status.PENDING, by=None, rule=Rule.REPORTS, rule_detail="3")

        with django_capture_on_commit_callbacks(execute=True):
            decide_on_page(moderator_client, comment, "_reject_and_tell", reason="misinformation")

        comment.refresh_from_db()
        assert comment.status == Comment.Status.REJECTED
        (message,) = [m for m in mailoutbox if m.to == ["ana@example.com"]]
        assert "Misinformation" in message.body

    def test_a_replys_page_offers_no_tags_to_correct(self, moderator_client, moderator, article):
        parent = make_comment(article=article)
        reply = make_comment(article=article, parent=parent, status=Comment.Status.PENDING)

        html = moderator_client.get(change_url(reply)).content.decode()
        response = moderator_client.post(
            change_url(reply),
            {
                "strategies": [Strategy.objects.first().pk],
                "sovereignty_mode": "unilateral",
                "_save": "Save",
                "reports-TOTAL_FORMS": 0,
                "reports-INITIAL_FORMS": 0,
                "decisions-TOTAL_FORMS": 0,
                "decisions-INITIAL_FORMS": 0,
            },
        )

        assert 'name="strategies"' not in html
        assert "Save tag corrections" not in html
        assert response.status_code == 302
        reply.refresh_from_db()
        assert (list(reply.strategies.all()), reply.sovereignty_mode) == ([], "")
        assert not reply.decisions.exists()

    def test_a_proposals_sovereignty_menu_reads_as_the_queues(self, moderator_client, article):
        proposal = make_comment(article=article, status=Comment.Status.PENDING)

        html = moderator_client.get(change_url(proposal)).content.decode()

        assert '<option value="" selected>(not said)</option>' in html
        assert (
            "Select an option" not in html.split('name="sovereignty_mode"')[1].split("</select>")[0]
        )

    def test_shows_the_moderation_history(self, moderator_client, moderator, article):
        comment = make_comment(article=article, status=Comment.Status.PENDING)
        comment.approve(by=moderator)
        comment.reject(by=moderator)

        html = moderator_client.get(change_url(comment)).content.decode()

        assert "Moderation history" in html
        assert html.count(moderator.username) >= 2

    def test_the_text_cannot_be_edited(self, moderator_client, article):
        comment = make_comment(
            article=article, body="Original words", status=Comment.Status.PENDING
        )

        moderator_client.post(change_url(comment), {"body": "Rewritten", "status": "approved"})

        comment.refresh_from_db()
        assert comment.body == "Original words"
        assert comment.status == Comment.Status.PENDING


class TestWhoMayModerate:
    def test_staff_outside_the_moderators_group_cannot_see_comments(
        self, client, staff_outsider, article
    ):
        comment = make_comment(article=article, status=Comment.Status.PENDING)
        client.force_login(staff_outsider)

        assert client.get(CHANGELIST).status_code == 403
        assert client.get(change_url(comment)).status_code == 403
        bulk(client, "approve", comment)
        comment.refresh_from_db()
        assert comment.status == Comment.Status.PENDING

    def test_readers_cannot_reach_the_admin(self, client, reader_account):
        client.force_login(reader_account)

        response = client.get(CHANGELIST)

        assert response.status_code == 302
        assert reverse("admin:login") in response["Location"]

    def test_anonymous_visitors_are_sent_to_log_in(self, client, db):
        response = client.get(CHANGELIST)

        assert response.status_code == 302
        assert reverse("admin:login") in response["Location"]

    def test_moderators_cannot_edit_articles(self, moderator_client, article):
        url = reverse("admin:articles_article_change", args=[article.pk])

        response = moderator_client.post(url, {"title": "Defaced"})

        article.refresh_from_db()
        assert response.status_code == 403
        assert article.title != "Defaced"

    def test_moderators_cannot_manage_users(self, moderator_client):
        assert moderator_client.get(reverse("admin:auth_user_changelist")).status_code == 403

    def test_a_moderator_without_the_moderate_permission_gets_no_decision_buttons(
        self, client, article
    ):
        viewer = User.objects.create_user("viewer", password="a-long-password-1", is_staff=True)
        from django.contrib.auth.models import Permission

        viewer.user_permissions.add(Permission.objects.get(codename="view_comment"))
        comment = make_comment(article=article, status=Comment.Status.PENDING)
        client.force_login(viewer)

        html = client.get(change_url(comment)).content.decode()

        assert 'name="_approve"' not in html


class TestArticlesAdmin:
    def test_an_editor_can_close_and_reopen_a_discussion(self, admin_client, article):
        changelist = reverse("admin:articles_article_changelist")

        admin_client.post(
            changelist, {"action": "close_discussion", "_selected_action": [article.pk]}
        )
        article.refresh_from_db()
        assert article.discussion_open is False

        admin_client.post(
            changelist, {"action": "open_discussion", "_selected_action": [article.pk]}
        )
        article.refresh_from_db()
        assert article.discussion_open is True
