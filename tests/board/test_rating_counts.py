"""A proposal's figures count a person once: one rating per client network, never its author's.

A new browser is not a new rater. Of the ratings one network gives a
proposal, the latest counts; the others are kept but leave the figures.
"""

import csv
import io
import json
import threading

import pytest
from django.db import connections
from django.db.models import Count, Sum
from django.test import Client
from django.urls import reverse

from board import ratings
from comments.models import Comment, Rating, Strategy
from tests.actions import rate
from tests.factories import make_comment
from tests.servers import require_postgresql

pytestmark = pytest.mark.django_db

HOME = "203.0.113.7"
NEIGHBOUR = "203.0.113.99"  # the same /24
WORK = "198.51.100.20"


def proposal(article, **fields) -> Comment:
    comment = make_comment(article=article, **fields)
    comment.strategies.set([Strategy.objects.get(slug="intelligence-sharing")])
    return comment


def browser(address: str) -> Client:
    """A new cookie jar (a private window), at `address`."""
    return Client(REMOTE_ADDR=address)


def figures(comment) -> tuple[int, int, int]:
    comment.refresh_from_db()
    return comment.rating_count, comment.works_total, comment.respects_total


def counted_figures(comment) -> tuple[int, int, int]:
    """The figures recomputed from the counted ratings."""
    sums = Rating.objects.filter(comment=comment, counted=True).aggregate(
        n=Count("pk"), works=Sum("works", default=0), respects=Sum("respects", default=0)
    )
    return sums["n"], sums["works"], sums["respects"]


class TestOneNetworkCountsOnce:
    def test_several_browsers_on_one_address_count_as_one_rater(self, article):
        comment = proposal(article)

        for works in (5, 5, 4):
            assert rate(browser(HOME), comment, works, 5).status_code == 302

        assert figures(comment) == (1, 4, 5)

    def test_the_latest_rating_of_a_network_is_the_one_counted(self, article):
        comment = proposal(article)
        rate(browser(HOME), comment, 1, 1)

        rate(browser(NEIGHBOUR), comment, 5, 4)

        assert figures(comment) == (1, 5, 4)
        assert Rating.objects.count() == 2
        assert list(Rating.objects.filter(counted=True).values_list("works", flat=True)) == [5]

    def test_browsers_on_two_networks_count_as_two_raters(self, article):
        comment = proposal(article)

        rate(browser(HOME), comment, 5, 5)
        rate(browser(NEIGHBOUR), comment, 4, 4)
        rate(browser(WORK), comment, 1, 3)

        assert figures(comment) == (2, 5, 7)

    @pytest.mark.parametrize(
        ("first", "second"),
        [
            pytest.param("2001:db8:1:2::1", "2001:db8:1:2:aaaa::1", id="one IPv6 /64"),
            pytest.param("203.0.113.7", "::ffff:203.0.113.8", id="IPv4-mapped"),
        ],
    )
    def test_one_network_is_one_rater_whatever_the_address_form(self, article, first, second):
        comment = proposal(article)

        rate(browser(first), comment, 2, 2)
        rate(browser(second), comment, 3, 3)

        assert figures(comment) == (1, 3, 3)

    def test_a_reader_rating_again_changes_their_rating(self, article):
        comment = proposal(article)
        reader = browser(HOME)
        rate(reader, comment, 5, 5)

        rate(reader, comment, 2, 1)

        assert figures(comment) == (1, 2, 1)
        assert Rating.objects.count() == 1

    def test_an_earlier_browser_rating_again_counts_instead_of_the_later_one(self, article):
        comment = proposal(article)
        first, second = browser(HOME), browser(NEIGHBOUR)
        rate(first, comment, 1, 1)
        rate(second, comment, 5, 5)

        rate(first, comment, 2, 2)

        assert figures(comment) == (1, 2, 2)

    def test_a_rating_that_moves_to_another_network_leaves_the_latest_one_there(self, article):
        comment = proposal(article)
        travelling = browser(HOME)
        rate(browser(HOME), comment, 1, 1)
        rate(travelling, comment, 3, 3)

        travelling.defaults["REMOTE_ADDR"] = WORK
        rate(travelling, comment, 4, 4)

        # Home's other browser counts there again; the travelling one at work.
        assert figures(comment) == (2, 5, 5)

    def test_the_figures_always_equal_the_counted_ratings(self, article):
        comment = proposal(article)
        readers = [Client() for _ in range(4)]
        addresses = [HOME, NEIGHBOUR, WORK, "2001:db8::1", HOME, WORK, NEIGHBOUR]

        for step, address in enumerate(addresses * 2):
            reader = readers[step % len(readers)]
            reader.defaults["REMOTE_ADDR"] = address
            rate(reader, comment, 1 + step % 5, 5 - step % 5)

            assert figures(comment) == counted_figures(comment)
            counted_networks = Rating.objects.filter(counted=True).values_list("network", flat=True)
            assert len(counted_networks) == len(set(counted_networks))

    def test_ratings_from_an_unknown_network_count_one_by_one(self, article):
        comment = proposal(article)

        for reader in ("a", "b"):
            ratings.rating_record(comment=comment, reader_key=reader, works=4, respects=2)

        assert figures(comment) == (2, 8, 4)


