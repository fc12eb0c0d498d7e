"""Revise and resubmit: a reply rejected for a reason its author can fix may be revised once, from
a signed link in the email that told them why, valid for a week.

The revision is posted as any reply is (the rate limits, the reply form's checks, the automatic
checks), keeps the original's place, name and address, and waits for a moderator, linked to the
original. Emails leave after the commit: `django_capture_on_commit_callbacks` stands in for it.
"""

import time
from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from comments import automatic_checks, notifications, posting, revising
from comments.models import Block, Comment, ModerationDecision, Reason, Rule, Strategy
from moderation import decisions
from tests.actions import change_url, in_language
from tests.factories import ANA, form_stamp, make_comment, make_trusted_commenter
from tests.mailbox import link_path, mails_to, tampered, token_of

pytestmark = pytest.mark.django_db

REVISE = "/comments/revise/"
REVISED_TEXT = "I disagree with Luis: joint intelligence work would respect both countries."


@pytest.fixture
def answered(article) -> Comment:
    return make_comment(article=article, author_name="Luis Pérez", body="Send in the troops.")


@pytest.fixture
def rude(article, answered) -> Comment:
    """Ana's reply, waiting for a moderator."""
    return make_comment(
        article=article,
        parent=answered,
        replying_to=answered,
        status=Comment.Status.PENDING,
        body="Only an idiot would say that.",
        **ANA,
    )


@pytest.fixture
def reject(moderator, django_capture_on_commit_callbacks):
    """A moderator rejects `comment` for `reason` and tells its author why."""

    def decide(comment, reason=Reason.INCIVILITY, *, status=Comment.Status.REJECTED, **fields):
        with django_capture_on_commit_callbacks(execute=True):
            return decisions.comment_moderate(
                comment=comment,
                status=status,
                by=moderator,
                reason=reason,
                tell_author=True,
                **fields,
            )

    return decide


def revise_link(mailoutbox, email: str = ANA["author_email"]) -> str:
    (message,) = mails_to(mailoutbox, email)
    return link_path(message, REVISE)


def revision(**fields) -> dict:
    """What the revise form sends back, its stamp included."""
    return {"body": REVISED_TEXT, "stamp": form_stamp(), **fields}


def send_revision(client, link: str, **fields):
    return client.post(link, revision(**fields), REMOTE_ADDR="203.0.113.7")


class TestTheEmailOffersTheLink:
    @pytest.mark.parametrize("reason", sorted(revising.FIXABLE_REASONS))
    def test_a_reply_rejected_for_a_reason_its_author_can_fix_gets_a_link(
        self, rude, reject, mailoutbox, reason
    ):
        reject(rude, reason)

        (message,) = mails_to(mailoutbox, ANA["author_email"])
        assert "revise your reply and send it once more within 7 days" in message.body
        assert link_path(message, REVISE)

    @pytest.mark.parametrize("reason", [Reason.PERSONAL_ATTACK, Reason.SPAM, Reason.OTHER, ""])
    def test_other_reasons_get_no_link(self, rude, reject, mailoutbox, reason):
        reject(rude, reason, note="Reason given in this note.")

        (message,) = mails_to(mailoutbox, ANA["author_email"])
        assert REVISE not in message.body
        assert "revise" not in message.body

    def test_a_reply_marked_as_spam_gets_no_link(self, rude, reject, mailoutbox):
        reject(rude, Reason.INCIVILITY, status=Comment.Status.SPAM)

        (message,) = mails_to(mailoutbox, ANA["author_email"])
        assert "as spam" in message.body
        assert REVISE not in message.body

    def test_a_sender_marked_as_a_spammer_before_gets_no_link(
        self, article, rude, reject, mailoutbox
    ):
        make_comment(article=article, status=Comment.Status.SPAM, **ANA)

        reject(rude)

        assert REVISE not in mails_to(mailoutbox, ANA["author_email"])[0].body

    @pytest.mark.parametrize("target", ["ana@example.com", "@example.com", "203.0.113.0/24"])
    def test_a_blocked_sender_gets_no_link(self, rude, reject, mailoutbox, target):
        Block.objects.create(target=target)

        reject(rude)

        assert REVISE not in mails_to(mailoutbox, ANA["author_email"])[0].body

    def test_a_refused_edit_of_a_published_reply_gets_no_link(self, article, reject, mailoutbox):
        published = make_comment(article=article, pending_body="Now with insults.", **ANA)

        reject(published)

        (message,) = mails_to(mailoutbox, ANA["author_email"])
        assert "did not accept your edit" in message.body
        assert REVISE not in message.body

    def test_the_email_is_in_the_language_the_author_wrote_in(self, rude, reject, mailoutbox):
        Comment.objects.filter(pk=rude.pk).update(language="es")
        rude.refresh_from_db()

        reject(rude)

        (message,) = mails_to(mailoutbox, ANA["author_email"])
        assert "Puedes corregir tu respuesta y enviarla una vez más en los próximos 7 días" in (
            message.body
        )
        assert link_path(message, REVISE)


