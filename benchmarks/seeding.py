"""A realistic discussion, the same one for the same seed, stored in bulk.

Real discussions are lopsided, and that is what the pages must survive: most
proposals get a reply or two, a few threads run to hundreds of replies, a
handful of readers write much of the text, nesting goes as deep as the site
allows, and the newest comments are still waiting for a moderator. The
generator draws all of that from one `random.Random(seed)`: thread sizes by
preferential attachment plus a few very long threads, replies in time order
under a parent chosen among the published comments before them (never below
`COMMENTS_MAX_DEPTH`: a reply there goes beside its parent, as the site
does), statuses that depend on age, bodies from a bank of sentences about the
article's strategies, reports, and — when the models have them — strategy
tags, the sovereignty mode of each proposal and readers' ratings with their
running totals.

Timestamps run up to `end` (now, unless given); everything else is a function
of the seed. Ids are allocated up front, in time order, so that one
`bulk_create` pass stores parents before their replies: seed a development or
benchmark database, not one that readers are writing to at the same moment.
Moderation history (ModerationDecision rows) is not generated: no page being
measured reads it, and it would double the rows to write.
"""

from __future__ import annotations

import hashlib
import random
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import islice

from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from articles.models import Article
from comments.models import Comment, Commenter, Report, Rule

APPROVED = Comment.Status.APPROVED
PENDING = Comment.Status.PENDING
REJECTED = Comment.Status.REJECTED
SPAM = Comment.Status.SPAM

DEFAULT_SPAN = timedelta(days=30)
# Rows built and written at a time: bounds memory at 100,000 comments.
CHUNK = 5_000

FIRST_NAMES = [
    ("Ana", "ana"), ("José", "jose"), ("María", "maria"), ("Luis", "luis"),
    ("Carmen", "carmen"), ("Jorge", "jorge"), ("Lucía", "lucia"), ("Miguel", "miguel"),
    ("Sofía", "sofia"), ("Diego", "diego"), ("Valeria", "valeria"), ("Andrés", "andres"),
    ("Fernanda", "fernanda"), ("Ricardo", "ricardo"), ("Paola", "paola"), ("Héctor", "hector"),
    ("Gabriela", "gabriela"), ("Raúl", "raul"), ("Ximena", "ximena"), ("Tomás", "tomas"),
    ("Sarah", "sarah"), ("James", "james"), ("Emily", "emily"), ("Michael", "michael"),
    ("Olivia", "olivia"), ("David", "david"), ("Grace", "grace"), ("Daniel", "daniel"),
    ("Hannah", "hannah"), ("Robert", "robert"), ("Priya", "priya"), ("Wei", "wei"),
    ("Amara", "amara"), ("Jonas", "jonas"), ("Inés", "ines"), ("Mateo", "mateo"),
]  # fmt: skip
LAST_NAMES = [
    ("García", "garcia"), ("Hernández", "hernandez"), ("López", "lopez"),
    ("Martínez", "martinez"), ("González", "gonzalez"), ("Pérez", "perez"),
    ("Rodríguez", "rodriguez"), ("Sánchez", "sanchez"), ("Ramírez", "ramirez"),
    ("Flores", "flores"), ("Torres", "torres"), ("Vargas", "vargas"), ("Castillo", "castillo"),
    ("Ortega", "ortega"), ("Núñez", "nunez"), ("Mendoza", "mendoza"), ("Smith", "smith"),
    ("Johnson", "johnson"), ("Brown", "brown"), ("Miller", "miller"), ("Davis", "davis"),
    ("Wilson", "wilson"), ("Anderson", "anderson"), ("Taylor", "taylor"), ("Moore", "moore"),
    ("Clark", "clark"), ("Nguyen", "nguyen"), ("Okafor", "okafor"), ("Schmidt", "schmidt"),
    ("Rossi", "rossi"),
]  # fmt: skip

