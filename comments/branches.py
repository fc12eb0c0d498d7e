"""A long thread in pages of branches, and the page that shows any one of its replies.

A thread's page shows the replies to one comment (the thread's first, or any
reply's, on its "replies" page): its direct replies, the branches,
COMMENTS_BRANCHES_PER_PAGE a page in time order. Each branch comes whole
while the page holds at most COMMENTS_THREAD_PAGE_REPLIES comments; beyond
that, with its first COMMENTS_BRANCH_PREVIEW replies and "N more replies",
which opens that branch's own replies page (in place, with JavaScript). So a
1,000-reply thread is a few dozen pages of at most about a hundred comments,
instead of one page of 939 KB.

A page reads the thread's shape first (ids and parents only, every status:
`read_skeleton`), lays the page out in Python, then reads the text of the
comments it shows, by id. The same layout says where a reply is shown
(`locate`), so a permalink lands on the page, and in the branch, that holds it.
A comment readers may not see but whose replies they may is kept in its place,
as a placeholder: its published replies stay reachable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise

from django.conf import settings
from django.db.models import BooleanField, Case, Q, Value, When

from articles.compiled_queries import CompiledQuery

from .models import Comment


def _visible_to(reader_key: str) -> Q:
    published = Q(status=Comment.Status.APPROVED)
    if not reader_key:
        return published
    return published | Q(status=Comment.Status.PENDING, reader_key=reader_key)


@dataclass
class Skeleton:
    """A thread's shape: its replies that are shown or hold shown replies, in time order."""

    root_id: int
    order: list[int] = field(default_factory=list)
    parent: dict[int, int] = field(default_factory=dict)
    children: dict[int, list[int]] = field(default_factory=dict)
    # The replies this reader may see.
    shown: set[int] = field(default_factory=set)
    # How many replies this reader may see below each comment.
    visible_below: dict[int, int] = field(default_factory=dict)
    # Each reply's place in `order`.
    position: dict[int, int] = field(default_factory=dict)

    def subtree(self, pk: int) -> list[int]:
        """The replies below `pk` (not itself), in time order."""
        found: list[int] = []
        stack = list(self.children.get(pk, ()))
        while stack:
            child = stack.pop()
            found.append(child)
            stack.extend(self.children.get(child, ()))
        return sorted(found, key=self.position.__getitem__)

    def path_to(self, pk: int) -> list[int]:
        """The comments from the thread's first down to `pk`."""
        path = [pk]
        while path[-1] != self.root_id:
            path.append(self.parent[path[-1]])
        return path[::-1]


def _shape(root_id: int, reader_key: str):
    """Every comment of a thread in time order, its parent, and whether this reader sees it."""
    return (
        Comment.objects.filter(root_id=root_id)
        .annotate(
            is_shown=Case(
                When(_visible_to(reader_key), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("created", "id")
        .values_list("pk", "parent_id", "is_shown")
    )


# Read for every page of a thread: compiled once (see articles.compiled_queries).
_SHAPE = CompiledQuery(_shape)


def read_skeleton(root_id: int, *, reader_key: str = "") -> Skeleton:
    """The shape of thread `root_id` as this reader sees it, in one query of ids."""
    rows = _SHAPE.rows(root_id, reader_key)
    below: dict[int, int] = {}
    # Replies come after their parents: counted from the newest up, each
    # comment's count is complete before its parent's is read.
    for pk, parent_id, is_shown in reversed(rows):
        below[parent_id] = below.get(parent_id, 0) + below.get(pk, 0) + bool(is_shown)
    skeleton = Skeleton(root_id=root_id, visible_below=below)
    for pk, parent_id, is_shown in rows:
        if not is_shown and not below.get(pk):
            continue
        skeleton.position[pk] = len(skeleton.order)
        skeleton.order.append(pk)
        skeleton.parent[pk] = parent_id
        skeleton.children.setdefault(parent_id, []).append(pk)
        if is_shown:
            skeleton.shown.add(pk)
    return skeleton


@dataclass(frozen=True)
class Layout:
    """One page of the replies to `top`: which comments it shows, and what each branch hides."""

    top: int
    number: int
    page_count: int
    # The comments shown below `top`, in time order (each after its parent).
    ids: list[int]
    # A branch's id: how many replies readers may see below it that the page leaves out.
    more: dict[int, int]

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.page_count


def branch_page_count(skeleton: Skeleton, top: int) -> int:
    branches = len(skeleton.children.get(top, ()))
    return max(1, -(-branches // settings.COMMENTS_BRANCHES_PER_PAGE))


def lay_out(skeleton: Skeleton, top: int, page_number: int = 1) -> Layout:
    """Page `page_number` (at most the last) of the replies to `top`."""
    per_page = settings.COMMENTS_BRANCHES_PER_PAGE
    branches = skeleton.children.get(top, [])
    page_count = branch_page_count(skeleton, top)
    number = min(max(1, page_number), page_count)
    on_page = branches[(number - 1) * per_page : number * per_page]
    below = {branch: skeleton.subtree(branch) for branch in on_page}
    whole = sum(1 + len(replies) for replies in below.values())
    keep = (
        None if whole <= settings.COMMENTS_THREAD_PAGE_REPLIES else settings.COMMENTS_BRANCH_PREVIEW
    )
    ids: list[int] = []
    more: dict[int, int] = {}
    for branch in on_page:
        shown = below[branch][:keep]
        ids.append(branch)
        ids.extend(shown)
        hidden = skeleton.visible_below.get(branch, 0) - len(skeleton.shown.intersection(shown))
        if hidden:
            more[branch] = hidden
    # In time order, so that every comment comes after its parent.
    ids.sort(key=skeleton.position.__getitem__)
    return Layout(top=top, number=number, page_count=page_count, ids=ids, more=more)


def locate(skeleton: Skeleton, pk: int) -> Layout:
    """The page that shows reply `pk`: of its thread's first comment's replies if it is
    there, else of the replies to the branch that holds it, and so down."""
    path = skeleton.path_to(pk)
    for top, child in pairwise(path):
        index = skeleton.children[top].index(child)
        layout = lay_out(skeleton, top, index // settings.COMMENTS_BRANCHES_PER_PAGE + 1)
        if pk in layout.ids:
            return layout
    raise AssertionError("a reply is always a branch of its parent's page")  # pragma: no cover