class TestTheRevisePage:
    def test_it_shows_the_reason_the_guideline_and_the_text_to_revise(
        self, client, rude, reject, mailoutbox
    ):
        reject(rude, Reason.INCIVILITY, note="Argue with the idea.")

        response = client.get(revise_link(mailoutbox))

        html = response.content.decode()
        assert response.status_code == 200
        assert "Why it was rejected: Incivility" in html
        assert "Argue with the idea." in html
        assert "Argue with ideas, not with people." in html
        assert 'href="/community-guidelines/#incivility"' in html
        assert "In reply to Luis Pérez" in html
        # The text twice: as it was rejected, and in the form to revise.
        assert html.count("Only an idiot would say that.") == 2

    def test_it_is_in_the_readers_language(self, client, rude, reject, mailoutbox):
        reject(rude, Reason.MISINFORMATION)

        response = client.get(revise_link(mailoutbox), headers=in_language("es"))

        html = response.content.decode()
        assert '<html lang="es">' in html
        assert "Corrige tu respuesta" in html
        assert "Por qué se rechazó: Desinformación" in html
        assert 'href="/community-guidelines/#misinformation"' in html

    def test_it_costs_a_fixed_number_of_queries(
        self, client, rude, reject, mailoutbox, django_assert_num_queries
    ):
        reject(rude)
        link = revise_link(mailoutbox)

        # The reply with its article in the reader's language, the reply it answers, the
        # decision the email was about and whether it was revised already: one query.
        with django_assert_num_queries(1):
            response = client.get(link)

        assert response.status_code == 200


