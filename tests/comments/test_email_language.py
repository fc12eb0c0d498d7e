"""Every email is written in its reader's language, whatever language caused it.

A commenter is written to in the language of their comment; moderators in the
site's language. The request that causes an email may be in another language,
and a worker may send it later with yet another one active.
"""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from comments import notifications, readers
from comments.models import Comment
from tests.actions import decide_on_page, post_reply
from tests.factories import (
    RETURNING_READER_TOKEN,
    make_comment,
    make_commenter,
    reply_data,
)
from tests.mailbox import mails_to

pytestmark = pytest.mark.django_db


class TestReplyNotifications:
    @pytest.fixture
    def reply_to(self, article):
        def make(parent: Comment) -> Comment:
            return make_comment(
                article=article,
                parent=parent,
                author_name="Luis",
                status=Comment.Status.PENDING,
            )

        return make

    @pytest.mark.parametrize(
        ("written_in", "moderator_language", "subject", "line"),
        [
            ("es", "en", "Luis respondió a tu comentario", "Léela en la discusión:"),
            ("en", "es", "Luis replied to your comment", "Read it in the discussion:"),
        ],
    )
    def test_a_reader_is_told_in_the_language_they_wrote_in_whatever_the_moderators(
        self,
        moderator_client,
        article,
        reply_to,
        mailoutbox,
        django_capture_on_commit_callbacks,
        written_in,
        moderator_language,
        subject,
        line,
    ):
        make_commenter(email="ana@example.com", confirmed=True)
        parent = make_comment(
            article=article,
            author_email="ana@example.com",
            language=written_in,
            notify_replies=True,
        )
        reply = reply_to(parent)

        with django_capture_on_commit_callbacks(execute=True):
            decide_on_page(moderator_client, reply, "_approve", language=moderator_language)

        (message,) = mails_to(mailoutbox, "ana@example.com")
        assert message.subject == subject
        assert line in message.body

    def test_a_reply_published_at_once_from_a_spanish_page_is_announced_in_english(
        self, client, article, mailoutbox, django_capture_on_commit_callbacks
    ):
        make_commenter(email="ann@example.com", confirmed=True)
        parent = make_comment(
            article=article, author_email="ann@example.com", language="en", notify_replies=True
        )
        # A trusted replier, whose reply is published without waiting.
        article.moderation_mode = "post"
        article.save()
        client.cookies[settings.READER_COOKIE_NAME] = readers.cookie_value(RETURNING_READER_TOKEN)
        for _ in range(2):
            make_comment(
                article=article,
                author_email="luis@example.com",
                reader_key=readers.digest(RETURNING_READER_TOKEN),
            )
        make_commenter(email="luis@example.com", confirmed=True)

        with django_capture_on_commit_callbacks(execute=True):
            post_reply(
                client,
                article,
                reply_data(
                    author_name="Luis",
                    author_email="luis@example.com",
                    body="Inteligencia compartida, sin tropas.",
                    language="es",
                    parent=parent.pk,
                ),
                language="es",
            )

        assert Comment.objects.get(body="Inteligencia compartida, sin tropas.").is_published
        (message,) = mails_to(mailoutbox, "ann@example.com")
        assert message.subject == "Luis replied to your comment"


class TestDecisionEmails:
    @pytest.mark.parametrize(
        ("written_in", "moderator_language", "subject", "lines"),
        [
            (
                "es",
                "en",
                "Sobre tu respuesta en Foro Soberanía",
                ["Motivo: Falta de civilidad", "Lo que escribiste:"],
            ),
            (
                "en",
                "es",
                "About your reply on Sovereignty Forum",
                ["Reason: Incivility", "What you wrote:"],
            ),
        ],
    )
    def test_a_reader_is_told_in_the_language_they_wrote_in_whatever_the_moderators(
        self,
        moderator_client,
        article,
        mailoutbox,
        django_capture_on_commit_callbacks,
        written_in,
        moderator_language,
        subject,
        lines,
    ):
        comment = make_comment(
            article=article,
            author_email="ana@example.com",
            language=written_in,
            status=Comment.Status.PENDING,
        )

        with django_capture_on_commit_callbacks(execute=True):
            decide_on_page(
                moderator_client,
                comment,
                "_reject_and_tell",
                language=moderator_language,
                reason="incivility",
            )

        (message,) = mails_to(mailoutbox, "ana@example.com")
        assert message.subject == subject
        for line in lines:
            assert line in message.body


class TestConfirmationEmails:
    def reply(self, *, language: str) -> dict[str, str]:
        return reply_data(body="Seguir el dinero, sin tropas extranjeras.", language=language)

    @pytest.mark.parametrize(
        ("written_in", "subject", "line"),
        [
            (
                "es",
                "Confirma tu correo electrónico en Foro Soberanía",
                "Gracias por sumarte a la discusión en Foro Soberanía.",
            ),
            (
                "en",
                "Confirm your email address for Sovereignty Forum",
                "Thank you for joining the discussion on Sovereignty Forum.",
            ),
        ],
    )
    def test_a_reader_is_asked_to_confirm_in_the_language_of_the_reply_from_a_spanish_page(
        self,
        client,
        article,
        mailoutbox,
        django_capture_on_commit_callbacks,
        written_in,
        subject,
        line,
    ):
        with django_capture_on_commit_callbacks(execute=True):
            post_reply(client, article, self.reply(language=written_in), language="es")

        (message,) = mails_to(mailoutbox, "ana@example.com")
        assert message.subject == subject
        assert line in message.body

    def test_a_confirmation_sent_later_keeps_the_language_of_the_reply(
        self, client, article, mailoutbox, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=False) as sent_after_the_commit:
            post_reply(client, article, self.reply(language="es"), language="es")
        with translation.override("en"):
            for send in sent_after_the_commit:
                send()

        (message,) = mails_to(mailoutbox, "ana@example.com")
        assert message.subject == "Confirma tu correo electrónico en Foro Soberanía"

    def test_a_confirmation_queued_without_a_language_is_in_the_site_s_language(self, mailoutbox):
        with translation.override("es"):
            notifications.enqueue(notifications.send_email_confirmation, "ana@example.com")

        (message,) = mails_to(mailoutbox, "ana@example.com")
        assert message.subject == "Confirm your email address for Sovereignty Forum"


class TestModeratorEmails:
    def test_a_reply_posted_from_a_spanish_page_is_announced_in_the_site_s_language(
        self, client, article, moderator, mailoutbox, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            post_reply(
                client,
                article,
                reply_data(body="Seguir el dinero, sin tropas extranjeras.", language="es"),
                language="es",
            )

        (message,) = mails_to(mailoutbox, moderator.email)
        assert message.subject.startswith("A reply awaits moderation: ")
        assert "Decide on it:" in message.body

    def test_the_digest_is_in_the_site_s_language_whatever_is_active(
        self, article, moderator, mailoutbox, settings
    ):
        settings.COMMENTS_MODERATOR_NOTIFICATIONS = "digest"
        make_comment(article=article, status=Comment.Status.PENDING)
        make_comment(article=article, status=Comment.Status.PENDING)

        with translation.override("es"):
            call_command("send_moderation_digest")

        (message,) = mailoutbox
        assert message.subject == "2 replies await moderation"
        assert "Open the queue:" in message.body
