"""The tables of the discussion, the moderators' desk, the board and the commenters.

Every model keeps the app label `comments` (its table, content type and
permissions). Django finds the models by importing this package; the rest of
the site imports them from here (`from comments.models import Comment`).
"""

from .comments import (
    EXCERPT_LENGTH,
    SAMPLE_ID,
    WAITING_COUNT,
    Block,
    Comment,
    Commenter,
    CommentQuerySet,
    CommentStanding,
    ModerationDecision,
    ModerationDecisionQuerySet,
    Rating,
    RatingQuerySet,
    Reason,
    Report,
    ReportQuerySet,
    Rule,
    SovereigntyMode,
    Strategy,
    WordRule,
    WrittenText,
    comment_url,
    comment_url_pattern,
    excerpt,
    shown_version,
)

__all__ = [
    "EXCERPT_LENGTH",
    "SAMPLE_ID",
    "WAITING_COUNT",
    "Block",
    "Comment",
    "CommentQuerySet",
    "CommentStanding",
    "Commenter",
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
