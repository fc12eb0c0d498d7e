"""Readers' answers become a map of what they propose: tags, ratings, the board, open data."""

import csv
import io
import json
from datetime import datetime, timedelta
from xml.etree import ElementTree

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from board.ratings import rating_record
from comments.models import Comment, Rating, SovereigntyMode, Strategy
from comments.posting import comment_edit
from moderation.decisions import comment_moderate
from tests.actions import post_reply, rate
from tests.factories import form_stamp, make_comment

pytestmark = pytest.mark.django_db


def strategy(slug: str) -> Strategy:
    return Strategy.objects.get(slug=slug)


def proposal(article, *slugs, mode="", **fields) -> Comment:
    comment = make_comment(article=article, sovereignty_mode=mode, **fields)
    comment.strategies.set([strategy(slug) for slug in slugs])
    return comment


def board_url(article, **query) -> str:
    url = reverse("board:board", kwargs={"slug": article.slug})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


class TestStrategies:
    def test_the_article_s_approaches_are_seeded_in_both_languages(self, db):
        assert Strategy.objects.count() == 10
        assert strategy("precursor-chemicals").name_es == "Control de precursores químicos"
        assert strategy("military-action").name == "Military action"

    def test_a_top_level_reply_carries_up_to_three_strategies_and_a_sovereignty_mode(
        self, client, article
    ):
        post_reply(
            client,
            article,
            {
                "author_name": "Ana",
                "author_email": "ana@example.com",
                "body": "Follow the money and the guns.",
                "strategies": [
                    strategy("anti-money-laundering").pk,
                    strategy("arms-trafficking").pk,
                ],
                "sovereignty_mode": SovereigntyMode.BILATERAL,
                "stamp": form_stamp(),
            },
        )

        comment = Comment.objects.get()
        assert {s.slug for s in comment.strategies.all()} == {
            "anti-money-laundering",
            "arms-trafficking",
        }
        assert comment.sovereignty_mode == SovereigntyMode.BILATERAL

    def test_more_than_three_strategies_are_refused(self, client, article):
        response = post_reply(
            client,
            article,
            {
                "author_name": "Ana",
                "author_email": "ana@example.com",
                "body": "Everything at once.",
                "strategies": list(Strategy.objects.values_list("pk", flat=True)[:4]),
                "stamp": form_stamp(),
            },
        )

        assert "Choose at most 3 strategies; you chose 4." in response.content.decode()
        assert not Comment.objects.exists()

    def test_a_reply_to_a_reply_offers_no_strategies(self, client, article):
        parent = make_comment(article=article)

        html = client.get(reverse("comments:reply", kwargs={"pk": parent.pk})).content.decode()

        assert 'name="strategies"' not in html

    def test_the_proposal_shows_its_strategies_and_mode(self, client, article):
        proposal(article, "joint-investigations", mode=SovereigntyMode.BILATERAL)

        html = client.get(article.get_absolute_url()).content.decode()

        assert "Joint investigations" in html
        assert "Bilateral, with consent" in html

    def test_moderators_can_correct_the_tags(self, moderator_client, article):
        comment = proposal(article, "military-action")

        moderator_client.post(
            reverse("admin:comments_comment_change", args=[comment.pk]),
            {
                "strategies": [strategy("intelligence-sharing").pk],
                "sovereignty_mode": SovereigntyMode.MULTILATERAL,
                "reports-TOTAL_FORMS": "0",
                "reports-INITIAL_FORMS": "0",
                "decisions-TOTAL_FORMS": "0",
                "decisions-INITIAL_FORMS": "0",
                "_save": "Save",
            },
        )

        comment.refresh_from_db()
        assert [s.slug for s in comment.strategies.all()] == ["intelligence-sharing"]
        assert comment.sovereignty_mode == SovereigntyMode.MULTILATERAL


