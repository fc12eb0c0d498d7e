"""The tables of the discussion, the moderators' desk, the board and the commenters.

Every model keeps the app label `comments` (its table, content type and
permissions). Django finds the models by importing this package; the rest of
the site imports them from here (`from comments.models import Comment`).
"""

from .commenters import Commenter
from .comments import (
    WAITING_COUNT,
    Comment,
    CounterChange,
    ModerationDecision,
    ModerationDecisionQuerySet,
    Reason,
)
from .links import SAMPLE_ID, comment_url, comment_url_pattern
from .querysets import ARTICLE_LANGUAGES, ARTICLE_TRANSLATION, CommentQuerySet
from .ratings import Rating, RatingQuerySet
from .reports import Report, ReportQuerySet
from .rules import Block, Rule, WordRule
from .standing import CommentStanding, CommentStatus
from .strategies import SovereigntyMode, Strategy
from .text import EXCERPT_LENGTH, WrittenText, excerpt, shown_version

__all__ = [
    "ARTICLE_LANGUAGES",
    "ARTICLE_TRANSLATION",
    "EXCERPT_LENGTH",
    "SAMPLE_ID",
    "WAITING_COUNT",
    "Block",
    "Comment",
    "CommentQuerySet",
    "CommentStanding",
    "CommentStatus",
    "Commenter",
    "CounterChange",
    "ModerationDecision",
    "ModerationDecisionQuerySet",
    "Rating",
    "RatingQuerySet",
    "Reason",
    "Report",
    "ReportQuerySet",
    "Rule",
    "SovereigntyMode",
    "Strategy",
    "WordRule",
    "WrittenText",
    "comment_url",
    "comment_url_pattern",
    "excerpt",
    "shown_version",
]
