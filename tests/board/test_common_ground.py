"""Proposals rank by estimators that weigh how many rated, and by common ground across languages.

"Most supported" is a Bayesian average of both answers, shrunk towards the
middle of the scale: a few raters cannot outrank many, and many middling
raters cannot outrank a clear verdict. Common ground groups raters by the
language they read the site in when they rated, and multiplies each group's
smoothed share of favourable ratings (both answers 4 or more).
"""

import csv
import io
import json

import pytest
from django.urls import reverse

from board.common_ground import common_ground, group_columns
from board.ratings import rating_record
from comments.models import Comment, Rating, Strategy
from tests.actions import in_language, rate
from tests.factories import make_comment

pytestmark = pytest.mark.django_db


def proposal(article, body: str, **fields) -> Comment:
    comment = make_comment(article=article, body=body, **fields)
    comment.strategies.set([Strategy.objects.get(slug="intelligence-sharing")])
    return comment


def rated(comment, *answers: tuple[int, int], language: str = "en", start: int = 0) -> Comment:
    """`comment` rated once per item of `answers` by readers of `language`, each on their own."""
    for number, (works, respects) in enumerate(answers, start):
        rating_record(
            comment=comment,
            reader_key=f"{language}-{comment.pk}-{number}",
            works=works,
            respects=respects,
            language=language,
        )
    comment.refresh_from_db()
    return comment


def board_html(client, article, **headers) -> str:
    url = reverse("board:board", kwargs={"slug": article.slug})
    return client.get(url, headers=headers).content.decode()


def discussion_html(client, article, sort: str, language: str = "en") -> str:
    url = article.get_absolute_url() + f"?sort={sort}"
    return client.get(url, headers=in_language(language)).content.decode()


@pytest.fixture
def few_but_convinced(article) -> Comment:
    """A 4.0/4.1 proposal from ten raters."""
    answers = [(4, 4)] * 9 + [(4, 5)]
    return rated(proposal(article, "Share intelligence as equals"), *answers)


@pytest.fixture
def many_but_lukewarm(article) -> Comment:
    """A 3.2/2.0 proposal from forty raters: more of them, and more points in total."""
    answers = [(3, 2)] * 32 + [(4, 2)] * 8
    return rated(proposal(article, "Send drones across the border"), *answers)


class TestMostSupported:
    def test_a_well_rated_proposal_with_fewer_raters_ranks_above_a_poorly_rated_one_with_more(
        self, client, article, few_but_convinced, many_but_lukewarm
    ):
        assert few_but_convinced.works_mean == pytest.approx(4.0)
        assert many_but_lukewarm.works_total + many_but_lukewarm.respects_total > (
            few_but_convinced.works_total + few_but_convinced.respects_total
        )

        board = board_html(client, article).split('id="strategy-intelligence-sharing"', 1)[1]
        discussion = discussion_html(client, article, "supported")

        for html in (board, discussion):
            assert html.index("Share intelligence as equals") < html.index(
                "Send drones across the border"
            )

    def test_one_enthusiastic_rater_does_not_outrank_many_good_ratings(self, client, article):
        lone = rated(proposal(article, "One five-star rating"), (5, 5))
        rated(proposal(article, "Twenty good ratings"), *[(4, 4)] * 20)
        assert lone.rating_count == 1

        html = discussion_html(client, article, "supported")

        assert html.index("Twenty good ratings") < html.index("One five-star rating")

    @pytest.mark.parametrize("language", ["en", "es"])
    def test_the_estimator_is_named_and_explained_on_the_page(self, client, article, language):
        sentence = {
            "en": "Ranked by a Bayesian average of both answers",
            "es": "Ordenadas por un promedio bayesiano de ambas respuestas",
        }[language]

        assert sentence in board_html(client, article, **in_language(language))
        assert sentence in discussion_html(client, article, "supported", language)


