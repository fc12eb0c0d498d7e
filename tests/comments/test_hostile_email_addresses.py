"""What attackers put in the email address of a reply: headers smuggled after a line break,
letters that fold into others, invisible characters, addresses too long. Each is refused with a
message and nothing stored; an ordinary address is stored as the mail server reads it.
"""

import pytest

from comments.models import Comment
from tests.actions import post_reply
from tests.pages import refusal

pytestmark = pytest.mark.django_db


NOT_VALID = "Please enter a valid email address"

REFUSED_EMAILS = [
    ("a header injected after a line break", "ana@example.com\r\nBcc: all@example.org", "line"),
    ("a bare line feed", "ana@example.com\nCc: all@example.org", "single line"),
    ("a trailing line break", "ana@example.com\r\n", "single line"),
    ("longer than 254 characters", "a" * 60 + "@" + "b" * 190 + ".com", "at most 254"),
    ("a part before the @ over 64 characters", "a" * 65 + "@example.com", "at most 64"),
    ("a Kelvin sign that lower-cases to k", "\u212aarla@example.com", NOT_VALID),
    ("a long s that folds to s", "\u017fam@example.com", NOT_VALID),
    ("a dotless i", "\u0131nes@example.com", NOT_VALID),
    ("a dotted capital I", "\u0130nes@example.com", NOT_VALID),
    ("a quoted part hiding a control character", '"ana\x01"@example.com', NOT_VALID),
    ("a zero-width space in the domain", "ana@exam\u200bple.com", NOT_VALID),
    ("a right-to-left override in the domain", "ana@\u202eexample.com", NOT_VALID),
    ("a space inside", "ana torres@example.com", NOT_VALID),
    ("two at signs", "ana@torres@example.com", NOT_VALID),
    ("a null character", "ana\x00@example.com", "invisible null character"),
]


@pytest.mark.parametrize(
    ("email", "message"),
    [case[1:] for case in REFUSED_EMAILS],
    ids=[case[0] for case in REFUSED_EMAILS],
)
def test_a_hostile_email_address_is_refused_with_a_message_and_nothing_is_stored(
    client, article, valid_reply, email, message
):
    response = post_reply(client, article, {**valid_reply, "author_email": email})

    assert message in refusal(response, "author_email")
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("email", "stored"),
    [
        ("Ana.Torres@Example.COM", "ana.torres@example.com"),
        ("ana+forum@example.com", "ana+forum@example.com"),
        ("  ana@example.com  ", "ana@example.com"),
        ("ana@ＥＸＡＭＰＬＥ.com", "ana@example.com"),
        ("ana@correo.méxico.mx", "ana@correo.xn--mxico-bsa.mx"),
    ],
    ids=["case", "plus", "surrounding spaces", "full-width domain", "international domain"],
)
def test_an_email_address_is_stored_as_the_mail_server_reads_it(
    client, article, valid_reply, email, stored
):
    post_reply(client, article, {**valid_reply, "author_email": email})

    assert Comment.objects.get().author_email == stored