class TestRatings:
    def test_a_reader_rates_a_published_proposal_on_both_questions(self, client, article):
        comment = proposal(article, "intelligence-sharing")

        response = rate(client, comment, 4, 5)

        assert response.status_code == 302
        comment.refresh_from_db()
        assert (comment.rating_count, comment.works_total, comment.respects_total) == (1, 4, 5)

    def test_rating_again_changes_the_rating_instead_of_adding_one(self, client, article):
        comment = proposal(article, "intelligence-sharing")
        rate(client, comment, 4, 5)

        rate(client, comment, 2, 3)

        comment.refresh_from_db()
        assert Rating.objects.count() == 1
        assert (comment.rating_count, comment.works_total, comment.respects_total) == (1, 2, 3)

    def test_two_readers_on_two_networks_both_count(self, article):
        comment = proposal(article, "intelligence-sharing")

        rate(Client(REMOTE_ADDR="203.0.113.7"), comment, 5, 5)
        rate(Client(REMOTE_ADDR="198.51.100.20"), comment, 1, 3)

        comment.refresh_from_db()
        assert (comment.rating_count, comment.works_total, comment.respects_total) == (2, 6, 8)

    def test_the_database_allows_one_rating_per_reader_and_proposal(self, article):
        from django.db import IntegrityError, transaction

        comment = proposal(article, "intelligence-sharing")
        Rating.objects.create(comment=comment, reader_key="k", works=1, respects=1)

        with pytest.raises(IntegrityError), transaction.atomic():
            Rating.objects.create(comment=comment, reader_key="k", works=2, respects=2)

    @pytest.mark.parametrize(("works", "respects"), [(0, 3), (6, 3), (3, ""), ("x", 3)])
    def test_answers_off_the_scale_are_refused(self, client, article, works, respects):
        comment = proposal(article, "intelligence-sharing")

        response = rate(client, comment, works, respects)

        assert response.status_code == 200
        assert "Your rating was not saved" in response.content.decode()
        assert not Rating.objects.exists()

    @pytest.mark.parametrize("status", ["pending", "rejected"])
    def test_unpublished_comments_cannot_be_rated(self, client, article, status):
        comment = proposal(article, "intelligence-sharing", status=status)

        assert rate(client, comment, 3, 3).status_code == 404

    def test_replies_to_replies_are_not_proposals_and_cannot_be_rated(self, client, article):
        reply = make_comment(article=article, parent=make_comment(article=article))

        assert rate(client, reply, 3, 3).status_code == 404

    def test_the_totals_are_shown_on_the_comment(self, client, article):
        comment = proposal(article, "intelligence-sharing")
        rating_record(comment=comment, reader_key="a", works=4, respects=2)
        rating_record(comment=comment, reader_key="b", works=5, respects=3)

        html = client.get(article.get_absolute_url()).content.decode()

        # Each figure beside a meter that draws it, then how many readers gave them.
        meter = '<meter min="0" max="5" value="{}" aria-hidden="true"></meter>'
        assert f"Would it work? {meter.format('4.5')} <strong>4.5</strong>/5" in html
        assert f"Respects sovereignty? {meter.format('2.5')} <strong>2.5</strong>/5" in html
        assert '<span class="raters">2 readers rated it</span>' in html

    def test_the_discussion_can_be_sorted_by_most_supported(self, client, article):
        weak = proposal(article, "military-action", body="Send the marines")
        strong = proposal(article, "anti-corruption", body="Clean up the courts")
        rating_record(comment=weak, reader_key="a", works=1, respects=1)
        rating_record(comment=strong, reader_key="a", works=5, respects=5)

        html = client.get(article.get_absolute_url() + "?sort=supported").content.decode()

        assert html.index("Clean up the courts") < html.index("Send the marines")


