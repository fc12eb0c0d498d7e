"""A hot query's SQL is compiled once, and every run gives what the ORM itself would give."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.compiled_queries import CompiledQuery
from articles.models import LOADED_LANGUAGES, Article, read_article
from comments.models import Comment
from comments.threads import read_opener
from tests.factories import make_article, make_comment, make_translation

pytestmark = pytest.mark.django_db


def _replies(article_id: int, reader_key: str, start: int, *, per_page: int):
    """A page of an article's comments that a reader sees, oldest first."""
    return (
        Comment.objects.filter(article_id=article_id)
        .visible_to(reader_key)
        .order_by("created", "id")
        .values_list("pk", "author_name", "created", "featured")[start : start + per_page]
    )


REPLIES = CompiledQuery(_replies)


@pytest.fixture
def discussion():
    article = make_article()
    for n in range(7):
        make_comment(article=article, author_name=f"Reader {n}", featured=n % 2 == 0)
    make_comment(article=article, status=Comment.Status.PENDING, reader_key="ana-key")
    make_comment(article=article, status=Comment.Status.PENDING, reader_key="someone-else")
    other = make_article()
    make_comment(article=other)
    return article


@pytest.mark.parametrize("reader_key", ["", "ana-key", "nobody-key"])
@pytest.mark.parametrize("start", [0, 2, 6])
@pytest.mark.parametrize("per_page", [3, 5])
def test_each_run_gives_the_rows_the_orm_gives(discussion, reader_key, start, per_page):
    expected = list(_replies(discussion.pk, reader_key, start, per_page=per_page))

    rows = REPLIES.rows(discussion.pk, reader_key, start, per_page=per_page)

    assert rows == expected
    # Converted as the ORM converts them, on SQLite too: datetimes and booleans.
    types = [tuple(map(type, row)) for row in rows]
    assert types == [tuple(map(type, row)) for row in expected]


def test_the_same_shape_is_compiled_once(discussion):
    compiled = CompiledQuery(_replies)
    compiled.rows(discussion.pk, "", 0, per_page=3)

    with CaptureQueriesContext(connection) as first:
        compiled.rows(discussion.pk, "", 0, per_page=3)
    with CaptureQueriesContext(connection) as second:
        compiled.rows(discussion.pk, "", 4, per_page=3)

    assert len(compiled._compiled) == 1
    assert len(first) == len(second) == 1
    assert "OFFSET 4" in second[0]["sql"]


def test_a_change_of_structure_is_a_shape_of_its_own(discussion):
    compiled = CompiledQuery(_replies)

    compiled.rows(discussion.pk, "", 0, per_page=3)
    compiled.rows(discussion.pk, "ana-key", 0, per_page=3)
    compiled.rows(discussion.pk, "ana-key", 0, per_page=5)

    assert len(compiled._compiled) == 3


def test_lists_of_ids_of_any_length(discussion):
    compiled = CompiledQuery(
        lambda ids: Comment.objects.filter(pk__in=ids).order_by("pk").values_list("pk")
    )
    ids = list(Comment.objects.order_by("pk").values_list("pk", flat=True))

    assert compiled.rows(ids[:2]) == [(pk,) for pk in ids[:2]]
    assert compiled.rows(ids[3:8]) == [(pk,) for pk in ids[3:8]]
    assert compiled.rows(ids[5:7]) == [(pk,) for pk in ids[5:7]]


def test_a_value_that_never_reaches_the_sql_is_refused(discussion):
    # A value turned into the query's structure would be baked into the SQL: refused.
    compiled = CompiledQuery(
        lambda key: Comment.objects.filter(featured=bool(key)).values_list("pk")
    )

    with pytest.raises(ValueError, match="do not reach the SQL"):
        compiled.rows("ana-key")


def test_a_boolean_value_is_refused_as_it_would_be_structure(discussion):
    compiled = CompiledQuery(lambda flag: Comment.objects.filter(featured=flag).values_list("pk"))

    with pytest.raises(TypeError, match="shape"):
        compiled.rows(True)


def test_read_article_is_the_article_in_the_language_asked_for():
    article = make_article(title="Mexico rejects")
    make_translation(article, "es", "México rechaza")

    spanish = read_article(article.pk, "es")
    english = read_article(article.pk, "en")

    assert spanish is not None and english is not None
    expected = Article.objects.in_language("es").get(pk=article.pk)
    assert [getattr(spanish, f.attname) for f in Article._meta.concrete_fields] == [
        getattr(expected, f.attname) for f in Article._meta.concrete_fields
    ]
    assert spanish.text_in("es").title == "México rechaza"
    assert english.text_in("en").title == "Mexico rejects"
    assert spanish.languages == english.languages == ["en", "es"]
    assert spanish.__dict__[LOADED_LANGUAGES] == "es"


def test_read_article_reads_nothing_more_for_its_text(django_assert_num_queries):
    article = make_article()
    make_translation(article, "es", "México rechaza")

    with django_assert_num_queries(1):
        loaded = read_article(article.pk, "es")
        assert loaded is not None
        assert loaded.text_in("es").title == "México rechaza"
        assert loaded.text_in("en").title == article.title
        assert loaded.languages == ["en", "es"]


def test_read_article_without_a_translation_gives_the_original():
    article = make_article(title="Only in English")

    loaded = read_article(article.pk, "es")

    assert loaded is not None
    assert loaded.text_in("es").title == "Only in English"
    assert loaded.text_in("es").language == "en"
    assert loaded.languages == ["en"]


def test_read_article_of_no_article_is_none():
    assert read_article(987_654, "en") is None


def test_an_empty_list_of_ids_gives_no_rows_and_sends_no_query(
    discussion, django_assert_num_queries
):
    compiled = CompiledQuery(lambda ids: Comment.objects.filter(pk__in=ids).values_list("pk"))

    with django_assert_num_queries(0):
        assert compiled.rows([]) == []


class TestTheOpenerOfAThread:
    """`read_opener`, which every uncached thread page reads: what the ORM reads, compiled."""

    def test_is_the_comment_with_its_article_in_the_language_asked_for(self):
        article = make_article(title="Mexico rejects")
        make_translation(article, "es", "México rechaza")
        opener = make_comment(article=article, body="Follow the money.")

        loaded = read_opener(opener.pk, "es")

        assert loaded is not None
        expected = Comment.objects.with_article_in("es").get(pk=opener.pk)
        assert [getattr(loaded, f.attname) for f in Comment._meta.concrete_fields] == [
            getattr(expected, f.attname) for f in Comment._meta.concrete_fields
        ]
        assert loaded.article.text_in("es").title == "México rechaza"
        assert loaded.article.languages == ["en", "es"]

    def test_reads_one_query_for_the_comment_its_article_and_its_text(
        self, django_assert_num_queries
    ):
        article = make_article()
        make_translation(article, "es", "México rechaza")
        opener = make_comment(article=article)

        with django_assert_num_queries(1):
            loaded = read_opener(opener.pk, "es")
            assert loaded is not None
            assert loaded.article.pk == article.pk
            assert loaded.article.in_reader_language.title in ("México rechaza", article.title)

    def test_a_reply_opens_no_thread(self):
        article = make_article()
        reply = make_comment(article=article, parent=make_comment(article=article))

        assert read_opener(reply.pk, "en") is None

    def test_a_comment_under_an_article_not_yet_published_opens_no_thread(self):
        article = make_article(published=timezone.now() + timedelta(days=1))

        assert read_opener(make_comment(article=article).pk, "en") is None

    def test_no_comment_opens_no_thread(self):
        assert read_opener(987_654, "en") is None
