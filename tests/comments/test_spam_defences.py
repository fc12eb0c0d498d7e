"""Robots and floods, met without any outside service: a trap only robots fill in, a signed
time stamp that tells a person from a script and a fresh form from an abandoned one, and one
comment for each form however often it is sent.
"""

import threading
import time
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from django.contrib.messages import get_messages
from django.db import connections
from django.test import Client
from django.urls import reverse

from articles import page_cache
from comments import automatic_checks, forms
from comments.models import Comment
from safeguards import form_stamps
from tests.actions import post_reply
from tests.factories import make_comment
from tests.servers import require_postgresql

pytestmark = pytest.mark.django_db

A_DAY = 24 * 60 * 60


@dataclass
class Clock:
    """The time the reply form's stamps are made and checked by, moved by the test."""

    now: float

    def time(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock(time.time())
    monkeypatch.setattr(forms, "time", clock)
    monkeypatch.setattr(form_stamps, "time", clock)
    monkeypatch.setattr(page_cache, "time", clock)
    return clock


class _ReplyForm(HTMLParser):
    """The reply form's fields as a browser sends them back, and the trap's markup."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}
        self.trap: dict[str, str | None] = {}
        self.trap_label = ""
        self.hidden_wrapper_open = 0
        self.trap_hidden_from_sight = False
        self._in_form = self._in_trap_label = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and (attributes.get("id") or "").startswith("reply-form"):
            self._in_form = True
        if not self._in_form:
            return
        if tag == "div":
            nested = self.hidden_wrapper_open or "visually-hidden" in (
                attributes.get("class") or ""
            )
            self.hidden_wrapper_open += 1 if nested else 0
        if tag == "input" and attributes.get("type") == "hidden":
            self.fields[attributes["name"]] = attributes.get("value") or ""
        if tag == "input" and attributes.get("name") == "website":
            self.trap = attributes
            self.trap_hidden_from_sight = bool(self.hidden_wrapper_open)
        if tag == "label" and attributes.get("for") == "id_website":
            self._in_trap_label = True

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        if tag == "div" and self.hidden_wrapper_open:
            self.hidden_wrapper_open -= 1
        if tag == "label":
            self._in_trap_label = False

    def handle_data(self, data):
        if self._in_trap_label:
            self.trap_label += data.strip()


def reply_form_on(response) -> _ReplyForm:
    parsed = _ReplyForm()
    parsed.feed(response.content.decode())
    return parsed


def draw_form(client, article) -> dict[str, str]:
    """Open the article page and take its reply form's hidden fields, as a browser would."""
    return reply_form_on(client.get(article.get_absolute_url())).fields


def without_stamp(data: dict[str, str]) -> dict[str, str]:
    return {field: value for field, value in data.items() if field != "stamp"}


STAMP_MISSING = (
    "This form is out of date, so your reply was not posted. Your text is kept below: "
    "please post it again from here, or reload the page."
)


def messages_of(response) -> str:
    return " ".join(str(message) for message in get_messages(response.wsgi_request))


class TestTheTrap:
    def test_the_reply_form_carries_a_field_people_cannot_see_or_reach(self, client, article):
        form = reply_form_on(client.get(article.get_absolute_url()))

        assert form.trap_hidden_from_sight
        assert form.trap["tabindex"] == "-1"
        assert form.trap["autocomplete"] == "off"

    def test_screen_readers_announce_the_trap_as_a_field_to_leave_empty(self, client, article):
        form = reply_form_on(client.get(article.get_absolute_url()))

        assert form.trap_label == "Leave this field empty"

    def test_a_filled_trap_is_refused_with_a_neutral_message_and_nothing_is_stored(
        self, client, article, valid_reply
    ):
        response = post_reply(client, article, {**valid_reply, "website": "http://spam.example"})

        assert response.status_code == 200
        assert "Sorry, your reply could not be accepted" in response.content.decode()
        assert not Comment.objects.exists()

    def test_the_text_caught_by_the_trap_is_kept_in_the_form(self, client, article, valid_reply):
        response = post_reply(client, article, {**valid_reply, "website": "http://spam.example"})

        assert valid_reply["body"] in response.content.decode()

    def test_the_trap_is_drawn_empty_again_so_that_a_person_caught_by_it_can_post(
        self, client, article, valid_reply
    ):
        response = post_reply(client, article, {**valid_reply, "website": "autofilled"})

        assert reply_form_on(response).trap.get("value") is None


class TestTheTimeStamp:
    def test_the_reply_form_carries_a_signed_stamp(self, client, article):
        fields = draw_form(client, article)

        assert form_stamps.read_form_stamp(fields["stamp"]) is not None

    def test_a_reply_sent_a_moment_after_the_form_was_drawn_is_refused_as_too_quick(
        self, client, article, valid_reply, clock
    ):
        hidden = draw_form(client, article)
        clock.advance(1)

        response = post_reply(client, article, {**valid_reply, **hidden})

        assert (
            "That was quicker than a person can write; please check your reply and post it again."
            in response.content.decode()
        )
        assert not Comment.objects.exists()

    def test_the_reply_refused_as_too_quick_is_kept_in_the_form(
        self, client, article, valid_reply, clock
    ):
        hidden = draw_form(client, article)

        response = post_reply(client, article, {**valid_reply, **hidden})

        assert valid_reply["body"] in response.content.decode()

    def test_a_reply_sent_after_a_person_had_time_to_write_it_is_accepted(
        self, client, article, valid_reply, clock
    ):
        hidden = draw_form(client, article)
        clock.advance(30)

        response = post_reply(client, article, {**valid_reply, **hidden})

        assert response.status_code == 302
        assert Comment.objects.get().body == valid_reply["body"]

    def test_a_form_left_open_for_more_than_a_day_is_refused_as_expired_keeping_the_text(
        self, client, article, valid_reply, clock
    ):
        hidden = draw_form(client, article)
        clock.advance(A_DAY + 60)

        response = post_reply(client, article, {**valid_reply, **hidden})

        html = response.content.decode()
        assert "This form has expired; your text is kept below, please post again." in html
        assert valid_reply["body"] in html
        assert not Comment.objects.exists()

    def test_a_form_left_open_for_most_of_a_day_is_still_accepted(
        self, client, article, valid_reply, clock
    ):
        hidden = draw_form(client, article)
        clock.advance(A_DAY - 60)

        response = post_reply(client, article, {**valid_reply, **hidden})

        assert response.status_code == 302

    @pytest.mark.parametrize(
        "tamper",
        [
            pytest.param(lambda stamp: "not a stamp", id="garbage"),
            pytest.param(lambda stamp: stamp[:-2], id="cut signature"),
            pytest.param(lambda stamp: "1" + stamp, id="time changed under the signature"),
            pytest.param(lambda stamp: stamp.split(":")[0], id="signature removed"),
            pytest.param(lambda stamp: f"{stamp}:{stamp}", id="stamp doubled"),
        ],
    )
    def test_a_tampered_stamp_is_refused_and_nothing_is_stored(
        self, client, article, valid_reply, clock, tamper
    ):
        hidden = draw_form(client, article)
        clock.advance(30)

        response = post_reply(client, article, {**valid_reply, "stamp": tamper(hidden["stamp"])})

        assert "This form could not be checked" in response.content.decode()
        assert not Comment.objects.exists()

    @pytest.mark.parametrize("stamp", [None, ""], ids=["left out", "empty"])
    def test_a_form_without_its_stamp_is_refused_asking_to_reload_and_keeps_the_text(
        self, client, article, valid_reply, stamp
    ):
        sent = without_stamp(valid_reply) | ({} if stamp is None else {"stamp": stamp})

        response = post_reply(client, article, sent)

        html = response.content.decode()
        assert response.status_code == 200
        assert STAMP_MISSING in html
        assert valid_reply["body"] in html
        assert not Comment.objects.exists()

    def test_a_form_without_its_stamp_sent_in_place_is_refused_keeping_the_text(
        self, client, article, valid_reply
    ):
        response = post_reply(
            client, article, without_stamp(valid_reply), headers={"HX-Request": "true"}
        )

        html = response.content.decode()
        assert STAMP_MISSING in html
        assert valid_reply["body"] in html
        assert not Comment.objects.exists()

    def test_a_script_posting_at_once_without_a_stamp_is_not_let_through(
        self, client, article, valid_reply, clock
    ):
        statuses = [
            post_reply(client, article, {**without_stamp(valid_reply), "body": f"Take {n}."})
            for n in range(3)
        ]

        assert [response.status_code for response in statuses] == [200, 200, 200]
        assert not Comment.objects.exists()

    def test_the_form_given_back_for_a_missing_stamp_can_be_posted(
        self, client, article, valid_reply, clock
    ):
        refused = post_reply(client, article, without_stamp(valid_reply))
        clock.advance(30)

        response = post_reply(client, article, {**valid_reply, **reply_form_on(refused).fields})

        assert response.status_code == 302
        assert Comment.objects.get().body == valid_reply["body"]

    def test_a_form_drawn_again_after_an_error_is_timed_anew_and_can_be_posted(
        self, client, article, valid_reply, clock
    ):
        refused = post_reply(client, article, {**valid_reply, **draw_form(client, article)})
        clock.advance(30)

        response = post_reply(client, article, {**valid_reply, **reply_form_on(refused).fields})

        assert response.status_code == 302

    def test_every_response_of_a_cached_page_carries_a_stamp_of_its_own(self, client, article):
        first = draw_form(client, article)["stamp"]
        second = draw_form(client, article)["stamp"]

        assert form_stamps.read_form_stamp(first) != form_stamps.read_form_stamp(second)

    def test_a_page_cached_more_than_a_day_ago_hands_out_forms_that_can_be_posted(
        self, client, article, valid_reply, clock
    ):
        client.get(article.get_absolute_url())  # Drawn and cached now.
        clock.advance(A_DAY + 60)
        hidden = draw_form(client, article)
        clock.advance(30)

        response = post_reply(client, article, {**valid_reply, **hidden})

        assert response.status_code == 302

    def test_a_browser_keeps_using_its_copy_of_the_page_for_an_hour_at_most(
        self, client, article, clock
    ):
        first = client.get(article.get_absolute_url())
        clock.advance(60 * 60)

        again = client.get(article.get_absolute_url(), headers={"If-None-Match": first["ETag"]})

        assert again.status_code == 200

    def test_the_form_of_a_reply_page_carries_a_stamp_too(self, client, article):
        parent = make_comment(article=article)

        page = client.get(reverse("comments:reply", kwargs={"pk": parent.pk}))

        assert form_stamps.read_form_stamp(reply_form_on(page).fields["stamp"]) is not None


class TestTheSameFormSentTwice:
    def test_it_stores_one_comment(self, client, article, valid_reply, clock):
        data = {**valid_reply, **draw_form(client, article)}
        clock.advance(30)

        post_reply(client, article, data)
        post_reply(client, article, data)

        assert Comment.objects.count() == 1

    def test_the_second_is_answered_with_the_first_comment(
        self, client, article, valid_reply, clock
    ):
        data = {**valid_reply, **draw_form(client, article)}
        clock.advance(30)

        first = post_reply(client, article, data)
        second = post_reply(client, article, data)

        assert second["Location"] == first["Location"]
        assert "You had already posted this reply" in messages_of(second)

    def test_a_form_sent_again_with_changed_text_is_a_new_reply(
        self, client, article, valid_reply, clock
    ):
        data = {**valid_reply, **draw_form(client, article)}
        clock.advance(30)

        post_reply(client, article, data)
        post_reply(client, article, {**data, "body": "On second thoughts: courts, not troops."})

        assert Comment.objects.count() == 2

    def test_a_copy_stored_while_the_first_was_being_checked_answers_it(
        self, client, article, valid_reply, clock, monkeypatch
    ):
        """The second sending overtakes the first between its look for an earlier copy and
        its insert: the database refuses the first, which is answered with the second."""
        data = {**valid_reply, **draw_form(client, article)}
        clock.advance(30)
        assess = automatic_checks.assess
        overtaking = []

        def assess_after_the_copy_is_stored(**kwargs):
            if not overtaking:
                overtaking.append("sent")
                overtaking.append(post_reply(Client(), article, data))
            return assess(**kwargs)

        monkeypatch.setattr(automatic_checks, "assess", assess_after_the_copy_is_stored)

        response = post_reply(client, article, data)

        assert Comment.objects.count() == 1
        # The copy is the other browser's, still waiting: this one cannot be shown it,
        # and is told at the top of the article's page.
        assert overtaking[1]["Location"] == reverse(
            "comments:permalink", kwargs={"pk": Comment.objects.get().pk}
        )
        assert response["Location"] == article.get_absolute_url()
        assert "You had already posted this reply" in messages_of(response)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_form_sent_twice_at_the_same_instant_stores_one_comment(
    article, valid_reply, clock, monkeypatch
):
    require_postgresql("Two posts at the same instant")
    data = {**valid_reply, **draw_form(Client(), article)}
    clock.advance(30)
    # Both requests have looked for an earlier copy, and found none, before either stores.
    both_checked = threading.Barrier(2, timeout=30)
    assess = automatic_checks.assess

    def assess_together(**kwargs):
        both_checked.wait()
        return assess(**kwargs)

    monkeypatch.setattr(automatic_checks, "assess", assess_together)
    responses = [None, None]
    errors = []

    def send(index: int) -> None:
        try:
            responses[index] = post_reply(Client(), article, data)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not errors, errors
    assert [r.status_code for r in responses] == [302, 302]
    assert Comment.objects.count() == 1
    # The browser whose copy was stored is sent to it; the other, which cannot be shown
    # another browser's waiting reply, is told at the top of the article's page.
    stored = Comment.objects.get()
    assert sorted(r["Location"] for r in responses) == sorted(
        [reverse("comments:permalink", kwargs={"pk": stored.pk}), article.get_absolute_url()]
    )
