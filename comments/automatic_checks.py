"""The automatic checks every new or edited comment goes through.

Each check that decides returns a Verdict naming its rule, so moderators can
always see why a comment was held, published, rejected or marked as spam.
"""

import functools
import re
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from publicsuffixlist import PublicSuffixList

from articles.models import Article

from .models import Block, Comment, Commenter, ModerationDecision, Rule, WordRule
from .shared_copies import SharedCopy

# A link written out, with its scheme or www.; or something shaped like a
# bare domain (spammers leave out the scheme), which counts when it ends in a
# public suffix: labels of any script joined by dots ("e.g.", "U.S.", "3.5"
# are no domains, "bit.ly" and "ejemplo.рф" are).
LINK = re.compile(
    r"(?:https?://|www\.)[^\s<>\"']+|(?<![\w.-])(?P<domain>[\w-]+(?:\.[\w-]+)+)",
    re.IGNORECASE,
)
# Browsers read these as the dot of a domain name too (IDNA, UTS #46).
DOTS = str.maketrans({"\uff0e": ".", "\u3002": ".", "\uff61": "."})


@functools.cache
def public_suffixes() -> PublicSuffixList:
    """The public suffix list the publicsuffixlist package ships (read once; never fetched)."""
    return PublicSuffixList(accept_unknown=False)


@dataclass(frozen=True)
class Verdict:
    status: str
    rule: str
    detail: str = ""

    @property
    def publishes(self) -> bool:
        return self.status == Comment.Status.APPROVED


