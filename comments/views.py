from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import reswap, retarget
from django_htmx.middleware import HtmxDetails

from articles.models import Article
from articles.page_cache import cached_page, is_shareable, remembered, static_page
from safeguards.clients import client_ip
from safeguards.ratelimit import rate_limited

from . import guidelines, notices, posting, readers, reporting, revising, structured_data
from .branches import Skeleton, branch_page_count, read_skeleton
from .forms import CommentEditForm, CommentForm, ReportForm, RevisionForm
from .models import Comment
from .threads import (
    Node,
    comment_location,
    parse_page_number,
    read_opener,
    thread_page,
)


class HtmxHttpRequest(HttpRequest):
    """A request as django-htmx's middleware leaves it, with `htmx` set."""

    htmx: HtmxDetails


def get_visible_comment_or_404(request: HttpRequest, pk: int) -> Comment:
    """A comment the requesting reader may see: published, or their own and pending."""
    return get_object_or_404(
        Comment.objects.with_article_in(get_language())
        .select_related("root")
        .visible_to(readers.reader_key(request))
        .filter(article__in=Article.objects.published()),
        pk=pk,
    )


def posted_message(posted: posting.Posted) -> str:
    message = _status_message(posted)
    if posted.replies_await_confirmation:
        message += " " + _(
            "We will email you about replies once you confirm your address "
            "with the link we emailed to it."
        )
    return message


def _status_message(posted: posting.Posted) -> str:
    comment = posted.comment
    if posted.duplicate:
        return _("You had already posted this reply; here it is. It was not posted twice.")
    if posted.revised:
        return _(
            "Thank you! Your revised reply has been sent to the moderators. "
            "Only you can see it until a moderator approves it."
        )
    if comment.is_published:
        return _("Thank you! Your reply is published.")
    if comment.is_pending:
        return _(
            "Thank you! Your reply has been received and awaits moderation. "
            "Only you can see it until a moderator approves it."
        )
    return _("Thank you. Your reply has been received.")


def get_own_comment_or_404(request: HttpRequest, pk: int) -> Comment:
    """A comment its author may still edit or withdraw from this browser."""
    comment = get_object_or_404(Comment.objects.with_article_in(get_language()), pk=pk)
    if not comment.can_be_changed_by(readers.reader_key(request)):
        raise Http404
    return comment


