"""Confirming an address: the link emailed after a first reply, and the page it opens."""

import time
from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from comments import notifications
from comments.models import Commenter
from tests.actions import post_reply
from tests.factories import make_commenter
from tests.mailbox import link_path, mails_to, tampered, token_of

pytestmark = pytest.mark.django_db


class TestConfirmingAnAddress:
    def test_a_first_reply_sends_a_confirmation_link_to_its_address(
        self, client, article, valid_reply, mailoutbox, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            post_reply(client, article, valid_reply)

        (message,) = mails_to(mailoutbox, valid_reply["author_email"])
        assert link_path(message, "/commenters/confirm/")

    def test_the_confirmation_waits_for_the_commit(
        self, client, article, valid_reply, mailoutbox, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=False):
            post_reply(client, article, valid_reply)

        assert Commenter.objects.get(email=valid_reply["author_email"]).confirmation_sent is None
        assert mailoutbox == []

    def test_it_is_not_sent_again_with_every_reply(
        self, client, article, valid_reply, mailoutbox, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            post_reply(client, article, valid_reply)
        with django_capture_on_commit_callbacks(execute=True):
            post_reply(client, article, {**valid_reply, "body": "One more thought."})

        assert len(mails_to(mailoutbox, valid_reply["author_email"])) == 1

    def test_a_confirmed_address_is_not_asked_again(
        self, client, article, valid_reply, mailoutbox, django_capture_on_commit_callbacks
    ):
        make_commenter(email=valid_reply["author_email"], confirmed=True)

        with django_capture_on_commit_callbacks(execute=True):
            post_reply(client, article, valid_reply)

        assert mails_to(mailoutbox, valid_reply["author_email"]) == []

    def test_a_new_link_is_sent_once_the_last_one_has_expired(
        self, client, article, valid_reply, mailoutbox, django_capture_on_commit_callbacks
    ):
        make_commenter(email=valid_reply["author_email"])
        Commenter.objects.update(confirmation_sent=timezone.now() - timedelta(days=8))

        with django_capture_on_commit_callbacks(execute=True):
            post_reply(client, article, valid_reply)

        assert len(mails_to(mailoutbox, valid_reply["author_email"])) == 1

    def test_the_link_opens_a_page_naming_the_address(self, client):
        path = notifications.confirmation_url("ana@example.com").removeprefix(settings.SITE_URL)

        page = client.get(path)

        assert page.status_code == 200
        assert "ana@example.com" in page.content.decode()

    def test_opening_the_link_alone_does_not_confirm(self, client):
        make_commenter(email="ana@example.com")
        path = notifications.confirmation_url("ana@example.com").removeprefix(settings.SITE_URL)

        client.get(path)

        assert not Commenter.objects.get(email="ana@example.com").is_confirmed

    def test_confirming_on_the_page_marks_the_address_confirmed(self, client):
        make_commenter(email="ana@example.com")
        path = notifications.confirmation_url("ana@example.com").removeprefix(settings.SITE_URL)

        response = client.post(path)

        assert response.status_code == 302
        assert Commenter.objects.get(email="ana@example.com").is_confirmed

    def test_a_link_six_days_old_still_confirms(self, client):
        make_commenter(email="ana@example.com")
        with mock.patch("django.core.signing.time") as clock:
            clock.time.return_value = time.time() - timedelta(days=6).total_seconds()
            path = notifications.confirmation_url("ana@example.com")

        client.post(path.removeprefix(settings.SITE_URL))

        assert Commenter.objects.get(email="ana@example.com").is_confirmed

    def test_an_expired_link_is_refused(self, client):
        make_commenter(email="ana@example.com")
        with mock.patch("django.core.signing.time") as clock:
            clock.time.return_value = time.time() - timedelta(days=8).total_seconds()
            path = notifications.confirmation_url("ana@example.com")

        response = client.post(path.removeprefix(settings.SITE_URL))

        assert response.status_code == 400
        assert "This link does not work" in response.content.decode()
        assert not Commenter.objects.get(email="ana@example.com").is_confirmed

    @pytest.mark.parametrize("method", ["get", "post"])
    @pytest.mark.parametrize(
        "make_token",
        [
            pytest.param(lambda: "not-a-token", id="garbage"),
            pytest.param(
                lambda: tampered(token_of(notifications.confirmation_url("ana@example.com"))),
                id="changed signature",
            ),
            pytest.param(
                lambda: token_of(notifications.unsubscribe_url("ana@example.com")),
                id="an unsubscribe token",
            ),
        ],
    )
    def test_a_link_that_was_tampered_with_does_not_work(self, client, method, make_token):
        make_commenter(email="ana@example.com")
        path = reverse("commenters:confirm-email", kwargs={"token": make_token()})

        response = getattr(client, method)(path)

        assert response.status_code == 400
        assert "This link does not work" in response.content.decode()
        assert not Commenter.objects.get(email="ana@example.com").is_confirmed
