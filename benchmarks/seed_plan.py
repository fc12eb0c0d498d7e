"""The plan of a seeded discussion: its threads, who wrote what when, and what became of it.

Everything is drawn from the one `random.Random` given, in a fixed order, so
the same seed plans the same discussion in every process.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings

from comments.models import Comment

from .seed_opinion import proposal_ratings
from .seed_text import LANGUAGES, THEME_WEIGHTS, Writer

APPROVED = Comment.Status.APPROVED
PENDING = Comment.Status.PENDING
REJECTED = Comment.Status.REJECTED
SPAM = Comment.Status.SPAM

REPORT_REASONS = ["spam", "abuse", "off_topic", "misinformation"]
# Mode: weight for a proposal (how each moves the ratings is in seed_opinion).
SOVEREIGNTY_MODES = {"domestic": 35, "bilateral": 35, "multilateral": 18, "unilateral": 4, "": 8}


@dataclass(slots=True, eq=False)
class Planned:
    """One comment of the plan, its offset in seconds into the span; its id comes when stored."""

    offset: float
    parent: Planned | None
    root: Planned | None
    depth: int
    status: str
    author: int
    body: str
    themes: tuple[str, ...]
    # The language its text is written in.
    language: str = "en"
    featured: bool = False
    notify_replies: bool = False
    sovereignty_mode: str = ""
    # (reader, would it work, respects sovereignty, the reader's language).
    ratings: list[tuple[int, int, int, str]] = field(default_factory=list)
    reports: list[tuple[int, str, bool]] = field(default_factory=list)
    # The comment the reader answered: the parent, unless that was at full depth.
    answered: Planned | None = None
    pk: int = 0


def thread_sizes(rng: random.Random, comments: int) -> list[int]:
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


def plan(
    rng: random.Random, sizes: Sequence[int], *, span: float, published: bool, authors: int
) -> tuple[list[Planned], list[Planned]]:
    """The threads (one per item of `sizes`, that many replies each) and every comment, planned.

    Statuses depend on age and on whether a comment has replies; replies go
    under published comments, beside their parent once it is at full depth.
    """
    max_depth = settings.COMMENTS_MAX_DEPTH
    themes, weights = list(THEME_WEIGHTS), list(THEME_WEIGHTS.values())
    modes = list(SOVEREIGNTY_MODES)
    mode_weights = list(SOVEREIGNTY_MODES.values())
    roots: list[Planned] = []
    items: list[Planned] = []
    writer = Writer()

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
        # Readers on both sides of the border: about half write in Spanish.
        language = rng.choice(LANGUAGES)
        root = Planned(
            offset=offset,
            parent=None,
            root=None,
            depth=1,
            status=status(offset, can_have_replies=size > 0),
            author=author(),
            body=writer.comment_body(rng, language, root_themes, reply=False),
            themes=root_themes,
            language=language,
            notify_replies=rng.random() < 0.15,
        )
        root.sovereignty_mode = (
            rng.choice(("unilateral", "bilateral"))
            if "military-action" in root_themes
            else rng.choices(modes, mode_weights)[0]
        )
        root.featured = root.status == APPROVED and rng.random() < 0.004
        if root.status == APPROVED and rng.random() < 0.25:
            root.ratings = _ratings(rng, root_themes, root.sovereignty_mode, authors)
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
            if parent.depth >= max_depth and parent.parent is not None:
                parent = parent.parent
            reply_themes = root_themes if rng.random() < 0.8 else (rng.choice(themes),)
            # Most answer in the language they were addressed in.
            language = (
                answered.language if rng.random() < 0.8 else _other_language(answered.language)
            )
            reply = Planned(
                offset=offset,
                parent=parent,
                root=root,
                depth=parent.depth + 1,
                status=status(offset, can_have_replies=False),
                author=author(),
                body=writer.comment_body(rng, language, reply_themes, reply=True),
                themes=(),
                language=language,
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


def _other_language(language: str) -> str:
    return next(code for code in LANGUAGES if code != language)


def _ratings(
    rng: random.Random, themes: Sequence[str], mode: str, authors: int
) -> list[tuple[int, int, int, str]]:
    # Most rated proposals have a handful of raters, a few have many.
    count = min(int(rng.paretovariate(1.2) * 3), 200, authors)
    return proposal_ratings(rng, themes, mode, rng.sample(range(authors), count))
