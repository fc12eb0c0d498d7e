"""What attackers put in the text of a reply or an edit: a null character, bytes that are not
UTF-8, characters that show a reader nothing, text that grows once composed. Each is refused with
a message a reader understands and nothing stored.
"""

import urllib.parse

import pytest

from comments.models import Comment
from tests.actions import edit, post_reply
from tests.factories import form_stamp
from tests.pages import refusal

pytestmark = pytest.mark.django_db


def test_a_null_character_in_a_reply_is_refused_with_a_message(client, article, valid_reply):
    response = post_reply(client, article, {**valid_reply, "body": "Trade\x00 and intelligence."})

    assert "invisible null character" in refusal(response, "body")
    assert not Comment.objects.exists()


def test_a_reply_sent_as_invalid_utf8_is_refused_with_a_message_not_an_error(client, article):
    raw = b"author_name=Ana&author_email=ana%40example.com&body=Caf%E9+con+%FF%FE+leche&stamp="
    raw += urllib.parse.quote(form_stamp()).encode()

    response = post_reply(client, article, raw, content_type="application/x-www-form-urlencoded")

    assert response.status_code == 200
    assert "could not be read" in response.content.decode()
    assert not Comment.objects.exists()


EMPTY = "Please write your reply before posting."

# Replies that show a reader nothing: each is refused as an empty one.
INVISIBLE_BODIES = [
    ("zero-width spaces", "\u200b" * 40),
    ("word joiners", "\u2060\u2060"),
    ("byte-order marks", "\ufeff\ufeff"),
    ("Braille blanks", "\u2800" * 12),
    ("Hangul fillers", "\u3164\u115f\u1160\uffa0"),
    ("a right-to-left override", "\u202e"),
    ("bidirectional embeddings and isolates", "\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069"),
    ("direction marks", "\u200e\u200f\u061c"),
    ("the Mongolian vowel separator", "\u180e"),
    ("the combining grapheme joiner", "\u034f"),
    ("variation selectors", "\ufe0f\ufe0e\U000e0100"),
    ("soft hyphens", "\u00ad\u00ad"),
    ("tag characters", "\U000e0041\U000e0042"),
    ("accents with no letter", "\u0301\u0308"),
    ("a mix, with spaces and line breaks", "\u200b \u2800\n\u3164\u3000\u202e\r\n\ufe0f"),
]


@pytest.mark.parametrize(
    "body", [case[1] for case in INVISIBLE_BODIES], ids=[case[0] for case in INVISIBLE_BODIES]
)
def test_a_reply_of_invisible_characters_is_refused_as_empty(client, article, valid_reply, body):
    response = post_reply(client, article, {**valid_reply, "body": body})

    assert EMPTY in refusal(response, "body")
    assert not Comment.objects.exists()


def test_a_reply_with_something_to_read_among_invisible_characters_is_accepted(
    client, article, valid_reply
):
    post_reply(client, article, {**valid_reply, "body": "\u200b\u2800 Sí \u3164"})

    assert Comment.objects.get().body == "\u200b\u2800 Sí \u3164"


@pytest.mark.parametrize(
    "body",
    [case[1] for case in INVISIBLE_BODIES[:5]],
    ids=[case[0] for case in INVISIBLE_BODIES[:5]],
)
def test_an_edit_of_invisible_characters_is_refused_as_empty(client, article, valid_reply, body):
    post_reply(client, article, valid_reply)
    comment = Comment.objects.get()

    response = edit(client, comment, body)

    assert "Please write your reply before saving." in refusal(response, "body")
    comment.refresh_from_db()
    assert (comment.body, comment.pending_body) == (valid_reply["body"], "")


def test_the_length_limit_counts_the_reply_as_stored_after_composing(
    client, article, valid_reply, settings
):
    settings.COMMENTS_MAX_LENGTH = 5000
    # U+FB2C is one character sent, three once composed (NFC) as it is stored.
    response = post_reply(client, article, {**valid_reply, "body": "\ufb2c" * 5000})

    assert "Your reply is 15000 characters long; the limit is 5000" in response.content.decode()
    assert not Comment.objects.exists()


def test_a_reply_within_the_limit_once_composed_is_accepted(client, article, valid_reply, settings):
    settings.COMMENTS_MAX_LENGTH = 100
    # 200 characters sent (e and a combining accent), 100 once composed.
    post_reply(client, article, {**valid_reply, "body": "e\u0301" * 100})

    assert Comment.objects.get().body == "é" * 100


def test_an_edit_over_the_limit_once_composed_is_refused(client, article, valid_reply, settings):
    settings.COMMENTS_MAX_LENGTH = 100
    post_reply(client, article, valid_reply)
    comment = Comment.objects.get()

    response = edit(client, comment, "\ufb2c" * 40)

    assert "Your reply is 120 characters long; the limit is 100" in refusal(response, "body")
    comment.refresh_from_db()
    assert comment.body == valid_reply["body"]


def test_a_reply_over_the_limit_in_accented_letters_is_counted_in_characters(
    client, article, valid_reply, settings
):
    settings.COMMENTS_MAX_LENGTH = 100

    response = post_reply(client, article, {**valid_reply, "body": "ñ" * 101})

    assert "Your reply is 101 characters long; the limit is 100" in response.content.decode()
    assert not Comment.objects.exists()
