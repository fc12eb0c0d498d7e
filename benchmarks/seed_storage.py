"""Writing a planned discussion in bulk: comments, commenters, reports, tags and ratings.

Ids are allocated up front, in time order, so that one `bulk_create` pass
stores parents before their replies. The strategy tags and the ratings are
written when the models have them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import datetime, timedelta
from itertools import islice

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max

from articles.models import Article
from comments.counters import recount
from comments.models import Comment, Commenter, Report, Rule

from .seed_plan import PENDING, Planned
from .seed_text import FIRST_NAMES, LAST_NAMES

# Rows built and written at a time: bounds memory at 100,000 comments.
CHUNK = 5_000
# The fields of a Rating the generator fills in, when the model exists.
RATING_FIELDS = {"comment", "reader_key", "works", "respects", "created", "updated"}


def store(article: Article, items: list[Planned], *, start: datetime, end: datetime) -> None:
    # Stable sort: a reply planned at the same instant as its parent stays after it.
    items.sort(key=lambda item: item.offset)
    fields = _field_names(Comment)
    strategies_field = Comment._meta.get_field("strategies") if "strategies" in fields else None
    rating_model = _optional_model("Rating")
    with transaction.atomic():
        first_pk = (Comment.objects.aggregate(last=Max("pk"))["last"] or 0) + 1
        for position, item in enumerate(items):
            item.pk = first_pk + position
        for chunk in _chunks(items, CHUNK):
            Comment.objects.bulk_create(
                [_comment(article, item, start, fields) for item in chunk], batch_size=1_000
            )
        # Explicit ids leave PostgreSQL's sequence behind; this moves it past them.
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [Comment]):
                cursor.execute(sql)
        _store_commenters(items, start)
        _store_reports(items, start, end)
        through = strategies_field.remote_field.through if strategies_field is not None else None
        if through is not None and through._meta.auto_created:
            _store_tags(items, strategies_field)
        if rating_model is not None and _field_names(rating_model) >= RATING_FIELDS:
            _store_ratings(items, start, end, rating_model)
        # Rows written in bulk went around the discussion's counters.
        Article.objects.filter(pk=article.pk).mark_changed()
        recount(Article.objects.filter(pk=article.pk))


def _person(index: int) -> tuple[str, str]:
    first, first_ascii = FIRST_NAMES[index % len(FIRST_NAMES)]
    last, last_ascii = LAST_NAMES[index // len(FIRST_NAMES) % len(LAST_NAMES)]
    return f"{first} {last}", f"{first_ascii}.{last_ascii}.{index}@example.org"


def _reader_key(index: int) -> str:
    return hashlib.sha256(f"seeded-reader-{index}".encode()).hexdigest()


def _ip_address(index: int) -> str:
    return f"10.{index >> 16 & 255}.{index >> 8 & 255}.{index & 255}"


def _optional_model(name: str):
    try:
        return apps.get_model("comments", name)
    except LookupError:
        return None


def _field_names(model) -> set[str]:
    return {f.name for f in model._meta.get_fields()}


def _chunks(items: list, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _comment(article: Article, item: Planned, start: datetime, fields: set[str]) -> Comment:
    name, email = _person(item.author)
    values = {
        "id": item.pk,
        "article": article,
        "parent_id": item.parent.pk if item.parent else None,
        "root_id": item.root.pk if item.root else None,
        "depth": item.depth,
        "author_name": name,
        "author_email": email,
        "body": item.body,
        "language": item.language,
        "status": item.status,
        "rule": Rule.PRE_MODERATION if item.status == PENDING else "",
        "featured": item.featured,
        "notify_replies": item.notify_replies,
        "created": start + timedelta(seconds=item.offset),
        "reader_key": _reader_key(item.author),
        "ip_address": _ip_address(item.author),
    }
    if "replying_to" in fields and item.answered is not None:
        values["replying_to_id"] = item.answered.pk
    if "sovereignty_mode" in fields and item.parent is None:
        values["sovereignty_mode"] = item.sovereignty_mode
    if item.ratings and {"rating_count", "works_total", "respects_total"} <= fields:
        values["rating_count"] = len(item.ratings)
        values["works_total"] = sum(rating[1] for rating in item.ratings)
        values["respects_total"] = sum(rating[2] for rating in item.ratings)
    return Comment(**values)


def _store_commenters(items: list[Planned], start: datetime) -> None:
    first_seen: dict[int, float] = {}
    for item in items:
        first_seen.setdefault(item.author, item.offset)
    commenters = []
    for index, offset in first_seen.items():
        seen = start + timedelta(seconds=offset)
        # Most readers confirm their address; the same ones every time.
        confirmed = seen + timedelta(minutes=5) if index % 10 < 7 else None
        commenters.append(
            Commenter(
                email=_person(index)[1], created=seen, confirmation_sent=seen, confirmed=confirmed
            )
        )
    Commenter.objects.bulk_create(commenters, batch_size=1_000, ignore_conflicts=True)


def _store_reports(items: list[Planned], start: datetime, end: datetime) -> None:
    reports = []
    for item in items:
        reported = min(start + timedelta(seconds=item.offset, hours=2), end)
        for reader, reason, resolved in item.reports:
            reports.append(
                Report(
                    comment_id=item.pk,
                    reason=reason,
                    reader_key=_reader_key(reader),
                    ip_address=_ip_address(reader),
                    created=reported,
                    resolved=min(reported + timedelta(hours=3), end) if resolved else None,
                )
            )
    Report.objects.bulk_create(reports, batch_size=1_000)


def _store_tags(items: list[Planned], strategies_field) -> None:
    """Tag each proposal with the strategies its text argues for, where the site has them."""
    through = strategies_field.remote_field.through
    strategy_ids = dict(strategies_field.related_model.objects.values_list("slug", "pk"))
    source = strategies_field.m2m_field_name()
    target = strategies_field.m2m_reverse_field_name()
    tags = [
        through(**{f"{source}_id": item.pk, f"{target}_id": strategy_ids[theme]})
        for item in items
        for theme in item.themes
        if theme in strategy_ids
    ]
    through.objects.bulk_create(tags, batch_size=1_000)


def _store_ratings(items: list[Planned], start: datetime, end: datetime, rating_model) -> None:
    ratings = []
    # The rater's language group, where ratings record it.
    languages = "language" in _field_names(rating_model)
    for item in items:
        rated = min(start + timedelta(seconds=item.offset, hours=1), end)
        for reader, works, respects, language in item.ratings:
            ratings.append(
                rating_model(
                    comment_id=item.pk,
                    reader_key=_reader_key(reader),
                    works=works,
                    respects=respects,
                    created=rated,
                    updated=rated,
                    **({"language": language} if languages else {}),
                )
            )
    rating_model.objects.bulk_create(ratings, batch_size=1_000)
