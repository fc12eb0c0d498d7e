"""Authors may edit or withdraw a reply for a short while, from the browser they posted from."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment, Commenter, Rule, WordRule
from tests.actions import edit, post_reply
from tests.factories import form_stamp, make_comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def posted(client, article):
    post_reply(
        client,
        article,
        {
            "author_name": "Ana",
            "author_email": "ana@example.com",
            "body": "First thoughts.",
            "stamp": form_stamp(),
        },
    )
    return Comment.objects.get()


def test_the_author_sees_an_edit_link_on_their_reply(client, article, posted):
    html = client.get(article.get_absolute_url()).content.decode()

    assert reverse("comments:edit", kwargs={"pk": posted.pk}) in html


def test_the_author_edits_a_pending_reply(client, posted):
    response = edit(client, posted, "Second thoughts.")

    posted.refresh_from_db()
    assert response.status_code == 302
    assert posted.body == "Second thoughts."
    assert posted.edited is not None
    assert posted.status == Comment.Status.PENDING


def test_another_browser_cannot_edit_or_withdraw(client, posted):
    client.cookies.clear()

    assert client.get(reverse("comments:edit", kwargs={"pk": posted.pk})).status_code == 404
    assert edit(client, posted, "Hijacked").status_code == 404
    assert client.post(reverse("comments:withdraw", kwargs={"pk": posted.pk})).status_code == 404
    posted.refresh_from_db()
    assert posted.body == "First thoughts."


def test_a_forged_cookie_cannot_edit(client, posted):
    client.cookies["sf_reader"] = "made-up:token"

    assert edit(client, posted, "Hijacked").status_code == 404


def test_after_fifteen_minutes_the_reply_can_no_longer_be_changed(client, posted):
    Comment.objects.update(created=timezone.now() - timedelta(minutes=16))

    assert edit(client, posted, "Too late").status_code == 404
    posted.refresh_from_db()
    assert posted.body == "First thoughts."


def test_an_edit_is_validated_like_a_reply(client, posted):
    response = edit(client, posted, "   ")

    assert "Please write your reply" in response.content.decode()
    posted.refresh_from_db()
    assert posted.body == "First thoughts."


def test_a_published_reply_keeps_its_approved_text_until_the_edit_is_approved(
    client, article, posted, moderator
):
    posted.approve(by=moderator)

    edit(client, posted, "Edited thoughts.")

    posted.refresh_from_db()
    assert posted.status == Comment.Status.APPROVED
    assert posted.body == "First thoughts."
    assert posted.pending_body == "Edited thoughts."
    assert Comment.objects.needs_review().filter(pk=posted.pk).exists()
    client.cookies.clear()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "First thoughts." in html and "Edited thoughts." not in html

    posted.approve(by=moderator)

    posted.refresh_from_db()
    assert posted.body == "Edited thoughts."
    assert posted.pending_body == ""


def test_a_refused_edit_leaves_the_approved_text_and_is_kept_in_the_history(
    client, posted, moderator
):
    posted.approve(by=moderator)
    edit(client, posted, "A nastier version.")

    posted.reject(by=moderator)

    posted.refresh_from_db()
    assert posted.status == Comment.Status.APPROVED
    assert posted.body == "First thoughts."
    assert posted.pending_body == ""
    assert posted.decisions.filter(edit="A nastier version.", moderator=moderator).exists()


def test_an_edit_goes_through_the_checks_again(
    client, posted, moderator, django_capture_on_commit_callbacks
):
    posted.approve(by=moderator)
    admin = Client()
    admin.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(
            reverse("admin:comments_wordrule_add"),
            {"phrase": "idiots", "action": WordRule.Action.HOLD},
        )

    edit(client, posted, "You are all idiots.")

    posted.refresh_from_db()
    assert posted.rule == Rule.SUSPECT_WORD
    assert posted.body == "First thoughts."


def test_a_trusted_authors_edit_in_post_moderation_is_published_at_once(
    client, article, posted, moderator
):
    article.moderation_mode = article.ModerationMode.POST
    article.save()
    Commenter.objects.filter(email="ana@example.com").update(confirmed=timezone.now())
    make_comment(article=article, author_email="ana@example.com")
    posted.approve(by=moderator)

    edit(client, posted, "Better thoughts.")

    posted.refresh_from_db()
    assert posted.body == "Better thoughts."
    assert posted.pending_body == ""


def test_the_author_withdraws_a_reply_and_nobody_sees_it_any_more(
    client, article, posted, moderator
):
    posted.approve(by=moderator)
    reply = make_comment(article=article, parent=posted, body="An answer to it")

    response = client.post(reverse("comments:withdraw", kwargs={"pk": posted.pk}))

    posted.refresh_from_db()
    assert response.status_code == 302
    assert posted.status == Comment.Status.WITHDRAWN
    assert "First thoughts." not in client.get(article.get_absolute_url()).content.decode()
    thread = client.get(reverse("comments:thread", kwargs={"pk": posted.pk})).content.decode()
    assert "First thoughts." not in thread
    assert reply.body in thread
    assert "This comment is not available." in thread


def test_an_edit_does_not_lift_a_hold_by_readers_reports(client, posted, moderator, settings):
    settings.COMMENTS_REPORT_HIDE_THRESHOLD = 1
    posted.approve(by=moderator)
    from comments.reporting import report_create

    report_create(comment=posted, reason="abuse", text="", reader_key="someone", ip_address=None)

    edit(client, posted, "First thoughts, slightly changed.")

    posted.refresh_from_db()
    assert posted.status == Comment.Status.PENDING
    assert posted.rule == Rule.REPORTS


def test_moderators_cannot_publish_a_withdrawn_reply(client, posted, moderator):
    client.post(reverse("comments:withdraw", kwargs={"pk": posted.pk}))

    decision = posted.approve(by=moderator)

    posted.refresh_from_db()
    assert decision is None
    assert posted.status == Comment.Status.WITHDRAWN