class TestSendingTheRevision:
    def test_the_revision_waits_for_a_moderator_in_the_originals_place(
        self, client, article, answered, rude, reject, mailoutbox
    ):
        reject(rude)

        response = send_revision(client, revise_link(mailoutbox))

        revised = Comment.objects.get(revision_of=rude)
        assert response.status_code == 302
        assert response["Location"] == reverse("comments:permalink", args=[revised.pk])
        assert revised.status == Comment.Status.PENDING
        assert revised.body == REVISED_TEXT
        assert (revised.article, revised.parent, revised.replying_to) == (
            article,
            answered,
            answered,
        )
        assert (revised.root_id, revised.depth) == (rude.root_id, rude.depth)
        assert (revised.author_name, revised.author_email) == (
            ANA["author_name"],
            ANA["author_email"],
        )
        rude.refresh_from_db()
        assert rude.status == Comment.Status.REJECTED
        assert ModerationDecision.objects.filter(comment=revised, to_status="pending").exists()

    def test_the_author_sees_it_marked_as_awaiting_moderation(
        self, client, rude, reject, mailoutbox
    ):
        reject(rude)

        response = send_revision(client, revise_link(mailoutbox))
        page = client.get(response["Location"], follow=True).content.decode()

        assert REVISED_TEXT in page
        assert "Your revised reply has been sent to the moderators." in page

    def test_readers_do_not_see_it_before_a_moderator_approves_it(
        self, client, article, rude, reject, mailoutbox, moderator
    ):
        reject(rude)
        send_revision(client, revise_link(mailoutbox))
        revised = Comment.objects.get(revision_of=rude)
        stranger = type(client)()

        before = stranger.get(article.get_absolute_url()).content.decode()
        decisions.comment_moderate(comment=revised, status="approved", by=moderator)
        after = stranger.get(article.get_absolute_url()).content.decode()

        assert REVISED_TEXT not in before
        assert REVISED_TEXT in after
        assert "Only an idiot" not in after

    def test_a_trusted_commenters_revision_still_waits(
        self,
        client,
        returning_reader_key,
        post_moderated,
        settings,
        django_capture_on_commit_callbacks,
        moderator,
    ):
        # Trusted from this browser, and a rejection that no longer withdraws trust.
        settings.COMMENTS_TRUST_REJECTION_DAYS = 0
        make_trusted_commenter(article=post_moderated, email=ANA["author_email"])
        original = make_comment(article=post_moderated, status="pending", **ANA)
        with django_capture_on_commit_callbacks(execute=True):
            decision = decisions.comment_moderate(
                comment=original, status="rejected", by=moderator, reason=Reason.OFF_TOPIC
            )
        assert decision is not None

        send_revision(client, revising.revision_path(decision))

        revised = Comment.objects.get(revision_of=original)
        assert (revised.status, revised.rule) == (Comment.Status.PENDING, Rule.REVISION)

    def test_a_revised_proposal_keeps_its_strategies(self, client, article, reject, mailoutbox):
        proposal = make_comment(
            article=article, status="pending", sovereignty_mode="bilateral", **ANA
        )
        strategies = list(Strategy.objects.all()[:2])
        proposal.strategies.set(strategies)
        reject(proposal, Reason.OFF_TOPIC)

        send_revision(client, revise_link(mailoutbox))

        revised = Comment.objects.get(revision_of=proposal)
        assert revised.parent is None
        assert revised.sovereignty_mode == "bilateral"
        assert set(revised.strategies.all()) == set(strategies)

    def test_the_moderators_are_told_it_waits(
        self, client, rude, reject, mailoutbox, django_capture_on_commit_callbacks
    ):
        reject(rude)
        link = revise_link(mailoutbox)

        with django_capture_on_commit_callbacks(execute=True):
            send_revision(client, link)

        assert any(
            REVISED_TEXT in message.body
            for message in mails_to(mailoutbox, "moderator@example.com")
        )