@rate_limited("post", email_field="author_email", keep_field="body")
@require_POST
def create(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    article = get_object_or_404(Article.objects.published().in_language(get_language()), slug=slug)
    form = reply_form(article, request.POST, parent_id=request.POST.get("parent"))
    if form.is_valid():
        key = readers.digest(readers.ensure_reader_token(request))
        try:
            posted = posting.comment_create(
                article=article,
                author_name=form.cleaned_data["author_name"],
                author_email=form.cleaned_data["author_email"],
                body=form.cleaned_data["body"],
                parent=form.cleaned_data["parent"],
                notify_replies=form.cleaned_data["notify_replies"],
                strategies=form.cleaned_data.get("strategies", []),
                sovereignty_mode=form.cleaned_data.get("sovereignty_mode", ""),
                language=form.cleaned_data["language"],
                reader_key=key,
                ip_address=client_ip(request),
                form_id=form.cleaned_data["stamp"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            author = {
                "author_name": form.cleaned_data["author_name"],
                "author_email": form.cleaned_data["author_email"],
            }
            if request.htmx:
                response = _posted_in_place(request, article, posted, author=author)
            else:
                response = redirect(_tell_where_posted(request, posted, reader_key=key))
            readers.remember_author(
                request, response, name=author["author_name"], email=author["author_email"]
            )
            return readers.remember_reader(request, response)
    parent = form.cleaned_data.get("parent")
    if request.htmx:
        context = {"article": article, "form": form, "parent": parent}
        return render(request, "comments/_reply_form.html", context)
    return _render_reply_page(request, article, form, parent=parent)


def _tell_where_posted(request: HttpRequest, posted: posting.Posted, *, reader_key: str) -> str:
    """Without JavaScript: the reply's permalink, which leads to the page that shows it (a
    later page of threads, of a long thread or of a branch), open at the reply with the
    status beside it. Finding that page is left to the permalink, after the post: it
    counts earlier replies, which the post's eight queries, the same in any thread, leave
    out. A reply this browser is not shown (refused at once, or a copy another browser
    sent) is told of at the top of its thread or the article."""
    comment = posted.comment
    if comment.is_visible_to(reader_key):
        notices.tell_beside(request, comment, posted_message(posted))
        return reverse("comments:permalink", kwargs={"pk": comment.pk})
    messages.success(request, posted_message(posted))
    if comment.root_id:
        return reverse("comments:thread", kwargs={"pk": comment.root_id})
    return comment.article.get_absolute_url()


def reply_form(article: Article, data=None, *, parent_id=None, **kwargs) -> CommentForm:
    """The reply form; a reply to a comment gets ids of its own, as several can share a page."""
    if not parent_id:
        return CommentForm(data, article=article, **kwargs)
    suffix = "".join(c for c in str(parent_id) if c.isalnum())[:20]
    form = CommentForm(
        data, article=article, replying=True, auto_id=f"id_reply{suffix}_%s", **kwargs
    )
    form.html_id = f"reply-form-{suffix}"
    return form


def _posted_in_place(
    request: HttpRequest, article: Article, posted: posting.Posted, *, author: dict[str, str]
):
    """htmx: the thread with the new reply in it, swapped into the page, and a status line."""
    comment = posted.comment
    root = comment.root or comment
    key = readers.digest(readers.ensure_reader_token(request))
    context = {
        "article": article,
        # The page of the thread that holds the new reply: a preview could leave it out.
        "thread": thread_page(root, reader_key=key, showing=comment.pk),
        "reader_key": key,
        "status_message": posted_message(posted),
        "fresh_form": None if comment.parent_id else reply_form(article, initial=author),
    }
    response = render(request, "comments/_posted.html", context)
    if comment.root_id or posted.duplicate:
        return reswap(retarget(response, f"#thread-{root.pk}"), "outerHTML")
    return reswap(retarget(response, "#comment-list"), "afterbegin")


@require_safe
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    parent = get_visible_comment_or_404(request, pk)
    if not parent.is_published:
        raise Http404
    initial = {"parent": parent.pk, **readers.remembered_author(request)}
    form = reply_form(parent.article, parent_id=parent.pk, initial=initial)
    if request.GET.get("fragment") == "form":
        context = {"article": parent.article, "form": form, "parent": parent}
        return render(request, "comments/_reply_form.html", context)
    return _render_reply_page(request, parent.article, form, parent=parent)


def _render_reply_page(
    request: HttpRequest, article: Article, form: CommentForm, *, parent: Comment | None
) -> HttpResponse:
    context = {
        "article": article,
        "form": form,
        "parent": parent,
        "parent_node": Node(parent) if parent else None,
        # A page of its own: the form posts and redirects as usual.
        "standalone": True,
    }
    return render(request, "comments/reply.html", context)


@require_safe
def permalink(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_visible_comment_or_404(request, pk)
    return redirect(comment_location(comment, reader_key=readers.reader_key(request)))


@require_safe
def thread(request: HttpRequest, pk: int) -> HttpResponse:
    root = read_opener(pk, get_language())
    if root is None:
        raise Http404
    return _replies_page(request, root, top=root.pk, template="comments/thread.html")


@require_safe
def replies(request: HttpRequest, pk: int) -> HttpResponse:
    """The replies to one reply: a branch of a long thread, opened whole (or in pages)."""
    comment = get_object_or_404(
        Comment.objects.select_related("article", "root"),
        pk=pk,
        article__in=Article.objects.published(),
    )
    if comment.root is None:
        return redirect("comments:thread", pk=comment.pk)
    branch_only = request.GET.get("fragment") == "branch"
    template = "comments/_branch.html" if branch_only else "comments/replies.html"
    return _replies_page(request, comment.root, top=comment.pk, template=template)


def _replies_page(request: HttpRequest, root: Comment, *, top: int, template: str) -> HttpResponse:
    key = readers.reader_key(request)
    shared = is_shareable(request)
    number = parse_page_number(request.GET.get("page"))
    # The thread's shape, read once for the request if it must be read at all.
    read: list[Skeleton] = []

    def skeleton() -> Skeleton:
        if not read:
            read.append(read_skeleton(root.pk, reader_key=key))
        return read[0]

    if number > 1 and shared:
        # A made-up page number names the last page: it neither draws nor stores a page.
        last = remembered(
            root.article, f"branch-pages:{top}", lambda: branch_page_count(skeleton(), top)
        )
        number = min(number, last)

    def render_page(extra_context: dict) -> HttpResponse:
        shape = skeleton()
        if top != root.pk and top not in shape.parent:
            raise Http404
        thread = thread_page(root, reader_key=key, top=top, page_number=number, skeleton=shape)
        if top == root.pk and not root.is_visible_to(key):
            if not thread.reply_count:
                raise Http404
            thread.root.comment = None
        context = {"article": root.article, "thread": thread, "root": root, **extra_context}
        if not template.startswith("comments/_"):
            # A page of its own describes itself; only published words describe it.
            text = root.article.in_reader_language
            context["description"] = structured_data.description(
                root.body if root.is_published else text.question
            )
            context["structured_data"] = structured_data.discussion_posting(
                root.article, [thread], text=text
            )
        return render(request, template, context)

    # Only a reader with comments of their own can see the thread otherwise than everyone.
    personal = bool(key) and (
        Comment.objects.filter(Q(pk=root.pk) | Q(root=root)).shown_only_to(key).exists()
    )
    # Named by the parsed values only, never the path or query string asked for.
    view = "comments:thread" if top == root.pk else "comments:replies"
    address = reverse(view, kwargs={"pk": top}) + (f"?page={number}" if number > 1 else "")
    if template == "comments/_branch.html":
        address += ("&" if number > 1 else "?") + "fragment=branch"
    return cached_page(request, root.article, render_page, address=address, personal=personal)


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_own_comment_or_404(request, pk)
    form = CommentEditForm(
        request.POST or None,
        comment=comment,
        initial={"body": comment.pending_body or comment.body},
    )
    if request.method == "POST" and form.is_valid():
        comment = posting.comment_edit(
            comment=comment, body=form.cleaned_data["body"], reader_key=readers.reader_key(request)
        )
        if comment.has_pending_edit:
            message = _(
                "Your changes are saved and await moderation; "
                "readers see the earlier version until then."
            )
        elif comment.is_published:
            message = _("Your changes are published.")
        else:
            message = _("Your changes are saved and await moderation.")
        messages.success(request, message)
        return redirect(comment_location(comment, reader_key=readers.reader_key(request)))
    return render(request, "comments/edit.html", {"comment": comment, "form": form})


@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_own_comment_or_404(request, pk)
    posting.comment_withdraw(comment=comment, reader_key=readers.reader_key(request))
    messages.success(request, _("Your reply has been withdrawn. Nobody can see it any more."))
    return redirect(comment.article.get_absolute_url() + "#discussion")


# Each refused revision link, with its page's status.
REFUSED_LINK_STATUS = {
    revising.LinkRefused.TAMPERED: 400,
    revising.LinkRefused.EXPIRED: 410,
    revising.LinkRefused.USED: 409,
    revising.LinkRefused.UNAVAILABLE: 410,
}


@rate_limited("post", email_of=revising.author_email, keep_field="body")
@require_http_methods(["GET", "POST"])
def revise(request: HttpRequest, token: str) -> HttpResponse:
    """The author of a rejected reply revises it, from the link in the email that told them why."""
    try:
        link = revising.open_link(token, language=get_language())
    except revising.LinkRefused as refused:
        context = {
            "why": refused.why,
            "original": refused.original,
            "link_days": revising.REVISION_LINK_DAYS,
        }
        status = REFUSED_LINK_STATUS[refused.why]
        return render(request, "comments/revision_refused.html", context, status=status)
    original = link.original
    form = RevisionForm(
        request.POST or None,
        original=original,
        action=request.path,
        initial={"body": original.body},
    )
    if request.method == "POST" and form.is_valid():
        key = readers.digest(readers.ensure_reader_token(request))
        try:
            posted = posting.comment_revise(
                original=original,
                body=form.cleaned_data["body"],
                language=form.cleaned_data["language"],
                reader_key=key,
                ip_address=client_ip(request),
                form_id=form.cleaned_data["stamp"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            response = redirect(_tell_where_posted(request, posted, reader_key=key))
            return readers.remember_reader(request, response)
    return render(request, "comments/revise.html", {"link": link, "form": form})


@rate_limited("report")
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_visible_comment_or_404(request, pk)
    if not comment.is_published:
        raise Http404
    form = ReportForm(request.POST or None, comment=comment)
    if request.method == "POST" and form.is_valid():
        try:
            reporting.report_create(
                comment=comment,
                reason=form.cleaned_data["reason"],
                text=form.cleaned_data["text"],
                reader_key=readers.digest(readers.ensure_reader_token(request)),
                ip_address=client_ip(request),
            )
        except ValidationError as error:
            text, level = " ".join(error.messages), messages.INFO
        else:
            text = _("Thank you. The moderators will look at this comment.")
            level = messages.SUCCESS
        # Back to the comment, the confirmation beside it; unless the reports
        # have just hidden it, when the discussion says it at its top.
        if Comment.objects.visible().filter(pk=comment.pk).exists():
            notices.tell_beside(request, comment, text, level=level)
            back = comment_location(comment, reader_key=readers.reader_key(request))
        else:
            messages.add_message(request, level, text)
            back = comment.article.get_absolute_url() + "#discussion"
        return readers.remember_reader(request, redirect(back))
    return render(
        request, "comments/report.html", {"comment": comment, "node": Node(comment), "form": form}
    )


@require_safe
def community_guidelines(request: HttpRequest) -> HttpResponse:
    return static_page(request, "comments/guidelines.html", guidelines.page_facts())
