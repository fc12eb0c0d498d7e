"""Reading the discussion as threads, in a fixed number of queries.

A page of threads costs three queries whatever the size of the discussion:
the counts, the page of top-level comments, and the first replies of those
threads (one windowed query). A page of a thread costs two: its shape, then
the comments it shows (comments.branches lays the page out). The tree is
assembled in Python from rows already in time order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields
from datetime import datetime
from functools import cached_property

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, F, OuterRef, Q, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from articles.compiled_queries import CompiledQuery
from articles.models import ARTICLE_COLUMNS, TRANSLATION_COLUMNS, Article, article_from_row
from articles.page_cache import ArticleState

from .branches import Layout, Skeleton, lay_out, locate, read_skeleton
from .models import (
    ARTICLE_LANGUAGES,
    ARTICLE_TRANSLATION,
    Comment,
    CommentQuerySet,
    CommentStanding,
    Strategy,
    WrittenText,
)


class Sort:
    NEWEST = "newest"
    OLDEST = "oldest"
    SUPPORTED = "supported"
    # Liked by readers in every language (models.agreement), not only by the most numerous.
    COMMON_GROUND = "common-ground"
    # Editors' picks, newest first: a view of their own rather than pinned above every order.
    PICKS = "picks"
    CHOICES = (NEWEST, OLDEST, SUPPORTED, COMMON_GROUND, PICKS)
    DEFAULT = NEWEST

    @classmethod
    def parse(cls, value: str | None) -> str:
        return value if value in cls.CHOICES else cls.DEFAULT


@dataclass(slots=True, eq=False)
class ShownReply(WrittenText, CommentStanding):
    """A reply as thread pages show it, read as a row: a long thread built a model
    instance for each of its replies in more time than its query took."""

    pk: int
    parent_id: int
    root_id: int
    created: datetime
    author_name: str
    body: str
    pending_body: str
    language: str
    status: str
    featured: bool
    reader_key: str
    # Whom it answers, when that is not its parent (CommentQuerySet.with_answered_name).
    answered_name: str


SHOWN_REPLY_COLUMNS = [column.name for column in fields(ShownReply)]


def _read_replies(replies, *extra: str) -> Iterator[tuple[ShownReply, tuple]]:
    """Each of `replies` as a ShownReply, with the values of its `extra` columns."""
    width = len(SHOWN_REPLY_COLUMNS)
    for row in replies.with_answered_name().values_list(*SHOWN_REPLY_COLUMNS, *extra):
        yield ShownReply(*row[:width]), row[width:]


@dataclass
class Node:
    """A comment and its replies; `comment` is None for a parent that readers may not see."""

    comment: Comment | ShownReply | None
    children: list[Node] = field(default_factory=list)
    # Its id (a placeholder's too), and how many replies below it its page leaves out.
    pk: int = 0
    more: int = 0


@dataclass
class Thread:
    root: Node
    reply_count: int
    shown_reply_count: int

    @property
    def hidden_reply_count(self) -> int:
        return self.reply_count - self.shown_reply_count

    root_id: int = 0
    # On a thread's own pages: which page of the replies to which comment it is.
    layout: Layout | None = None

    @property
    def url(self) -> str:
        return reverse("comments:thread", kwargs={"pk": self.root_id})

    @property
    def page_url(self) -> str:
        """The address of this page's own view (the thread's, or one branch's replies)."""
        if self.layout is None or self.layout.top == self.root_id:
            return self.url
        return reverse("comments:replies", kwargs={"pk": self.layout.top})


