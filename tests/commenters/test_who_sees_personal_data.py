"""A commenter's email and IP address are shown to moderators only: never on a reader's page,
never to staff outside the Moderators group, never to a visitor who has not logged in."""

import pytest
from django.urls import reverse

from comments.models import Comment
from tests.factories import ANA, LUIS

pytestmark = pytest.mark.django_db


class TestOnlyModeratorsSeeEmailsAndIPAddresses:
    def pages(self, comment: Comment) -> dict[str, str]:
        return {
            "article": comment.article.get_absolute_url(),
            "thread": reverse("comments:thread", kwargs={"pk": comment.pk}),
            "reply": reverse("comments:reply", kwargs={"pk": comment.pk}),
            "report": reverse("comments:report", kwargs={"pk": comment.pk}),
        }

    @pytest.mark.parametrize("page", ["article", "thread", "reply", "report"])
    def test_a_reader_s_page_shows_no_email_address(self, client, ana, page):
        html = client.get(self.pages(ana)[page]).content.decode()

        assert "Shared intelligence, not troops." in html
        assert ANA["author_email"] not in html
        assert LUIS["author_email"] not in html

    @pytest.mark.parametrize("page", ["article", "thread", "reply", "report"])
    def test_a_reader_s_page_shows_no_ip_address(self, client, ana, page):
        html = client.get(self.pages(ana)[page]).content.decode()

        assert "Shared intelligence, not troops." in html
        assert ANA["ip_address"] not in html
        assert LUIS["ip_address"] not in html

    def test_a_moderator_sees_the_email_and_ip_address_of_a_comment(self, moderator_client, ana):
        page = moderator_client.get(reverse("admin:comments_comment_change", args=[ana.pk]))

        html = page.content.decode()
        assert ANA["author_email"] in html
        assert ANA["ip_address"] in html

    def test_a_moderator_sees_the_emails_in_the_queue(self, moderator_client, ana):
        html = moderator_client.get(reverse("admin:comments_comment_changelist")).content.decode()

        assert ANA["author_email"] in html
        assert LUIS["author_email"] in html

    @pytest.mark.parametrize(
        "url",
        [
            reverse("admin:comments_comment_changelist"),
            reverse("admin:comments_commenter_changelist"),
        ],
    )
    def test_staff_outside_the_moderators_group_are_refused(self, client, staff_outsider, url):
        client.force_login(staff_outsider)

        response = client.get(url)

        assert response.status_code == 403

    def test_staff_outside_the_moderators_group_cannot_open_a_comment(
        self, client, staff_outsider, ana
    ):
        client.force_login(staff_outsider)

        response = client.get(reverse("admin:comments_comment_change", args=[ana.pk]))

        assert response.status_code == 403

    def test_an_anonymous_visitor_is_sent_to_the_login_page(self, client, ana):
        response = client.get(reverse("admin:comments_comment_change", args=[ana.pk]))

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
