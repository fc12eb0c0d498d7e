"""An open queue page learns, every few seconds, what arrived since it was drawn, which of its
comments another moderator decided meanwhile, and who else is reading which comment."""

from datetime import timedelta
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment, ModerationDecision, Rule
from tests.factories import make_comment, make_moderator

pytestmark = pytest.mark.django_db

LIVE = reverse("admin:comments_comment_queue_live")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def ask(client, *, shown, drawn=None, reading=None):
    drawn = drawn or timezone.now() - timedelta(minutes=1)
    data = {
        "shown": ",".join(str(c.pk) for c in shown),
        "drawn": str(int(drawn.timestamp())),
        "reading": str(reading.pk) if reading else "",
    }
    response = client.post(LIVE, data)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def maria(db):
    user = make_moderator("maria")
    user.first_name, user.last_name = "María", "López"
    user.save()
    return user


@pytest.fixture
def jorge(db):
    return make_moderator("jorge")


def test_a_comment_arriving_after_the_page_was_drawn_is_counted_new(article, jorge):
    shown = make_comment(article=article, status=Comment.Status.PENDING)
    drawn = timezone.now() - timedelta(seconds=5)
    arrived = make_comment(article=article, status=Comment.Status.PENDING)
    # As posting records a comment held for moderation.
    ModerationDecision.objects.record(
        comment=arrived, from_status="", to_status=Comment.Status.PENDING, rule=Rule.PRE_MODERATION
    )

    now = ask(signed_in(jorge), shown=[shown], drawn=drawn)

    assert now["arrived"] == 1
    assert now["arrived_words"] == "1 new comment waiting"
    assert now["waiting"] == 2


def test_a_comment_another_moderator_decided_says_how_and_by_whom(article, maria, jorge):
    first, second = (make_comment(article=article, status=Comment.Status.PENDING) for _ in "12")

    first.decide(Comment.Status.APPROVED, by=maria)
    now = ask(signed_in(jorge), shown=[first, second])

    assert now["decided"] == {str(first.pk): "Decided meanwhile: Approved (María López)."}


def test_moderators_see_who_else_reads_a_comment_but_not_themselves(article, maria, jorge):
    comment, other = (make_comment(article=article, status=Comment.Status.PENDING) for _ in "12")
    as_maria, as_jorge = signed_in(maria), signed_in(jorge)

    assert ask(as_maria, shown=[comment, other], reading=comment)["readers"] == {}
    seen_by_jorge = ask(as_jorge, shown=[comment, other], reading=other)
    seen_by_maria = ask(as_maria, shown=[comment, other], reading=comment)

    assert seen_by_jorge["readers"] == {str(comment.pk): "María López is reading this comment."}
    assert seen_by_maria["readers"] == {str(other.pk): "jorge is reading this comment."}


def test_a_moderator_who_moves_on_or_goes_quiet_stops_showing(article, maria, jorge):
    comment, other = (make_comment(article=article, status=Comment.Status.PENDING) for _ in "12")
    as_maria, as_jorge = signed_in(maria), signed_in(jorge)
    ask(as_maria, shown=[comment, other], reading=comment)

    ask(as_maria, shown=[comment, other], reading=other)
    assert ask(as_jorge, shown=[comment, other])["readers"] == {
        str(other.pk): "María López is reading this comment."
    }
    later = timezone.now().timestamp() + 60
    with mock.patch("moderation.desk_live.time.time", return_value=later):
        assert ask(as_jorge, shown=[comment, other])["readers"] == {}


def test_with_the_cache_down_nobody_is_shown_reading_and_the_rest_works(article, maria):
    comment = make_comment(article=article, status=Comment.Status.PENDING)
    failing = mock.Mock(side_effect=ConnectionError("Redis is down"))

    with (
        mock.patch("moderation.desk_live.cache.get", failing),
        mock.patch("moderation.desk_live.cache.set", failing),
        mock.patch("moderation.desk_live.cache.get_many", failing),
    ):
        now = ask(signed_in(maria), shown=[comment], reading=comment)

    assert now["readers"] == {}
    assert now["waiting"] == 1


@pytest.mark.parametrize(
    "data",
    [
        {"shown": "1,x", "drawn": "1", "reading": ""},
        {"shown": "1", "drawn": "yesterday", "reading": ""},
        {"shown": "1,2", "drawn": "1", "reading": "1,2"},
        {"shown": ",".join(["1"] * 100), "drawn": "1", "reading": ""},
    ],
)
def test_made_up_values_are_refused(maria, data):
    assert signed_in(maria).post(LIVE, data).status_code == 400


def test_only_moderators_may_ask_and_only_by_post(client, maria, staff_outsider):
    assert client.post(LIVE, {"shown": "", "drawn": "1"}).status_code == 302  # to the login
    assert signed_in(staff_outsider).post(LIVE, {"shown": "", "drawn": "1"}).status_code == 403
    assert signed_in(maria).get(LIVE).status_code == 405


def test_the_queue_page_says_where_to_ask_and_when_it_was_drawn(article, maria):
    make_comment(article=article, status=Comment.Status.PENDING)

    html = signed_in(maria).get(reverse("admin:comments_comment_queue")).content.decode()

    assert f'data-desk-live="{LIVE}"' in html
    assert "data-drawn=" in html
