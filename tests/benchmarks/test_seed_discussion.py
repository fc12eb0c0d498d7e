"""The measuring tools: a reproducible, realistic discussion, and a bench that runs end to end."""

import json
import os
import random
import re
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db.models import Count, Max, Sum
from django.http import HttpResponse

from benchmarks import bench, report, seed_plan
from benchmarks.fixture import QUICK
from benchmarks.scenarios import Scenario
from benchmarks.seeding import seed_discussion, seed_threads
from benchmarks.sql import counts_whole_table
from comments.models import Comment
from tests.factories import make_article

pytestmark = pytest.mark.django_db

END = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)


def shape(article) -> list[tuple]:
    """The discussion of `article`, with parents as positions instead of ids."""
    comments = list(Comment.objects.filter(article=article).order_by("created", "id"))
    position = {comment.pk: index for index, comment in enumerate(comments)}
    return [
        (
            position.get(c.parent_id),
            position.get(c.root_id),
            c.depth,
            c.status,
            c.author_name,
            c.author_email,
            c.body,
            c.language,
            c.created,
        )
        for c in comments
    ]


def has_fields(*names: str) -> bool:
    return set(names) <= {f.name for f in Comment._meta.get_fields()}


def test_the_same_seed_gives_the_same_discussion(article):
    other = make_article()

    seed_discussion(article, comments=300, seed=5, end=END)
    seed_discussion(other, comments=300, seed=5, end=END)

    assert shape(article) == shape(other)


def test_another_seed_gives_another_discussion(article):
    other = make_article()

    seed_discussion(article, comments=300, seed=5, end=END)
    seed_discussion(other, comments=300, seed=6, end=END)

    assert shape(article) != shape(other)


@pytest.mark.parametrize("comments", [0, 1, 37, 2_500])
def test_it_adds_exactly_the_comments_asked_for(article, comments):
    seeded = seed_discussion(article, comments=comments, seed=1, end=END)

    assert Comment.objects.filter(article=article).count() == comments
    assert seeded.comments == comments
    assert seeded.threads == Comment.objects.filter(article=article, parent=None).count()


def test_it_adds_to_an_existing_discussion(article):
    seed_discussion(article, comments=100, seed=1, end=END)

    seed_discussion(article, comments=100, seed=2, end=END)

    assert Comment.objects.filter(article=article).count() == 200


def test_the_discussion_is_lopsided_like_a_real_one(article):
    seed_discussion(article, comments=3_000, seed=2, end=END)
    comments = Comment.objects.filter(article=article)

    statuses = dict(comments.values_list("status").annotate(n=Count("id")).order_by())
    assert statuses[Comment.Status.APPROVED] > 0.8 * 3_000
    assert {Comment.Status.PENDING, Comment.Status.REJECTED, Comment.Status.SPAM} < set(statuses)
    depths = set(comments.values_list("depth", flat=True))
    assert depths == set(range(1, settings.COMMENTS_MAX_DEPTH + 1))
    thread_sizes = comments.exclude(root=None).values("root").annotate(n=Count("id")).order_by()
    assert max(thread["n"] for thread in thread_sizes) >= 250
    lone = comments.filter(parent=None).exclude(pk__in=comments.exclude(root=None).values("root"))
    assert lone.count() > 0.3 * comments.filter(parent=None).count()
    assert comments.values("author_email").distinct().count() < 3_000


# Words that only one of the two languages uses, to tell which one a text is in.
FUNCTION_WORDS = {
    "en": {
        "the", "and", "is", "of", "to", "that", "with", "would", "are", "it", "on", "in",
        "what", "for", "not", "be", "who", "than", "has", "have", "but", "any", "we", "i",
    },
    "es": {
        "el", "la", "los", "las", "que", "de", "y", "es", "en", "con", "por", "del", "un",
        "una", "para", "más", "lo", "su", "sin", "porque", "ya", "sí", "nada",
    },
}  # fmt: skip


def planned(comments: int, seed: int = 0):
    rng = random.Random(seed)  # noqa: S311  (reproducible test data, not a secret)
    _roots, items = seed_plan.plan(
        rng,
        seed_plan.thread_sizes(rng, comments),
        span=timedelta(days=30).total_seconds(),
        published=False,
        authors=comments // 3,
    )
    return items


