"""Unsubscribing from reply emails: the link in every such email, a page and a one-click POST."""

import time
from unittest import mock

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from comments import notifications
from comments.models import Comment
from moderation import decisions
from tests.factories import make_comment, make_commenter
from tests.mailbox import link_path, mails_to, tampered, token_of

pytestmark = pytest.mark.django_db


class TestUnsubscribing:
    @pytest.fixture
    def subscribed(self, article) -> Comment:
        return make_comment(article=article, author_email="ana@example.com", notify_replies=True)

    @pytest.fixture
    def unsubscribe_path(self, subscribed) -> str:
        return notifications.unsubscribe_url("ana@example.com").removeprefix(settings.SITE_URL)

    def test_the_link_opens_a_page_naming_the_address(self, client, unsubscribe_path):
        page = client.get(unsubscribe_path)

        assert page.status_code == 200
        assert "ana@example.com" in page.content.decode()

    def test_opening_the_link_alone_changes_nothing(self, client, subscribed, unsubscribe_path):
        # Mail scanners open links; only the button (a POST) unsubscribes.
        client.get(unsubscribe_path)

        subscribed.refresh_from_db()
        assert subscribed.notify_replies is True

    def test_the_button_on_the_page_stops_reply_emails(self, client, subscribed, unsubscribe_path):
        page = client.post(unsubscribe_path)

        subscribed.refresh_from_db()
        assert page.status_code == 200
        assert subscribed.notify_replies is False

    def test_a_one_click_post_without_a_csrf_token_unsubscribes(self, subscribed, unsubscribe_path):
        # RFC 8058: the mail client posts "List-Unsubscribe=One-Click", with no cookie.
        mail_client = Client(enforce_csrf_checks=True)

        response = mail_client.post(unsubscribe_path, {"List-Unsubscribe": "One-Click"})

        subscribed.refresh_from_db()
        assert response.status_code == 200
        assert subscribed.notify_replies is False

    def test_it_stops_emails_about_every_comment_of_that_address(
        self, client, article, subscribed, unsubscribe_path
    ):
        another = make_comment(article=article, author_email="ana@example.com", notify_replies=True)

        client.post(unsubscribe_path)

        another.refresh_from_db()
        assert another.notify_replies is False

    def test_other_addresses_stay_subscribed(self, client, article, unsubscribe_path):
        someone_else = make_comment(article=article, notify_replies=True)

        client.post(unsubscribe_path)

        someone_else.refresh_from_db()
        assert someone_else.notify_replies is True

    def test_after_unsubscribing_no_reply_email_is_sent(
        self,
        client,
        article,
        subscribed,
        unsubscribe_path,
        moderator,
        mailoutbox,
        django_capture_on_commit_callbacks,
    ):
        client.post(unsubscribe_path)
        reply = make_comment(article=article, parent=subscribed, status=Comment.Status.PENDING)

        with django_capture_on_commit_callbacks(execute=True):
            decisions.comment_moderate(comment=reply, status=Comment.Status.APPROVED, by=moderator)

        assert mails_to(mailoutbox, "ana@example.com") == []

    def test_the_link_from_the_reply_email_works(
        self, client, article, subscribed, moderator, mailoutbox, django_capture_on_commit_callbacks
    ):
        make_commenter(email="ana@example.com", confirmed=True)
        reply = make_comment(article=article, parent=subscribed, status=Comment.Status.PENDING)
        with django_capture_on_commit_callbacks(execute=True):
            decisions.comment_moderate(comment=reply, status=Comment.Status.APPROVED, by=moderator)
        (message,) = mails_to(mailoutbox, "ana@example.com")

        client.post(link_path(message, "/commenters/unsubscribe/"))

        subscribed.refresh_from_db()
        assert subscribed.notify_replies is False

    def test_an_old_link_still_works(self, client, subscribed):
        a_year_ago = time.time() - 365 * 24 * 60 * 60
        with mock.patch("django.core.signing.time") as clock:
            clock.time.return_value = a_year_ago
            path = notifications.unsubscribe_url("ana@example.com")

        client.post(path.removeprefix(settings.SITE_URL))

        subscribed.refresh_from_db()
        assert subscribed.notify_replies is False

    @pytest.mark.parametrize("method", ["get", "post"])
    @pytest.mark.parametrize(
        "make_token",
        [
            pytest.param(lambda: "not-a-token", id="garbage"),
            pytest.param(
                lambda: tampered(token_of(notifications.unsubscribe_url("ana@example.com"))),
                id="changed signature",
            ),
            pytest.param(
                lambda: token_of(notifications.confirmation_url("ana@example.com")),
                id="a confirmation token",
            ),
        ],
    )
    def test_a_link_that_was_tampered_with_does_not_work(
        self, client, subscribed, method, make_token
    ):
        path = reverse("commenters:unsubscribe", kwargs={"token": make_token()})

        response = getattr(client, method)(path)

        subscribed.refresh_from_db()
        assert response.status_code == 400
        assert "This link does not work" in response.content.decode()
        assert subscribed.notify_replies is True
