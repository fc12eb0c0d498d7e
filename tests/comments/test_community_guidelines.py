"""The community guidelines: a section for every reason a moderator may give, linked from the
reply form, the discussion's header and every email that tells an author their reply was turned
away."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from comments.guidelines import section_id
from comments.models import Comment, Reason
from moderation import decisions
from tests.actions import in_language
from tests.factories import make_comment
from tests.mailbox import mails_to

pytestmark = pytest.mark.django_db

GUIDELINES = "/community-guidelines/"


def section(html: str, reason: str) -> str:
    """The section of the guidelines page about `reason` (empty when there is none)."""
    match = re.search(rf'<section id="{section_id(reason)}".*?</section>', html, re.DOTALL)
    return match.group(0) if match else ""


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_moderation_reason_has_its_own_section_headed_by_its_name(client, language):
    html = client.get(GUIDELINES, headers=in_language(language)).content.decode()

    assert f'<html lang="{language}">' in html
    with translation.override(language):
        for reason in Reason:
            assert f'<h3 id="{section_id(reason)}-title">{reason.label}</h3>' in section(
                html, reason
            ), reason


def test_the_guidelines_are_written_in_spanish_for_spanish_readers(client):
    html = client.get(GUIDELINES, headers=in_language("es")).content.decode()

    assert "Lineamientos de la comunidad" in html
    assert "Discute con las ideas, no con las personas." in section(html, Reason.INCIVILITY)
    assert "Argue with ideas" not in html


def test_the_guidelines_state_the_sites_own_limits(client, settings):
    settings.COMMENTS_MAX_LINKS = 3
    settings.COMMENTS_EDIT_WINDOW_MINUTES = 20
    settings.CONTACT_EMAIL = "moderacion@example.org"

    html = client.get(GUIDELINES).content.decode()

    assert "more than 3 links waits for a moderator" in section(html, Reason.SPAM)
    assert "for 20 minutes after posting it" in html
    assert 'href="mailto:moderacion@example.org"' in html


class TestRejectionEmailsLinkTheirReason:
    @pytest.fixture
    def comment(self, article) -> Comment:
        return make_comment(
            article=article, author_email="ana@example.com", status=Comment.Status.PENDING
        )

    def decide(self, comment, moderator, capture, status=Comment.Status.REJECTED, **decision):
        with capture(execute=True):
            decisions.comment_moderate(
                comment=comment, status=status, by=moderator, tell_author=True, **decision
            )

    @pytest.mark.parametrize("reason", Reason.values)
    def test_a_rejection_email_links_the_section_of_its_reason(
        self, client, comment, moderator, mailoutbox, django_capture_on_commit_callbacks, reason
    ):
        self.decide(comment, moderator, django_capture_on_commit_callbacks, reason=reason)

        (message,) = mails_to(mailoutbox, "ana@example.com")
        link = f"{settings.SITE_URL}{GUIDELINES}#{section_id(reason)}"
        assert link in message.body.split()
        assert section(client.get(GUIDELINES).content.decode(), reason)

    def test_a_spam_decision_without_a_reason_links_the_section_on_spam(
        self, comment, moderator, mailoutbox, django_capture_on_commit_callbacks
    ):
        self.decide(
            comment, moderator, django_capture_on_commit_callbacks, status=Comment.Status.SPAM
        )

        (message,) = mails_to(mailoutbox, "ana@example.com")
        assert f"{settings.SITE_URL}{GUIDELINES}#spam" in message.body.split()

    def test_a_rejection_without_a_reason_links_the_whole_guidelines(
        self, comment, moderator, mailoutbox, django_capture_on_commit_callbacks
    ):
        self.decide(comment, moderator, django_capture_on_commit_callbacks)

        (message,) = mails_to(mailoutbox, "ana@example.com")
        assert f"{settings.SITE_URL}{GUIDELINES}" in message.body.split()

    def test_a_refused_edit_links_the_section_of_its_reason(
        self, article, moderator, mailoutbox, django_capture_on_commit_callbacks
    ):
        comment = make_comment(
            article=article, author_email="ana@example.com", pending_body="Now with insults."
        )

        self.decide(
            comment, moderator, django_capture_on_commit_callbacks, reason=Reason.INCIVILITY
        )

        (message,) = mails_to(mailoutbox, "ana@example.com")
        assert f"{settings.SITE_URL}{GUIDELINES}#incivility" in message.body.split()

    def test_a_spanish_author_is_sent_to_the_same_section_in_spanish_words(
        self, article, moderator, mailoutbox, django_capture_on_commit_callbacks
    ):
        comment = make_comment(
            article=article,
            author_email="ana@example.com",
            language="es",
            status=Comment.Status.PENDING,
        )

        self.decide(
            comment, moderator, django_capture_on_commit_callbacks, reason=Reason.PERSONAL_DATA
        )

        (message,) = mails_to(mailoutbox, "ana@example.com")
        assert "lineamientos de la comunidad" in message.body
        assert f"{settings.SITE_URL}{GUIDELINES}#personal-data" in message.body.split()


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_reply_form_and_the_discussion_header_link_the_guidelines(client, article, language):
    html = client.get(article.get_absolute_url(), headers=in_language(language)).content.decode()

    header = html.split('class="discussion-header', 1)[1].split("</header>", 1)[0]
    form = html.split('id="main-reply-form"', 1)[1].split("</form>", 1)[0]
    assert f'href="{GUIDELINES}"' in header
    assert f'href="{GUIDELINES}"' in form


def test_a_reply_page_of_its_own_links_the_guidelines(client, article):
    parent = make_comment(article=article)

    html = client.get(reverse("comments:reply", args=[parent.pk])).content.decode()

    assert f'href="{GUIDELINES}"' in html.split('class="reply-form', 1)[1]


class TestAPageForEveryone:
    def test_it_is_served_from_the_cache_without_a_query(self, client, django_assert_num_queries):
        client.get(GUIDELINES)

        with django_assert_num_queries(0):
            response = client.get(GUIDELINES)

        assert response.status_code == 200
        assert "csrfmiddlewaretoken" in response.content.decode()

    def test_a_browser_that_has_it_is_told_it_has_not_changed(self, client):
        etag = client.get(GUIDELINES)["ETag"]

        assert client.get(GUIDELINES, headers={"if-none-match": etag}).status_code == 304

    def test_each_language_has_its_own_copy(self, client):
        english = client.get(GUIDELINES, headers=in_language("en"))
        spanish = client.get(GUIDELINES, headers=in_language("es"))

        assert english["ETag"] != spanish["ETag"]
        assert "Lineamientos de la comunidad" in spanish.content.decode()

    def test_a_changed_setting_is_never_described_by_an_old_copy(self, client, settings):
        client.get(GUIDELINES)
        settings.COMMENTS_MAX_LINKS = 7

        assert "more than 7 links" in client.get(GUIDELINES).content.decode()

    def test_it_only_answers_reading(self, client):
        assert client.post(GUIDELINES).status_code == 405