class TestAuthorsDoNotRateTheirOwnProposals:
    def test_the_author_s_rating_is_refused_with_a_message_on_the_form(
        self, client, article, returning_reader_key
    ):
        comment = proposal(article, reader_key=returning_reader_key)

        response = rate(client, comment, 5, 5)

        assert response.status_code == 200
        html = response.content.decode()
        assert "You cannot rate your own proposal" in html
        assert "Please answer both questions" not in html
        assert 'name="works"' in html
        assert not Rating.objects.exists()
        assert figures(comment) == (0, 0, 0)

    def test_a_browser_that_wrote_under_the_author_s_address_is_refused_too(
        self, client, article, returning_reader_key
    ):
        comment = proposal(article, author_email="ana@example.com")
        make_comment(
            article=article, author_email="ana@example.com", reader_key=returning_reader_key
        )

        response = rate(client, comment, 5, 5)

        assert "You cannot rate your own proposal" in response.content.decode()
        assert not Rating.objects.exists()

    def test_other_readers_still_rate_it(self, article, returning_reader_key):
        comment = proposal(article, reader_key=returning_reader_key)

        assert rate(browser(WORK), comment, 4, 4).status_code == 302
        assert figures(comment) == (1, 4, 4)


class TestTheFiguresShown:
    def test_the_comment_shows_the_raters_counted(self, client, article):
        comment = proposal(article, body="Share the intelligence")
        for address in (HOME, HOME, NEIGHBOUR, WORK):
            rate(browser(address), comment, 4, 4)

        html = client.get(article.get_absolute_url()).content.decode()

        assert '<span class="raters">2 readers rated it</span>' in html

    def test_in_spanish_too(self, client, article):
        comment = proposal(article)
        for address in (HOME, NEIGHBOUR, WORK):
            rate(browser(address), comment, 4, 4)

        html = client.get(article.get_absolute_url(), headers={"Accept-Language": "es"})

        assert '<span class="raters">2 lectores la calificaron</span>' in html.content.decode()

    def test_the_board_counts_each_network_once_per_strategy(self, client, article):
        first, second = proposal(article), proposal(article)
        for address in (HOME, NEIGHBOUR):
            rate(browser(address), first, 5, 5)
        rate(browser(HOME), second, 3, 3)
        rate(browser(WORK), second, 1, 1)

        response = client.get(reverse("board:board", kwargs={"slug": article.slug}))

        row = next(r for r in response.context["rows"] if r.strategy.slug == "intelligence-sharing")
        # Home rated both proposals: two raters, three ratings in the means.
        assert (row.raters, row.ratings) == (2, 3)
        assert row.works_mean == pytest.approx(3.0)
        table = response.content.decode().split('<tr data-strategy="intelligence-sharing">')[1]
        assert 'data-label="Raters">2</td>' in table.split("</tr>")[0]

    def test_the_downloads_give_the_raters_counted(self, client, article):
        comment = proposal(article)
        for address in (HOME, NEIGHBOUR, WORK):
            rate(browser(address), comment, 4, 4)

        board = json.loads(
            client.get(reverse("board:board-download", args=[article.slug, "json"])).content
        )["strategies"]
        as_csv = client.get(reverse("board:proposals-download", args=[article.slug, "csv"]))
        proposals = list(
            csv.DictReader(io.StringIO(b"".join(as_csv.streaming_content).decode("utf-8-sig")))
        )

        sharing = next(r for r in board if r["strategy"] == "intelligence-sharing")
        assert (sharing["raters"], sharing["ratings"]) == (2, 2)
        assert proposals[0]["raters"] == "2"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
class TestRatingAtTheSameMoment:
    """On PostgreSQL, where ratings from several connections really are stored at once."""

    ROUNDS = 3

    @pytest.fixture(autouse=True)
    def postgresql(self):
        require_postgresql("Rating at the same moment")

    def at_once(self, *actions) -> None:
        """Run each action in a thread of its own (its own connection), released together."""
        start = threading.Barrier(len(actions), timeout=30)
        errors: list[BaseException] = []

        def run(action) -> None:
            try:
                start.wait()
                action()
            except BaseException as error:
                errors.append(error)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=run, args=(action,)) for action in actions]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert not errors, errors

    def rating(self, comment_id: int, reader: str, address: str, works: int):
        def action():
            ratings.rating_record(
                comment=Comment.objects.get(pk=comment_id),
                reader_key=reader,
                works=works,
                respects=6 - works,
                ip_address=address,
            )

        return action

    def test_the_figures_equal_the_counted_ratings(self, article):
        comment = proposal(article)
        networks = [HOME, WORK, "2001:db8::1"]
        readers = [(f"reader-{n}", networks[n % 3]) for n in range(9)]

        for round_ in range(self.ROUNDS):
            self.at_once(
                *(
                    self.rating(comment.pk, reader, address, 1 + (n + round_) % 5)
                    for n, (reader, address) in enumerate(readers)
                )
            )

            assert figures(comment) == counted_figures(comment)
            assert figures(comment)[0] == 3
        assert Rating.objects.count() == 9
