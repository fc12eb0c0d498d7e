import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles.models import Article
from commenters import privacy
from moderation import decisions

from . import automatic_checks, queue
from .automatic_checks import forget_rules
from .models import (
    Block,
    Comment,
    Commenter,
    ModerationDecision,
    Reason,
    Report,
    WordRule,
)
from .queue_screen import BULK_CONTROLS, ITEMS, QueueScreen, draw
from .templatetags.moderation_queue import waiting_count

CORRECTABLE_FIELDS = ["strategies", "sovereignty_mode"]

DECISION_BUTTONS = {
    "_approve": Comment.Status.APPROVED,
    "_reject": Comment.Status.REJECTED,
    "_spam": Comment.Status.SPAM,
}


class DecisionFields(forms.Form):
    """What a moderator may add to any decision, single or in bulk."""

    reason = forms.ChoiceField(
        label=_("Reason"), choices=[("", _("(no reason)")), *Reason.choices], required=False
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)
    tell_author = forms.BooleanField(
        label=_("Tell the author why by email (rejections)"), required=False
    )


class DecisionForm(DecisionFields):
    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("reason") == Reason.OTHER and not cleaned_data.get("note", "").strip():
            self.add_error("note", _("Add a note when the reason is “Other”."))
        return cleaned_data


QUEUE_DECISIONS = [
    (Comment.Status.APPROVED, _("Approve")),
    (Comment.Status.REJECTED, _("Reject")),
    (Comment.Status.SPAM, _("Spam")),
]


class QueueDecisionForm(DecisionForm):
    """A decision from the moderation queue: about one comment, or the ones ticked."""

    decision = forms.ChoiceField(choices=QUEUE_DECISIONS)
    comments = forms.ModelMultipleChoiceField(
        queryset=Comment.objects.all(),
        error_messages={"required": _("Tick the comments to decide first.")},
    )

    def shown_versions(self) -> dict[int, str]:
        return shown_versions(self.data, self.cleaned_data["comments"])


def shown_versions(data, comments) -> dict[int, str]:
    """The shown_version of each comment as its page showed it (a `seen-<id>` field)."""
    return {comment.pk: data.get(f"seen-{comment.pk}", "") for comment in comments}


class DecisionActionForm(ActionForm, DecisionFields):
    """The decision fields beside the admin's action menu; the action validates them."""


class QueueFilter(admin.SimpleListFilter):
    """The moderation queues, each one click away, with how many comments it holds."""

    title = _("queue")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        # One indexed count per queue: a GROUP BY over the whole table would
        # read every comment on every page of the queue.
        by_status = {
            status: Comment.objects.filter(status=status).count()
            for status in [
                Comment.Status.SPAM,
                Comment.Status.REJECTED,
                Comment.Status.APPROVED,
                Comment.Status.WITHDRAWN,
            ]
        }
        counts = {
            "pending": waiting_count(request),
            "reported": Report.objects.filter(resolved__isnull=True)
            .values("comment")
            .distinct()
            .count(),
        }
        labels = {
            "pending": _("Pending"),
            "reported": _("Reported"),
            Comment.Status.SPAM: _("Spam"),
            Comment.Status.REJECTED: _("Rejected"),
            Comment.Status.APPROVED: _("Approved"),
            Comment.Status.WITHDRAWN: _("Withdrawn"),
        }
        return [
            (key, f"{label} ({counts.get(key, by_status.get(key, 0))})")
            for key, label in labels.items()
        ]

    def queryset(self, request, queryset):
        match self.value():
            case None:
                return queryset
            case "pending":
                return queryset.needs_review()
            case "reported":
                return queryset.filter(
                    pk__in=Report.objects.filter(resolved__isnull=True).values("comment")
                )
            case status:
                return queryset.filter(status=status)


class ModerationDecisionInline(admin.TabularInline):
    model = ModerationDecision
    fields = ["created", "decided_by", "from_status", "to_status", "reason", "note", "edit"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("Moderation history")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("moderator")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("decided by"))
    def decided_by(self, decision: ModerationDecision) -> str:
        return decision.decided_by


