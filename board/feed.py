"""An article's published replies as Atom feeds: all of them, or those written in one language.

Each feed is paged (RFC 5005, "Paged Feeds"): its address gives the replies approved most
recently, PAGE_SIZE of them, and a `next` link leads to the older ones, `?page=2` and on.
Entries are ordered by the moment their text as readers see it was approved (`updated`), then
by id, so that a reply approved today after waiting a week is on the first page, where feed
readers look, and an approved edit brings its reply back there. A page costs two queries (the
article, the page) whatever the number of replies.

Each entry says the language it is written in (`xml:lang`). A feed of one language is written
in that language, its title and subtitle too, whatever the browser asks for; the feed of every
language speaks the reader's language, like the site's other shared addresses.
"""

import re
from dataclasses import dataclass
from datetime import datetime

from django.contrib.syndication.views import Feed
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import linebreaks
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.models import Article
from comments.models import Comment, ModerationDecision

PAGE_SIZE = 50
# What a feed of one language says of itself after the article's question.
WRITTEN_IN = {
    "en": gettext_lazy("Replies written in English."),
    "es": gettext_lazy("Replies written in Spanish."),
}
# Page numbers as a person or a feed reader writes them; anything else is no page.
_PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,8}")


@dataclass(frozen=True)
class RepliesPage:
    """One page of one feed: what the feed's methods draw."""

    article: Article
    # The language the replies are written in; "" for every language.
    language: str
    number: int
    replies: list[Comment]
    has_next: bool
    # The feed's absolute address, without a page.
    address: str

    def page_address(self, number: int) -> str:
        return self.address if number == 1 else f"{self.address}?page={number}"


def text_approved():
    """When the text readers see of a comment was approved: its latest move into the published
    status (a first approval, or coming back after readers' reports hid it), or the
    publication of an edit (`edited`), whichever is later.

    A decision about an edit of a published comment leaves its status as it was, so it is not
    a move into the published status: an edit refused, or still waiting, changes nothing here.
    A comment with no decision recorded (stored before decisions were) counts from its posting.
    """
    published = (
        ModerationDecision.objects.filter(comment=OuterRef("pk"), to_status=Comment.Status.APPROVED)
        .exclude(from_status=Comment.Status.APPROVED)
        .order_by("-created")
        .values("created")[:1]
    )
    approved = Coalesce(Subquery(published), F("created"))
    return Greatest(Coalesce(F("edited"), approved), approved)


class PagedAtom1Feed(Atom1Feed):
    """Atom with each entry's language and the links between a feed's pages (RFC 5005)."""

    def add_root_elements(self, handler) -> None:
        super().add_root_elements(handler)
        for rel, href in self.feed["pages"]:
            handler.addQuickElement("link", "", {"rel": rel, "href": href})

    def item_attributes(self, item) -> dict[str, str]:
        return {"xml:lang": item["language"]}


class RepliesFeed(Feed):
    """An article's published replies, most recently approved first, a page at a time."""

    feed_type = PagedAtom1Feed

    def __call__(self, request: HttpRequest, *args, **kwargs):
        language = kwargs.get("language")
        if not language:
            return super().__call__(request, *args, **kwargs)
        # The feed of one language is written in it: Django reads the active language for the
        # feed's xml:lang, and gettext for its title.
        with translation.override(language):
            return super().__call__(request, *args, **kwargs)

    def get_object(self, request: HttpRequest, slug: str, language: str = "") -> RepliesPage:
        number = _page_number(request.GET.get("page"))
        text_language = language or translation.get_language()
        article = get_object_or_404(
            Article.objects.published().in_language(text_language), slug=slug
        )
        replies = Comment.objects.for_article(article).visible()
        if language:
            replies = replies.filter(language=language)
        start = (number - 1) * PAGE_SIZE
        found = list(
            replies.annotate(text_approved=text_approved()).order_by("-text_approved", "-id")[
                start : start + PAGE_SIZE + 1
            ]
        )
        if number > 1 and not found:
            raise Http404
        address = request.build_absolute_uri(
            reverse("board:feed-in", kwargs={"slug": slug, "language": language})
            if language
            else reverse("board:feed", kwargs={"slug": slug})
        )
        return RepliesPage(
            article=article,
            language=language,
            number=number,
            replies=found[:PAGE_SIZE],
            has_next=len(found) > PAGE_SIZE,
            address=address,
        )

    def title(self, page: RepliesPage) -> str:
        return _("Replies to “%(title)s”") % {"title": page.article.in_reader_language.title}

    def subtitle(self, page: RepliesPage) -> str:
        question = page.article.in_reader_language.question
        if not page.language:
            return question
        return f"{question} {WRITTEN_IN[page.language]}"

    def link(self, page: RepliesPage) -> str:
        if page.language:
            return page.article.url_in(page.language)
        return page.article.get_absolute_url()

    def feed_url(self, page: RepliesPage) -> str:
        return page.page_address(page.number)

    def feed_extra_kwargs(self, page: RepliesPage) -> dict:
        links = [("first", page.page_address(1))]
        if page.number > 1:
            links.append(("previous", page.page_address(page.number - 1)))
        if page.has_next:
            links.append(("next", page.page_address(page.number + 1)))
        return {"pages": links}

    def items(self, page: RepliesPage) -> list[Comment]:
        return page.replies

    def item_title(self, comment: Comment) -> str:
        return _("%(name)s: %(excerpt)s") % {
            "name": comment.author_name,
            "excerpt": comment.excerpt,
        }

    def item_description(self, comment: Comment) -> str:
        # Feed readers render this as HTML: the reader's text is escaped first.
        return linebreaks(comment.body, autoescape=True)

    def item_link(self, comment: Comment) -> str:
        return comment.get_absolute_url()

    def item_author_name(self, comment: Comment) -> str:
        return comment.author_name

    def item_pubdate(self, comment: Comment) -> datetime:
        return comment.created

    def item_updateddate(self, comment: Comment) -> datetime:
        return comment.text_approved  # type: ignore[attr-defined]

    def item_extra_kwargs(self, comment: Comment) -> dict:
        return {"language": comment.language}


def _page_number(value: str | None) -> int:
    if value is None:
        return 1
    if not _PAGE_NUMBER.fullmatch(value):
        raise Http404
    return int(value)