class TestTheRatersLanguage:
    @pytest.mark.parametrize("language", ["en", "es"])
    def test_a_new_rating_records_the_language_the_reader_reads_in(self, client, article, language):
        comment = proposal(article, "Follow the money")

        response = rate(client, comment, 4, 5, headers=in_language(language))

        assert response.status_code == 302
        assert Rating.objects.get(comment=comment).language == language

    def test_rating_again_in_another_language_moves_the_rating_to_that_group(self, client, article):
        comment = proposal(article, "Follow the money")
        rate(client, comment, 4, 5, headers=in_language("en"))

        rate(client, comment, 2, 2, headers=in_language("es"))

        assert list(Rating.objects.values_list("language", "works")) == [("es", 2)]

    def test_a_language_the_site_does_not_have_is_stored_as_unknown(self, article):
        comment = proposal(article, "Follow the money")

        rating = rating_record(comment=comment, reader_key="a", works=4, respects=4, language="fr")

        assert rating.language == ""


class TestCommonGround:
    def test_a_proposal_liked_by_both_groups_beats_one_liked_by_one_group_with_more_raters(
        self, client, article
    ):
        both = proposal(article, "Joint prosecutors from both countries")
        rated(both, (4, 5), (5, 4), (4, 4), language="en")
        rated(both, (5, 5), (4, 4), (4, 5), language="es")
        one_sided = proposal(article, "Special forces against the cartels")
        rated(one_sided, *[(5, 5)] * 30, language="en")
        rated(one_sided, *[(3, 1)] * 10, language="es")

        ranked = common_ground(article)

        assert [item.proposal for item in ranked] == [both, one_sided]
        assert ranked[0].score == pytest.approx((4 / 5) * (4 / 5))
        assert ranked[1].score == pytest.approx((31 / 32) * (1 / 12))
        html = discussion_html(client, article, "common-ground")
        assert html.index("Joint prosecutors") < html.index("Special forces")

    def test_each_group_s_figures_are_shown(self, client, article):
        comment = proposal(article, "Joint prosecutors from both countries")
        rated(comment, (4, 5), (2, 4), language="en")
        rated(comment, (5, 5), (4, 4), (1, 2), (4, 4), language="es")

        html = board_html(client, article).split('id="common-ground"', 1)[1]

        english, spanish = html.split('data-group="en"', 1)[1].split('data-group="es"', 1)
        assert "2 raters · 50% favourable · works 3.0 · respects sovereignty 4.5" in english
        assert "4 raters · 75% favourable · works 3.5 · respects sovereignty 3.8" in spanish
        assert "by the language readers read the site in" in html

    def test_in_spanish_the_view_and_the_sort_are_named_in_spanish(self, client, article):
        comment = proposal(article, "Fiscales conjuntos")
        rated(comment, (4, 5), language="en")
        rated(comment, (5, 5), language="es")

        board = board_html(client, article, **in_language("es"))
        discussion = discussion_html(client, article, "common-ground", "es")

        assert "Puntos en común" in board
        assert "Leen en español:</strong> 1 lector" in board
        assert 'aria-current="page" href="?sort=common-ground#discussion">Puntos en común' in (
            discussion
        )
        assert "según el idioma en que leen el sitio" in discussion

    def test_the_discussion_offers_the_sort_beside_the_others(self, client, article):
        html = discussion_html(client, article, "newest")

        assert 'href="?sort=common-ground#discussion">Common ground</a>' in html
        assert html.index(">Most supported<") < html.index(">Common ground<")

    def test_proposals_not_rated_by_every_group_are_not_listed(self, article):
        rated(proposal(article, "Only English readers rated it"), (5, 5), language="en")

        assert common_ground(article) == []

    @pytest.mark.parametrize("status", ["pending", "rejected", "spam", "withdrawn"])
    def test_unpublished_proposals_are_in_no_figure(self, client, article, status):
        hidden = proposal(article, "Hidden proposal")
        rated(hidden, (5, 5), language="en")
        rated(hidden, (5, 5), language="es")
        Comment.objects.filter(pk=hidden.pk).update(status=status)

        assert common_ground(article) == []
        assert hidden.pk not in group_columns(article)
        assert "Hidden proposal" not in board_html(client, article)
        assert "Hidden proposal" not in discussion_html(client, article, "common-ground")

    def test_ratings_that_do_not_count_are_in_no_figure(self, article):
        comment = proposal(article, "Joint prosecutors")
        rated(comment, (5, 5), language="es")
        # Two browsers on one network: only the later one's rating counts.
        for reader, answer in (("first", 5), ("second", 1)):
            rating_record(
                comment=comment,
                reader_key=reader,
                works=answer,
                respects=answer,
                ip_address="203.0.113.7",
                language="en",
            )
        assert Rating.objects.filter(counted=False).count() == 1

        [item] = common_ground(article)

        english = item.groups[0]
        assert (english.raters, english.favourable, english.works_mean) == (1, 0, 1.0)
        assert item.score == pytest.approx((1 / 3) * (2 / 3))

    def test_ratings_of_unknown_language_count_in_the_proposal_but_in_no_group(self, article):
        comment = proposal(article, "Joint prosecutors")
        rated(comment, (5, 5), language="en")
        rated(comment, (5, 5), language="es")
        rated(comment, (1, 1), language="")

        [item] = common_ground(article)

        assert [group.raters for group in item.groups] == [1, 1]
        comment.refresh_from_db()
        assert comment.rating_count == 3