@dataclass
class DiscussionPage:
    page: Page
    threads: list[Thread]
    published_count: int
    sort: str
    # Every strategy, read once for the page: the proposals' badges and the
    # reply form's choices both come from it.
    strategies: list[Strategy]
    language: str = ""
    # Threads listed on a page of their own: their first comment is not available.
    unavailable_openers: int = 0

    @property
    def language_choices(self) -> list[tuple[str, str]]:
        # The settings' names are lazy translations already.
        return [("", _("All languages")), *((code, str(name)) for code, name in settings.LANGUAGES)]

    @property
    def places_new_threads(self) -> bool:
        """Whether threads published while the page is open go at its top (comments.live)."""
        return self.sort == Sort.NEWEST and self.page.number == 1

    @property
    def offers_reload_for_new_threads(self) -> bool:
        """Whether the page, in an order where new threads have no place yet, offers a reload."""
        return self.sort in (Sort.OLDEST, Sort.SUPPORTED, Sort.COMMON_GROUND)

    @property
    def query(self) -> str:
        """The query string that keeps this page's order and language in links."""
        return f"sort={self.sort}" + (f"&lang={self.language}" if self.language else "")

    @property
    def sort_choices(self) -> list[tuple[str, str]]:
        return [
            (Sort.NEWEST, _("Newest first")),
            (Sort.OLDEST, _("Oldest first")),
            (Sort.SUPPORTED, _("Most supported")),
            (Sort.COMMON_GROUND, _("Common ground")),
            (Sort.PICKS, _("Editor’s picks")),
        ]


