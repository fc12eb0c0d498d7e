"""What attackers put in the name of a reply: control characters, characters that draw nothing
or turn the text around, names too long, names that pass for the site or its staff. Each is
refused with a message a reader understands and nothing stored; an ordinary name, in any script,
is stored as typed.
"""

import pytest
from django.contrib.auth.models import User

from comments.models import Comment
from tests.actions import post_reply
from tests.pages import refusal

pytestmark = pytest.mark.django_db


STAFF_FIRST, STAFF_LAST = "María", "López"


@pytest.fixture
def staff_member(db) -> User:
    return User.objects.create_user(
        "mlopez",
        "mlopez@example.com",
        "a-long-password-1",
        first_name=STAFF_FIRST,
        last_name=STAFF_LAST,
        is_staff=True,
    )


INVISIBLE = "Your name contains invisible or control characters"
RESERVED = "could be mistaken for the site"

REFUSED_NAMES = [
    ("bell", "Ana\x07Torres", INVISIBLE),
    ("escape sequence", "\x1b[31mAna Torres", INVISIBLE),
    ("right-to-left override", "Ana \u202eserroT", INVISIBLE),
    ("left-to-right embedding", "\u202aAna Torres\u202c", INVISIBLE),
    ("directional isolate", "\u2067Ana\u2069 Torres", INVISIBLE),
    ("right-to-left mark", "Ana\u200f Torres", INVISIBLE),
    ("zero-width space", "Mod\u200berator", INVISIBLE),
    ("zero-width joiner", "Ana\u200dTorres", INVISIBLE),
    ("zero-width no-break space", "\ufeffAna Torres", INVISIBLE),
    ("soft hyphen", "Ad\u00admin", INVISIBLE),
    ("word joiner", "Ana\u2060Torres", INVISIBLE),
    ("Hangul filler, which draws nothing", "\u3164", INVISIBLE),
    ("Braille blank", "\u2800\u2800", INVISIBLE),
    ("Hangul choseong and jungseong fillers", "Ana\u115f\u1160", INVISIBLE),
    ("halfwidth Hangul filler", "\uffa0Ana", INVISIBLE),
    ("Khitan filler", "Ana\U00016fe4", INVISIBLE),
    ("combining grapheme joiner", "Ana\u034fTorres", INVISIBLE),
    ("Mongolian vowel separator", "Ana\u180eTorres", INVISIBLE),
    ("private-use character", "Ana \ue000", INVISIBLE),
    ("C1 control", "Ana\x85\x9bTorres", INVISIBLE),
    ("only spaces of every kind", " \u00a0\u2003\u3000\t ", "Please tell us the name"),
    ("no letter at all", "... --- ...", "at least one letter or digit"),
    ("null character", "Ana\x00Torres", "invisible null character"),
    ("text that arrived as invalid UTF-8", "Ana \ufffd\ufffd", "could not be read"),
    ("longer than 80 characters", "A" * 81, "at most 80 characters"),
    # U+FB2C is one character sent, three once composed (NFC) as names are stored.
    ("longer than 80 characters once composed", "\ufb2c" * 27, "at most 80 characters (it has 81)"),
    ("moderator", "Moderator", RESERVED),
    ("moderador, in Spanish", "MODERADOR", RESERVED),
    ("admin", "admin", RESERVED),
    ("administrator", "Administrator", RESERVED),
    ("the site's name", "Sovereignty Forum", RESERVED),
    ("the site's name run together", "sovereigntyforum", RESERVED),
    ("editor", "Editor", RESERVED),
    ("editorial", "Editorial", RESERVED),
    ("full-width letters", "Ｍｏｄｅｒａｔｏｒ", RESERVED),
    ("Cyrillic o", "M\u043ederator", RESERVED),
    ("Cyrillic a, e, o, r", "\u0410dministr\u0430t\u043er", RESERVED),
    ("Greek capitals", "\u0391D\u039c\u0399\u039d", RESERVED),
    ("Cyrillic capitals", "\u041c\u041eD\u0415R\u0410\u0422\u041eR", RESERVED),
    ("mathematical bold letters", "\U0001d41a\U0001d41d\U0001d426\U0001d422\U0001d427", RESERVED),
    ("accents", "Édítór", RESERVED),
    ("digits for letters", "m0d3rat0r", RESERVED),
    ("1 for i", "Adm1n", RESERVED),
    ("l for I", "ADMlN", RESERVED),
    ("rn for m", "Adrnin", RESERVED),
    ("spaced out", "M o d e r a t o r", RESERVED),
    ("dotted", "a.d.m.i.n", RESERVED),
    ("as a title after a name", "Ana Torres (moderator)", RESERVED),
    ("as a title before a name", "Editor Ana", RESERVED),
    ("a staff member's username", "mlopez", RESERVED),
    ("a staff member's full name", "Maria Lopez", RESERVED),
    ("a staff member's full name with look-alikes", "M\u0430ri\u0430 L\u00d3PEZ", RESERVED),
]


@pytest.mark.parametrize(
    ("name", "message"),
    [case[1:] for case in REFUSED_NAMES],
    ids=[case[0] for case in REFUSED_NAMES],
)
def test_a_hostile_name_is_refused_with_a_message_and_nothing_is_stored(
    client, article, valid_reply, staff_member, name, message
):
    response = post_reply(client, article, {**valid_reply, "author_name": name})

    assert message in refusal(response, "author_name")
    assert message in response.content.decode()
    assert not Comment.objects.exists()


def test_a_new_staff_account_counts_from_the_very_next_post(
    client, article, valid_reply, django_capture_on_commit_callbacks
):
    post_reply(client, article, valid_reply)  # the staff's names are now in the cache
    with django_capture_on_commit_callbacks(execute=True):
        User.objects.create_user("jramos", first_name="Julia", last_name="Ramos", is_staff=True)

    response = post_reply(
        client, article, {**valid_reply, "author_name": "Julia Ramos", "body": "Another reply."}
    )

    assert RESERVED in refusal(response, "author_name")
    assert Comment.objects.count() == 1


ACCEPTED_NAMES = [
    ("plain", "Ana Torres", "Ana Torres"),
    ("accents and ñ", "José Ñúñez", "José Ñúñez"),
    ("decomposed accents, stored composed", "Jose\u0301", "José"),
    ("80 letters sent as 160 characters, 80 once composed", "e\u0301" * 80, "é" * 80),
    ("apostrophe and hyphen", "Seán O'Brien-Smith", "Seán O'Brien-Smith"),
    ("another script", "李小龙", "李小龙"),
    ("Cyrillic name", "Мария Иванова", "Мария Иванова"),
    ("a word that contains a reserved one", "Badminton Fan", "Badminton Fan"),
    ("a name that starts like one", "Editha Moderna", "Editha Moderna"),
    ("tabs and line breaks, collapsed", "Ana\t\r\nTorres", "Ana Torres"),
    ("odd spaces, collapsed", "Ana\u00a0\u2003Torres", "Ana Torres"),
    ("a staff member's first name with another surname", "María Torres", "María Torres"),
    ("an emoji with its presentation selector", "Ana \u2764\ufe0f", "Ana \u2764\ufe0f"),
]


@pytest.mark.parametrize(
    ("name", "stored"),
    [case[1:] for case in ACCEPTED_NAMES],
    ids=[case[0] for case in ACCEPTED_NAMES],
)
def test_an_ordinary_name_is_accepted_as_typed(
    client, article, valid_reply, staff_member, name, stored
):
    post_reply(client, article, {**valid_reply, "author_name": name})

    assert Comment.objects.get().author_name == stored
