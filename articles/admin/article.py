"""The article list and the story form: where a desk works all day.

Copy is saved through `workflow.save_copy` under optimistic locking; state changes go
through the workflow buttons (see `desk_views`). Permissions come from the workflow too:
a reporter edits only their own drafts, whatever the form posts.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html

from articles import workflow
from articles.admin.desk_views import (
    desk_panel_context,
    discard_view,
    preview_view,
    resolve_finding_view,
    transition_view,
    versions_view,
)
from articles.admin.filters import EmbargoedFilter, OpenFindingsFilter, UnsentChangesFilter
from articles.admin.inlines import AttributionInline, CreditInline
from articles.forms import ArticleForm
from articles.models import Article, AuditEntry, Contributor
from articles.unsent import refresh_unsent
from sources.models import AuditFinding
from sources.services import run_attribution_audit

COPY_FIELDSETS = (
    (
        "Copy",
        {
            "fields": (
                "headline",
                "slug",
                "summary",
                ("dateline_place", "dateline_date"),
                "body",
            )
        },
    ),
    ("Filing", {"fields": (("desk", "language", "priority"), "topics", "regions")}),
    (
        "Translation",
        {"fields": ("translation_of",), "classes": ("collapse",)},
    ),
)
WIRE_FIELDSET = (
    "On the wire",
    {
        "fields": (
            ("status", "version", "guid"),
            ("embargo_until", "scheduled_for", "published_at"),
            ("kill_notice", "withhold_reason"),
            ("created_by", "modified_by", "modified_at"),
        )
    },
)


class _StaleEditSeen(Exception):
    """Carries a StaleEdit out of the admin's transaction so the save rolls back whole."""


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleForm
    inlines = (CreditInline, AttributionInline)
    list_display = (
        "headline",
        "slug",
        "desk",
        "status_column",
        "priority",
        "lang",
        "embargo",
        "version",
        "modified",
        "findings_column",
    )
    list_display_links = ("headline", "slug")
    list_filter = (
        "status",
        "desk",
        "language",
        "priority",
        EmbargoedFilter,
        OpenFindingsFilter,
        UnsentChangesFilter,
    )
    list_select_related = ("desk", "modified_by")
    list_per_page = 50
    # The unfiltered total costs a second COUNT on every page load of a long list.
    show_full_result_count = False
    search_fields = ("headline", "slug", "body")
    ordering = ("-modified_at",)
    autocomplete_fields = ("topics", "regions", "translation_of")
    prepopulated_fields = {"slug": ("headline",)}
    readonly_fields = tuple(name for line in WIRE_FIELDSET[1]["fields"] for name in line)
    save_on_top = True
    change_form_template = "admin/articles/article/change_form.html"
    change_list_template = "admin/articles/article/change_list.html"

    # List -----------------------------------------------------------------------------

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .annotate(
                open_findings=Count("findings", filter=Q(findings__status=AuditFinding.Status.OPEN))
            )
        )

    def view_on_site(self, article: Article) -> str | None:
        # Only copy a reader can reach; anything else would be a link to a 404.
        if article.status == Article.Status.PUBLISHED and not article.is_embargoed:
            return article.get_absolute_url()
        return None

    @admin.display(description="lang", ordering="language")
    def lang(self, article: Article) -> str:
        return article.language

    @admin.display(description="embargo", ordering="embargo_until")
    def embargo(self, article: Article) -> str:
        if not article.embargo_until:
            return "–"
        return timezone.localtime(article.embargo_until).strftime("%m-%d %H:%M")

    @admin.display(description="modified", ordering="modified_at")
    def modified(self, article: Article) -> str:
        stamp = timezone.localtime(article.modified_at).strftime("%m-%d %H:%M")
        return f"{stamp} {article.modified_by}" if article.modified_by else stamp

    @admin.display(description="findings", ordering="open_findings")
    def findings_column(self, article: Article) -> str:
        count = getattr(article, "open_findings", 0)
        if not count:
            return "–"
        return format_html('<strong class="open-findings">{}</strong>', count)

    @admin.display(description="status", ordering="status")
    def status_column(self, article: Article) -> str:
        # The unsent parts are stored by articles.unsent on every write, so the list reads
        # no version.
        if article.status != Article.Status.PUBLISHED or not article.unsent_fields:
            return article.get_status_display()
        return format_html(
            '{}<br><span class="unsent-parts">Not sent: {}</span>',
            article.get_status_display(),
            article.unsent_fields,
        )

    # Permissions ------------------------------------------------------------------------

    def has_change_permission(self, request: HttpRequest, obj: Article | None = None) -> bool:
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or workflow.can_edit_copy(request.user, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Article | None = None) -> bool:
        # Copy that has moved is killed, never deleted: partners hold it.
        if obj is not None and obj.version > 0:
            return False
        return super().has_delete_permission(request, obj)

    # Form -------------------------------------------------------------------------------

    def get_fieldsets(self, request: HttpRequest, obj: Article | None = None):
        fieldsets = [list(fs) for fs in COPY_FIELDSETS]
        if obj is None or self.has_change_permission(request, obj):
            # The lock the editor opened the story at travels with the form.
            copy = dict(fieldsets[0][1])
            copy["fields"] = (*copy["fields"], "lock_version")
            fieldsets[0][1] = copy
        if obj is not None:
            fieldsets.append(list(WIRE_FIELDSET))
        return fieldsets

    def get_form(self, request: HttpRequest, obj: Article | None = None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        stale = getattr(request, "_newsroom_stale_edit", None)
        if stale is not None:
            form = type(form.__name__, (form,), {"stale_edit": stale})
        return form

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        initial = super().get_changeform_initial_data(request)
        contributor = Contributor.objects.filter(user=request.user).only("desk_id").first()
        if contributor and contributor.desk_id and "desk" not in initial:
            initial["desk"] = contributor.desk_id
        return initial

    def save_model(self, request: HttpRequest, obj: Article, form: ArticleForm, change: bool):
        expected = form.cleaned_data.get("lock_version") or 0
        try:
            workflow.save_copy(
                obj,
                by=request.user,
                expected_lock_version=expected,
                fields=form.changed_copy_fields(),
            )
        except workflow.StaleEdit as exc:
            raise _StaleEditSeen(exc) from exc
        except workflow.NotPermitted as exc:
            raise PermissionDenied(str(exc)) from exc

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # Credits and quotes are not copy fields; the trail names them when they changed.
        changed = [str(fs.model._meta.verbose_name_plural) for fs in formsets if fs.has_changed()]
        if change and changed:
            AuditEntry.objects.record(
                form.instance,
                by=request.user,
                action="edit",
                from_status=form.instance.status,
                note=", ".join(changed),
            )
        # Findings show on the story as soon as its quotes are saved, not only at publish.
        run_attribution_audit(form.instance)
        # Credits and topics are saved only now; the list's unsent parts must count them.
        refresh_unsent(form.instance)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except _StaleEditSeen as seen:
            # Another save won between validating this form and saving it; nothing of this
            # one was written. Show the form again with the editor's text and the refusal.
            request._newsroom_stale_edit = seen.args[0]
            return super().changeform_view(request, object_id, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        article = self.get_object(request, object_id)
        if article is not None and self.has_view_or_change_permission(request, article):
            extra_context.update(desk_panel_context(request, article))
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request: HttpRequest, object_id: str, extra_context=None):
        """A story has one history: its versions and audit trail, which also record what
        Django's own history would list (every edit, with the fields it changed)."""
        article = self.get_object(request, unquote(object_id))
        if article is None or not self.has_view_or_change_permission(request, article):
            return super().history_view(request, object_id, extra_context)
        return redirect("admin:articles_article_versions", article.pk)

    def response_change(self, request: HttpRequest, obj: Article) -> HttpResponse:
        self._warn_of_open_findings(request, obj)
        return super().response_change(request, obj)

    def response_add(self, request: HttpRequest, obj: Article, post_url_continue=None):
        self._warn_of_open_findings(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def _warn_of_open_findings(self, request: HttpRequest, obj: Article) -> None:
        findings = obj.findings.filter(status=AuditFinding.Status.OPEN).count()
        if findings:
            messages.warning(
                request,
                f"The attribution audit has {findings} open finding(s) on this story; "
                "they are listed above the copy.",
            )

    # Desk pages -------------------------------------------------------------------------

    def get_urls(self):
        def view(func):
            def bound(request, *args, **kwargs):
                return func(request, self, *args, **kwargs)

            return self.admin_site.admin_view(bound)

        return [
            path(
                "<path:object_id>/transition/<slug:name>/",
                view(transition_view),
                name="articles_article_transition",
            ),
            path("<path:object_id>/preview/", view(preview_view), name="articles_article_preview"),
            path("<path:object_id>/discard/", view(discard_view), name="articles_article_discard"),
            path(
                "<path:object_id>/versions/", view(versions_view), name="articles_article_versions"
            ),
            path(
                "<path:object_id>/findings/<int:finding_id>/resolve/",
                view(resolve_finding_view),
                name="articles_article_resolve_finding",
            ),
            *super().get_urls(),
        ]
