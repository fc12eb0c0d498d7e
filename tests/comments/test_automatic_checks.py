"""Every new comment goes through automatic checks, and each decision names its rule."""

import socket
from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from comments import automatic_checks
from comments.automatic_checks import count_links, fold
from comments.models import Block, Comment, ModerationDecision, Rule, WordRule
from tests.actions import post_reply
from tests.factories import make_comment, make_trusted_commenter, reply_data

pytestmark = pytest.mark.django_db


def post(client, article, body="Shared intelligence beats troops.", **fields):
    """Ana's reply (`fields` change it), posted from the reply form."""
    return post_reply(client, article, reply_data(**{"author_name": "Ana", "body": body, **fields}))


def newest() -> Comment:
    return Comment.objects.order_by("-id").first()


@pytest.fixture(autouse=True)
def browser_key(returning_reader_key):
    """The test client is the browser the trusted commenter has always posted from."""
    return returning_reader_key


class TestModerationMode:
    def test_pre_moderation_is_the_site_default_and_holds_every_reply(self, client, article):
        make_trusted_commenter(article=article)

        post(client, article)

        assert newest().status == Comment.Status.PENDING
        assert newest().rule == Rule.PRE_MODERATION

    @override_settings(COMMENTS_MODERATION_MODE="post")
    def test_the_site_default_can_be_post_moderation(self, client, article):
        make_trusted_commenter(article=article)

        post(client, article)

        assert newest().status == Comment.Status.APPROVED

    @override_settings(COMMENTS_MODERATION_MODE="post")
    def test_an_article_can_insist_on_pre_moderation(self, client, article):
        article.moderation_mode = article.ModerationMode.PRE
        article.save()
        make_trusted_commenter(article=article)

        post(client, article)

        assert newest().status == Comment.Status.PENDING


class TestTrust:
    def test_a_trusted_commenter_is_published_at_once(self, client, post_moderated):
        make_trusted_commenter(article=post_moderated)

        response = post(client, post_moderated)

        assert newest().status == Comment.Status.APPROVED
        assert newest().rule == Rule.TRUSTED
        page = client.get(response["Location"], follow=True)
        assert "Your reply is published" in page.content.decode()
        client.cookies.clear()
        assert (
            "Shared intelligence beats troops."
            in client.get(post_moderated.get_absolute_url()).content.decode()
        )

    def test_a_first_time_commenter_is_held(self, client, post_moderated):
        post(client, post_moderated)

        assert newest().status == Comment.Status.PENDING
        assert newest().rule == Rule.FIRST_TIME

    def test_an_unconfirmed_address_is_never_trusted(self, client, post_moderated):
        for _ in range(5):
            make_comment(article=post_moderated, author_email="ana@example.com")

        post(client, post_moderated)

        assert newest().status == Comment.Status.PENDING
        assert newest().rule == Rule.UNCONFIRMED

    @override_settings(COMMENTS_TRUST_MIN_APPROVED=3)
    def test_too_few_approved_comments_hold_the_reply(self, client, post_moderated):
        make_trusted_commenter(article=post_moderated, approved=2)

        post(client, post_moderated)

        assert newest().rule == Rule.NOT_YET_TRUSTED
        assert newest().rule_detail == "2/3"

    def test_a_recent_rejection_withdraws_trust(self, client, post_moderated, moderator):
        make_trusted_commenter(article=post_moderated)
        make_comment(
            article=post_moderated, author_email="ana@example.com", status="pending"
        ).reject(by=moderator)

        post(client, post_moderated)

        assert newest().rule == Rule.RECENT_REJECTION

    def test_an_old_rejection_is_forgiven(self, client, post_moderated, moderator):
        make_trusted_commenter(article=post_moderated)
        rejected = make_comment(
            article=post_moderated, author_email="ana@example.com", status="pending"
        )
        rejected.reject(by=moderator)
        rejected.decisions.update(created=timezone.now() - timedelta(days=90))

        post(client, post_moderated)

        assert newest().status == Comment.Status.APPROVED

    def test_a_trusted_address_typed_in_another_browser_is_held(self, post_moderated):
        make_trusted_commenter(article=post_moderated)

        post(Client(), post_moderated, author_name="Someone else")

        assert newest().status == Comment.Status.PENDING
        assert newest().rule == Rule.OTHER_BROWSER

    def test_a_rejection_decided_today_withdraws_trust_even_for_an_old_comment(
        self, client, post_moderated, moderator
    ):
        make_trusted_commenter(article=post_moderated, approved=3)
        old = make_comment(
            article=post_moderated,
            author_email="ana@example.com",
            status="pending",
            created=timezone.now() - timedelta(days=90),
        )
        old.reject(by=moderator)

        post(client, post_moderated)

        assert newest().rule == Rule.RECENT_REJECTION

    def test_trust_follows_the_address_whatever_its_case(self, client, post_moderated):
        make_trusted_commenter(article=post_moderated)

        post(client, post_moderated, author_email="ANA@Example.com")

        assert newest().status == Comment.Status.APPROVED