class TestTheBoard:
    def test_counts_published_proposals_and_their_mean_ratings_per_strategy(self, client, article):
        first = proposal(article, "intelligence-sharing", "joint-investigations")
        second = proposal(article, "intelligence-sharing")
        rating_record(comment=first, reader_key="a", works=4, respects=5)
        rating_record(comment=second, reader_key="a", works=2, respects=3)
        rating_record(comment=second, reader_key="b", works=3, respects=4)

        response = client.get(board_url(article))

        rows = {row.strategy.slug: row for row in response.context["rows"]}
        sharing = rows["intelligence-sharing"]
        # Reader "a" rated both proposals: one rater, two ratings in the means.
        assert (sharing.proposals, sharing.raters, sharing.ratings) == (2, 2, 3)
        assert sharing.works_mean == pytest.approx(3.0)
        assert sharing.respects_mean == pytest.approx(4.0)
        assert rows["joint-investigations"].proposals == 1
        assert rows["military-action"].proposals == 0

    def test_lists_the_most_supported_proposals_with_links_into_their_threads(
        self, client, article
    ):
        best = proposal(article, "anti-corruption", body="Independent prosecutors")
        proposal(article, "anti-corruption", body="Asset declarations")
        rating_record(comment=best, reader_key="a", works=5, respects=5)

        html = client.get(board_url(article)).content.decode()

        section = html.split('id="strategy-anti-corruption"', 1)[1]
        assert section.index("Independent prosecutors") < section.index("Asset declarations")
        assert best.get_absolute_url() in section

    @pytest.mark.parametrize("status", ["pending", "rejected", "spam", "withdrawn"])
    def test_unpublished_proposals_never_count(self, client, article, status):
        hidden = proposal(article, "military-action", status=status, body="Hidden proposal")
        Comment.objects.filter(pk=hidden.pk).update(rating_count=1, works_total=5, respects_total=5)

        response = client.get(board_url(article))

        rows = {row.strategy.slug: row for row in response.context["rows"]}
        assert rows["military-action"].proposals == 0
        assert rows["military-action"].raters == 0
        assert "Hidden proposal" not in response.content.decode()

    def test_an_approved_proposal_s_waiting_edit_is_not_shown(self, client, article):
        proposal(
            article,
            "anti-corruption",
            body="Independent prosecutors",
            pending_body="Edited, unread: send the marines",
        )

        html = client.get(board_url(article)).content.decode()

        assert "Independent prosecutors" in html
        assert "send the marines" not in html

    def test_filters_by_sovereignty_mode(self, client, article):
        proposal(article, "military-action", mode=SovereigntyMode.UNILATERAL)
        proposal(article, "military-action", mode=SovereigntyMode.BILATERAL)

        response = client.get(board_url(article, mode="unilateral"))

        rows = {row.strategy.slug: row for row in response.context["rows"]}
        assert rows["military-action"].proposals == 1

    def test_draws_each_rated_strategy_as_a_labelled_dot_with_its_intervals(self, client, article):
        comment = proposal(article, "demand-reduction")
        for reader, (works, respects) in enumerate([(5, 4), (4, 4), (3, 5)]):
            rating_record(comment=comment, reader_key=f"r{reader}", works=works, respects=respects)
        proposal(article, "military-action")

        html = client.get(board_url(article)).content.decode()

        # A drawing for desktops and one for phones, each named and described for assistive
        # technology; the table stays the data's source.
        assert html.count('<svg class="quadrant-chart') == 2
        assert html.count('<circle cx="') == 2
        assert 'circle cx="' in html.split('data-strategy="demand-reduction"')[1][:200]
        assert 'data-strategy="military-action"' not in html.split("<table")[0]
        assert '<title id="chart-wide-title">' in html and '<desc id="chart-narrow-desc">' in html
        assert "Demand reduction and public health" in html and "3 raters" in html
        assert "Would it work? (mean, 1 to 5)" in html
        assert "90% interval" in html
        assert "<table" in html and "<caption>" in html

    def test_the_table_gives_each_mean_with_its_90_percent_interval(self, client, article):
        comment = proposal(article, "demand-reduction")
        # Would it work: 2, 3, 4 (mean 3, s = 1): 3 ± 2.920 / √3.
        for reader, works in enumerate([2, 3, 4]):
            rating_record(comment=comment, reader_key=f"r{reader}", works=works, respects=5)

        html = client.get(board_url(article)).content.decode()

        row = html.split('<tr data-strategy="demand-reduction">')[1].split("</tr>")[0]
        mean = '<span class="board-mean">{}</span> <span class="board-interval">{}</span>'
        assert mean.format("3.0", "1.3–4.7") in row
        assert mean.format("5.0", "5.0–5.0") in row

    @pytest.mark.parametrize("size", [100, 5000])
    def test_costs_a_fixed_number_of_queries(
        self, client, article, django_assert_num_queries, size
    ):
        rated_proposals(article, size, ["intelligence-sharing", "anti-corruption"])

        # The article, the strategies with their figures, their raters with the sums
        # of squares for the intervals, the top proposals, the common ground.
        with django_assert_num_queries(5):
            response = client.get(board_url(article))

        assert response.status_code == 200
        rows = {row.strategy.slug: row for row in response.context["rows"]}
        assert rows["anti-corruption"].ratings == 3 * size


def rated_proposals(article, count: int, slugs: list[str]) -> None:
    """`count` published proposals naming these strategies, each rated by three readers, in bulk."""
    proposals = Comment.objects.bulk_create(
        Comment(
            article=article,
            author_name=f"Reader {i}",
            author_email=f"reader{i}@example.com",
            body=f"Proposal {i}.",
            status=Comment.Status.APPROVED,
            rating_count=3,
            works_total=3 + 4 + 5,
            respects_total=4 * 3,
        )
        for i in range(count)
    )
    Tag = Comment.strategies.through
    Tag.objects.bulk_create(
        Tag(comment=comment, strategy=strategy(slug)) for comment in proposals for slug in slugs
    )
    Rating.objects.bulk_create(
        Rating(comment=comment, reader_key=f"{comment.pk}-{works}", works=works, respects=4)
        for comment in proposals
        for works in (3, 4, 5)
    )