def sentences(body: str) -> list[str]:
    # A sentence ends at a full stop followed by a capital ("U.S. duty" goes on).
    return [
        sentence
        for paragraph in body.split("\n\n")
        for sentence in re.split(r"(?<=\.) (?=[A-ZÁÉÍÓÚÑ¿¡])", paragraph)
    ]


def words(text: str) -> set[str]:
    return set(re.findall(r"[a-záéíóúñü']+", text.lower()))


def test_no_sentence_is_repeated_in_a_10000_comment_seed():
    items = planned(10_000)

    written = Counter(sentence for item in items for sentence in sentences(item.body))

    assert sum(written.values()) > 15_000
    assert [sentence for sentence, times in written.items() if times > 1] == []


def test_every_planned_comment_is_tagged_with_the_language_of_its_text():
    for item in planned(3_000, seed=7):
        other = "es" if item.language == "en" else "en"
        assert words(item.body) & FUNCTION_WORDS[item.language], item.body
        assert not words(item.body) & FUNCTION_WORDS[other], (item.language, item.body)


def test_the_seeded_discussion_is_in_both_languages_as_stored(article):
    seed_discussion(article, comments=1_000, seed=8, end=END)
    comments = list(Comment.objects.filter(article=article).select_related("parent"))

    languages = Counter(comment.language for comment in comments)
    assert set(languages) == {"en", "es"}
    assert min(languages.values()) > 0.3 * len(comments)
    for comment in comments:
        assert not words(comment.body) & FUNCTION_WORDS["es" if comment.language == "en" else "en"]
    replies = [comment for comment in comments if comment.parent is not None]
    same = sum(reply.language == reply.parent.language for reply in replies)
    assert same > 0.6 * len(replies)


def test_every_reply_fits_its_thread(article):
    seed_discussion(article, comments=2_000, seed=3, end=END)

    replies = Comment.objects.filter(article=article, parent__isnull=False).select_related("parent")
    for reply in replies:
        parent = reply.parent
        assert reply.root_id == (parent.root_id or parent.pk)
        assert reply.depth == parent.depth + 1 <= settings.COMMENTS_MAX_DEPTH
        assert parent.created < reply.created
        # Replies are posted under published comments; some were rejected later.
        assert parent.status in (Comment.Status.APPROVED, Comment.Status.REJECTED)


def test_it_dates_every_comment_within_the_span_it_was_given(article):
    seeded = seed_discussion(article, comments=500, seed=4, end=END, span=timedelta(days=3))

    dates = Comment.objects.filter(article=article).values_list("created", flat=True)
    assert END - timedelta(days=3) <= min(dates) <= max(dates) <= END
    assert (seeded.start, seeded.end) == (END - timedelta(days=3), END)


def test_pending_comments_are_the_newest(article):
    seed_discussion(article, comments=3_000, seed=5, end=END)
    comments = Comment.objects.filter(article=article)

    recent = END - timedelta(hours=12)
    assert (
        comments.pending().filter(created__gte=recent).count()
        > 0.25 * comments.filter(created__gte=recent).count()
    )
    assert comments.pending().filter(created__lt=recent).count() < 0.05 * comments.count()


@pytest.mark.skipif(not has_fields("strategies"), reason="no strategy tags in this version")
def test_proposals_name_strategies_and_replies_do_not(article):
    seed_discussion(article, comments=1_000, seed=6, end=END)
    comments = Comment.objects.filter(article=article)

    assert comments.filter(parent=None, strategies__isnull=False).exists()
    assert not comments.filter(parent__isnull=False, strategies__isnull=False).exists()


@pytest.mark.skipif(
    not has_fields("ratings", "rating_count", "works_total", "respects_total"),
    reason="no ratings in this version",
)
def test_rating_totals_match_the_ratings(article):
    seed_discussion(article, comments=2_000, seed=7, end=END)

    rated = (
        Comment.objects.filter(article=article, rating_count__gt=0)
        .annotate(
            n=Count("ratings"), works=Sum("ratings__works"), respects=Sum("ratings__respects")
        )
        .values_list("rating_count", "n", "works_total", "works", "respects_total", "respects")
    )
    assert rated
    for count, n, works_total, works, respects_total, respects in rated:
        assert (count, works_total, respects_total) == (n, works, respects)