class TestTheSameChecksAsAnyReply:
    def test_the_unchanged_text_is_refused(self, client, rude, reject, mailoutbox):
        reject(rude)

        response = send_revision(client, revise_link(mailoutbox), body=rude.body)

        assert response.status_code == 200
        assert "This is the text that was rejected" in response.content.decode()
        assert not Comment.objects.filter(revision_of=rude).exists()

    def test_an_empty_revision_is_refused_as_an_empty_reply_is(
        self, client, rude, reject, mailoutbox
    ):
        reject(rude)

        response = send_revision(client, revise_link(mailoutbox), body="\u200b ")

        assert "Please write your reply before posting." in response.content.decode()
        assert not Comment.objects.filter(revision_of=rude).exists()

    def test_a_form_without_its_stamp_is_refused(self, client, rude, reject, mailoutbox):
        reject(rude)

        response = send_revision(client, revise_link(mailoutbox), stamp="")

        assert "This form is out of date" in response.content.decode()
        assert not Comment.objects.filter(revision_of=rude).exists()

    def test_the_robots_trap_refuses_it(self, client, rude, reject, mailoutbox):
        reject(rude)

        send_revision(client, revise_link(mailoutbox), website="http://spam.example")

        assert not Comment.objects.filter(revision_of=rude).exists()

    def test_the_automatic_checks_apply(self, client, rude, reject, mailoutbox):
        reject(rude)

        send_revision(
            client,
            revise_link(mailoutbox),
            body="See https://a.example.org, https://b.example.org and https://c.example.org.",
        )

        revised = Comment.objects.get(revision_of=rude)
        assert (revised.status, revised.rule) == (Comment.Status.PENDING, Rule.TOO_MANY_LINKS)

    def test_a_sender_blocked_since_the_email_is_refused(self, client, rude, reject, mailoutbox):
        reject(rude)
        link = revise_link(mailoutbox)
        Block.objects.create(target=ANA["author_email"])
        automatic_checks.BLOCKS.forget_now()

        response = send_revision(client, link)

        assert "could not be accepted" in response.content.decode()
        assert not Comment.objects.filter(revision_of=rude).exists()

    def test_revisions_count_against_the_authors_post_limit(
        self, client, rude, reject, mailoutbox, settings
    ):
        settings.RATE_LIMITS = {"post": {"ip": None, "email": (1, 600)}}
        reject(rude)
        link = revise_link(mailoutbox)
        # Another browser posts from Ana's address, on another network.
        type(client)().post(
            reverse("comments:create", args=[rude.article.slug]),
            {"author_name": "Ana", "author_email": "ANA@example.com", "body": "Hello."},
        )

        response = send_revision(client, link)

        assert response.status_code == 429
        assert REVISED_TEXT in response.content.decode()
        assert not Comment.objects.filter(revision_of=rude).exists()


class TestTheLinkWorksOnce:
    def test_a_second_use_says_the_reply_was_already_revised(
        self, client, rude, reject, mailoutbox
    ):
        reject(rude)
        link = revise_link(mailoutbox)
        send_revision(client, link)

        shown = client.get(link)
        sent_again = send_revision(client, link, body="A third version.")

        assert shown.status_code == sent_again.status_code == 409
        assert "You have already revised this reply" in shown.content.decode()
        assert Comment.objects.filter(revision_of=rude).count() == 1

    def test_the_same_form_sent_twice_stores_one_revision(self, client, rude, reject, mailoutbox):
        reject(rude)
        link = revise_link(mailoutbox)
        data = revision()

        client.post(link, data)
        client.post(link, data)

        assert Comment.objects.filter(revision_of=rude).count() == 1

    def test_two_revisions_sent_at_once_store_one(self, rude, reject):
        """Both passed the link's check before either was stored: the database keeps one."""
        reject(rude)

        posting.comment_revise(original=rude, body=REVISED_TEXT, form_id="first-tab")
        with pytest.raises(ValidationError) as refused:
            posting.comment_revise(original=rude, body="Another version.", form_id="second-tab")

        assert refused.value.code == "already_revised"
        assert Comment.objects.filter(revision_of=rude).count() == 1

    def test_a_rejected_revision_cannot_be_revised(self, client, rude, reject, mailoutbox):
        reject(rude)
        send_revision(client, revise_link(mailoutbox))
        revised = Comment.objects.get(revision_of=rude)
        mailoutbox.clear()

        reject(revised, Reason.INCIVILITY)

        (message,) = mails_to(mailoutbox, ANA["author_email"])
        assert REVISE not in message.body

    def test_a_reply_approved_after_all_can_no_longer_be_revised(
        self, client, rude, reject, mailoutbox, moderator
    ):
        reject(rude)
        decisions.comment_moderate(comment=rude, status="approved", by=moderator)

        response = client.get(revise_link(mailoutbox))

        assert response.status_code == 410
        assert "This reply can no longer be revised" in response.content.decode()

    def test_in_a_closed_discussion_it_can_no_longer_be_revised(
        self, client, article, rude, reject, mailoutbox
    ):
        reject(rude)
        article.discussion_open = False
        article.save()

        response = send_revision(client, revise_link(mailoutbox))

        assert response.status_code == 410
        assert not Comment.objects.filter(revision_of=rude).exists()