def fold(text: str) -> str:
    """Lower-case `text` and strip its accents, so "Cártel" and "CARTEL" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text)
    # Accents go, and so do invisible format characters (zero-width spaces,
    # soft hyphens) that would otherwise split a banned word in two.
    return "".join(
        c for c in decomposed if not unicodedata.combining(c) and unicodedata.category(c) != "Cf"
    ).casefold()


def count_links(text: str) -> int:
    """How many links `text` holds, written out or as a bare domain of any public suffix."""
    # Full-width letters and dots are read as the plain ones, as browsers do.
    text = unicodedata.normalize("NFKC", text).translate(DOTS)
    suffixes = public_suffixes()
    return sum(
        1
        for link in LINK.finditer(text)
        if link["domain"] is None
        or suffixes.privatesuffix(link["domain"].lower(), accept_unknown=False) is not None
    )


def matching_word_rule(text: str, rules: list[WordRule]) -> WordRule | None:
    """The most severe rule whose phrase appears in `text` as whole words."""
    folded = fold(text)
    # Keyed by the stored value: a rule's `action` is read from the database as a str.
    severity: dict[str, int] = {
        WordRule.Action.SPAM: 0,
        WordRule.Action.REJECT: 1,
        WordRule.Action.HOLD: 2,
    }
    for rule in sorted(rules, key=lambda rule: severity[rule.action]):
        phrase = r"\s+".join(re.escape(word) for word in fold(rule.phrase).split())
        if phrase and re.search(rf"(?<!\w){phrase}(?!\w)", folded):
            return rule
    return None


# Word rules and blocks are read on every post and change a few times a
# month: the shared cache keeps them until a moderator edits them.
WORD_RULES = SharedCopy("moderation:word-rules", lambda: list(WordRule.objects.all()))
BLOCKS = SharedCopy("moderation:blocks", lambda: list(Block.objects.all()))


def forget_rules() -> None:
    WORD_RULES.forget()
    BLOCKS.forget()


def is_blocked(*, email: str, ip_address: str | None) -> bool:
    blocks = BLOCKS.get()
    return any(block.matches(email=email, ip_address=ip_address) for block in blocks)


def assess(
    *, article: Article, email: str, body: str, author_name: str = "", reader_key: str = ""
) -> Verdict:
    """Decide what happens to a new or edited comment before anyone has read it."""
    rules = WORD_RULES.get()
    # The name is published too: it goes through the same word rules.
    word_rule = matching_word_rule(f"{author_name}\n{body}", rules)
    if word_rule is not None:
        statuses: dict[str, str] = {
            WordRule.Action.SPAM: Comment.Status.SPAM,
            WordRule.Action.REJECT: Comment.Status.REJECTED,
            WordRule.Action.HOLD: Comment.Status.PENDING,
        }
        status = statuses[word_rule.action]
        rule = Rule.SUSPECT_WORD if status == Comment.Status.PENDING else Rule.BANNED_WORD
        return Verdict(status, rule, word_rule.phrase)
    links = count_links(body)
    if links > settings.COMMENTS_MAX_LINKS:
        return Verdict(
            Comment.Status.PENDING, Rule.TOO_MANY_LINKS, f"{links}/{settings.COMMENTS_MAX_LINKS}"
        )
    if not article.is_post_moderated:
        return Verdict(Comment.Status.PENDING, Rule.PRE_MODERATION)
    return trust_verdict(email, reader_key)


def trust_verdict(email: str, reader_key: str = "") -> Verdict:
    """Post-moderation publishes only commenters whose record has earned it.

    Anyone can type an address, so trust also asks for the browser: the
    address's approved comments must include one posted from this browser.
    """
    since = timezone.now() - timedelta(days=settings.COMMENTS_TRUST_REJECTION_DAYS)
    approved = Q(status=Comment.Status.APPROVED)
    record = Comment.objects.by_email(email).aggregate(
        approved=Count("id", filter=approved),
        from_this_browser=Count("id", filter=approved & Q(reader_key=reader_key or None)),
    )
    if record["approved"] == 0:
        return Verdict(Comment.Status.PENDING, Rule.FIRST_TIME)
    if not Commenter.objects.filter(email=email, confirmed__isnull=False).exists():
        return Verdict(Comment.Status.PENDING, Rule.UNCONFIRMED)
    if not record["from_this_browser"]:
        return Verdict(Comment.Status.PENDING, Rule.OTHER_BROWSER)
    # When the moderators decided counts, not when the comment was written.
    recent_rejections = ModerationDecision.objects.filter(
        comment__author_email=email,
        to_status__in=[Comment.Status.REJECTED, Comment.Status.SPAM],
        created__gte=since,
    )
    if recent_rejections.exists():
        return Verdict(Comment.Status.PENDING, Rule.RECENT_REJECTION)
    if record["approved"] < settings.COMMENTS_TRUST_MIN_APPROVED:
        return Verdict(
            Comment.Status.PENDING,
            Rule.NOT_YET_TRUSTED,
            f"{record['approved']}/{settings.COMMENTS_TRUST_MIN_APPROVED}",
        )
    return Verdict(Comment.Status.APPROVED, Rule.TRUSTED)


def describe(rule: str, detail: str) -> str:
    """The reason a rule gives, in the moderator's language.

    Details are stored as figures ("3/2") or the matched phrase, so that
    each moderator reads them in their own language.
    """
    try:
        label = str(Rule(rule).label)
    except ValueError:
        # Rule.values would translate every rule's label to check one.
        label = rule
    if not detail:
        return label
    figures = detail.split("/")
    if rule == Rule.TOO_MANY_LINKS and len(figures) == 2:
        detail = ngettext(
            "%(count)s link (limit %(limit)s)", "%(count)s links (limit %(limit)s)", int(figures[0])
        ) % {"count": figures[0], "limit": figures[1]}
    elif rule == Rule.NOT_YET_TRUSTED and len(figures) == 2:
        detail = gettext("%(approved)s of %(needed)s approved") % {
            "approved": figures[0],
            "needed": figures[1],
        }
    elif rule == Rule.REPORTS and detail.isdigit():
        # The detail counts readers (client networks), as the hiding does, not reports.
        detail = ngettext("%(count)s reader", "%(count)s different readers", int(detail)) % {
            "count": detail
        }
    return f"{label}: {detail}"