# Sentences by the strategy they argue for; the keys are the slugs of the
# strategies the site ships with, so a proposal's tags match its text.
THEMES: dict[str, list[str]] = {
    "intelligence-sharing": [
        "Sharing intelligence in real time does more than any soldier could.",
        "Both countries already collect the data; what is missing is trust in sharing it.",
        "A joint intelligence cell, under Mexican command, would respect both sides.",
        "Intercambiar inteligencia no viola la soberanía de nadie.",
    ],
    "joint-investigations": [
        "Joint investigation teams, with prosecutors from both countries, build cases that hold.",
        "The cartels work across the border; the investigations have to as well.",
        "Extraditions only work when the evidence was gathered together from the start.",
    ],
    "police-and-courts": [
        "Without honest local police, every other strategy fails on the ground.",
        "Fund the courts: impunity is what makes trafficking cheap.",
        "Training and decent salaries for police are cheaper than any military operation.",
        "Sin jueces independientes, las detenciones no sirven de nada.",
    ],
    "economic-development": [
        "Young people join the cartels when there is no other job in town.",
        "Invest in the regions the cartels recruit from: schools, roads, credit.",
        "Development is slow, but it is the only strategy that lasts.",
    ],
    "demand-reduction": [
        "As long as the demand is in the United States, the supply will find a way.",
        "Treatment and public health at home would cut the cartels' income at the source.",
        "Washington should spend on addiction what it spends on interdiction.",
    ],
    "precursor-chemicals": [
        "Fentanyl starts with precursor chemicals; control the ports and the shipments.",
        "Track the chemicals from the factories, before they ever reach a lab.",
    ],
    "anti-money-laundering": [
        "Follow the money: freeze the accounts and the cartels lose their reach.",
        "Banks on both sides of the border still move cartel money with few questions.",
        "Seizing assets hurts the bosses more than arresting their soldiers.",
    ],
    "arms-trafficking": [
        "Most of the cartels' weapons come from the north; stopping them is a U.S. duty.",
        "Inspections of southbound traffic would save more lives than raids.",
    ],
    "anti-corruption": [
        "Corruption is the cartels' real protection; start with the officials who help them.",
        "Independent audits of police and customs would change more than new laws.",
        "La corrupción es el verdadero escudo de los cárteles.",
    ],
    "military-action": [
        "Some cartels are armies now, and only a military answer matches them.",
        "Foreign troops would unite Mexicans against them, not against the cartels.",
        "Military operations have been tried for years, and the violence only grew.",
    ],
}
THEME_WEIGHTS = {
    "intelligence-sharing": 9,
    "joint-investigations": 6,
    "police-and-courts": 8,
    "economic-development": 7,
    "demand-reduction": 8,
    "precursor-chemicals": 4,
    "anti-money-laundering": 7,
    "arms-trafficking": 5,
    "anti-corruption": 8,
    "military-action": 3,
}
GENERAL = [
    "Sovereignty is not an obstacle to cooperation; it is its condition.",
    "Any strategy has to be judged by whether violence actually goes down.",
    "We have heard these promises before, from both governments.",
    "The article is right that the relationship is at a turning point.",
    "Cooperation between equals is possible, but it has to be written down and verified.",
    "I live in Sinaloa, and what people here want first is safety.",
    "None of this works without measuring results and publishing them.",
    "Public opinion on both sides matters more than the politicians admit.",
    "La cooperación sí, la intervención no.",
    "It is not one strategy but the combination that counts.",
]
OPENERS = [
    "I agree with you.",
    "Respectfully, I see it differently.",
    "That is a fair point, but",
    "Exactly.",
    "Do you have a source for that?",
    "I used to think so too.",
    "Estoy de acuerdo.",
    "This is the key question.",
    "Not quite.",
]
# The fields of a Rating the generator fills in, when the model exists.
RATING_FIELDS = {"comment", "reader_key", "works", "respects", "created", "updated"}
REPORT_REASONS = ["spam", "abuse", "off_topic", "misinformation"]
SOVEREIGNTY_MODES = {
    # Mode: (weight for a proposal, mean "respects sovereignty" rating).
    "domestic": (35, 4.3),
    "bilateral": (35, 3.7),
    "multilateral": (18, 3.8),
    "unilateral": (4, 1.6),
    "": (8, 3.0),
}


@dataclass(frozen=True)
class Seeded:
    """What was stored: its threads in planning order, and how many comments of each status."""

    article: Article
    root_ids: list[int]
    statuses: Counter
    longest_thread: int
    start: datetime
    end: datetime

    @property
    def comments(self) -> int:
        return sum(self.statuses.values())

    @property
    def threads(self) -> int:
        return len(self.root_ids)


@dataclass(slots=True, eq=False)
class _Planned:
    offset: float
    parent: _Planned | None
    root: _Planned | None
    depth: int
    status: str
    author: int
    body: str
    themes: tuple[str, ...]
    featured: bool = False
    notify_replies: bool = False
    sovereignty_mode: str = ""
    ratings: list[tuple[int, int, int]] = field(default_factory=list)
    reports: list[tuple[int, str, bool]] = field(default_factory=list)
    # The comment the reader answered: the parent, unless that was at full depth.
    answered: _Planned | None = None
    pk: int = 0