class TestExpiredAndTamperedLinks:
    def test_a_link_six_days_old_still_works(self, client, rude, reject):
        decision = reject(rude)
        with mock.patch("django.core.signing.time") as clock:
            clock.time.return_value = time.time() - timedelta(days=6).total_seconds()
            link = revising.revision_path(decision)

        assert client.get(link).status_code == 200

    @pytest.mark.parametrize("method", ["get", "post"])
    def test_an_expired_link_says_so(self, client, rude, reject, method):
        decision = reject(rude)
        with mock.patch("django.core.signing.time") as clock:
            clock.time.return_value = time.time() - timedelta(days=8).total_seconds()
            link = revising.revision_path(decision)

        response = getattr(client, method)(link, revision())

        assert response.status_code == 410
        assert "This link has expired" in response.content.decode()
        assert "works for 7 days" in response.content.decode()
        assert not Comment.objects.filter(revision_of=rude).exists()

    @pytest.mark.parametrize("method", ["get", "post"])
    def test_a_tampered_link_says_so(self, client, rude, reject, mailoutbox, method):
        reject(rude)
        token = token_of(revise_link(mailoutbox))

        response = getattr(client, method)(f"{REVISE}{tampered(token)}/", revision())

        assert response.status_code == 400
        assert "This link does not work" in response.content.decode()
        assert not Comment.objects.filter(revision_of=rude).exists()

    @pytest.mark.parametrize("token", ["made-up", "MQ", "1:1tTtTt:abc"])
    def test_a_made_up_link_says_so(self, client, token):
        assert client.get(f"{REVISE}{token}/").status_code == 400

    def test_a_link_signed_for_something_else_does_not_work(self, client, rude, reject):
        reject(rude)
        confirm = notifications.confirmation_url(rude.author_email)

        assert client.get(f"{REVISE}{token_of(confirm)}/").status_code == 400

    def test_the_refusal_is_in_the_readers_language(self, client, rude, reject, mailoutbox):
        reject(rude)
        token = token_of(revise_link(mailoutbox))

        response = client.get(f"{REVISE}{tampered(token)}/", headers=in_language("es"))

        assert "Este enlace no funciona" in response.content.decode()


class TestModeratorsSeeBoth:
    @pytest.fixture
    def revised(self, client, rude, reject, mailoutbox) -> Comment:
        reject(rude, Reason.INCIVILITY, note="Argue with the idea.")
        send_revision(client, revise_link(mailoutbox))
        return Comment.objects.get(revision_of=rude)

    def test_the_queue_item_says_it_revises_a_rejected_reply(self, moderator_client, rude, revised):
        html = moderator_client.get(reverse("admin:comments_comment_queue")).content.decode()

        assert "Revised after rejection: Incivility" in html
        assert f'href="{change_url(rude)}"' in html

    def test_the_revisions_page_shows_the_original_and_its_history(
        self, moderator_client, rude, revised
    ):
        html = moderator_client.get(change_url(revised)).content.decode()

        assert "Revised after rejection: Incivility" in html
        assert "Only an idiot would say that." in html
        assert "Argue with the idea." in html
        assert f'href="{change_url(rude)}"' in html

    def test_the_originals_page_links_the_revision(self, moderator_client, rude, revised):
        html = moderator_client.get(change_url(rude)).content.decode()

        assert "Its author revised it after the rejection" in html
        assert f'href="{change_url(revised)}"' in html
        assert REVISED_TEXT in html

    def test_the_desk_reads_in_spanish_too(self, moderator_client, rude, revised):
        html = moderator_client.get(
            reverse("admin:comments_comment_queue"), headers=in_language("es")
        ).content.decode()

        assert "Corregida tras un rechazo: Falta de civilidad" in html

    def test_approving_the_revision_publishes_it_and_leaves_the_original_rejected(
        self, moderator, rude, revised
    ):
        decisions.comment_moderate(comment=revised, status="approved", by=moderator)

        revised.refresh_from_db()
        rude.refresh_from_db()
        assert revised.is_published
        assert rude.status == Comment.Status.REJECTED
