from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Comment, ModerationDecision

DECISIONS = {
    "_approve": Comment.Status.APPROVED,
    "_reject": Comment.Status.REJECTED,
    "_spam": Comment.Status.SPAM,
}


class ModerationDecisionInline(admin.TabularInline):
    model = ModerationDecision
    fields = ["created", "moderator", "from_status", "to_status"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("Moderation history")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = [
        "excerpt",
        "status",
        "author",
        "article",
        "created",
        "on_site",
    ]
    list_display_links = ["excerpt"]
    list_filter = ["status", "article"]
    search_fields = ["body", "author_name", "author_email"]
    list_select_related = ["article"]
    list_per_page = 50
    # Counting the whole table on every page of the queue is the slowest query
    # the admin would run once a discussion is large.
    show_full_result_count = False
    actions = ["approve", "reject", "mark_spam"]
    fields = [
        "status",
        "article",
        "in_reply_to",
        "author_name",
        "author_email",
        "ip_address",
        "created",
        "text",
        "replies_list",
    ]
    readonly_fields = fields
    inlines = [ModerationDecisionInline]
    change_list_template = "admin/comments/comment/change_list.html"
    change_form_template = "admin/comments/comment/change_form.html"

    class Media:
        css = {"all": ["css/admin.css"]}

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        # A reader's words are never destroyed by moderation: they are
        # rejected or marked as spam, and the decision is kept.
        return False

    def has_moderate_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("comments.moderate_comment")

    @admin.display(description=_("comment"))
    def excerpt(self, comment: Comment) -> str:
        return comment.excerpt

    @admin.display(description=_("author"), ordering="author_name")
    def author(self, comment: Comment) -> str:
        return format_html("{}<br><small>{}</small>", comment.author_name, comment.author_email)

    @admin.display(description=_("where"))
    def on_site(self, comment: Comment) -> str:
        if comment.is_published:
            return format_html('<a href="{}">{}</a>', comment.get_absolute_url(), _("View on site"))
        if comment.root_id:
            return format_html(
                '<a href="{}">{}</a>',
                reverse("comments:thread", kwargs={"pk": comment.root_id}),
                _("Thread"),
            )
        return "—"

    @admin.display(description=_("in reply to"))
    def in_reply_to(self, comment: Comment) -> str:
        if comment.parent is None:
            return _("The article's question (top-level reply)")
        parent = comment.parent
        return format_html(
            '<a href="{}">{}</a> ({})<blockquote>{}</blockquote>',
            reverse("admin:comments_comment_change", args=[parent.pk]),
            parent.author_name,
            parent.get_status_display(),
            parent.body,
        )

    @admin.display(description=_("reply"))
    def text(self, comment: Comment) -> str:
        return format_html("<div>{}</div>", comment.body)

    @admin.display(description=_("replies"))
    def replies_list(self, comment: Comment) -> str:
        replies = comment.replies.order_by("created", "id")
        if not replies:
            return _("No replies.")
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a> ({}): {}</li>',
                (
                    (
                        reverse("admin:comments_comment_change", args=[reply.pk]),
                        reply.author_name,
                        reply.get_status_display(),
                        reply.excerpt,
                    )
                    for reply in replies
                ),
            ),
        )

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "pending_count": Comment.objects.pending().count(),
            "pending_url": reverse("admin:comments_comment_changelist")
            + f"?status__exact={Comment.Status.PENDING}",
        }
        return super().changelist_view(request, extra_context=extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        decision = next((DECISIONS[key] for key in DECISIONS if key in request.POST), None)
        if request.method == "POST" and decision is not None:
            return self._decide_one(request, object_id, decision)
        extra_context = {
            **(extra_context or {}),
            "can_moderate": self.has_moderate_permission(request),
        }
        return super().change_view(request, object_id, form_url, extra_context=extra_context)

    def save_model(self, request, obj, form, change) -> None:
        # Every field is read-only: the page changes a comment only through a
        # decision, which locks the row. Saving the stale object here could
        # overwrite another moderator's decision made meanwhile.
        pass

    def _decide_one(self, request: HttpRequest, object_id: str, status: str):
        if not self.has_moderate_permission(request):
            raise PermissionDenied
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        obj.decide(status, by=request.user)
        self.message_user(
            request,
            _("The comment by %(name)s is now %(status)s.")
            % {"name": obj.author_name, "status": obj.get_status_display().lower()},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:comments_comment_changelist"))

    @admin.action(description=_("Approve the selected comments"), permissions=["moderate"])
    def approve(self, request, queryset: QuerySet[Comment]):
        self._decide(request, queryset, Comment.Status.APPROVED)

    @admin.action(description=_("Reject the selected comments"), permissions=["moderate"])
    def reject(self, request, queryset: QuerySet[Comment]):
        self._decide(request, queryset, Comment.Status.REJECTED)

    @admin.action(description=_("Mark the selected comments as spam"), permissions=["moderate"])
    def mark_spam(self, request, queryset: QuerySet[Comment]):
        self._decide(request, queryset, Comment.Status.SPAM)

    def _decide(self, request, queryset: QuerySet[Comment], status: str) -> None:
        changed = sum(comment.decide(status, by=request.user) for comment in queryset)
        label = Comment.Status(status).label.lower()
        self.message_user(
            request,
            ngettext(
                "%(count)d comment is now %(status)s.",
                "%(count)d comments are now %(status)s.",
                changed,
            )
            % {"count": changed, "status": label},
            messages.SUCCESS,
        )