class TestWordRules:
    @pytest.mark.parametrize(
        ("action", "status"),
        [
            (WordRule.Action.REJECT, Comment.Status.REJECTED),
            (WordRule.Action.SPAM, Comment.Status.SPAM),
        ],
    )
    def test_a_banned_word_rejects_or_marks_as_spam(self, client, post_moderated, action, status):
        make_trusted_commenter(article=post_moderated)
        WordRule.objects.create(phrase="casino", action=action)

        post(client, post_moderated, body="Visit my casino tonight")

        assert newest().status == status
        assert newest().rule == Rule.BANNED_WORD
        assert newest().rule_detail == "casino"

    def test_a_suspect_word_holds_even_a_trusted_commenter(self, client, post_moderated):
        make_trusted_commenter(article=post_moderated)
        WordRule.objects.create(phrase="traidor", action=WordRule.Action.HOLD)

        post(client, post_moderated, body="Es un traidor a la patria.")

        assert newest().status == Comment.Status.PENDING
        assert newest().rule == Rule.SUSPECT_WORD

    @pytest.mark.parametrize(
        "body", ["CARTEL money", "El Cártel de Sinaloa", "cártel!", "los CÁRTEL."]
    )
    def test_words_match_ignoring_case_and_accents(self, client, article, body):
        WordRule.objects.create(phrase="cartel", action=WordRule.Action.HOLD)

        post(client, article, body=body)

        assert newest().rule == Rule.SUSPECT_WORD

    def test_an_accented_rule_matches_unaccented_text(self, client, article):
        WordRule.objects.create(phrase="Corrupción", action=WordRule.Action.HOLD)

        post(client, article, body="la corrupcion judicial")

        assert newest().rule == Rule.SUSPECT_WORD

    @pytest.mark.parametrize("body", ["cartels everywhere", "a scartel", "precartel talk"])
    def test_words_match_only_whole_words(self, client, article, body):
        WordRule.objects.create(phrase="cartel", action=WordRule.Action.HOLD)

        post(client, article, body=body)

        assert newest().rule == Rule.PRE_MODERATION

    def test_phrases_match_across_any_whitespace(self, client, article):
        WordRule.objects.create(phrase="send troops", action=WordRule.Action.HOLD)

        post(client, article, body="We should SEND\n  troops now")

        assert newest().rule == Rule.SUSPECT_WORD

    def test_the_most_severe_rule_wins(self, client, article):
        WordRule.objects.create(phrase="idiot", action=WordRule.Action.HOLD)
        WordRule.objects.create(phrase="viagra", action=WordRule.Action.SPAM)

        post(client, article, body="idiot viagra")

        assert newest().status == Comment.Status.SPAM

    def test_fold_strips_accents_and_case(self):
        assert fold("ÁÉÍÓÚ Ñandú Çava") == "aeiou nandu cava"


class TestLinks:
    @override_settings(COMMENTS_MAX_LINKS=2)
    def test_more_links_than_allowed_hold_the_comment(self, client, post_moderated):
        make_trusted_commenter(article=post_moderated)

        post(client, post_moderated, body="See https://a.example.com, www.b.org and c.com/page")

        assert newest().status == Comment.Status.PENDING
        assert newest().rule == Rule.TOO_MANY_LINKS
        assert newest().rule_detail == "3/2"

    @override_settings(COMMENTS_MAX_LINKS=2)
    def test_a_few_links_are_fine(self, client, post_moderated):
        make_trusted_commenter(article=post_moderated)

        post(client, post_moderated, body="Sources: https://cfr.org/report and www.gob.mx")

        assert newest().status == Comment.Status.APPROVED

    def test_links_are_counted_with_and_without_a_scheme(self):
        assert count_links("http://x.com https://y.org/a?b=1 www.z.net spam.ru plain text 3.5") == 4

    @override_settings(COMMENTS_MAX_LINKS=2)
    def test_bare_domains_under_any_public_suffix_hold_the_comment(self, client, post_moderated):
        make_trusted_commenter(article=post_moderated)

        post(client, post_moderated, body="Ofertas: precios.tienda, bit.ly/x y ganar.casino hoy")

        assert newest().rule == Rule.TOO_MANY_LINKS
        assert newest().rule_detail == "3/2"

    @pytest.mark.parametrize(
        "text",
        [
            "bit.ly/abc",
            "ejemplo.mx",
            "precios.tienda",
            "ejemplo.com.mx",
            "a.b.ejemplo.co.uk",
            "Example.COM",
            "пример.рф",
            "ejemplo.рф",
            "ejemplo.xn--p1ai",
            "ｅｊｅｍｐｌｏ．ｃｏｍ",
            "ejemplo。com",
            "ejemplo｡com",
            "see ejemplo.mx.",
        ],
        ids=[
            "short-link domain",
            "country code",
            "new generic suffix",
            "second-level suffix",
            "subdomains of a second-level suffix",
            "capitals",
            "international domain and suffix",
            "international suffix",
            "suffix in punycode",
            "full-width letters and dot",
            "ideographic full stop",
            "halfwidth ideographic full stop",
            "at the end of a sentence",
        ],
    )
    def test_a_bare_domain_counts_as_one_link(self, text):
        assert count_links(text) == 1

    @pytest.mark.parametrize(
        "text",
        ["e.g. this", "the U.S. and Mexico", "3.5 million", "i.e.", "version 1.2.3", "co.uk"],
        ids=["e.g.", "U.S.", "a decimal", "i.e.", "a version", "a public suffix alone"],
    )
    def test_words_with_a_dot_that_are_no_domain_are_not_links(self, text):
        assert count_links(text) == 0

    def test_the_public_suffix_list_is_read_from_the_package_never_fetched(self, monkeypatch):
        def no_network(*args, **kwargs):
            raise AssertionError("the public suffix list was fetched from the network")

        monkeypatch.setattr(socket, "create_connection", no_network)
        monkeypatch.setattr(socket.socket, "connect", no_network)
        monkeypatch.setattr(socket, "getaddrinfo", no_network)
        automatic_checks.public_suffixes.cache_clear()

        assert count_links("ejemplo.mx y precios.tienda") == 2