class TestOpenData:
    def test_the_board_downloads_as_csv_and_json(self, client, article):
        comment = proposal(article, "precursor-chemicals")
        rating_record(comment=comment, reader_key="a", works=4, respects=4)

        as_csv = client.get(reverse("board:board-download", args=[article.slug, "csv"]))
        as_json = client.get(reverse("board:board-download", args=[article.slug, "json"]))

        rows = list(
            csv.DictReader(io.StringIO(b"".join(as_csv.streaming_content).decode("utf-8-sig")))
        )
        chemicals = next(row for row in rows if row["strategy"] == "precursor-chemicals")
        assert chemicals["proposals"] == "1" and chemicals["would_it_work_mean"] == "4.0"
        assert "attachment" in as_csv["Content-Disposition"]
        data = json.loads(as_json.content)["strategies"]
        assert next(r for r in data if r["strategy"] == "precursor-chemicals")["raters"] == 1

    def test_the_proposals_download_has_no_personal_data(self, client, article):
        proposal(
            article, "anti-corruption", author_name="Ana Secret", author_email="ana@secret.example"
        )

        for extension in ("csv", "json"):
            response = client.get(
                reverse("board:proposals-download", args=[article.slug, extension])
            )
            content = (
                b"".join(response.streaming_content) if response.streaming else response.content
            ).decode()
            assert "anti-corruption" in content
            assert "Ana Secret" not in content
            assert "ana@secret.example" not in content

    @pytest.mark.parametrize("status", ["pending", "rejected", "spam"])
    def test_downloads_and_feed_contain_only_published_replies(self, client, article, status):
        proposal(article, "anti-corruption", body="Published proposal")
        proposal(article, "anti-corruption", body="Unpublished proposal", status=status)

        feed = client.get(reverse("board:feed", args=[article.slug])).content.decode()
        data = client.get(
            reverse("board:proposals-download", args=[article.slug, "json"])
        ).content.decode()

        for content in (feed, data):
            assert "Published proposal" in content
            assert "Unpublished proposal" not in content

    def test_the_feed_shows_the_approved_text_and_its_time_until_an_edit_is_approved(
        self, client, article, moderator
    ):
        posted = timezone.now() - timedelta(minutes=5)
        comment = proposal(
            article, "anti-corruption", body="Independent prosecutors", created=posted
        )
        comment.reader_key = "the-authors-browser"
        Comment.objects.filter(pk=comment.pk).update(reader_key=comment.reader_key)
        comment_edit(comment=comment, body="Send the marines", reader_key=comment.reader_key)

        waiting = feed_entry(client, article)

        comment.refresh_from_db()
        assert comment.pending_body == "Send the marines"
        assert "Independent prosecutors" in waiting["title"]
        assert "marines" not in waiting["title"] + waiting["content"]
        assert waiting["updated"] == posted
        assert waiting["feed_updated"] == posted

        comment_moderate(comment=comment, status=Comment.Status.APPROVED, by=moderator)
        approved = feed_entry(client, article)

        assert "Send the marines" in approved["title"]
        assert approved["updated"] > posted
        assert approved["feed_updated"] == approved["updated"]

    def test_the_feed_is_atom_and_escapes_what_readers_wrote(self, client, article):
        make_comment(article=article, body='<script>alert("x")</script>')

        response = client.get(reverse("board:feed", args=[article.slug]))

        assert response["Content-Type"].startswith("application/atom+xml")
        content = response.content.decode()
        assert "<script>" not in content
        assert "&amp;lt;script&amp;gt;" in content

    def test_an_unknown_format_is_not_found(self, client, article):
        assert client.get(f"/articles/{article.slug}/strategies.xml").status_code == 404


ATOM = "{http://www.w3.org/2005/Atom}"


def feed_entry(client, article) -> dict:
    """The feed's only entry, and the feed's own `updated`, as a reader's feed reader sees them."""
    content = client.get(reverse("board:feed", args=[article.slug])).content
    feed = ElementTree.fromstring(content)  # noqa: S314 - the site's own feed, not untrusted XML
    (entry,) = feed.findall(f"{ATOM}entry")
    return {
        "title": entry.findtext(f"{ATOM}title"),
        "content": entry.findtext(f"{ATOM}summary") or "",
        "updated": datetime.fromisoformat(entry.findtext(f"{ATOM}updated")),
        "feed_updated": datetime.fromisoformat(feed.findtext(f"{ATOM}updated")),
    }


def test_csv_cells_that_look_like_formulas_are_kept_as_text(client, article):
    proposal(article, "anti-corruption", body='=HYPERLINK("http://evil.example","click")')

    response = client.get(reverse("board:proposals-download", args=[article.slug, "csv"]))

    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    )
    assert rows[0]["text"].startswith("'=HYPERLINK")


@pytest.mark.parametrize(
    "path",
    ["/articles/{slug}/strategies/", "/articles/{slug}/strategies.csv", "/comments/{pk}/thread/"],
)
def test_pages_answer_head_requests(client, article, path):
    comment = make_comment(article=article)

    response = client.head(path.format(slug=article.slug, pk=comment.pk))

    assert response.status_code == 200
