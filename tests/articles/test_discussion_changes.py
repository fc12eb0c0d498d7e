"""Opening, closing and the closing date are an editor's, and each change is on the record."""

from datetime import UTC, datetime

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from articles.discussion import change_discussion
from articles.models import Article, DiscussionChange
from tests.factories import make_editor

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")
CLOSES = datetime(2026, 12, 10, 18, 0, tzinfo=UTC)


def change_url(article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def discussion_form(**fields) -> dict[str, str]:
    """What an editor's article page sends back: the discussion's two fields."""
    return {
        "discussion_open": "on",
        "discussion_closes_0": "",
        "discussion_closes_1": "",
        "translations-TOTAL_FORMS": "0",
        "translations-INITIAL_FORMS": "0",
        **fields,
    }


@pytest.fixture
def editor():
    return make_editor()


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


class TestAModeratorCannotChangeTheDiscussion:
    def test_the_close_action_is_not_offered(self, moderator_client, article):
        html = moderator_client.get(CHANGELIST).content.decode()

        assert "close_discussion" not in html
        assert "open_discussion" not in html

    def test_posting_the_close_action_changes_nothing(self, moderator_client, article):
        moderator_client.post(
            CHANGELIST, {"action": "close_discussion", "_selected_action": [article.pk]}
        )

        article.refresh_from_db()
        assert article.discussion_open is True
        assert not DiscussionChange.objects.exists()

    def test_the_article_page_is_read_only(self, moderator_client, article):
        response = moderator_client.post(change_url(article), discussion_form(discussion_open=""))

        article.refresh_from_db()
        assert response.status_code == 403
        assert article.discussion_open is True

    def test_the_service_refuses_a_moderator(self, moderator, article):
        with pytest.raises(PermissionDenied):
            change_discussion(
                articles=Article.objects.filter(pk=article.pk), by=moderator, is_open=False
            )


class TestAnEditorChangesTheDiscussionOnTheRecord:
    def test_closing_from_the_list_is_recorded(self, editor_client, editor, article):
        editor_client.post(
            CHANGELIST, {"action": "close_discussion", "_selected_action": [article.pk]}
        )

        article.refresh_from_db()
        assert article.discussion_open is False
        (change,) = DiscussionChange.objects.all()
        assert (change.article, change.editor) == (article, editor)
        assert (change.open_before, change.open_after) == (True, False)

    def test_reopening_is_recorded_too(self, editor_client, article):
        for action in ("close_discussion", "open_discussion"):
            editor_client.post(CHANGELIST, {"action": action, "_selected_action": [article.pk]})

        changes = DiscussionChange.objects.order_by("created", "id")
        assert [(c.open_before, c.open_after) for c in changes] == [(True, False), (False, True)]

    def test_an_article_already_so_gets_no_record(self, editor_client, article):
        editor_client.post(
            CHANGELIST, {"action": "open_discussion", "_selected_action": [article.pk]}
        )

        assert not DiscussionChange.objects.exists()

    def test_the_closing_date_is_set_on_the_article_page_and_recorded(
        self, editor_client, editor, article
    ):
        response = editor_client.post(
            change_url(article),
            discussion_form(discussion_closes_0="2026-12-10", discussion_closes_1="18:00:00"),
        )

        assert response.status_code == 302
        article.refresh_from_db()
        assert article.discussion_closes == CLOSES
        (change,) = DiscussionChange.objects.all()
        assert (change.closes_before, change.closes_after) == (None, CLOSES)
        assert change.editor == editor

    def test_an_editor_cannot_rewrite_the_article(self, editor_client, article):
        title = article.title

        editor_client.post(change_url(article), discussion_form(title="Defaced"))

        article.refresh_from_db()
        assert article.title == title

    def test_the_record_is_shown_on_the_article_page(self, editor_client, article):
        editor_client.post(
            CHANGELIST, {"action": "close_discussion", "_selected_action": [article.pk]}
        )

        html = editor_client.get(change_url(article)).content.decode()

        record = html[html.index('class="discussion-record"') :]
        assert "<td>editor</td>" in record
        assert "<td>open</td>" in record and "<td>closed</td>" in record

    def test_the_discussion_comes_first_on_an_editors_page_and_last_on_a_superusers(
        self, editor_client, superuser, article
    ):
        def discussion_before_text(client) -> bool:
            html = client.get(change_url(article)).content.decode()
            return html.index('name="discussion_open"') < html.index("field-body")

        assert discussion_before_text(editor_client)
        superuser_client = Client()
        superuser_client.force_login(superuser)
        assert not discussion_before_text(superuser_client)


class TestTheRecordIsAppendOnly:
    def test_nobody_edits_or_deletes_a_record_in_the_admin(
        self, superuser_client, superuser, article
    ):
        change_discussion(
            articles=Article.objects.filter(pk=article.pk), by=superuser, is_open=False
        )

        html = superuser_client.get(change_url(article)).content.decode()

        assert "admin" in html and "closed" in html
        assert 'name="discussion_changes' not in html

    def test_the_record_has_no_admin_page_of_its_own(self):
        assert not admin.site.is_registered(DiscussionChange)


class TestTheEditorsGroup:
    def test_it_can_do_what_moderators_can_and_close_discussions(self):
        editors = set(Group.objects.get(name="Editors").permissions.all())
        moderators = set(Group.objects.get(name="Moderators").permissions.all())

        assert moderators < editors
        assert {p.codename for p in editors - moderators} == {"close_discussion"}

    def test_moderators_cannot_close_discussions(self, moderator, editor):
        assert not moderator.has_perm("articles.close_discussion")
        assert editor.has_perm("articles.close_discussion")
        assert not editor.has_perm("articles.change_article")
