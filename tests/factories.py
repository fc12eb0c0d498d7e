"""Plain helpers that make test data, with keyword defaults for everything."""

import time
from datetime import timedelta
from itertools import count

from django.contrib.auth.models import Group, User
from django.utils import timezone

from articles.models import Article, ArticleTranslation
from comments import readers
from comments.counters import recount
from comments.models import WAITING_COUNT, Comment, Commenter, Rating, Report
from safeguards.form_stamps import new_form_stamp
from safeguards.networks import client_network

_sequence = count(1)

# The browser identity of a reader who has posted before (see returning_reader_key).
RETURNING_READER_TOKEN = "a-returning-readers-browser"

# Two commenters, each posting from a browser of their own (its reader key): the fields of their
# comments (`make_comment(article=a, **ANA)`), and what `report_by` and `rating_by` file for them.
ANA = {
    "author_name": "Ana Torres",
    "author_email": "ana@example.com",
    "ip_address": "203.0.113.7",
    "reader_key": "ana-s-browser",
}
LUIS = {
    "author_name": "Luis Pérez",
    "author_email": "luis@example.com",
    "ip_address": "198.51.100.4",
    "reader_key": "luis-s-browser",
}


def make_article(**fields) -> Article:
    n = next(_sequence)
    defaults = {
        "slug": f"article-{n}",
        "title": f"Article {n}",
        "lede": "A lede.",
        "body": "## A heading\n\nSome body text.",
        "question": "What do you think?",
        "published": timezone.now() - timedelta(days=1),
    }
    return Article.objects.create(**{**defaults, **fields})


def make_translation(article: Article, language: str, title: str) -> ArticleTranslation:
    """The article translated into `language`, with `title` and short Spanish text."""
    return ArticleTranslation.objects.create(
        article=article,
        language=language,
        title=title,
        lede="Una entrada.",
        body="## Un encabezado\n\nTexto.",
        question="¿Qué opinas?",
    )


def make_comment(*, article: Article, parent: Comment | None = None, **fields) -> Comment:
    """A comment stored directly, bypassing the posting rules (published unless told otherwise)."""
    n = next(_sequence)
    defaults = {
        "author_name": f"Reader {n}",
        "author_email": f"reader{n}@example.com",
        "body": f"Comment number {n}.",
        "status": Comment.Status.APPROVED,
    }
    root = (parent.root or parent) if parent else None
    depth = parent.depth + 1 if parent else 1
    comment = Comment.objects.create(
        article=article, parent=parent, root=root, depth=depth, **{**defaults, **fields}
    )
    Article.objects.filter(pk=article.pk).mark_changed(**comment.counter_change("", comment.status))
    # Stored around the decision that would tell the admin's waiting count.
    WAITING_COUNT.forget_now()
    return comment


def make_discussion(*, article: Article, threads: int, replies_per_thread: int) -> list[Comment]:
    """Published threads in bulk, each a chain of replies a few levels deep."""
    start = timezone.now() - timedelta(days=2)
    roots = Comment.objects.bulk_create(
        Comment(
            article=article,
            author_name=f"Reader {i}",
            author_email=f"reader{i}@example.com",
            body=f"Top-level reply {i}.",
            status=Comment.Status.APPROVED,
            created=start + timedelta(minutes=i),
        )
        for i in range(threads)
    )
    replies = []
    for root in roots:
        for j in range(replies_per_thread):
            replies.append(
                Comment(
                    article=article,
                    parent=root,
                    root=root,
                    depth=2,
                    author_name=f"Replier {j}",
                    author_email=f"replier{j}@example.com",
                    body=f"Reply {j} to {root.pk}.",
                    status=Comment.Status.APPROVED,
                    created=root.created + timedelta(seconds=j + 1),
                )
            )
    Comment.objects.bulk_create(replies)
    # Rows written in bulk went around the discussion's counters.
    recount(Article.objects.filter(pk=article.pk))
    return roots


def make_moderator(username: str = "moderator") -> User:
    user = User.objects.create_user(username, f"{username}@example.com", "a-long-password-1")
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def make_editor(username: str = "editor") -> User:
    """A staff account in the Editors group: a moderator who also opens and closes discussions."""
    user = User.objects.create_user(
        username, f"{username}@example.com", "a-long-password-1", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def make_commenter(*, email: str, confirmed: bool = False) -> Commenter:
    """What the site knows of an address besides its comments: whether it is confirmed."""
    return Commenter.objects.create(email=email, confirmed=timezone.now() if confirmed else None)


def form_stamp(*, age_seconds: float = 60) -> str:
    """The stamp of a reply form drawn `age_seconds` ago, as a browser sends it back.

    A minute: longer than the quickest a person writes, well within a day.
    """
    return new_form_stamp(issued=time.time() - age_seconds)


def reply_data(**fields) -> dict:
    """What a reader sends from the reply form, a fresh stamp included; `fields` add or override."""
    return {
        "author_name": "Ana Torres",
        "author_email": "ana@example.com",
        "body": "Follow the money: shared financial intelligence, without foreign troops.",
        "stamp": form_stamp(),
        **fields,
    }


def make_trusted_commenter(
    *,
    article: Article,
    email: str = "ana@example.com",
    approved: int = 2,
    confirmed: bool = True,
    reader_key: str | None = None,
) -> None:
    """A record that earns trust: `approved` published comments of `email`, from the returning
    reader's browser (or `reader_key`'s), its address confirmed unless `confirmed=False`."""
    if confirmed:
        make_commenter(email=email, confirmed=True)
    for _ in range(approved):
        make_comment(
            article=article,
            author_email=email,
            reader_key=reader_key or readers.digest(RETURNING_READER_TOKEN),
        )


def report_by(reader: dict, comment: Comment, **fields) -> Report:
    """A report filed from `reader`'s browser (`ANA`, `LUIS`)."""
    defaults = {
        "reason": Report.Reason.ABUSE,
        "text": "",
        "ip_address": reader["ip_address"],
        "network": client_network(reader["ip_address"]),
    }
    return Report.objects.create(
        comment=comment, reader_key=reader["reader_key"], **{**defaults, **fields}
    )


def rating_by(
    reader: dict, comment: Comment, *, works: int = 4, respects: int = 2, language: str = "en"
) -> Rating:
    """A rating given from `reader`'s browser (`ANA`, `LUIS`), reading the site in `language`."""
    return Rating.objects.create(
        comment=comment,
        reader_key=reader["reader_key"],
        network=client_network(reader["ip_address"]),
        works=works,
        respects=respects,
        language=language,
    )