def seed_discussion(
    article: Article,
    *,
    comments: int,
    seed: int = 0,
    end: datetime | None = None,
    span: timedelta = DEFAULT_SPAN,
) -> Seeded:
    """Add `comments` comments to `article`'s discussion, spread over `span` up to `end`."""
    rng = random.Random(seed)  # noqa: S311  (reproducible test data, not a secret)
    sizes = _thread_sizes(rng, comments)
    return _seed(article, rng, sizes, published=False, end=end, span=span)


def seed_threads(
    article: Article,
    *,
    replies: Sequence[int],
    seed: int = 0,
    end: datetime | None = None,
    span: timedelta = DEFAULT_SPAN,
) -> Seeded:
    """Add one published thread per item of `replies`, with that many published replies."""
    rng = random.Random(seed)  # noqa: S311  (reproducible test data, not a secret)
    return _seed(article, rng, list(replies), published=True, end=end, span=span)


def _thread_sizes(rng: random.Random, comments: int) -> list[int]:
    """Reply counts of the threads: a few very long ones, the rest by preferential attachment.

    Each reply joins a thread picked at random (40%) or the thread of an
    earlier reply (60%), so busy threads attract more replies and sizes
    follow a power law, as in real discussions.
    """
    sizes = []
    budget = comments
    for _ in range(comments // 25_000 + (comments >= 2_000)):
        size = min(rng.randint(300, 1_500), comments // 10)
        sizes.append(size)
        budget -= size + 1
    if budget <= 0:
        return sizes
    roots = max(1, round(budget * 0.4))
    counts = [0] * roots
    owners: list[int] = []
    for _ in range(budget - roots):
        if not owners or rng.random() < 0.4:
            thread = rng.randrange(roots)
        else:
            thread = owners[rng.randrange(len(owners))]
        counts[thread] += 1
        owners.append(thread)
    sizes.extend(counts)
    return sizes


def _seed(article, rng, sizes, *, published, end, span) -> Seeded:
    end = end or timezone.now()
    start = end - span
    authors = max(20, sum(sizes) // 3)
    roots, items = _plan(
        rng, sizes, span=span.total_seconds(), published=published, authors=authors
    )
    _store(article, items, start=start, end=end)
    return Seeded(
        article=article,
        root_ids=[root.pk for root in roots],
        statuses=Counter(item.status for item in items),
        longest_thread=max(sizes, default=0),
        start=start,
        end=end,
    )


def _plan(rng, sizes, *, span: float, published: bool, authors: int):
    max_depth = settings.COMMENTS_MAX_DEPTH
    themes, weights = list(THEME_WEIGHTS), list(THEME_WEIGHTS.values())
    modes = list(SOVEREIGNTY_MODES)
    mode_weights = [weight for weight, _mean in SOVEREIGNTY_MODES.values()]
    roots, items = [], []

    def status(offset: float, *, can_have_replies: bool) -> str:
        if published:
            return APPROVED
        if can_have_replies:
            # Replies were posted while it was published; a few were rejected since.
            return REJECTED if rng.random() < 0.03 else APPROVED
        # The newest comments still wait for a moderator; older ones were decided.
        if rng.random() < (0.4 if offset > span * 0.98 else 0.03):
            return PENDING
        draw = rng.random()
        return SPAM if draw < 0.015 else REJECTED if draw < 0.065 else APPROVED

    def author() -> int:
        # A few readers write much of the discussion.
        return int(authors * rng.random() ** 2)

    for size in sizes:
        # A long thread runs for most of the span, a short one for a day or so
        # (or less, for the threads started most recently).
        offset = rng.uniform(0, span)
        window = min(span * min(1.0, 0.03 + size / 600), span - offset)
        # In the order drawn: a set's order changes with each process's string hashing.
        root_themes = tuple(dict.fromkeys(rng.choices(themes, weights, k=rng.choice((1, 1, 2, 3)))))
        root = _Planned(
            offset=offset,
            parent=None,
            root=None,
            depth=1,
            status=status(offset, can_have_replies=size > 0),
            author=author(),
            body=_body(rng, root_themes, reply=False),
            themes=root_themes,
            notify_replies=rng.random() < 0.15,
        )
        root.sovereignty_mode = (
            rng.choice(("unilateral", "bilateral"))
            if "military-action" in root_themes
            else rng.choices(modes, mode_weights)[0]
        )
        root.featured = root.status == APPROVED and rng.random() < 0.004
        if root.status == APPROVED and rng.random() < 0.25:
            root.ratings = _ratings(rng, root.sovereignty_mode, authors)
        roots.append(root)
        items.append(root)
        # Replies can only be posted under published comments.
        parents = [root]
        for offset in sorted(rng.uniform(root.offset, root.offset + window) for _ in range(size)):
            if rng.random() < 0.45:
                parent = root
            else:
                parent = parents[-1 - min(len(parents) - 1, int(rng.expovariate(0.25)))]
            answered = parent
            if parent.depth >= max_depth:
                parent = parent.parent
            reply_themes = root_themes if rng.random() < 0.8 else (rng.choice(themes),)
            reply = _Planned(
                offset=offset,
                parent=parent,
                root=root,
                depth=parent.depth + 1,
                status=status(offset, can_have_replies=False),
                author=author(),
                body=_body(rng, reply_themes, reply=True),
                themes=(),
                notify_replies=rng.random() < 0.15,
                answered=answered,
            )
            if reply.status == APPROVED or (reply.status == REJECTED and rng.random() < 0.3):
                parents.append(reply)
            items.append(reply)
    for item in items:
        if item.status == APPROVED and rng.random() < 0.004:
            readers = rng.sample(range(authors), rng.choice((1, 1, 2)))
            item.reports = [
                (reader, rng.choice(REPORT_REASONS), rng.random() < 0.5) for reader in readers
            ]
    return roots, items


def _body(rng: random.Random, themes: Sequence[str], *, reply: bool) -> str:
    count = 1 + min(int(rng.expovariate(1 / 2.2)), 10)
    if rng.random() < 0.02:
        count = rng.randint(12, 24)  # the occasional essay
    sentences = [rng.choice(OPENERS)] if reply else []
    for _ in range(count):
        bank = THEMES[rng.choice(themes)] if themes and rng.random() < 0.7 else GENERAL
        sentences.append(rng.choice(bank))
    paragraphs = []
    while sentences:
        size = rng.randint(1, 4)
        paragraphs.append(" ".join(sentences[:size]))
        del sentences[:size]
    return "\n\n".join(paragraphs)


def _ratings(rng: random.Random, mode: str, authors: int) -> list[tuple[int, int, int]]:
    count = min(int(rng.paretovariate(1.3)), 200, authors)
    works_mean = rng.uniform(2.0, 4.5)
    respects_mean = SOVEREIGNTY_MODES[mode][1]

    def score(mean: float) -> int:
        return max(1, min(5, round(rng.gauss(mean, 1.0))))

    return [
        (reader, score(works_mean), score(respects_mean))
        for reader in rng.sample(range(authors), count)
    ]


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


def _store(article: Article, items: list[_Planned], *, start: datetime, end: datetime) -> None:
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
        if (
            strategies_field is not None
            and strategies_field.remote_field.through._meta.auto_created
        ):
            _store_tags(items, strategies_field)
        if rating_model is not None and _field_names(rating_model) >= RATING_FIELDS:
            _store_ratings(items, start, end, rating_model)
        # Rows written in bulk went around the discussion's counters.
        Article.objects.filter(pk=article.pk).mark_changed()
        Article.objects.filter(pk=article.pk).recount()


def _field_names(model) -> set[str]:
    return {f.name for f in model._meta.get_fields()}


def _chunks(items: list, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _comment(article: Article, item: _Planned, start: datetime, fields: set[str]) -> Comment:
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
        values["works_total"] = sum(works for _reader, works, _respects in item.ratings)
        values["respects_total"] = sum(respects for _reader, _works, respects in item.ratings)
    return Comment(**values)


def _store_commenters(items: list[_Planned], start: datetime) -> None:
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


def _store_reports(items: list[_Planned], start: datetime, end: datetime) -> None:
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


def _store_tags(items: list[_Planned], strategies_field) -> None:
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


def _store_ratings(items: list[_Planned], start: datetime, end: datetime, rating_model) -> None:
    ratings = []
    for item in items:
        rated = min(start + timedelta(seconds=item.offset, hours=1), end)
        for reader, works, respects in item.ratings:
            ratings.append(
                rating_model(
                    comment_id=item.pk,
                    reader_key=_reader_key(reader),
                    works=works,
                    respects=respects,
                    created=rated,
                    updated=rated,
                )
            )
    rating_model.objects.bulk_create(ratings, batch_size=1_000)
