"""What a person does: requests sent to the site as the site's own pages send them, and the
commands the site's administrator runs."""

import io
import json

from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.management.commands.db_worker import Worker

from comments.models import Comment, Commenter

# What the comment page's decision buttons send: their name, with their label as value.
BUTTON_LABELS = {
    "_approve": "Approve",
    "_reject": "Reject",
    "_reject_and_tell": "Reject and tell the author why",
    "_spam": "Mark as spam",
}


def in_language(language: str) -> dict[str, str]:
    """The headers of a browser that asks for pages in `language`."""
    return {"Accept-Language": language}


def post_reply(client, article, data, *, language: str | None = None, **extra):
    """A reply posted from the article's form.

    `data` is sent as given: the `valid_reply` fixture and `factories.reply_data()` carry the
    stamp a browser sends back. `language` is the browser's; `extra` goes to the request
    (`headers=`, `REMOTE_ADDR=`, ...).
    """
    if language is not None:
        extra["headers"] = {**extra.get("headers", {}), **in_language(language)}
    return client.post(reverse("comments:create", kwargs={"slug": article.slug}), data, **extra)


def report(client, comment, reason="abuse", text="", **extra):
    """A report sent from the comment's report form; `extra` goes to the request."""
    return client.post(
        reverse("comments:report", kwargs={"pk": comment.pk}),
        {"reason": reason, "text": text},
        **extra,
    )


def rate(client, comment, works=4, respects=5, **extra):
    """A rating sent from the board; `extra` goes to the request."""
    return client.post(
        reverse("board:rate", kwargs={"pk": comment.pk}),
        {"works": works, "respects": respects},
        **extra,
    )


def change_url(comment: Comment) -> str:
    """The comment's page in the moderators' admin."""
    return reverse("admin:comments_comment_change", args=[comment.pk])


def decide_on_page(client, comment, button="_approve", *, language=None, **fields):
    """A decision from the comment's page, as the page sends it: with the version it showed."""
    headers = in_language(language) if language is not None else {}
    return client.post(
        change_url(comment),
        {button: BUTTON_LABELS.get(button, button), "seen": comment.shown_version, **fields},
        headers=headers,
    )


def edit(client, comment, body: str, **extra):
    """An edit sent from the comment's edit form by its author's browser."""
    return client.post(reverse("comments:edit", kwargs={"pk": comment.pk}), {"body": body}, **extra)


COMMENTER_CHANGELIST = reverse("admin:comments_commenter_changelist")


def commenter_action(client, action: str, *commenters: Commenter):
    """An action chosen for `commenters` on the admin's list of addresses."""
    return client.post(
        COMMENTER_CHANGELIST,
        {"action": action, "_selected_action": [commenter.pk for commenter in commenters]},
    )


def export(email: str) -> dict:
    """What the site holds about `email`, as the administrator's export command prints it."""
    out = io.StringIO()
    call_command("export_commenter_data", email, stdout=out)
    return json.loads(out.getvalue())


def erase(email: str) -> None:
    """The administrator erases what the site holds about `email`, answering yes beforehand."""
    call_command("erase_commenter_data", email, "--yes", stdout=io.StringIO())


def run_the_worker() -> None:
    """One pass of `manage.py db_worker --batch`: every task that is due, then stop.

    The command's own Worker, in this process (and so on the test's database),
    without the signal handlers the command installs for a process of its own.
    """
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()