class TestQueries:
    @pytest.mark.parametrize("size", [3, 40])
    def test_the_board_costs_the_same_queries_at_any_size(
        self, client, article, django_assert_num_queries, size
    ):
        for number in range(size):
            comment = proposal(article, f"Proposal {number}")
            rated(comment, (4, 4), (5, 3), language="en")
            rated(comment, (4, 5), language="es")

        # The article, the strategies with their figures, their raters, the
        # top proposals of each, the common ground.
        with django_assert_num_queries(5):
            html = board_html(client, article)

        assert html.count('class="common-ground-item') == min(size, 5)

    @pytest.mark.parametrize("language", ["en", "es"])
    @pytest.mark.parametrize("size", [5, 60])
    def test_the_discussion_by_common_ground_costs_the_same_queries_at_any_size(
        self, client, article, django_assert_num_queries, settings, size, language
    ):
        settings.COMMENTS_THREADS_PER_PAGE = 4
        for number in range(size):
            rated(proposal(article, f"Proposal {number}"), (4, 4), language=language)

        # As in any order: the article's version, the article, the page of
        # threads, the page's proposals with their strategies, their first replies.
        with django_assert_num_queries(5):
            html = discussion_html(client, article, "common-ground", language)

        assert html.count('class="comment-author"') == 4


class TestOpenData:
    def test_the_proposals_download_gives_each_group_s_figures(self, client, article):
        comment = proposal(article, "Joint prosecutors")
        rated(comment, (4, 5), (2, 4), language="en")
        rated(comment, (5, 5), language="es")
        proposal(article, "Not rated yet")
        url = reverse(
            "board:proposals-download", kwargs={"slug": article.slug, "extension": "json"}
        )

        rated_row, unrated_row = json.loads(client.get(url).content)["proposals"]

        assert {key: rated_row[key] for key in COLUMNS} == {
            "raters_en": 2,
            "raters_es": 1,
            "favourable_share_en": 0.5,
            "favourable_share_es": 1.0,
            "works_mean_en": 3.0,
            "works_mean_es": 5.0,
            "respects_mean_en": 4.5,
            "respects_mean_es": 5.0,
            "common_ground_score": round((2 / 4) * (2 / 3), 4),
        }
        assert unrated_row["raters_en"] == 0 and unrated_row["works_mean_es"] is None
        assert unrated_row["common_ground_score"] == 0.25

    def test_the_csv_has_the_same_columns(self, client, article):
        rated(proposal(article, "Joint prosecutors"), (4, 5), language="es")
        url = reverse("board:proposals-download", kwargs={"slug": article.slug, "extension": "csv"})

        text = b"".join(client.get(url).streaming_content).decode("utf-8-sig")
        [row] = csv.DictReader(io.StringIO(text))

        assert [name for name in row if name in COLUMNS] == COLUMNS
        assert (row["raters_en"], row["raters_es"], row["works_mean_es"]) == ("0", "1", "4.0")


COLUMNS = [
    "raters_en",
    "raters_es",
    "favourable_share_en",
    "favourable_share_es",
    "works_mean_en",
    "works_mean_es",
    "respects_mean_en",
    "respects_mean_es",
    "common_ground_score",
]
