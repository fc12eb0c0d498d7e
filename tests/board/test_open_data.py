"""The board's files load as researchers expect: encoding, header, dates, language, safe cells,
a JSON Schema that the JSON meets, a data dictionary that names every column, fixed costs."""

import csv
import io
import json
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone
from jsonschema import Draft202012Validator

from board.ratings import rating_record
from comments.models import Comment, SovereigntyMode, Strategy
from comments.posting import comment_edit
from tests.factories import make_comment

pytestmark = pytest.mark.django_db

DOWNLOADS = ("board:board-download", "board:proposals-download")
# A moment with microseconds, which the files leave out.
POSTED = datetime(2026, 12, 2, 6, 15, 0, 123456, tzinfo=UTC)
ISO_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def proposal(article, *slugs, **fields) -> Comment:
    comment = make_comment(article=article, **fields)
    comment.strategies.set(Strategy.objects.filter(slug__in=slugs))
    return comment


def download(client, article, name: str, extension: str, **query):
    return client.get(reverse(name, args=[article.slug, extension]), query)


def content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content(response).decode("utf-8-sig"))))


def csv_records(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content(response).decode("utf-8-sig"))))


def schema_of(client, document: dict) -> dict:
    """The schema the JSON names, read from the site at that address."""
    response = client.get(urlsplit(document["$schema"]).path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/schema+json"
    schema = json.loads(response.content)
    Draft202012Validator.check_schema(schema)
    return schema


def schema_errors(schema: dict, document: dict) -> list[str]:
    return [error.message for error in Draft202012Validator(schema).iter_errors(document)]


class TestCsv:
    @pytest.mark.parametrize("name", DOWNLOADS)
    def test_it_is_utf8_with_a_byte_order_mark(self, client, article, name):
        proposal(article, "anti-corruption", body="Fiscalías autónomas, sin tropas extranjeras.")

        response = download(client, article, name, "csv")

        assert response["Content-Type"] == "text/csv; charset=utf-8"
        raw = content(response)
        assert raw.startswith(b"\xef\xbb\xbf")
        assert raw.count(b"\xef\xbb\xbf") == 1
        if name == "board:proposals-download":
            assert "Fiscalías autónomas" in raw.decode("utf-8-sig")

    def test_the_proposals_file_has_its_header_row_when_there_is_no_proposal(self, client, article):
        proposal(article, "anti-corruption", status=Comment.Status.PENDING)

        rows = csv_rows(download(client, article, "board:proposals-download", "csv"))

        assert len(rows) == 1
        assert rows[0][:5] == ["id", "url", "posted", "language", "text"]

    def test_the_board_file_has_its_header_row_when_there_is_no_strategy(self, client, article):
        Strategy.objects.all().delete()

        rows = csv_rows(download(client, article, "board:board-download", "csv"))

        assert rows == [[*rows[0]]] and rows[0][0] == "strategy"

    def test_each_proposal_says_the_language_it_is_written_in(self, client, article):
        proposal(article, body="Follow the money.", language="en")
        proposal(article, body="Sigan el dinero.", language="es")

        records = csv_records(download(client, article, "board:proposals-download", "csv"))

        assert [(r["text"], r["language"]) for r in records] == [
            ("Follow the money.", "en"),
            ("Sigan el dinero.", "es"),
        ]

    @pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
    def test_a_cell_that_would_start_a_formula_is_kept_as_text(self, client, article, start):
        text = f'{start}HYPERLINK("http://evil.example","click")'
        proposal(article, body=text)

        (record,) = csv_records(download(client, article, "board:proposals-download", "csv"))
        document = download(client, article, "board:proposals-download", "json").json()

        assert record["text"] == "'" + text
        # The JSON is no spreadsheet's: it gives the words as they were written.
        assert document["proposals"][0]["text"] == text

    def test_ordinary_text_and_numbers_are_left_as_they_are(self, client, article):
        comment = proposal(article, body="Independent prosecutors, 3 years.")
        rating_record(comment=comment, reader_key="a", works=4, respects=2)

        text = content(download(client, article, "board:proposals-download", "csv"))
        (record,) = csv.DictReader(io.StringIO(text.decode("utf-8-sig")))
        data_line = text.decode("utf-8-sig").splitlines()[1]

        assert record["text"] == "Independent prosecutors, 3 years."
        assert (record["raters"], record["would_it_work_mean"]) == ("1", "4.0")
        # Text quoted, figures bare: spreadsheets and data libraries read numbers as numbers.
        assert '"Independent prosecutors, 3 years."' in data_line
        assert ",1,4.0,2.0," in data_line


class TestDates:
    @pytest.fixture(autouse=True)
    def site_in_mexico_city(self, settings):
        # Not UTC, so that a date written in the site's own time zone would show.
        settings.TIME_ZONE = "America/Mexico_City"
        timezone.activate("America/Mexico_City")
        yield
        timezone.deactivate()

    def test_csv_and_json_give_the_same_moment_in_utc_to_the_second(self, client, article):
        proposal(article, "anti-corruption", created=POSTED)

        (record,) = csv_records(download(client, article, "board:proposals-download", "csv"))
        document = download(client, article, "board:proposals-download", "json").json()

        assert record["posted"] == "2026-12-02T06:15:00Z"
        assert document["proposals"][0]["posted"] == "2026-12-02T06:15:00Z"
        assert ISO_UTC.fullmatch(document["generated"])

    @pytest.mark.parametrize("name", DOWNLOADS)
    def test_the_file_is_named_after_the_article_the_filter_and_the_day_in_utc(
        self, client, article, name
    ):
        what = "strategies" if name == "board:board-download" else "proposals"
        days = {timezone.now().astimezone(UTC).date()}

        response = download(client, article, name, "json", mode=SovereigntyMode.BILATERAL)

        days.add(timezone.now().astimezone(UTC).date())
        expected = {
            f'attachment; filename="{article.slug}-{what}-bilateral-{day}.json"' for day in days
        }
        assert response["Content-Disposition"] in expected


class TestJsonSchema:
    @pytest.mark.parametrize(
        ("name", "rows"), [(DOWNLOADS[0], "strategies"), (DOWNLOADS[1], "proposals")]
    )
    def test_the_json_meets_the_schema_it_names(self, client, article, name, rows):
        rated = proposal(
            article,
            "anti-corruption",
            "arms-trafficking",
            sovereignty_mode=SovereigntyMode.BILATERAL,
        )
        rating_record(comment=rated, reader_key="a", works=5, respects=1)
        rating_record(comment=rated, reader_key="b", works=2, respects=4)
        proposal(article, language="es", body="Sin estrategia todavía.")

        for query in ({}, {"mode": SovereigntyMode.BILATERAL}):
            response = download(client, article, name, "json", **query)
            document = response.json()

            schema = schema_of(client, document)
            assert schema_errors(schema, document) == []
            assert document[rows], "the file has rows to check"
            assert response["Link"] == f'<{document["$schema"]}>; rel="describedby"'

    def test_the_schema_turns_away_what_the_files_never_hold(self, client, article):
        proposal(article, "anti-corruption", created=POSTED)
        document = download(client, article, "board:proposals-download", "json").json()
        schema = schema_of(client, document)
        good = document["proposals"][0]

        for wrong in (
            {"posted": "2026-12-02T00:15:00-06:00"},
            {"posted": "2026-12-02T06:15:00.123456Z"},
            {"language": "fr"},
            {"would_it_work_mean": 7},
            {"author_email": "ana@example.com"},
        ):
            assert schema_errors(schema, {**document, "proposals": [{**good, **wrong}]}), wrong

    def test_the_group_figures_are_optional_numbers_or_null(self, client, article):
        proposal(article, "anti-corruption")
        document = download(client, article, "board:proposals-download", "json").json()
        schema = schema_of(client, document)
        good = document["proposals"][0]
        figures = {
            "raters_en": 3,
            "raters_es": 0,
            "favourable_share_en": 0.67,
            "favourable_share_es": None,
            "works_mean_en": 4.33,
            "works_mean_es": None,
            "respects_mean_en": 2.5,
            "respects_mean_es": None,
            "common_ground_score": 0.21,
        }

        assert schema_errors(schema, {**document, "proposals": [{**good, **figures}]}) == []
        for name in figures:
            wrong = {**good, **figures, name: "high"}
            assert schema_errors(schema, {**document, "proposals": [wrong]}), name

    @pytest.mark.parametrize(
        ("name", "schema", "row"),
        [(DOWNLOADS[0], "strategies", "strategy"), (DOWNLOADS[1], "proposals", "proposal")],
    )
    def test_the_csv_columns_are_the_schema_s_fields_in_order(
        self, client, article, name, schema, row
    ):
        header = csv_rows(download(client, article, name, "csv"))[0]
        published = client.get(reverse("board:schema", args=[schema])).json()

        assert header == list(published["$defs"][row]["properties"])

    def test_an_unknown_schema_is_not_found(self, client):
        assert client.get(reverse("board:schema", args=["everything"])).status_code == 404


class TestDataDictionary:
    @pytest.mark.parametrize("language", ["en", "es"])
    def test_it_names_every_column_of_every_file(self, client, article, language):
        page = client.get(reverse("board:data-dictionary"), headers={"accept-language": language})
        html = page.content.decode()

        assert page.status_code == 200
        assert f'<html lang="{language}">' in html
        for name in DOWNLOADS:
            for column in csv_rows(download(client, article, name, "csv"))[0]:
                assert f"<code>{column}</code>" in html, column
        assert reverse("board:schema", args=["proposals"]) in html
        assert "OWASP" in html

    def test_the_board_links_to_it_beside_the_downloads(self, client, article):
        html = client.get(reverse("board:board", args=[article.slug])).content.decode()

        downloads = html[html.index('id="data-title"') :]
        assert reverse("board:data-dictionary") in downloads


class TestOnlyWhatIsPublished:
    def test_a_waiting_edit_never_reaches_the_files(self, client, article):
        comment = proposal(
            article,
            "anti-corruption",
            body="Independent prosecutors.",
            reader_key="the-authors-browser",
            created=timezone.now() - timedelta(minutes=1),
        )
        comment_edit(comment=comment, body="Send the marines.", reader_key="the-authors-browser")

        for name in DOWNLOADS:
            for extension in ("csv", "json"):
                text = content(download(client, article, name, extension)).decode("utf-8-sig")
                assert "marines" not in text, (name, extension)
        (record,) = csv_records(download(client, article, "board:proposals-download", "csv"))
        assert record["text"] == "Independent prosecutors."


class TestQueryCounts:
    @pytest.mark.parametrize("size", [5, 60])
    @pytest.mark.parametrize("extension", ["csv", "json"])
    def test_the_proposals_file_costs_four_queries(
        self, client, article, django_assert_num_queries, size, extension
    ):
        for n in range(size):
            comment = proposal(article, "anti-corruption", "intelligence-sharing")
            rating_record(comment=comment, reader_key=f"r{n}", works=3, respects=4)

        # The article, the strategies' slugs, the proposals with the ids of their
        # strategies, and every proposal's figures by language group.
        with django_assert_num_queries(4):
            response = download(client, article, "board:proposals-download", extension)
            rows = content(response)

        assert rows.count(b"anti-corruption") == size

    @pytest.mark.parametrize("size", [5, 60])
    @pytest.mark.parametrize("extension", ["csv", "json"])
    def test_the_board_file_costs_four_queries(
        self, client, article, django_assert_num_queries, size, extension
    ):
        for _ in range(size):
            proposal(article, "anti-corruption")

        # The article, the strategies with their figures, their raters, the top proposals.
        with django_assert_num_queries(4):
            response = download(client, article, "board:board-download", extension)
            content(response)

        assert response.status_code == 200
