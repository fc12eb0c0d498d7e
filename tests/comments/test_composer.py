"""The reply form is compact: the text first, then who writes it, then the optional choices.

A returning reader finds their name and email filled in, from a signed cookie of their own
browser; no other reader ever sees them, though the article page is served from a cache
that everyone shares.
"""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from comments.models import Comment
from tests.actions import in_language, post_reply
from tests.factories import make_comment, reply_data

pytestmark = pytest.mark.django_db

NAME = 'Ana "la del <b>" Torres'
EMAIL = "ana.torres@example.com"


def form_of(html: str) -> str:
    return html.split('<form id="reply-form"', 1)[1].split("</form>", 1)[0]


def field_value(html: str, name: str) -> str | None:
    found = re.search(rf'<input type="\w+" name="{name}"(?: value="([^"]*)")?', form_of(html))
    assert found, name
    return found.group(1)


@pytest.fixture
def returning_author(settings, article, moderator) -> Client:
    """A browser that posted a reply, since approved and no longer editable: its pages
    would otherwise be the page everyone shares."""
    settings.COMMENTS_EDIT_WINDOW_MINUTES = 0
    author = Client()
    post_reply(author, article, reply_data(author_name=NAME, author_email=EMAIL))
    Comment.objects.get().approve(by=moderator)
    author.get(article.get_absolute_url())  # Reads the flash message ("Thank you!…").
    # Which expires its cookie: a browser drops it (the test client keeps it, empty).
    assert not author.cookies["messages"].value
    del author.cookies["messages"]
    return author


class TestTheCompactForm:
    def test_the_text_comes_first_then_the_name_and_email(self, client, article):
        form = form_of(client.get(article.get_absolute_url()).content.decode())

        assert form.index('name="body"') < form.index('name="author_name"')
        assert form.index('name="author_name"') < form.index('name="author_email"')

    @pytest.mark.parametrize(
        ("language", "prompt"),
        [("en", "Write your answer…"), ("es", "Escribe aquí tu respuesta…")],
    )
    def test_the_prompt_is_in_the_readers_language(self, client, article, language, prompt):
        html = client.get(article.get_absolute_url(), headers=in_language(language))

        assert f'placeholder="{prompt}"' in form_of(html.content.decode())

    def test_strategies_and_sovereignty_are_chips_in_an_optional_step_closed_at_first(
        self, client, article
    ):
        form = form_of(client.get(article.get_absolute_url()).content.decode())
        step = form.split('<details class="composer-options', 1)[1].split("</details>", 1)[0]

        assert step.startswith(' mb-3">')  # Not open.
        assert "Add strategies and sovereignty (optional)" in step
        assert step.count('type="checkbox" name="strategies"') > 3
        assert 'type="radio" name="sovereignty_mode"' in step
        assert 'class="btn btn-sm btn-outline-secondary rounded-pill chip"' in step
        # Nothing of it outside the step.
        before = form.split("<details", 1)[0]
        assert 'name="strategies"' not in before and 'name="sovereignty_mode"' not in before

    def test_a_reply_to_a_comment_has_no_proposal_step(self, client, article):
        parent = make_comment(article=article)

        html = client.get(
            reverse("comments:reply", kwargs={"pk": parent.pk}) + "?fragment=form"
        ).content.decode()

        assert 'name="strategies"' not in html and 'name="sovereignty_mode"' not in html
        assert 'placeholder="Write your reply…"' in html

    def test_a_form_shown_again_with_errors_starts_open_with_its_choices(self, client, article):
        response = post_reply(
            client,
            article,
            reply_data(
                author_email="not an address", strategies=["1"], sovereignty_mode="bilateral"
            ),
        )
        html = response.content.decode()

        assert 'class="composer composer-open"' in html
        assert '<details class="composer-options mb-3" open>' in html


class TestTheNameAndEmailAreRemembered:
    def test_the_next_reply_form_has_them_filled_in(self, returning_author, article):
        html = returning_author.get(article.get_absolute_url()).content.decode()

        assert field_value(html, "author_name") == "Ana &quot;la del &lt;b&gt;&quot; Torres"
        assert field_value(html, "author_email") == EMAIL

    def test_so_has_the_form_under_a_comment(self, returning_author, article):
        parent = make_comment(article=article)
        url = reverse("comments:reply", kwargs={"pk": parent.pk})

        for html in (
            returning_author.get(url + "?fragment=form").content.decode(),
            returning_author.get(url).content.decode(),
        ):
            assert 'value="Ana &quot;la del &lt;b&gt;&quot; Torres"' in html
            assert f'value="{EMAIL}"' in html

    def test_they_are_kept_in_a_signed_cookie_only_this_browser_sends(self, returning_author):
        cookie = returning_author.cookies[settings.AUTHOR_COOKIE_NAME]

        assert cookie["httponly"] and cookie["samesite"] == "Lax"
        assert EMAIL not in cookie.value  # Encoded, and signed: not plain text to edit.

    def test_a_cookie_changed_by_hand_is_ignored(self, returning_author, article):
        cookie = returning_author.cookies[settings.AUTHOR_COOKIE_NAME]
        value, signature = cookie.value.rsplit(":", 1)
        cookie.set(cookie.key, value + "x:" + signature, value + "x:" + signature)

        html = returning_author.get(article.get_absolute_url()).content.decode()

        assert field_value(html, "author_name") is None
        assert EMAIL not in html

    @pytest.mark.parametrize("author_first", [True, False], ids=["author-first", "others-first"])
    def test_no_other_reader_ever_gets_them_from_the_shared_page_cache(
        self, returning_author, article, author_first
    ):
        others = [Client(), Client(headers=in_language("en"))]
        url = article.get_absolute_url()
        if not author_first:
            cached = others[0].get(url)  # Stored in the page cache.
            assert "ETag" in cached
        for _ in range(2):
            mine = returning_author.get(url).content.decode()
            assert field_value(mine, "author_email") == EMAIL
            for reader in others:
                page = reader.get(url).content.decode()
                assert EMAIL not in page
                assert "la del" not in page.split('<ol id="comment-list"', 1)[0]

    def test_even_a_browser_that_kept_only_that_cookie_gets_a_page_of_its_own(
        self, returning_author, article
    ):
        # Without the reader cookie the page would come from the shared cache.
        del returning_author.cookies[settings.READER_COOKIE_NAME]
        Client().get(article.get_absolute_url())

        response = returning_author.get(article.get_absolute_url())

        assert field_value(response.content.decode(), "author_email") == EMAIL
        assert "ETag" not in response
        assert EMAIL not in Client().get(article.get_absolute_url()).content.decode()

    def test_a_reader_without_the_cookie_is_served_the_shared_page(self, client, article):
        first = client.get(article.get_absolute_url())
        second = client.get(article.get_absolute_url(), headers={"If-None-Match": first["ETag"]})

        assert second.status_code == 304