class ReportInline(admin.TabularInline):
    model = Report
    fields = ["created", "reason", "text", "resolved", "resolved_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("Reports by readers")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = [
        "excerpt",
        "context",
        "status",
        "why",
        "reports_count",
        "author",
        "article",
        "created",
        "on_site",
    ]
    list_display_links = ["excerpt"]
    list_filter = [QueueFilter, "rule", "featured", "article"]
    search_fields = ["body", "author_name", "author_email"]
    list_select_related = ["article", "parent"]
    # A screenful a moderator can decide at once; the page renders twice as fast as with 50.
    list_per_page = 25
    # Counting the whole table on every page of the queue is the slowest query
    # the admin would run once a discussion is large.
    show_full_result_count = False
    action_form = DecisionActionForm
    actions = ["approve", "reject", "mark_spam", "feature", "unfeature", "dismiss_reports"]
    fieldsets = [
        (None, {"fields": ["text", "pending_edit", "status", "why", "featured"]}),
        (_("Proposal"), {"fields": ["strategies", "sovereignty_mode"]}),
        (_("In context"), {"fields": ["article", "in_reply_to", "replies_list"]}),
        (
            _("Author"),
            {"fields": ["author_name", "author_email", "commenter_record", "ip_address"]},
        ),
        (_("Dates"), {"fields": ["created", "edited"], "classes": ["collapse"]}),
    ]
    # Moderators decide and may correct a proposal's tags; they never rewrite
    # what a reader wrote.
    readonly_fields = [
        field
        for _title, options in fieldsets
        for field in options["fields"]
        if field not in CORRECTABLE_FIELDS
    ]
    inlines = [ReportInline, ModerationDecisionInline]
    change_list_template = "admin/comments/comment/change_list.html"
    change_form_template = "admin/comments/comment/change_form.html"

    def get_queryset(self, request):
        open_reports = (
            Report.objects.filter(comment=OuterRef("pk"), resolved__isnull=True)
            .order_by()
            .values("comment")
            .annotate(n=Count("id"))
            .values("n")
        )
        first_replies = Comment.objects.order_by("created", "id")[: queue.FIRST_REPLIES_SHOWN]
        return (
            super()
            .get_queryset(request)
            .annotate(open_reports=Subquery(open_reports, output_field=IntegerField()))
            .prefetch_related(Prefetch("replies", queryset=first_replies, to_attr="first_replies"))
        )

    def view_on_site(self, comment: Comment) -> str | None:
        return comment.get_absolute_url() if comment.is_published else None

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
        if comment.has_pending_edit:
            return format_html("<em>{}</em> {}", _("[edit]"), comment.review_excerpt)
        return comment.excerpt

    @admin.display(description=_("in context"))
    def context(self, comment: Comment) -> str:
        """The comment it answers and the first replies to it, so a moderator judges it in place."""
        lines = []
        if comment.parent is not None:
            lines.append(
                format_html(
                    '<div class="context-parent">↳ {} <strong>{}</strong>: {}</div>',
                    _("replying to"),
                    comment.parent.author_name,
                    comment.parent.excerpt,
                )
            )
        for reply in getattr(comment, "first_replies", []):
            lines.append(
                format_html(
                    '<div class="context-reply">↪ <strong>{}</strong> ({}): {}</div>',
                    reply.author_name,
                    reply.get_status_display().lower(),
                    reply.review_excerpt,
                )
            )
        return format_html_join("", "{}", ((line,) for line in lines)) or "—"

    @admin.display(description=_("why"), ordering="rule")
    def why(self, comment: Comment) -> str:
        if not comment.rule:
            return "—"
        return automatic_checks.describe(comment.rule, comment.rule_detail)

    @admin.display(description=_("reports"), ordering="open_reports")
    def reports_count(self, comment: Comment) -> int | str:
        return comment.open_reports or ""

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

    @admin.display(description=_("commenter's record"))
    def commenter_record(self, comment: Comment) -> str:
        record = privacy.commenter_record(comment.author_email)
        confirmed = _("email confirmed") if record["confirmed"] else _("email not confirmed")
        return format_html(
            '<a href="{}?q={}">{}</a>: {} · {} · {} · {} · {}',
            reverse("admin:comments_comment_changelist"),
            comment.author_email,
            _("all their comments"),
            ngettext("%(n)d comment", "%(n)d comments", record["total"]) % {"n": record["total"]},
            _("%(n)d approved") % {"n": record["approved"]},
            _("%(n)d rejected") % {"n": record["rejected"]},
            _("%(n)d spam") % {"n": record["spam"]},
            confirmed,
        )

    @admin.display(description=_("reply"))
    def text(self, comment: Comment) -> str:
        return format_html("<div>{}</div>", comment.body)

    @admin.display(description=_("edit awaiting moderation"))
    def pending_edit(self, comment: Comment) -> str:
        if not comment.pending_body:
            return "—"
        return format_html("<div>{}</div>", comment.pending_body)

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
                        reply.review_excerpt,
                    )
                    for reply in replies
                ),
            ),
        )

    def get_urls(self):
        queue_url = path(
            "queue/",
            self.admin_site.admin_view(self.queue_view),
            name="comments_comment_queue",
        )
        return [queue_url, *super().get_urls()]

    def queue_view(self, request: HttpRequest):
        """The comments waiting for a decision, each with its context and one-click decisions."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        retry = None
        if request.method == "POST":
            if not self.has_moderate_permission(request):
                raise PermissionDenied
            form = QueueDecisionForm(request.POST)
            if form.is_valid():
                self._decide_from_queue(request, form)
                return HttpResponseRedirect(request.get_full_path())
            retry = form
        page = queue.queue_page(after=queue.Position.parse(request.GET.get("after", "")))
        can_moderate = self.has_moderate_permission(request)
        screen = QueueScreen(
            request,
            reasons=DecisionFields.base_fields["reason"].choices,
            decisions=QUEUE_DECISIONS,
            can_moderate=can_moderate,
            retry=retry,
        )
        context = {
            **self.admin_site.each_context(request),
            # The comments need the width more than a moderator needs the app list here.
            "is_nav_sidebar_enabled": False,
            "title": _("Moderation queue"),
            "opts": self.opts,
            "page": page,
            "items": draw(ITEMS, items=page.comments, screen=screen),
            "bulk_controls": draw(BULK_CONTROLS, screen=screen),
            "waiting": waiting_count(request),
            "can_moderate": can_moderate,
            "retry": retry,
            "csrf_token": screen.csrf_token,
        }
        return TemplateResponse(
            request, "admin/comments/comment/queue.html", context, status=400 if retry else 200
        )

    def _decide_from_queue(self, request: HttpRequest, form: QueueDecisionForm) -> None:
        status = form.cleaned_data["decision"]
        outcome = decisions.decide_as_shown(
            comments=form.cleaned_data["comments"],
            shown=form.shown_versions(),
            status=status,
            by=request.user,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
            tell_author=form.cleaned_data["tell_author"],
        )
        self._tell_outcome(request, status, outcome)

    def _tell_outcome(self, request: HttpRequest, status: str, outcome: decisions.Decisions):
        if outcome.decided:
            self.message_user(
                request,
                ngettext(
                    "%(count)d comment is now %(status)s.",
                    "%(count)d comments are now %(status)s.",
                    outcome.decided,
                )
                % {"count": outcome.decided, "status": Comment.Status(status).label.lower()},
                messages.SUCCESS,
            )
        if outcome.edits_published:
            self.message_user(
                request,
                ngettext(
                    "%(count)d edit is now published.",
                    "%(count)d edits are now published.",
                    outcome.edits_published,
                )
                % {"count": outcome.edits_published},
                messages.SUCCESS,
            )
        if outcome.edits_refused:
            self.message_user(
                request,
                ngettext(
                    "%(count)d edit was refused; the published text stays.",
                    "%(count)d edits were refused; the published texts stay.",
                    outcome.edits_refused,
                )
                % {"count": outcome.edits_refused},
                messages.SUCCESS,
            )
        if outcome.unchanged:
            self.message_user(
                request,
                ngettext(
                    "%(count)d comment already had that status; nothing changed.",
                    "%(count)d comments already had that status; nothing changed.",
                    outcome.unchanged,
                )
                % {"count": outcome.unchanged},
            )
        if outcome.left_as_they_were:
            self.message_user(
                request,
                ngettext(
                    "%(count)d comment was left as it is: since this page was shown, another "
                    "moderator decided it or its author edited or withdrew it. Read it again.",
                    "%(count)d comments were left as they are: since this page was shown, "
                    "other moderators decided them or their authors edited or withdrew them. "
                    "Read them again.",
                    outcome.left_as_they_were,
                )
                % {"count": outcome.left_as_they_were},
                messages.WARNING,
            )

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "pending_count": waiting_count(request),
            "pending_url": reverse("admin:comments_comment_queue"),
        }
        return super().changelist_view(request, extra_context=extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        decision = next((DECISION_BUTTONS[k] for k in DECISION_BUTTONS if k in request.POST), None)
        if request.method == "POST" and decision is not None:
            return self._decide_one(request, object_id, decision)
        if request.method == "POST" and "_feature" in request.POST:
            return self._toggle_feature(request, object_id)
        extra_context = {
            **(extra_context or {}),
            "can_moderate": self.has_moderate_permission(request),
            "decision_form": DecisionForm(),
        }
        return super().change_view(request, object_id, form_url, extra_context=extra_context)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "strategies":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change) -> None:
        # Only the correctable fields are written: saving the whole (possibly
        # stale) object could overwrite another moderator's decision made
        # meanwhile. The strategies are saved with the form's many-to-many data.
        Comment.objects.filter(pk=obj.pk).update(sovereignty_mode=obj.sovereignty_mode)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        Article.objects.filter(pk=form.instance.article_id).mark_changed()

    def _get_for_decision(self, request: HttpRequest, object_id: str) -> Comment:
        if not self.has_moderate_permission(request):
            raise PermissionDenied
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise PermissionDenied
        return obj

    def _decide_one(self, request: HttpRequest, object_id: str, status: str):
        obj = self._get_for_decision(request, object_id)
        form = DecisionForm(request.POST)
        change_url = reverse("admin:comments_comment_change", args=[obj.pk])
        if not form.is_valid():
            for errors in form.errors.values():
                self.message_user(request, " ".join(errors), messages.ERROR)
            return HttpResponseRedirect(change_url)
        outcome = decisions.decide_as_shown(
            comments=[obj],
            shown={obj.pk: request.POST.get("seen", "")},
            status=status,
            by=request.user,
            **form.cleaned_data,
        )
        if outcome.unchanged:
            self.message_user(request, _("Nothing changed: the comment already had that status."))
            return HttpResponseRedirect(change_url)
        if outcome.left_as_they_were:
            self._tell_outcome(request, status, outcome)
            return HttpResponseRedirect(change_url)
        if outcome.decided:
            self.message_user(
                request,
                _("The comment by %(name)s is now %(status)s.")
                % {"name": obj.author_name, "status": obj.get_status_display().lower()},
                messages.SUCCESS,
            )
        else:
            self._tell_outcome(request, status, outcome)
        return HttpResponseRedirect(self._next_in_queue_url(exclude=obj))

    def _next_in_queue_url(self, *, exclude: Comment) -> str:
        following = (
            Comment.objects.needs_review().exclude(pk=exclude.pk).order_by("created").first()
        )
        if following is None:
            return reverse("admin:comments_comment_queue")
        return reverse("admin:comments_comment_change", args=[following.pk])

    def _toggle_feature(self, request: HttpRequest, object_id: str):
        obj = self._get_for_decision(request, object_id)
        if not obj.is_published and not obj.featured:
            self.message_user(
                request, _("Only published comments can be featured."), messages.ERROR
            )
            return HttpResponseRedirect(reverse("admin:comments_comment_change", args=[obj.pk]))
        with transaction.atomic():
            Comment.objects.filter(pk=obj.pk).update(featured=not obj.featured)
            Article.objects.filter(pk=obj.article_id).mark_changed()
        message = (
            _("Removed from the editor's picks.") if obj.featured else _("Now an editor's pick.")
        )
        self.message_user(request, message, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:comments_comment_change", args=[obj.pk]))

    @admin.action(description=_("Approve the selected comments"), permissions=["moderate"])
    def approve(self, request, queryset: QuerySet[Comment]):
        self._decide(request, queryset, Comment.Status.APPROVED)

    @admin.action(description=_("Reject the selected comments"), permissions=["moderate"])
    def reject(self, request, queryset: QuerySet[Comment]):
        self._decide(request, queryset, Comment.Status.REJECTED)

    @admin.action(description=_("Mark the selected comments as spam"), permissions=["moderate"])
    def mark_spam(self, request, queryset: QuerySet[Comment]):
        self._decide(request, queryset, Comment.Status.SPAM)

    @admin.action(description=_("Feature as editor's pick"), permissions=["moderate"])
    def feature(self, request, queryset: QuerySet[Comment]):
        with transaction.atomic():
            count = queryset.filter(status=Comment.Status.APPROVED).update(featured=True)
            Article.objects.filter(comments__in=queryset).mark_changed()
        self.message_user(
            request,
            ngettext("%d comment is now featured.", "%d comments are now featured.", count) % count,
            messages.SUCCESS,
        )

    @admin.action(description=_("Remove from editor's picks"), permissions=["moderate"])
    def unfeature(self, request, queryset: QuerySet[Comment]):
        with transaction.atomic():
            count = queryset.update(featured=False)
            Article.objects.filter(comments__in=queryset).mark_changed()
        self.message_user(
            request,
            ngettext(
                "%d comment is no longer featured.", "%d comments are no longer featured.", count
            )
            % count,
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Dismiss the reports on the selected comments"), permissions=["moderate"]
    )
    def dismiss_reports(self, request, queryset: QuerySet[Comment]):
        count = sum(
            decisions.reports_dismiss(comment=comment, by=request.user) for comment in queryset
        )
        self.message_user(
            request,
            ngettext("%d report dismissed.", "%d reports dismissed.", count) % count,
            messages.SUCCESS,
        )

    def _decide(self, request, queryset: QuerySet[Comment], status: str) -> None:
        form = DecisionForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                self.message_user(request, " ".join(errors), messages.ERROR)
            return
        # The list draws each comment's shown_version (change_list_results.html):
        # one it did not show, or that changed since, is not decided.
        comments = list(queryset)
        outcome = decisions.decide_as_shown(
            comments=comments,
            shown=shown_versions(request.POST, comments),
            status=status,
            by=request.user,
            **form.cleaned_data,
        )
        self._tell_outcome(request, status, outcome)


class RulesAdmin(admin.ModelAdmin):
    """Word rules and blocks are cached for the checks; every change drops the cached copy."""

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        forget_rules()

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        forget_rules()

    def delete_queryset(self, request, queryset) -> None:
        super().delete_queryset(request, queryset)
        forget_rules()


@admin.register(WordRule)
class WordRuleAdmin(RulesAdmin):
    list_display = ["phrase", "action", "note", "created"]
    list_filter = ["action"]
    search_fields = ["phrase", "note"]
    fields = ["phrase", "action", "note"]


@admin.register(Block)
class BlockAdmin(RulesAdmin):
    list_display = ["target", "reason", "created_by", "created"]
    search_fields = ["target", "reason"]
    fields = ["target", "reason"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["comment_link", "reason", "text", "created", "resolved", "resolved_by"]
    list_filter = [("resolved", admin.EmptyFieldListFilter), "reason"]
    list_select_related = ["comment", "resolved_by"]
    fields = ["comment_link", "reason", "text", "created", "resolved", "resolved_by"]
    readonly_fields = fields
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("comment"))
    def comment_link(self, report: Report) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:comments_comment_change", args=[report.comment_id]),
            report.comment.excerpt,
        )


def _count_by_email(status: str | None = None):
    comments = Comment.objects.filter(author_email=OuterRef("email"))
    if status:
        comments = comments.filter(status=status)
    return Subquery(
        comments.order_by().values("author_email").annotate(n=Count("id")).values("n"),
        output_field=IntegerField(),
    )


@admin.register(Commenter)
class CommenterAdmin(admin.ModelAdmin):
    list_display = ["email", "confirmed", "comments", "approved", "rejected", "created"]
    list_filter = [("confirmed", admin.EmptyFieldListFilter)]
    search_fields = ["email"]
    fields = ["email", "confirmed", "confirmation_sent", "created", "their_comments"]
    readonly_fields = fields
    actions = ["export_data", "erase_data"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                comment_count=_count_by_email(),
                approved_count=_count_by_email(Comment.Status.APPROVED),
                rejected_count=_count_by_email(Comment.Status.REJECTED),
            )
        )

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_privacy_permission(self, request) -> bool:
        return request.user.is_superuser

    @admin.display(description=_("comments"), ordering="comment_count")
    def comments(self, commenter) -> int:
        return commenter.comment_count or 0

    @admin.display(description=_("approved"), ordering="approved_count")
    def approved(self, commenter) -> int:
        return commenter.approved_count or 0

    @admin.display(description=_("rejected"), ordering="rejected_count")
    def rejected(self, commenter) -> int:
        return commenter.rejected_count or 0

    @admin.display(description=_("their comments"))
    def their_comments(self, commenter) -> str:
        comments = Comment.objects.by_email(commenter.email).select_related("article")
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a> · {} · {}</li>',
                (
                    (
                        reverse("admin:comments_comment_change", args=[c.pk]),
                        c.review_excerpt,
                        c.get_status_display(),
                        date_format(localtime(c.created), "DATE_FORMAT"),
                    )
                    for c in comments
                ),
            ),
        )

    @admin.action(
        description=_("Export all data held for these emails (JSON)"), permissions=["privacy"]
    )
    def export_data(self, request, queryset):
        data = [privacy.commenter_export(commenter.email) for commenter in queryset]
        response = HttpResponse(
            json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            content_type="application/json",
        )
        response["Content-Disposition"] = 'attachment; filename="commenter-data.json"'
        return response

    @admin.action(description=_("Erase the personal data of these emails"), permissions=["privacy"])
    def erase_data(self, request, queryset):
        emails = list(queryset.values_list("email", flat=True))
        # All the addresses chosen, or none: the message below never tells half a story.
        with transaction.atomic():
            erased = sum(privacy.commenter_erase(email, by=request.user) for email in emails)
        self.message_user(
            request,
            ngettext(
                "Erased %(emails)d address; %(count)d comment withdrawn.",
                "Erased %(emails)d addresses; %(count)d comments withdrawn.",
                len(emails),
            )
            % {"emails": len(emails), "count": erased},
            messages.SUCCESS,
        )
