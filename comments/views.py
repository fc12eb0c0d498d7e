from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from articles.models import Article

from . import readers, services
from .forms import CommentForm
from .models import Comment
from .threads import Node, comment_location, full_thread


def get_visible_comment_or_404(request: HttpRequest, pk: int) -> Comment:
    """A comment the requesting reader may see: published, or their own and pending."""
    return get_object_or_404(
        Comment.objects.select_related("article", "root")
        .visible_to(readers.reader_key(request))
        .filter(article__in=Article.objects.published()),
        pk=pk,
    )


@require_POST
def create(request: HttpRequest, slug: str) -> HttpResponse:
    article = get_object_or_404(Article.objects.published(), slug=slug)
    form = CommentForm(request.POST, article=article)
    if form.is_valid():
        try:
            comment = services.comment_create(
                article=article,
                author_name=form.cleaned_data["author_name"],
                author_email=form.cleaned_data["author_email"],
                body=form.cleaned_data["body"],
                parent=form.cleaned_data["parent"],
                reader_key=readers.digest(readers.ensure_reader_token(request)),
                ip_address=request.META.get("REMOTE_ADDR") or None,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "Thank you! Your reply has been received and awaits moderation. "
                    "Only you can see it until a moderator approves it."
                ),
            )
            return readers.remember_reader(request, redirect(comment_location(comment)))
    return _render_reply_page(request, article, form, parent=form.cleaned_data.get("parent"))


@require_GET
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    parent = get_visible_comment_or_404(request, pk)
    if not parent.is_published:
        raise Http404
    form = CommentForm(article=parent.article, initial={"parent": parent.pk})
    return _render_reply_page(request, parent.article, form, parent=parent)


def _render_reply_page(
    request: HttpRequest, article: Article, form: CommentForm, *, parent: Comment | None
) -> HttpResponse:
    context = {
        "article": article,
        "form": form,
        "parent": parent,
        "parent_node": Node(parent) if parent else None,
    }
    return render(request, "comments/reply.html", context)


@require_GET
def permalink(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_visible_comment_or_404(request, pk)
    return redirect(comment_location(comment))


@require_GET
def thread(request: HttpRequest, pk: int) -> HttpResponse:
    root = get_object_or_404(
        Comment.objects.select_related("article").top_level(),
        pk=pk,
        article__in=Article.objects.published(),
    )
    key = readers.reader_key(request)
    thread = full_thread(root, reader_key=key)
    if not root.is_visible_to(key):
        if not thread.reply_count:
            raise Http404
        thread.root.comment = None
    return render(
        request,
        "comments/thread.html",
        {"article": root.article, "thread": thread, "form": CommentForm(article=root.article)},
    )
