"""The moderation queue: the longest waiting first, each in context, decided in one click."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission, User
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from comments import readers
from comments.models import Comment, ModerationDecision, Reason, Report, Rule
from moderation.queue import PAGE_SIZE, Position
from tests.actions import post_reply
from tests.factories import (
    RETURNING_READER_TOKEN,
    make_comment,
    make_commenter,
    make_moderator,
)

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:comments_comment_queue")


def waiting(article, n: int, *, start=None, **fields) -> list[Comment]:
    """`n` comments held for moderation, a minute apart, the first the oldest."""
    start = start or timezone.now() - timedelta(days=1)
    return [
        make_comment(
            article=article,
            status=Comment.Status.PENDING,
            rule=Rule.PRE_MODERATION,
            body=f"Waiting comment {i}.",
            created=start + timedelta(minutes=i),
            **fields,
        )
        for i in range(n)
    ]


def as_seen(*comments: Comment) -> dict[str, str]:
    """What the page sends with a decision: each comment as it was shown."""
    return {f"seen-{comment.pk}": comment.shown_version for comment in comments}


def shown_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<li class="queue-item" id="queue-(\d+)"', html)]


class TestWhatTheQueueShows:
    def test_its_times_carry_no_microseconds(self, moderator_client, article):
        waiting(article, 1, start=timezone.now().replace(microsecond=123456) - timedelta(hours=1))

        html = moderator_client.get(QUEUE).content.decode()

        attributes = re.findall(r'<time datetime="([^"]*)"', html)
        assert attributes
        assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", a) for a in attributes)

    def test_waiting_comments_and_edits_oldest_first_and_nothing_else(
        self, moderator_client, article
    ):
        now = timezone.now()
        newer = make_comment(article=article, status="pending", created=now - timedelta(hours=1))
        edit = make_comment(
            article=article,
            body="What readers see now.",
            pending_body="What the author wants readers to see.",
            created=now - timedelta(hours=2),
        )
        older = make_comment(article=article, status="pending", created=now - timedelta(hours=3))
        for status in ["approved", "rejected", "spam", "withdrawn"]:
            make_comment(article=article, status=status, created=now - timedelta(hours=4))

        html = moderator_client.get(QUEUE).content.decode()

        assert shown_ids(html) == [older.pk, edit.pk, newer.pk]
        assert "What readers see now." in html
        assert "What the author wants readers to see." in html
        assert "Edit of a published comment" in html
        assert "3 comments await moderation" in html

    def test_each_comment_comes_with_its_context_and_why_it_waits(self, moderator_client, article):
        parent = make_comment(article=article, author_name="Ana", body="The parent's words.")
        held = make_comment(
            article=article,
            parent=parent,
            status="pending",
            rule=Rule.TOO_MANY_LINKS,
            rule_detail="4/2",
            author_email="held@example.com",
        )
        hidden = make_comment(article=article, body="Readers found this rude.")
        make_comment(article=article, parent=hidden, author_name="Bea", body="I agree, rude.")
        for n in range(3):
            Report.objects.create(comment=hidden, reason="abuse", reader_key=f"r{n}")
        hidden.decide(Comment.Status.PENDING, by=None, rule=Rule.REPORTS, rule_detail="3")

        html = moderator_client.get(QUEUE).content.decode()

        assert "replying to <strong>Ana</strong>: The parent&#x27;s words." in html
        assert "4 links (limit 2)" in html
        assert "?q=held%40example.com" in html
        assert "3 reports" in html
        assert "<strong>Bea</strong> (approved): I agree, rude." in html
        assert reverse("admin:comments_comment_change", args=[held.pk]) in html
        assert reverse("comments:thread", kwargs={"pk": hidden.pk}) in html

    def test_what_a_reader_wrote_is_shown_as_text_never_as_html(self, moderator_client, article):
        make_comment(
            article=article,
            status="pending",
            author_name="<b>Bold</b>",
            body='<script>alert("x")</script>',
        )

        html = moderator_client.get(QUEUE).content.decode()

        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
        assert "&lt;b&gt;Bold&lt;/b&gt;" in html

    def test_a_long_queue_is_read_a_page_at_a_time_from_where_the_last_ended(
        self, moderator_client, article
    ):
        comments = waiting(article, PAGE_SIZE + 3)

        first = moderator_client.get(QUEUE).content.decode()
        following = re.search(r'href="\?after=([\d-]+)"', first).group(1)
        second = moderator_client.get(QUEUE, {"after": following}).content.decode()

        assert shown_ids(first) == [c.pk for c in comments[:PAGE_SIZE]]
        assert shown_ids(second) == [c.pk for c in comments[PAGE_SIZE:]]
        assert "?after=" not in second
        assert "Back to the longest waiting" in second

    @pytest.mark.parametrize("edits_every", [1, 2, 5])
    def test_new_comments_and_edits_are_read_in_one_order_across_pages(
        self, moderator_client, article, edits_every
    ):
        start = timezone.now() - timedelta(days=1)
        expected = []
        for i in range(2 * PAGE_SIZE + 5):
            fields = (
                {"pending_body": f"Edit {i}."} if i % edits_every == 0 else {"status": "pending"}
            )
            created = start + timedelta(minutes=i)
            expected.append(make_comment(article=article, created=created, **fields).pk)

        seen, page = [], moderator_client.get(QUEUE).content.decode()
        while True:
            seen += shown_ids(page)
            following = re.search(r'href="\?after=([\d-]+)"', page)
            if following is None:
                break
            page = moderator_client.get(QUEUE, {"after": following.group(1)}).content.decode()

        assert seen == expected

    @pytest.mark.parametrize("after", ["", "abc", "12-", "-3", "9" * 40 + "-1", "1.5-2"])
    def test_a_mangled_position_starts_from_the_beginning(self, moderator_client, article, after):
        oldest = waiting(article, 2)[0]

        response = moderator_client.get(QUEUE, {"after": after})

        assert response.status_code == 200
        assert shown_ids(response.content.decode())[0] == oldest.pk

    def test_a_position_reads_back_as_written(self):
        position = Position(created=timezone.now(), pk=42)

        assert Position.parse(str(position)) == position

    def test_an_empty_queue_says_so(self, moderator_client):
        html = moderator_client.get(QUEUE).content.decode()

        assert "No comments await moderation." in html


class TestDecidingFromTheQueue:
    def test_one_click_publishes_a_comment_and_records_who_decided(
        self, moderator_client, moderator, article
    ):
        comment = waiting(article, 1)[0]

        response = moderator_client.post(
            QUEUE,
            {
                "comments": comment.pk,
                "decision": "approved",
                "origin": comment.pk,
                **as_seen(comment),
            },
        )

        comment.refresh_from_db()
        assert comment.status == Comment.Status.APPROVED
        decision = ModerationDecision.objects.get(comment=comment)
        assert (decision.moderator, decision.to_status) == (moderator, "approved")
        assert response.status_code == 302
        assert response.url == QUEUE
        page = moderator_client.get(QUEUE).content.decode()
        assert "1 comment is now approved." in page

    def test_every_form_on_the_page_carries_a_token_the_csrf_check_accepts(
        self, moderator, article
    ):
        comment = waiting(article, 1)[0]
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(moderator)
        html = browser.get(QUEUE).content.decode()
        tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))

        # The comment's own form and its tags' correction (a proposal), the bulk
        # form and the admin's log-out form.
        assert len(re.findall(r'name="csrfmiddlewaretoken"', html)) == 4
        assert len(tokens) == 1
        response = browser.post(
            QUEUE,
            {
                "csrfmiddlewaretoken": tokens.pop(),
                "comments": comment.pk,
                "decision": "approved",
                "origin": comment.pk,
                **as_seen(comment),
            },
        )
        assert response.status_code == 302
        assert browser.post(reverse("admin:logout"), {"csrfmiddlewaretoken": ""}).status_code == 403

    def test_the_moderator_stays_on_the_page_they_were_reading(self, moderator_client, article):
        comments = waiting(article, 2)
        after = str(Position(comments[0].created, comments[0].pk))

        response = moderator_client.post(
            f"{QUEUE}?after={after}", {"comments": comments[1].pk, "decision": "spam"}
        )

        assert response.url == f"{QUEUE}?after={after}"

    def test_a_rejection_carries_its_reason_and_can_tell_the_author(
        self, moderator_client, article, django_capture_on_commit_callbacks
    ):
        comment = waiting(article, 1, author_email="author@example.com")[0]

        with django_capture_on_commit_callbacks(execute=True):
            moderator_client.post(
                QUEUE,
                {
                    "comments": comment.pk,
                    "decision": "rejected",
                    "reason": Reason.INCIVILITY,
                    "note": "Personal attack.",
                    "tell_author": "on",
                    **as_seen(comment),
                },
            )

        decision = ModerationDecision.objects.get(comment=comment)
        assert (decision.to_status, decision.reason, decision.note) == (
            "rejected",
            Reason.INCIVILITY,
            "Personal attack.",
        )
        assert [message.to for message in mail.outbox] == [["author@example.com"]]

    def test_ticked_comments_are_decided_together(self, moderator_client, article):
        first, second, untouched = waiting(article, 3)

        moderator_client.post(
            QUEUE,
            {
                "comments": [first.pk, second.pk],
                "decision": "spam",
                "origin": "bulk",
                **as_seen(first, second),
            },
        )

        statuses = dict(Comment.objects.values_list("pk", "status"))
        assert [statuses[c.pk] for c in (first, second, untouched)] == ["spam", "spam", "pending"]

    def test_approving_an_edit_publishes_the_new_text(self, moderator_client, article):
        comment = make_comment(article=article, body="Old.", pending_body="New.")

        moderator_client.post(
            QUEUE, {"comments": comment.pk, "decision": "approved", **as_seen(comment)}
        )

        comment.refresh_from_db()
        assert (comment.body, comment.pending_body, comment.status) == ("New.", "", "approved")

    def test_a_refused_decision_says_why_records_nothing_and_keeps_what_was_typed(
        self, moderator_client, article
    ):
        comment, other = waiting(article, 2)

        response = moderator_client.post(
            QUEUE,
            {
                "comments": comment.pk,
                "decision": "rejected",
                "reason": Reason.OTHER,
                "note": "  ",
                "tell_author": "on",
                "origin": str(comment.pk),
            },
        )

        html = response.content.decode()
        assert response.status_code == 400
        assert "Add a note when the reason is “Other”." in html
        # Only in the form it came from: the others and the bulk form start afresh.
        assert html.count(f'<option value="{Reason.OTHER}" selected>') == 1
        assert f'id="tell-{comment.pk}" checked' in html
        assert f'id="tell-{other.pk}" checked' not in html
        assert 'id="tell-bulk" checked' not in html
        assert html.count('aria-invalid="true"') == 1
        comment.refresh_from_db()
        assert comment.status == Comment.Status.PENDING
        assert not ModerationDecision.objects.exists()

    @pytest.mark.parametrize(
        "data",
        [
            {"decision": "approved"},
            {"decision": "approved", "comments": "not-a-number"},
            {"decision": "approved", "comments": "999999"},
            {"decision": "pending", "comments": "1"},
            {"decision": "withdrawn", "comments": "1"},
        ],
    )
    def test_tampered_or_empty_decisions_are_refused_clearly(self, moderator_client, article, data):
        waiting(article, 1)

        response = moderator_client.post(QUEUE, data)

        assert response.status_code == 400
        assert 'class="errornote"' in response.content.decode()
        assert not ModerationDecision.objects.exists()

    def test_a_comment_decided_meanwhile_by_someone_else_keeps_that_decision(
        self, moderator_client, article
    ):
        comment = waiting(article, 1)[0]
        shown = as_seen(comment)
        other_moderator = make_moderator("other")
        comment.decide(Comment.Status.APPROVED, by=other_moderator)

        moderator_client.post(QUEUE, {"comments": comment.pk, "decision": "spam", **shown})

        comment.refresh_from_db()
        assert comment.status == Comment.Status.APPROVED
        assert ModerationDecision.objects.filter(comment=comment).count() == 1
        page = moderator_client.get(QUEUE).content.decode()
        assert "1 comment was left as it is" in page


class TestWhatTheModeratorRead:
    def test_a_comment_its_author_changed_after_the_page_was_shown_is_left_to_read_again(
        self, moderator_client, article
    ):
        comment = waiting(article, 1)[0]
        shown = as_seen(comment)
        Comment.objects.filter(pk=comment.pk).update(body="Something else entirely.")

        moderator_client.post(QUEUE, {"comments": comment.pk, "decision": "approved", **shown})

        comment.refresh_from_db()
        assert comment.status == Comment.Status.PENDING
        assert not ModerationDecision.objects.exists()
        assert "1 comment was left as it is" in moderator_client.get(QUEUE).content.decode()

    def test_an_edit_changed_again_is_not_published_unread(self, moderator_client, article):
        comment = make_comment(article=article, body="Published.", pending_body="Edit A")
        shown = as_seen(comment)
        Comment.objects.filter(pk=comment.pk).update(pending_body="Edit B")

        moderator_client.post(QUEUE, {"comments": comment.pk, "decision": "approved", **shown})

        comment.refresh_from_db()
        assert (comment.body, comment.pending_body) == ("Published.", "Edit B")

    def test_a_decision_without_the_text_it_is_about_is_not_taken(self, moderator_client, article):
        comment = waiting(article, 1)[0]

        moderator_client.post(QUEUE, {"comments": comment.pk, "decision": "approved"})

        comment.refresh_from_db()
        assert comment.status == Comment.Status.PENDING

    def test_refusing_an_edit_keeps_the_readers_reports_open_and_says_what_happened(
        self, moderator_client, article
    ):
        comment = make_comment(article=article, body="Published.", pending_body="Worse.")
        Report.objects.create(comment=comment, reason="abuse", reader_key="r1")

        moderator_client.post(
            QUEUE, {"comments": comment.pk, "decision": "rejected", **as_seen(comment)}
        )

        comment.refresh_from_db()
        assert (comment.status, comment.body, comment.pending_body) == (
            "approved",
            "Published.",
            "",
        )
        assert comment.reports.filter(resolved__isnull=True).count() == 1
        page = moderator_client.get(QUEUE).content.decode()
        assert "1 edit was refused; the published text stays." in page


class TestTheWaitingCount:
    def test_it_follows_every_post_and_decision(
        self, moderator_client, article, valid_reply, django_capture_on_commit_callbacks
    ):
        def shown() -> str:
            html = moderator_client.get(reverse("admin:index")).content.decode()
            return re.search(r"(\d+) waiting for review", html).group(1)

        assert shown() == "0"
        with django_capture_on_commit_callbacks(execute=True):
            post_reply(Client(), article, valid_reply)
        assert shown() == "1"
        with django_capture_on_commit_callbacks(execute=True):
            comment = Comment.objects.get()
            moderator_client.post(
                QUEUE, {"comments": comment.pk, "decision": "approved", **as_seen(comment)}
            )
        assert shown() == "0"

    def test_a_post_published_as_it_arrives_leaves_the_count_where_it_was(
        self,
        moderator_client,
        article,
        valid_reply,
        django_capture_on_commit_callbacks,
        django_assert_num_queries,
    ):
        article.moderation_mode = article.ModerationMode.POST
        article.save()
        trusted = valid_reply["author_email"]
        make_commenter(email=trusted, confirmed=True)
        for _ in range(2):
            make_comment(
                article=article,
                author_email=trusted,
                reader_key=readers.digest(RETURNING_READER_TOKEN),
            )
        waiting(article, 1)
        reader = Client()
        reader.cookies[settings.READER_COOKIE_NAME] = readers.cookie_value(RETURNING_READER_TOKEN)
        moderator_client.get(reverse("admin:index"))

        with django_capture_on_commit_callbacks(execute=True):
            post_reply(reader, article, valid_reply)

        assert Comment.objects.filter(status=Comment.Status.APPROVED).count() == 3
        # As below: no count.
        with django_assert_num_queries(5):
            html = moderator_client.get(reverse("admin:index")).content.decode()
        assert "1 waiting for review" in html

    def test_it_is_read_from_the_cache_between_changes(
        self, moderator_client, article, django_assert_num_queries
    ):
        waiting(article, 2)
        moderator_client.get(reverse("admin:index"))

        # The session, the user, the user's permissions (their own and their
        # group's), the recent actions the index lists: no count.
        with django_assert_num_queries(5):
            html = moderator_client.get(reverse("admin:index")).content.decode()

        assert "2 waiting for review" in html


class TestWhoMayUseIt:
    def test_staff_outside_the_moderators_see_nothing(self, client, staff_outsider, article):
        comment = waiting(article, 1)[0]
        client.force_login(staff_outsider)

        assert client.get(QUEUE).status_code == 403
        assert (
            client.post(QUEUE, {"comments": comment.pk, "decision": "approved"}).status_code == 403
        )
        comment.refresh_from_db()
        assert comment.status == Comment.Status.PENDING

    def test_a_reader_of_the_queue_who_may_not_moderate_sees_no_buttons(self, client, article):
        comment = waiting(article, 1)[0]
        observer = User.objects.create_user("observer", is_staff=True)
        observer.user_permissions.add(Permission.objects.get(codename="view_comment"))
        client.force_login(observer)

        html = client.get(QUEUE).content.decode()
        refused = client.post(QUEUE, {"comments": comment.pk, "decision": "approved"})

        assert "Waiting comment 0." in html
        assert 'name="decision"' not in html
        assert refused.status_code == 403

    def test_anonymous_visitors_are_sent_to_the_login_page(self, client):
        response = client.get(QUEUE)

        assert response.status_code == 302
        assert reverse("admin:login") in response.url


class TestTheWayIn:
    def test_the_admin_top_bar_and_the_comment_list_lead_to_the_queue(
        self, moderator_client, article
    ):
        waiting(article, 2)

        index = moderator_client.get(reverse("admin:index")).content.decode()
        changelist = moderator_client.get(
            reverse("admin:comments_comment_changelist")
        ).content.decode()

        assert f'href="{QUEUE}"' in index
        assert f'href="{QUEUE}"' in changelist


class TestCost:
    @pytest.mark.parametrize("size", [3, PAGE_SIZE * 3])
    def test_the_page_costs_the_same_queries_however_long_the_queue(
        self, moderator_client, article, django_assert_num_queries, size
    ):
        parent = make_comment(article=article)
        waiting(article, size, parent=parent)

        # Session, user, the user's permissions (their own and their group's),
        # the page's comments (new ones and edits, in one query), the count of
        # what waits (kept in the cache afterwards).
        cache.clear()
        with django_assert_num_queries(6):
            moderator_client.get(QUEUE)

    def test_no_query_counts_the_whole_table(self, moderator_client, article):
        waiting(article, 3)

        with CaptureQueriesContext(connection) as queries:
            moderator_client.get(QUEUE)

        counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
        assert counts
        assert all("WHERE" in sql.upper() for sql in counts)