def test_threads_can_be_seeded_published_with_an_exact_size(article):
    seeded = seed_threads(article, replies=[500, 0, 3], seed=8, end=END)

    long_root, empty_root, short_root = seeded.root_ids
    assert Comment.objects.visible().filter(root=long_root).count() == 500
    assert not Comment.objects.filter(root=empty_root).exists()
    assert Comment.objects.filter(root=short_root).count() == 3
    assert set(Comment.objects.filter(article=article).values_list("status", flat=True)) == {
        Comment.Status.APPROVED
    }
    assert Comment.objects.filter(root=long_root).aggregate(deepest=Max("depth"))["deepest"] > 2


def test_the_command_seeds_the_article_and_says_what_it_did(article):
    out = StringIO()

    call_command("seed_discussion", "--comments", "120", "--seed", "3", stdout=out)

    assert Comment.objects.filter(article=article).count() == 120
    assert "Added 120 comments" in out.getvalue()
    assert article.title in out.getvalue()


def test_the_command_is_deterministic_for_a_seed(article):
    other = make_article(slug="other")
    call_command("seed_discussion", "--comments", "80", "--seed", "9", stdout=StringIO())
    call_command(
        "seed_discussion",
        "--comments",
        "80",
        "--seed",
        "9",
        "--article",
        "other",
        stdout=StringIO(),
    )

    # Seeded a moment apart: the same discussion, shifted in time.
    def content(a):
        return [row[:7] for row in shape(a)]

    assert content(article) == content(other)


def test_the_command_refuses_an_unknown_article(article):
    with pytest.raises(CommandError, match="no-such-article"):
        call_command("seed_discussion", "--comments", "5", "--article", "no-such-article")


def test_the_command_refuses_to_run_in_production(article, settings):
    settings.PRODUCTION = True

    with pytest.raises(CommandError, match="DJANGO_PRODUCTION"):
        call_command("seed_discussion", "--comments", "5")

    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("sql", "whole_table"),
    [
        ('SELECT COUNT(*) AS "__count" FROM "comments_comment"', True),
        ('SELECT "status", COUNT("id") AS "n" FROM "comments_comment" GROUP BY 1', True),
        ('SELECT COUNT(*) FROM (SELECT "comments_comment"."id" FROM "comments_comment") s', True),
        ('SELECT COUNT(*) FROM "comments_comment" WHERE "comments_comment"."status" = %s', False),
        (
            'SELECT "id", (SELECT COUNT(U0."id") FROM "comments_report" U0 WHERE U0."comment_id" '
            '= ("comments_comment"."id")) FROM "comments_comment" LIMIT 50',
            False,
        ),
        (
            'SELECT COUNT(*) FROM (SELECT "id", (SELECT 1 FROM "x" WHERE y) FROM "comments_comment"'
            ") s",
            True,
        ),
        ('SELECT COUNT(*) FROM "comments_report"', False),
    ],
)
def test_the_bench_recognises_a_count_over_the_whole_table(sql, whole_table):
    assert counts_whole_table(sql) is whole_table


def test_the_bench_runs_end_to_end_at_a_tiny_size(article):
    result = bench.run(sizes=QUICK, rounds=2, warmup=1, readings=1)
    found = report.verdicts(result)
    text = report.table(result, found)
    record = json.loads(json.dumps(report.record(result, found)))

    assert set(result.scenarios) == set(record["scenarios"])
    for key, scenario in record["scenarios"].items():
        assert len(scenario["samples_ms"]) == 2, key
        assert scenario["label"] in text
    assert record["scenarios"]["hello"]["queries"] == 0
    assert record["scenarios"]["post_empty"]["statuses"] == {"302": 3}
    assert Comment.objects.count() >= QUICK.comments
    assert len(record["targets"]) == len(found) == 8
    assert "targets met." in text
    # A reader read the whole large discussion, and saw every published comment of it.
    for kind in ("uncached", "cached"):
        reading = record["read_everything"][kind]
        assert reading["seen"] == result.published > 0, kind
        assert reading["statuses"] == {"200": reading["requests"]}, kind
        # Also in hellos, which compare across runs on a machine whose speed varies.
        hello = record["scenarios"]["hello"]["median_ms"]
        assert reading["hellos_per_comment"] == pytest.approx(
            reading["ms_per_comment"] / hello, rel=0.01
        )
    assert "read everything, uncached" in text


