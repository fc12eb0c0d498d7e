"""The comments' admin: the list a moderator filters and decides from, and a comment's page.

Columns and fields shown as HTML are drawn by small partials in templates/moderation/admin/.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles.models import Article
from commenters import privacy
from comments import automatic_checks
from comments.admin_filters import YesNoFieldFilter
from comments.models import Comment, ModerationDecision, Report, Rule
from moderation import decisions, queue
from moderation.forms import (
    SOVEREIGNTY_CHOICES,
    DecisionActionForm,
    DecisionForm,
    shown_versions,
)

from .deciding import may_moderate, tell_outcome
from .desk import desk_view
from .queue import queue_live_view, queue_view

CORRECTABLE_FIELDS = ["strategies", "sovereignty_mode"]

DECISION_BUTTONS = {
    "_approve": Comment.Status.APPROVED,
    "_reject": Comment.Status.REJECTED,
    # "Tell the author why" is a rejection's button, as in the queue, never a box
    # ticked beside an approval.
    "_reject_and_tell": Comment.Status.REJECTED,
    "_spam": Comment.Status.SPAM,
}


class QueueFilter(admin.SimpleListFilter):
    """The moderation queues, each one click away, with how many comments it holds."""

    title = _("queue")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        # One indexed count per queue: a GROUP BY over the whole table would
        # read every comment on every page of the queue.
        by_status: dict[str, int] = {
            status: Comment.objects.filter(status=status).count()
            for status in [
                Comment.Status.SPAM,
                Comment.Status.REJECTED,
                Comment.Status.APPROVED,
                Comment.Status.WITHDRAWN,
            ]
        }
        counts: dict[str, int] = {
            "pending": queue.waiting_count(request),
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


# "what": the statuses it moved between, or the tags it corrected.
DECISION_COLUMNS = ("created", "decided_by", "what", "reason", "note", "edit")


# Django's tabular inline, its scrolling box reachable with the keyboard.
TABULAR_INLINE = "moderation/admin/_tabular_inline.html"


class ModerationDecisionInline(admin.TabularInline):
    model = ModerationDecision
    template = TABULAR_INLINE
    fields = DECISION_COLUMNS
    readonly_fields = DECISION_COLUMNS
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

    @admin.display(description=_("change"))
    def what(self, decision: ModerationDecision) -> str:
        """The change it made: statuses, or tags; an undo says so."""
        if decision.kind == ModerationDecision.Kind.UNDO:
            return _("Undo: %(change)s") % {"change": decision}
        return str(decision)


REPORT_COLUMNS = ("created", "reason", "text", "resolved", "resolved_by")


class ReportInline(admin.TabularInline):
    model = Report
    template = TABULAR_INLINE
    fields = REPORT_COLUMNS
    readonly_fields = REPORT_COLUMNS
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
    list_filter = [QueueFilter, "rule", ("featured", YesNoFieldFilter), "article"]
    search_fields = ["body", "author_name", "author_email"]
    list_select_related = ["article", "parent"]
    # A screenful a moderator can decide at once; the page renders twice as fast as with 50.
    list_per_page = 25
    # Counting the whole table on every page of the queue is the slowest query
    # the admin would run once a discussion is large.
    show_full_result_count = False
    action_form = DecisionActionForm
    actions = [
        "approve",
        "reject",
        "reject_and_tell",
        "mark_spam",
        "feature",
        "unfeature",
        "dismiss_reports",
    ]
    fieldsets = [
        (None, {"fields": ["text", "pending_edit", "status", "why", "featured"]}),
        (_("Proposal"), {"fields": ["strategies", "sovereignty_mode"]}),
        (
            _("In context"),
            {"fields": ["article", "in_reply_to", "revise_and_resubmit", "replies_list"]},
        ),
        (
            _("Author"),
            {"fields": ["author_name", "author_email", "commenter_record", "ip_address"]},
        ),
        (_("Dates"), {"fields": ["created", "edited"], "classes": ["collapse"]}),
    ]
    # Moderators decide and may correct a proposal's tags; they never rewrite
    # what a reader wrote.
    readonly_fields = [
        field for field in flatten_fieldsets(fieldsets) if field not in CORRECTABLE_FIELDS
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
        return may_moderate(request)

    @admin.display(description=_("comment"))
    def excerpt(self, comment: Comment) -> str:
        if comment.has_pending_edit:
            return render_to_string("moderation/admin/_excerpt.html", {"comment": comment})
        return comment.excerpt

    @admin.display(description=_("in context"))
    def context(self, comment: Comment) -> str:
        """The comment it answers and the first replies to it, so a moderator judges it in place."""
        replies = getattr(comment, "first_replies", [])
        if comment.parent is None and not replies:
            return "—"
        return render_to_string(
            "moderation/admin/_in_context.html", {"comment": comment, "replies": replies}
        )

    @admin.display(description=_("why"), ordering="rule")
    def why(self, comment: Comment) -> str:
        if not comment.rule:
            return "—"
        return automatic_checks.describe(comment.rule, comment.rule_detail)

    @admin.display(description=_("reports"), ordering="open_reports")
    def reports_count(self, comment: Comment) -> int | str:
        # Annotated by get_queryset().
        return getattr(comment, "open_reports", 0) or ""

    @admin.display(description=_("author"), ordering="author_name")
    def author(self, comment: Comment) -> str:
        return render_to_string("moderation/admin/_author.html", {"comment": comment})

    @admin.display(description=_("where"))
    def on_site(self, comment: Comment) -> str:
        if not (comment.is_published or comment.root_id):
            return "—"
        return render_to_string("moderation/admin/_on_site.html", {"comment": comment})

    @admin.display(description=_("in reply to"))
    def in_reply_to(self, comment: Comment) -> str | Promise:
        if comment.parent is None:
            return _("The article's question (top-level reply)")
        return render_to_string("moderation/admin/_in_reply_to.html", {"parent": comment.parent})

    @admin.display(description=_("commenter's record"))
    def commenter_record(self, comment: Comment) -> str:
        record = privacy.commenter_record(comment.author_email)
        total = record["total"]
        return render_to_string(
            "moderation/admin/_commenter_record.html",
            {
                "email": comment.author_email,
                "total": ngettext("%(n)d comment", "%(n)d comments", total) % {"n": total},
                "approved": _("%(n)d approved") % {"n": record["approved"]},
                "rejected": _("%(n)d rejected") % {"n": record["rejected"]},
                "spam": _("%(n)d spam") % {"n": record["spam"]},
                "confirmed": (
                    _("email confirmed") if record["confirmed"] else _("email not confirmed")
                ),
            },
        )

    @admin.display(description=_("reply"))
    def text(self, comment: Comment) -> str:
        return render_to_string("moderation/admin/_text.html", {"text": comment.body})

    @admin.display(description=_("edit awaiting moderation"))
    def pending_edit(self, comment: Comment) -> str:
        if not comment.pending_body:
            return "—"
        return render_to_string("moderation/admin/_text.html", {"text": comment.pending_body})

    @admin.display(description=_("revise and resubmit"))
    def revise_and_resubmit(self, comment: Comment) -> str:
        """The rejected reply this one revises, with its history; or the revision of this one."""
        original = comment.revision_of
        if original is not None:
            history = original.decisions.select_related("moderator")
            rejection = next((d for d in history if d.to_status == Comment.Status.REJECTED), None)
            context = {"original": original, "rejection": rejection, "history": history}
            return render_to_string("moderation/admin/_revision_of.html", context)
        revised = Comment.objects.filter(revision_of=comment).first()
        if revised is None:
            return "—"
        return render_to_string("moderation/admin/_revised_as.html", {"revised": revised})

    @admin.display(description=_("replies"))
    def replies_list(self, comment: Comment) -> str | Promise:
        replies = comment.replies.order_by("created", "id")
        if not replies:
            return _("No replies.")
        return render_to_string("moderation/admin/_replies.html", {"replies": replies})

    def get_urls(self):
        queue_url = path(
            "queue/",
            self.admin_site.admin_view(self.queue_view),
            name="comments_comment_queue",
        )
        queue_live_url = path(
            "queue/live/",
            self.admin_site.admin_view(self.queue_live_view),
            name="comments_comment_queue_live",
        )
        desk_url = path(
            "desk/",
            self.admin_site.admin_view(self.desk_view),
            name="comments_comment_desk",
        )
        return [queue_url, queue_live_url, desk_url, *super().get_urls()]

    def queue_view(self, request: HttpRequest) -> HttpResponse:
        """The moderation queue's page (moderation/admin/queue.py)."""
        return queue_view(self, request)

    def queue_live_view(self, request: HttpRequest) -> HttpResponse:
        """The queue as it is now, for an open queue page (moderation/admin/queue.py)."""
        return queue_live_view(self, request)

    def desk_view(self, request: HttpRequest) -> HttpResponse:
        """The desk's summary for the newsroom (moderation/admin/desk.py)."""
        return desk_view(self, request)

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "pending_count": queue.waiting_count(request),
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
            "hidden_by_reports": Rule.REPORTS,
        }
        return super().change_view(request, object_id, form_url, extra_context=extra_context)

    def get_fieldsets(self, request, obj=None):
        # Only a proposal (a top-level reply) names strategies and a sovereignty
        # mode: a reply's page offers no tags to correct, as the queue does not.
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and obj.parent_id is not None:
            return [fields for fields in fieldsets if fields[1]["fields"] != CORRECTABLE_FIELDS]
        return fieldsets

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "sovereignty_mode":
            # As the queue says it, rather than Django's "- Select an option -".
            kwargs["choices"] = SOVEREIGNTY_CHOICES
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "strategies":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change) -> None:
        # Nothing is saved here: the whole (possibly stale) object could
        # overwrite another moderator's decision made meanwhile. The tags are
        # corrected, and recorded, with the many-to-many data below.
        pass

    def save_related(self, request, form, formsets, change) -> None:
        # The reports and the history are read-only: their formsets save nothing.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)
        if "strategies" not in form.cleaned_data:
            return  # a reply's page: no tags
        decisions.tags_correct(
            comment=form.instance,
            strategies=form.cleaned_data["strategies"],
            sovereignty_mode=form.cleaned_data["sovereignty_mode"],
            by=request.user,
        )

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
                self.message_user(request, " ".join(map(str, errors)), messages.ERROR)
            return HttpResponseRedirect(change_url)
        # The page has no box to tick: its own button tells the author.
        fields = {**form.cleaned_data, "tell_author": "_reject_and_tell" in request.POST}
        outcome = decisions.decide_as_shown(
            comments=[obj],
            shown={obj.pk: request.POST.get("seen", "")},
            status=status,
            by=request.user,
            **fields,
        )
        if outcome.unchanged:
            self.message_user(request, _("Nothing changed: the comment already had that status."))
            return HttpResponseRedirect(change_url)
        if outcome.left_as_they_were:
            tell_outcome(self, request, status, outcome)
            return HttpResponseRedirect(change_url)
        if outcome.decided:
            self.message_user(
                request,
                _("The comment by %(name)s is now %(status)s.")
                % {"name": obj.author_name, "status": obj.get_status_display().lower()},
                messages.SUCCESS,
            )
        else:
            tell_outcome(self, request, status, outcome)
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

    @admin.action(
        description=_("Reject the selected comments and tell their authors why"),
        permissions=["moderate"],
    )
    def reject_and_tell(self, request, queryset: QuerySet[Comment]):
        self._decide(request, queryset, Comment.Status.REJECTED, tell_author=True)

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

    def _decide(
        self, request, queryset: QuerySet[Comment], status: str, *, tell_author: bool = False
    ) -> None:
        form = DecisionForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                self.message_user(request, " ".join(map(str, errors)), messages.ERROR)
            return
        # The list draws each comment's shown_version (change_list_results.html):
        # one it did not show, or that changed since, is not decided.
        comments = list(queryset)
        outcome = decisions.decide_as_shown(
            comments=comments,
            shown=shown_versions(request.POST, comments),
            status=status,
            by=request.user,
            # Only the action that says so tells the authors: the list has no box to tick.
            **{**form.cleaned_data, "tell_author": tell_author},
        )
        tell_outcome(self, request, status, outcome)