class TestDuplicates:
    def test_the_same_reply_twice_is_stored_once_and_the_author_is_shown_it(self, client, article):
        first = post(client, article)
        second = post(client, article)

        assert Comment.objects.count() == 1
        assert second["Location"] == first["Location"]
        page = client.get(second["Location"], follow=True)
        assert "You had already posted this reply" in page.content.decode()

    def test_after_two_identical_posts_raced_in_the_author_is_shown_the_newer(
        self, client, article
    ):
        post(client, article)
        first = newest()
        # A second copy, stored by a post that passed the check at the same moment.
        Comment.objects.filter(pk=first.pk).update(created=timezone.now() - timedelta(minutes=5))
        raced = Comment.objects.get(pk=first.pk)
        raced.pk = None
        raced.submission_key = "raced"
        raced.created = timezone.now() - timedelta(minutes=1)
        raced.save()

        third = post(client, article)

        assert Comment.objects.count() == 2
        assert third["Location"] == raced.get_absolute_url()

    def test_the_same_text_from_another_email_is_a_different_reply(self, client, article):
        post(client, article)
        post(client, article, author_email="luis@example.com")

        assert Comment.objects.count() == 2

    @override_settings(COMMENTS_DUPLICATE_WINDOW_HOURS=24)
    def test_the_same_text_long_after_is_a_new_reply(self, client, article):
        post(client, article)
        Comment.objects.update(created=timezone.now() - timedelta(days=2))

        post(client, article)

        assert Comment.objects.count() == 2


class TestBlocks:
    @pytest.mark.parametrize(
        "target", ["ana@example.com", "@example.com", "127.0.0.1", "127.0.0.0/8"]
    )
    def test_a_blocked_sender_gets_a_neutral_message_and_nothing_is_stored(
        self, client, article, target
    ):
        Block.objects.create(target=target)

        response = post(client, article)

        html = response.content.decode()
        assert "could not be accepted" in html
        assert "blocked" not in html.lower()
        assert "Shared intelligence beats troops." in html
        assert not Comment.objects.exists()

    def test_others_are_not_affected_by_a_block(self, client, article):
        Block.objects.create(target="troll@example.com")
        Block.objects.create(target="10.0.0.0/8")

        post(client, article)

        assert Comment.objects.count() == 1


class TestTheReasonIsRecorded:
    def test_every_automatic_decision_is_in_the_history_with_its_rule(self, client, article):
        post(client, article)

        decision = ModerationDecision.objects.get()
        assert decision.moderator is None
        assert decision.to_status == Comment.Status.PENDING
        assert decision.rule == Rule.PRE_MODERATION
        assert "Automatic" in decision.decided_by

    def test_moderators_see_the_reason_in_the_queue_and_can_filter_by_it(
        self, moderator_client, article
    ):
        WordRule.objects.create(phrase="casino", action=WordRule.Action.HOLD)
        post(Client(), article, body="casino night")
        post(Client(), article, body="an ordinary reply")

        url = reverse("admin:comments_comment_changelist")
        html = moderator_client.get(url, {"rule__exact": Rule.SUSPECT_WORD}).content.decode()

        assert "Suspect word: casino" in html
        assert "an ordinary reply" not in html


@pytest.mark.parametrize(
    ("rule", "detail", "english", "spanish"),
    [
        (Rule.TOO_MANY_LINKS, "3/2", "3 links (limit 2)", "3 enlaces"),
        (Rule.NOT_YET_TRUSTED, "1/2", "1 of 2 approved", "1 de 2"),
        # The readers (client networks) whose reports hid it, whatever the number of reports.
        (Rule.REPORTS, "4", "4 different readers", "4 lectores distintos"),
        (Rule.REPORTS, "1", "1 reader", "1 lector"),
    ],
)
def test_the_reason_is_told_in_the_moderators_language(rule, detail, english, spanish):
    from django.utils import translation

    from comments.automatic_checks import describe

    assert english in describe(rule, detail)
    with translation.override("es"):
        assert spanish in describe(rule, detail)
