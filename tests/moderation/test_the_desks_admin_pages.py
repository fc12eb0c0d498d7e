"""The admin's pages around the queue: the home starts with it, the reports' list has no link
inside a link, yes-or-no filters read as words, and the moderators' email about a comment
readers' reports hid says so and quotes their reasons."""

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from comments import reporting
from comments.models import Comment
from tests.actions import post_reply
from tests.factories import ANA, LUIS, make_comment, make_commenter, report_by
from tests.mailbox import mails_to

pytestmark = pytest.mark.django_db


def deepest_link_nesting(html: str) -> int:
    """How many links deep the HTML goes: 1 when no link is inside another."""

    class Links(HTMLParser):
        depth = deepest = 0

        def handle_starttag(self, tag, attrs):
            if tag == "a":
                self.depth += 1
                self.deepest = max(self.deepest, self.depth)

        def handle_endtag(self, tag):
            if tag == "a":
                self.depth -= 1

    parser = Links()
    parser.feed(html)
    return parser.deepest


def test_the_admin_home_starts_with_the_queue(moderator_client, article):
    make_comment(article=article, status="pending")

    html = moderator_client.get(reverse("admin:index")).content.decode()

    content = html.split('id="content"', 1)[1]
    queue_link = content.index(f'href="{reverse("admin:comments_comment_queue")}"')
    assert queue_link < content.index('class="app-list"')
    assert "Open the queue: 1 comment waits" in content
    assert f'href="{reverse("admin:comments_comment_desk")}"' in content


def test_the_admins_pages_carry_the_sites_icon(moderator_client):
    icon = '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">'

    assert icon in moderator_client.get(reverse("admin:index")).content.decode()
    assert icon in Client().get(reverse("admin:login")).content.decode()


def test_the_reports_list_has_no_link_inside_a_link(moderator_client, article):
    comment = make_comment(article=article, body="Reported words.")
    report_by(ANA, comment, text="Rude.")

    html = moderator_client.get(reverse("admin:comments_report_changelist")).content.decode()

    rows = html.split('id="result_list"', 1)[1].split("</table>", 1)[0]
    assert deepest_link_nesting(rows) == 1
    assert f'href="{reverse("admin:comments_comment_change", args=[comment.pk])}"' in rows
    # The excerpt once, in the row's own link; the comment's link says what it opens.
    assert rows.count("Reported words.") == 1
    assert ">Open the comment</a> (Approved)" in rows


def test_the_resolved_filter_reads_as_words_and_filters(moderator_client, moderator, article):
    comment = make_comment(article=article)
    report_by(ANA, comment, text="Open one.")
    resolved = report_by(LUIS, comment, text="Resolved one.")
    resolved.resolved, resolved.resolved_by = resolved.created, moderator
    resolved.save()
    changelist = reverse("admin:comments_report_changelist")

    page = moderator_client.get(changelist).content.decode()
    only_open = moderator_client.get(changelist, {"resolved": "no"}).content.decode()

    assert "<summary> Resolved:</summary>" in page
    assert ">Yes</a>" in page and ">No</a>" in page
    assert "Empty" not in page.split('id="changelist-filter"', 1)[1]
    assert "Open one." in only_open and "Resolved one." not in only_open


def test_the_confirmed_filter_reads_as_words_and_filters(superuser_client):
    make_commenter(email="sure@example.com", confirmed=True)
    make_commenter(email="unsure@example.com")
    changelist = reverse("admin:comments_commenter_changelist")

    page = superuser_client.get(changelist).content.decode()
    confirmed = superuser_client.get(changelist, {"confirmed": "yes"}).content.decode()

    assert "<summary> Confirmed:</summary>" in page
    assert "sure@example.com" in confirmed and "unsure@example.com" not in confirmed


def test_the_editors_pick_filter_reads_as_words_and_filters(moderator_client, article):
    make_comment(article=article, body="Picked words.", featured=True)
    make_comment(article=article, body="Plain words.")
    changelist = reverse("admin:comments_comment_changelist")

    page = moderator_client.get(changelist).content.decode()
    picked = moderator_client.get(changelist, {"featured__exact": "1"}).content.decode()

    assert "<summary> Editor&#x27;s pick:</summary>" in page
    assert "Picked words." in picked and "Plain words." not in picked


def test_the_comment_lists_actions_read_in_spanish(moderator_client, article):
    make_comment(article=article)

    html = moderator_client.get(
        reverse("admin:comments_comment_changelist"), headers={"Accept-Language": "es"}
    ).content.decode()

    # Django 6.1's Spanish leaves the action menu's first line and its button in English.
    assert "- Elige una opción -" in html
    assert ">Ejecutar</button>" in html
    assert "Select an option" not in html


def test_the_moderators_email_says_readers_hid_it_and_quotes_their_reasons(
    article, moderator, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.COMMENTS_REPORT_HIDE_THRESHOLD = 2
    comment = make_comment(article=article, body="Something readers dislike.")

    with django_capture_on_commit_callbacks(execute=True):
        for reader, reason, text in [
            (ANA, "misinformation", "Says cartels are run from Washington, no source."),
            (LUIS, "abuse", ""),
        ]:
            reporting.report_create(
                comment=comment,
                reason=reason,
                text=text,
                reader_key=reader["reader_key"],
                ip_address=reader["ip_address"],
            )

    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    (message,) = mails_to(mailoutbox, moderator.email)
    assert message.subject.startswith("Readers' reports hid a reply:")
    assert "off the site; it is hidden until a moderator decides" in message.body
    assert "Something readers dislike." in message.body
    assert "The reasons readers gave (2 reports):" in message.body
    assert "- Misinformation: “Says cartels are run from Washington, no source.”" in message.body
    assert "- Abuse or harassment\n" in message.body


def test_a_new_reply_waiting_is_still_announced_as_one(
    client, article, valid_reply, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_reply(client, article, valid_reply)

    (message,) = mails_to(mailoutbox, moderator.email)
    assert message.subject.startswith("A reply awaits moderation:")
    assert "reasons readers gave" not in message.body
