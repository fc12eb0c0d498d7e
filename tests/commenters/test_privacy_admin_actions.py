"""The privacy actions on the admin's list of addresses: the administrator exports and erases a
commenter's data; a moderator is neither offered them nor able to post them."""

import json

import pytest

from comments import counters
from comments.models import Comment, Commenter
from tests.actions import COMMENTER_CHANGELIST, commenter_action
from tests.factories import LUIS, make_commenter

pytestmark = pytest.mark.django_db


class TestThePrivacyActionsInTheAdmin:
    @pytest.fixture
    def commenter(self, ana) -> Commenter:
        return make_commenter(email="ana@example.com")

    def test_the_administrator_downloads_the_data_as_a_json_attachment(
        self, superuser_client, commenter
    ):
        response = commenter_action(superuser_client, "export_data", commenter)

        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        assert response["Content-Disposition"].startswith("attachment;")

    def test_the_download_holds_every_comment_of_the_address_and_no_one_else_s(
        self, superuser_client, commenter, ana
    ):
        response = commenter_action(superuser_client, "export_data", commenter)

        (record,) = json.loads(response.content)
        assert record["email"] == "ana@example.com"
        assert [comment["id"] for comment in record["comments"]] == [ana.pk]
        assert LUIS["author_email"] not in response.content.decode()

    def test_the_administrator_erases_the_data(self, superuser_client, commenter, ana):
        commenter_action(superuser_client, "erase_data", commenter)

        ana.refresh_from_db()
        assert (ana.status, ana.body, ana.author_email) == (Comment.Status.WITHDRAWN, "", "")

    def test_the_erasure_is_recorded_as_the_administrator_s_decision(
        self, superuser_client, superuser, commenter, ana
    ):
        commenter_action(superuser_client, "erase_data", commenter)

        erasure = ana.decisions.get(to_status=Comment.Status.WITHDRAWN)
        assert erasure.moderator == superuser

    def test_erasing_several_addresses_erases_all_or_none(
        self, superuser_client, commenter, ana, monkeypatch
    ):
        luis = make_commenter(email="luis@example.com")
        real_recount = counters.recount
        erasures = []

        def fail_on_the_second(queryset):
            erasures.append(queryset)
            if len(erasures) == 2:
                raise RuntimeError("the database went away")
            real_recount(queryset)

        monkeypatch.setattr(counters, "recount", fail_on_the_second)
        with pytest.raises(RuntimeError):
            commenter_action(superuser_client, "erase_data", commenter, luis)

        assert len(erasures) == 2
        assert Comment.objects.filter(author_email="ana@example.com").exists()
        assert Commenter.objects.filter(email="ana@example.com").exists()

    def test_the_actions_are_offered_to_the_administrator(self, superuser_client, commenter):
        html = superuser_client.get(COMMENTER_CHANGELIST).content.decode()

        assert 'value="export_data"' in html
        assert 'value="erase_data"' in html

    def test_the_actions_are_not_offered_to_a_moderator(self, moderator_client, commenter):
        page = moderator_client.get(COMMENTER_CHANGELIST)

        html = page.content.decode()
        assert page.status_code == 200
        assert "ana@example.com" in html
        assert 'value="export_data"' not in html
        assert 'value="erase_data"' not in html

    def test_a_moderator_cannot_erase_by_posting_the_action(self, moderator_client, commenter, ana):
        commenter_action(moderator_client, "erase_data", commenter)

        ana.refresh_from_db()
        assert ana.status == Comment.Status.APPROVED
        assert Commenter.objects.filter(pk=commenter.pk).exists()

    def test_a_moderator_cannot_export_by_posting_the_action(self, moderator_client, commenter):
        response = commenter_action(moderator_client, "export_data", commenter)

        assert response.get("Content-Type") != "application/json"
        assert "attachment" not in response.get("Content-Disposition", "")