def test_the_bench_can_measure_the_whole_discussion_read_alone(article):
    result = bench.run(sizes=QUICK, rounds=1, warmup=0, only={"read_everything"}, readings=1)
    found = report.verdicts(result)

    assert set(result.scenarios) == {"hello"}
    assert [verdict.target for verdict in found] == [
        "reading the whole 200-comment discussion: ≤ 0.15 ms per comment uncached, "
        "every published comment reached"
    ]
    assert "every published comment" in report.table(result, found)


def _run(commit: str, **scenarios: tuple[float, int]) -> dict:
    return {
        "when": "2026-12-02T03:00:00+00:00",
        "environment": {"commit": commit, "database": "sqlite"},
        "scenarios": {
            key: {"label": f"the {key} page", "ratio_to_hello": ratio, "queries": queries}
            for key, (ratio, queries) in scenarios.items()
        },
    }


def test_a_run_is_compared_with_an_earlier_one_by_ratio_to_hello_and_queries():
    before = _run("abc1234", hello=(1.0, 0), thread=(100.0, 3), queue=(20.0, 3), gone=(5.0, 1))
    now = _run("def5678", hello=(1.0, 0), thread=(150.0, 3), queue=(20.0, 4), new=(2.0, 0))

    lines = report.comparison(now, before).splitlines()

    assert "abc1234" in lines[0] and "def5678" in lines[0]
    thread = next(line for line in lines if line.startswith("the thread page"))
    assert thread.split()[3:7] == ["100.00", "150.00", "1.50x", "3"]
    assert "CHANGED" not in thread
    queue = next(line for line in lines if line.startswith("the queue page"))
    assert queue.endswith("3 → 4  CHANGED")
    assert next(line for line in lines if line.startswith("the new page")).split()[3] == "new"
    assert lines[-1] == "Not measured now: the gone page"


def test_a_page_that_breaks_is_reported_and_the_bench_goes_on():
    def broken():
        raise RuntimeError("the template is missing")

    failing = Scenario("broken", "a broken page", broken)
    working = Scenario("working", "a working page", lambda: HttpResponse("fine"))

    bench.run_round([failing, working], random.Random(0), timed=True)  # noqa: S311

    assert failing.statuses == {"error": 1}
    assert failing.problems == ["raised RuntimeError: the template is missing"]
    assert working.statuses == {200: 1}
    assert len(working.samples) == 1


PLAN_FINGERPRINT = """
import hashlib, random, django
django.setup()
from benchmarks.seed_plan import plan, thread_sizes
rng = random.Random(5)
roots, items = plan(rng, thread_sizes(rng, 3_000), span=86_400.0, published=False, authors=900)
plan = [(i.offset, i.status, i.themes, i.body, i.sovereignty_mode) for i in items]
print(hashlib.sha256(repr(plan).encode()).hexdigest())
"""


def test_the_same_seed_gives_the_same_discussion_in_every_process():
    # Each Python process hashes strings differently (PYTHONHASHSEED).
    fingerprints = {
        subprocess.run(  # noqa: S603 (our own interpreter and code)
            [sys.executable, "-c", PLAN_FINGERPRINT],
            env={
                **os.environ,
                "PYTHONHASHSEED": hash_seed,
                "DJANGO_SETTINGS_MODULE": "sovereignty_forum.settings",
            },
            capture_output=True,
            text=True,
            check=True,
            cwd=settings.BASE_DIR,
        ).stdout
        for hash_seed in ("1", "2", "3")
    }

    assert len(fingerprints) == 1