@dataclass(frozen=True, slots=True)
class ThreadPages:
    """How the pages of threads share out the threads, in any order: `first` on the first
    page, which carries the article and the reply form, and `later` on each page after it."""

    first: int
    later: int

    @classmethod
    def from_settings(cls) -> ThreadPages:
        return cls(settings.COMMENTS_THREADS_PER_PAGE, settings.COMMENTS_THREADS_PER_LATER_PAGE)

    @classmethod
    def of_unavailable_openers(cls) -> ThreadPages:
        """The threads under removed openers, listed apart: every page the same size."""
        per_page = settings.COMMENTS_THREADS_PER_PAGE
        return cls(per_page, per_page)

    def count(self, threads: int) -> int:
        """How many pages `threads` threads take (one at least, even none)."""
        if threads <= self.first:
            return 1
        return 1 + -(-(threads - self.first) // self.later)

    def start(self, number: int) -> int:
        """How many threads come before page `number`."""
        return 0 if number <= 1 else self.first + (number - 2) * self.later

    def size(self, number: int) -> int:
        return self.first if number <= 1 else self.later

    def holding(self, index: int) -> int:
        """The number of the page that holds the thread with `index` threads before it."""
        return 1 if index < self.first else 2 + (index - self.first) // self.later


class _PageOfThreads(Page):
    def __init__(self, object_list, number, paginator: ThreadPaginator):
        super().__init__(object_list, number, paginator)
        self.pages = paginator.pages

    def start_index(self) -> int:
        return self.pages.start(self.number) + 1 if self.paginator.count else 0

    def end_index(self) -> int:
        return self.pages.start(self.number) + len(self.object_list)


class ThreadPaginator(Paginator):
    """Django's paginator numbering `count` threads, counted already (by the article's
    counters or another query), whose first page holds fewer threads than the others
    (ThreadPages). A page's threads are read apart, by position: its object_list is only
    their places."""

    def __init__(self, *, count: int, pages: ThreadPages):
        super().__init__(range(count), pages.later)
        self.pages = pages

    @cached_property
    def num_pages(self) -> int:
        return self.pages.count(self.count)

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = self.pages.start(number)
        top = min(bottom + self.pages.size(number), self.count)
        return _PageOfThreads(self.object_list[bottom:top], number, self)


def parse_language(value: str | None) -> str:
    return value if value in dict(settings.LANGUAGES) else ""


def parse_page_number(value: str | None, *, last: Callable[[], int] | None = None) -> int:
    """The page asked for: 1 for anything but a number above 1, and at most `last()` when given.

    Made-up numbers name a page that exists, so that they never make pages of their own.
    """
    if value is None:
        return 1
    try:
        number = int(value)
    except ValueError:
        return 1
    if number <= 1:
        return 1
    return number if last is None else min(number, last())


def page_count(article: Article | ArticleState, *, language: str = "", picks: bool = False) -> int:
    """How many pages of threads an anonymous reader can turn (one at least, even empty)."""
    if language or picks:
        threads = (
            Comment.objects.filter(article_id=article.pk)
            .visible()
            .filter(_listed(language=language, picks=picks))
            .count()
        )
    else:
        threads = article.thread_count
    return ThreadPages.from_settings().count(threads)


@dataclass(frozen=True)
class DiscussionQuery:
    """What a request asks of an article's discussion, parsed from its query string.

    Only these values make a page of the discussion differ: a page is named
    by them alone (`suffix`), never by the query string it was asked with.
    """

    sort: str = Sort.DEFAULT
    page: int = 1
    language: str = ""
    # htmx asks for the next page's threads alone, to add them in place.
    threads_only: bool = False

    @classmethod
    def parse(
        cls, query, *, count_pages: Callable[[str, bool], int] | None = None
    ) -> DiscussionQuery:
        """The values of `query` (a QueryDict); with `count_pages(language, picks)`, a page
        number beyond the last is the last page."""
        language = parse_language(query.get("lang"))
        sort = Sort.parse(query.get("sort"))
        last = (lambda: count_pages(language, sort == Sort.PICKS)) if count_pages else None
        return cls(
            sort=sort,
            page=parse_page_number(query.get("page"), last=last),
            language=language,
            threads_only=query.get("fragment") == "threads",
        )

    @property
    def suffix(self) -> str:
        """The query string naming this page ("" for the default one), "?" included."""
        parameters = [
            ("page", self.page if self.page != 1 else None),
            ("sort", self.sort if self.sort != Sort.DEFAULT else None),
            ("lang", self.language or None),
            ("fragment", "threads" if self.threads_only else None),
        ]
        given = [(name, value) for name, value in parameters if value is not None]
        return "?" + urlencode(given) if given else ""


def discussion_page(
    article: Article,
    *,
    reader_key: str = "",
    sort: str = Sort.DEFAULT,
    page_number=1,
    language: str = "",
) -> DiscussionPage:
    """A page of threads; with `language`, only the threads started in that language."""
    if reader_key or language or sort == Sort.PICKS:
        # The reader's own pending threads, or one language's, are not in the
        # article's counters: count them.
        counts = (
            Comment.objects.for_article(article)
            .visible_to(reader_key)
            .aggregate(
                published=Count("id", filter=Q(status=Comment.Status.APPROVED)),
                threads=Count("id", filter=_listed(language=language, picks=sort == Sort.PICKS)),
            )
        )
    else:
        counts = {"published": article.published_count, "threads": article.thread_count}
    pages = ThreadPages.from_settings()
    paginator = ThreadPaginator(count=counts["threads"], pages=pages)
    page = paginator.get_page(page_number)
    rows = _PAGE_OF_THREADS.rows(
        article.pk,
        reader_key,
        language,
        pages.start(page.number),
        sort=sort,
        per_page=pages.size(page.number),
    )
    strategies = all_strategies()
    root_comments = []
    for row in rows:
        root = Comment.from_db("default", _COMMENT_COLUMNS, row[: len(_COMMENT_COLUMNS)])
        root.named_strategies = named(strategies, row[len(_COMMENT_COLUMNS)])
        root_comments.append(root)
    page.object_list = root_comments
    threads = _preview_threads(root_comments, reader_key=reader_key)
    # The threads of removed openers are linked from the last page, where a reader
    # reading on comes to the end of the list; counted there only.
    unavailable = 0 if page.has_next() else threads_under_unavailable_openers(article).count()
    return DiscussionPage(
        page=page,
        threads=threads,
        published_count=counts["published"],
        sort=sort,
        strategies=strategies,
        language=language,
        unavailable_openers=unavailable,
    )


def _page_of_threads(
    article_id: int, reader_key: str, language: str, start: int, *, sort: str, per_page: int
):
    """The first comments of a page of threads (_COMMENT_COLUMNS), each with the ids of
    the strategies it names ("3,7").

    The page's ids first, read from the index alone, then only those rows with
    their text and strategies: sorting every row with its body and naming the
    strategies of every row skipped made page 150 cost twice what page 1 does.
    """
    listed = (
        Comment.objects.filter(article_id=article_id)
        .visible_to(reader_key)
        .filter(_listed(language=language, picks=sort == Sort.PICKS))
    )
    on_page = _in_order(listed, sort).values("pk")[start : start + per_page]
    shown = Comment.objects.filter(pk__in=on_page).with_strategy_ids()
    return _in_order(shown, sort).values_list(*_COMMENT_COLUMNS, "strategy_ids")


_PAGE_OF_THREADS = CompiledQuery(_page_of_threads)


def all_strategies() -> list[Strategy]:
    """Every strategy, in the board's order: `Strategy.objects.all()` with its SQL compiled
    once, as every uncached page of threads and thread page reads them."""
    return [Strategy.from_db("default", _STRATEGY_COLUMNS, row) for row in _STRATEGIES.rows()]


_STRATEGY_COLUMNS = [field.attname for field in Strategy._meta.concrete_fields]
_STRATEGIES = CompiledQuery(lambda: Strategy.objects.values_list(*_STRATEGY_COLUMNS))


def named(strategies: list[Strategy], ids: str | None) -> list[Strategy]:
    """The strategies of `ids` ("3,7", as with_strategy_ids() gives them, in no order), in
    the order of `strategies` (the board's)."""
    if not ids:
        return []
    wanted = {int(pk) for pk in ids.split(",")}
    return [strategy for strategy in strategies if strategy.pk in wanted]


_COMMENT_COLUMNS = [field.attname for field in Comment._meta.concrete_fields]


def _in_order(comments, sort: str):
    """The threads in the page's order (editors' picks are newest first)."""
    return _ORDERS.get(sort, CommentQuerySet.newest_first)(comments)


_ORDERS = {
    Sort.OLDEST: CommentQuerySet.oldest_first,
    Sort.SUPPORTED: CommentQuerySet.most_supported_first,
    Sort.COMMON_GROUND: CommentQuerySet.common_ground_first,
}


def _listed(*, language: str, picks: bool) -> Q:
    """The threads a page lists: all, or one language's, or the editors' picks."""
    listed = Q(parent__isnull=True)
    if language:
        listed &= Q(language=language)
    if picks:
        listed &= Q(featured=True)
    return listed


def _preview_threads(roots: list[Comment], *, reader_key: str) -> list[Thread]:
    """The threads of `roots`, each with its first replies in time order.

    The first N replies of a thread always include their visible parents
    (a parent is older than its replies), so the preview is a whole subtree.
    """
    if not roots:
        return []
    rows = _FIRST_REPLIES.rows(
        [root.pk for root in roots],
        reader_key,
        preview=settings.COMMENTS_REPLIES_PER_THREAD_PREVIEW,
        whole_up_to=listed_whole_up_to(),
    )
    by_root: dict[int, list[ShownReply]] = {root.pk: [] for root in roots}
    totals: dict[int, int] = {}
    width = len(SHOWN_REPLY_COLUMNS)
    for row in rows:
        reply = ShownReply(*row[:width])
        by_root[reply.root_id].append(reply)
        totals[reply.root_id] = row[width]
    return [
        Thread(
            root=build_tree(root, by_root[root.pk]),
            reply_count=totals.get(root.pk, 0),
            shown_reply_count=len(by_root[root.pk]),
            root_id=root.pk,
        )
        for root in roots
    ]


def _first_replies(root_ids: list[int], reader_key: str, *, preview: int, whole_up_to: int):
    """The replies of these threads that this reader sees and that their list shows, in time
    order, each with the number of replies of its thread: every reply of a thread of at most
    `whole_up_to` replies, the first `preview` of a longer one."""
    return (
        Comment.objects.filter(root__in=root_ids)
        .visible_to(reader_key)
        .annotate(
            position=Window(RowNumber(), partition_by=F("root"), order_by=[F("created"), F("id")]),
            thread_total=Window(Count("id"), partition_by=F("root")),
        )
        .filter(Q(position__lte=preview) | Q(thread_total__lte=whole_up_to))
        .order_by("created", "id")
        .with_answered_name()
        .values_list(*SHOWN_REPLY_COLUMNS, "thread_total")
    )


_FIRST_REPLIES = CompiledQuery(_first_replies)


def listed_whole_up_to() -> int:
    """The most replies a thread may have to be listed whole, never fewer than a preview."""
    return max(
        settings.COMMENTS_THREAD_LISTED_WHOLE_UP_TO, settings.COMMENTS_REPLIES_PER_THREAD_PREVIEW
    )


def thread_preview(root: Comment, *, reader_key: str = "") -> Thread:
    """One thread as the article page shows it: its first comment and first replies."""
    return _preview_threads([root], reader_key=reader_key)[0]


def thread_page(
    root: Comment,
    *,
    reader_key: str = "",
    top: int | None = None,
    page_number: int = 1,
    showing: int | None = None,
    skeleton: Skeleton | None = None,
) -> Thread:
    """A page of the replies to `top` (the thread's first comment by default) in thread `root`;
    with `showing`, the page that shows that reply. Two queries: the thread's shape, then
    the comments shown (see comments.branches)."""
    skeleton = skeleton or read_skeleton(root.pk, reader_key=reader_key)
    if showing is not None and showing in skeleton.parent:
        layout = locate(skeleton, showing)
    else:
        layout = lay_out(skeleton, root.pk if top is None else top, page_number)
    wanted = [pk for pk in layout.ids if pk in skeleton.shown]
    if layout.top != root.pk:
        wanted.append(layout.top)
    read = {
        reply.pk: reply
        for reply in (ShownReply(*row) for row in _SHOWN.rows(wanted))
        # The skeleton chose them by what this reader sees; a decision taken since may
        # have changed that.
        if reply.is_visible_to(reader_key)
    }
    if layout.top == root.pk:
        top_node = Node(root, pk=root.pk)
    else:
        top_node = Node(read.get(layout.top), pk=layout.top)
    nodes = {layout.top: top_node}
    for pk in layout.ids:
        node = nodes[pk] = Node(read.get(pk), pk=pk, more=layout.more.get(pk, 0))
        nodes[skeleton.parent[pk]].children.append(node)
    shown = len(skeleton.shown.intersection(layout.ids))
    return Thread(
        root=top_node,
        reply_count=skeleton.visible_below.get(root.pk, 0),
        shown_reply_count=shown,
        root_id=root.pk,
        layout=layout,
    )


def read_opener(pk: int, language: str) -> Comment | None:
    """The thread that comment `pk` opens, with its article in `language`, if the article is
    published: `Comment.objects.with_article_in(language).top_level()` by its pk, with its SQL
    compiled once (articles.compiled_queries). Every uncached thread page reads it; the ORM
    took longer to build it than SQLite to answer it, on the 87 thread pages of the bench's
    read-everything scenario."""
    rows = _OPENER.rows(pk, language)
    if not rows:
        return None
    row = rows[0]
    opener = Comment.from_db("default", _OPENER_COLUMNS, row[: len(_OPENER_COLUMNS)])
    ids = row[len(_OPENER_COLUMNS)]
    article = article_from_row(row[len(_OPENER_COLUMNS) + 1 :])
    if not article.is_published:
        return None
    opener.article = article
    opener.named_strategies = named(all_strategies(), ids) if ids else []
    return opener


_OPENER_COLUMNS = [field.attname for field in Comment._meta.concrete_fields]


def _opener(pk: int, language: str):
    return (
        Comment.objects.with_article_in(language)
        .top_level()
        .filter(pk=pk)
        .with_strategy_ids()
        .values_list(
            *_OPENER_COLUMNS,
            "strategy_ids",
            *(f"article__{column}" for column in ARTICLE_COLUMNS),
            *(f"{ARTICLE_TRANSLATION}__{column}" for column in TRANSLATION_COLUMNS),
            ARTICLE_LANGUAGES,
        )
    )


_OPENER = CompiledQuery(_opener)


def _shown(ids: list[int]):
    """These comments as ShownReply rows in time order, whatever their status: the caller
    keeps those its reader sees.

    Found by their ids alone. Given the status too, SQLite, which keeps no statistics
    unless asked, looked them up through the status index, reading every published
    comment of the table: a thread page's comments took 18 ms to read instead of
    0.12 ms on the bench's 100,000-comment table, more than a third of the server's
    time in its read-everything scenario on SQLite.
    """
    return (
        Comment.objects.filter(pk__in=ids)
        .order_by("created", "id")
        .with_answered_name()
        .values_list(*SHOWN_REPLY_COLUMNS)
    )


# Read for every page of a thread: compiled once for each number of comments shown.
_SHOWN = CompiledQuery(_shown)


def build_tree(root: Comment | None, replies: list[ShownReply]) -> Node:
    """Nest `replies` (in time order) under `root`.

    A reply whose parent is not visible (rejected, or still pending) hangs under
    a placeholder, so a moderator's decision about one comment never hides
    the published replies to it.
    """
    top = Node(root, pk=root.pk if root is not None else 0)
    nodes: dict[int, Node] = {root.pk: top} if root is not None else {}
    for reply in replies:
        node = Node(reply, pk=reply.pk)
        nodes[reply.pk] = node
        parent = nodes.get(reply.parent_id)
        if parent is None:
            parent = nodes[reply.parent_id] = Node(None, pk=reply.parent_id)
            top.children.append(parent)
        parent.children.append(node)
    return top


def comment_location(comment: Comment, *, reader_key: str = "") -> str:
    """The URL of the page and anchor where `comment` appears in the default view;
    with `reader_key`, as that reader sees it, their own pending replies counted in."""
    anchor = f"#c{comment.pk}"
    root = comment.root or comment
    if comment.root_id and not root.is_published:
        # Its thread is not listed: only the thread's own page shows it.
        return reply_location(comment, reader_key=reader_key)
    if comment.root_id:
        thread_replies = Comment.objects.visible_to(reader_key).filter(root_id=comment.root_id)
        earlier_replies = (
            thread_replies
            # Written so that the index can range-scan on `created`.
            .filter(created__lte=comment.created)
            .filter(Q(created__lt=comment.created) | Q(id__lt=comment.pk))
            .count()
        )
        # Listed with its thread: among the first replies, or in a thread listed whole.
        listed = earlier_replies < settings.COMMENTS_REPLIES_PER_THREAD_PREVIEW or (
            earlier_replies < listed_whole_up_to()
            and thread_replies.count() <= listed_whole_up_to()
        )
        if not listed:
            return reply_location(comment, reader_key=reader_key)
    # Threads before it in the page's order: the newer ones.
    threads = Comment.objects.for_article(comment.article).visible_to(reader_key).top_level()
    newer = threads.filter(created__gte=root.created).filter(
        Q(created__gt=root.created) | Q(id__gt=root.pk)
    )
    newer_threads = newer.count()
    page_number = ThreadPages.from_settings().holding(newer_threads)
    url = comment.article.get_absolute_url()
    if page_number > 1:
        url += f"?page={page_number}"
    return url + anchor


def layout_url(root_id: int, layout: Layout) -> str:
    """The address of a page of a thread's replies (the thread's own, or one branch's)."""
    if layout.top == root_id:
        url = reverse("comments:thread", kwargs={"pk": root_id})
    else:
        url = reverse("comments:replies", kwargs={"pk": layout.top})
    return url + (f"?page={layout.number}" if layout.number > 1 else "")


def reply_location(comment: Comment, *, reader_key: str = "") -> str:
    """The page of its thread that shows reply `comment`, open at it."""
    root_id = comment.root_id or comment.pk
    skeleton = read_skeleton(root_id, reader_key=reader_key)
    if comment.pk not in skeleton.parent:
        return reverse("comments:thread", kwargs={"pk": root_id}) + f"#c{comment.pk}"
    return layout_url(root_id, locate(skeleton, comment.pk)) + f"#c{comment.pk}"


def threads_under_unavailable_openers(article: Article | ArticleState):
    """Threads whose first comment readers may no longer see but whose replies they may:
    not listed with the article's threads, they are listed on a page of their own."""
    published_reply = Comment.objects.visible().filter(root=OuterRef("pk"))
    return (
        Comment.objects.filter(article_id=article.pk)
        .top_level()
        .exclude(status=Comment.Status.APPROVED)
        .filter(Exists(published_reply))
    )


@dataclass
class UnavailableOpeners:
    """A page of the threads whose first comment is not available, newest first."""

    threads: list[Thread]
    number: int
    page_count: int
    count: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.page_count


def unavailable_openers_page(
    article: Article | ArticleState, *, count: int, page_number: int = 1
) -> UnavailableOpeners:
    pages = ThreadPages.of_unavailable_openers()
    page_count = pages.count(count)
    number = min(max(1, page_number), page_count)
    start = pages.start(number)
    roots = list(
        threads_under_unavailable_openers(article)
        .order_by("-created", "-id")
        .only("pk", "created", "article_id")[start : start + pages.size(number)]
    )
    threads = _preview_threads(roots, reader_key="")
    for thread in threads:
        # Never a word of it: the placeholder stands in its place.
        thread.root.comment = None
    return UnavailableOpeners(threads=threads, number=number, page_count=page_count, count=count)
