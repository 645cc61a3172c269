"""Agency channels in the admin: the channels page (status, run now, pause, resume), the
ingest log (read-only, filtered by channel, result, format and date) and the ingest queue,
where an editor reads an agency item, compares its versions and takes it onto the desk.

Every button calls the domain functions (`ingest.pollers.run_channel`,
`ingest.channels.take`, `ingest.channels.apply_agency_status`). A push channel's secret is
shown once, in the message after the channel is made or its secret is renewed.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from articles.admin.readonly import ReadOnlyAdmin
from articles.diff import body_blocks, side_by_side
from articles.models import Article
from articles.workflow import WorkflowError
from ingest.channel_models import new_push_secret
from ingest.channels import apply_agency_status, take
from ingest.models import IngestChannel, IngestItem, IngestLogEntry
from ingest.pollers import run_channel
from sources import crypto


def story_lines(story: dict, headline: str = "") -> list[str]:
    """A parsed story (the wire-import contract's object) as comparable lines."""
    subheads = {int(k): v for k, v in (story.get("subhead_positions") or {}).items()}
    lines = [f"Headline: {headline or story.get('headline') or ''}"]
    for n, paragraph in enumerate(story.get("paragraphs") or []):
        if n in subheads:
            lines.append(f"Subhead: {subheads[n]}")
        lines.append(paragraph)
    return lines


def article_lines(article: Article) -> list[str]:
    """Our working copy as comparable lines."""
    return [f"Headline: {article.headline}", *body_blocks(article.body)]


@admin.register(IngestChannel)
class IngestChannelAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "desk",
        "active",
        "status",
        "last_run_at",
        "items_today",
        "next_attempt_at",
    ]
    list_filter = ["kind", "active", "desk"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = ["run_now", "pause", "resume", "renew_secret"]
    readonly_fields = ["push_address", "status", "last_run_at", "last_success_at", "last_error"]
    fields = [
        "name",
        "slug",
        "kind",
        "desk",
        "language",
        "priority",
        "active",
        "poll_interval",
        "path",
        "url",
        "create_drafts",
        "follow_agency_kills",
        "push_address",
        "status",
        "last_run_at",
        "last_success_at",
        "last_error",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        return (
            super()
            .get_queryset(request)
            .select_related("desk")
            .annotate(
                items_today_count=Count(
                    "log",
                    filter=Q(log__received_at__gte=start)
                    & ~Q(log__result=IngestLogEntry.Result.FAILED),
                )
            )
        )

    @admin.display(description="Items today", ordering="items_today_count")
    def items_today(self, channel: IngestChannel) -> int:
        return getattr(channel, "items_today_count", 0)

    @admin.display(description="Status")
    def status(self, channel: IngestChannel) -> str:
        if not channel.active:
            return "Paused"
        if channel.consecutive_failures:
            return format_html(
                '<span class="channel-failing">Failing ({} in a row): {}</span>',
                channel.consecutive_failures,
                channel.last_error,
            )
        if channel.kind == IngestChannel.Kind.PUSH:
            return "Waiting for pushes"
        return "OK" if channel.last_run_at else "Not run yet"

    @admin.display(description="Push address")
    def push_address(self, channel: IngestChannel) -> str:
        if channel.pk is None or channel.kind != IngestChannel.Kind.PUSH:
            return "—"
        return reverse("ingest_push", args=[channel.slug])

    def save_model(self, request, obj: IngestChannel, form, change) -> None:
        secret = None
        if not change:
            secret = new_push_secret()
            obj.secret_encrypted = crypto.encrypt(secret)
        super().save_model(request, obj, form, change)
        if secret and obj.kind == IngestChannel.Kind.PUSH:
            messages.warning(
                request,
                f"Push secret for {obj.name} (shown only this once): {secret}",
            )

    @admin.action(description="Run now", permissions=["change"])
    def run_now(self, request: HttpRequest, queryset: QuerySet) -> None:
        for channel in queryset:
            rows = run_channel(channel)
            counts: dict[str, int] = {}
            for row in rows:
                counts[row.get_result_display().lower()] = (
                    counts.get(row.get_result_display().lower(), 0) + 1
                )
            summary = ", ".join(f"{n} {result}" for result, n in sorted(counts.items()))
            level = messages.ERROR if channel.consecutive_failures else messages.SUCCESS
            error = f" — {channel.last_error}" if channel.consecutive_failures else ""
            self.message_user(request, f"{channel.name}: {summary or 'nothing new'}{error}", level)

    @admin.action(description="Pause", permissions=["change"])
    def pause(self, request: HttpRequest, queryset: QuerySet) -> None:
        done = queryset.update(active=False)
        self.message_user(request, f"Paused {done} channel(s).", messages.SUCCESS)

    @admin.action(description="Resume", permissions=["change"])
    def resume(self, request: HttpRequest, queryset: QuerySet) -> None:
        # Resumed now, not at the end of a backoff run up while it failed.
        done = queryset.update(active=True, next_attempt_at=None, consecutive_failures=0)
        self.message_user(request, f"Resumed {done} channel(s).", messages.SUCCESS)

    @admin.action(description="Renew the push secret", permissions=["change"])
    def renew_secret(self, request: HttpRequest, queryset: QuerySet) -> None:
        for channel in queryset.filter(kind=IngestChannel.Kind.PUSH):
            secret = new_push_secret()
            channel.secret_encrypted = crypto.encrypt(secret)
            channel.save(update_fields=["secret_encrypted"])
            self.message_user(
                request,
                f"New push secret for {channel.name} (shown only this once): {secret}",
                messages.WARNING,
            )


class DateFilter(admin.SimpleListFilter):
    title = "received"
    parameter_name = "received"

    def lookups(self, request, model_admin):
        return [("today", "Today"), ("7d", "Past 7 days"), ("30d", "Past 30 days")]

    def queryset(self, request, queryset):
        days = {"today": 0, "7d": 7, "30d": 30}.get(self.value() or "")
        if days is None:
            return queryset
        start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        return queryset.filter(received_at__gte=start - timedelta(days=days))


class FormatFilter(admin.SimpleListFilter):
    title = "format"
    parameter_name = "format"

    def lookups(self, request, model_admin):
        formats = model_admin.get_queryset(request).exclude(format="").values_list("format")
        return [(f, f) for f in sorted({f for (f,) in formats.distinct()})]

    def queryset(self, request, queryset):
        return queryset.filter(format=self.value()) if self.value() else queryset


@admin.register(IngestLogEntry)
class IngestLogEntryAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "channel", "name", "format", "result", "story", "error"]
    list_filter = ["channel", "result", FormatFilter, DateFilter]
    search_fields = ["name", "guid", "error"]
    list_select_related = ["channel", "item", "article"]

    @admin.display(description="Story")
    def story(self, entry: IngestLogEntry) -> str:
        if entry.article_id:
            return format_html(
                '<a href="{}">{}</a>',
                reverse("admin:articles_article_change", args=[entry.article_id]),
                entry.article.headline,
            )
        if entry.item_id:
            return format_html(
                '<a href="{}">{}</a>',
                reverse("admin:ingest_ingestitem_change", args=[entry.item_id]),
                entry.item.headline or entry.item.guid,
            )
        return "—"


class TakenFilter(admin.SimpleListFilter):
    title = "on the desk"
    parameter_name = "taken"

    def lookups(self, request, model_admin):
        return [("no", "Not taken"), ("yes", "Taken")]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(article__isnull=True)
        if self.value() == "yes":
            return queryset.filter(article__isnull=False)
        return queryset


@admin.register(IngestItem)
class IngestItemAdmin(ReadOnlyAdmin):
    list_display = [
        "headline_or_guid",
        "channel",
        "format",
        "version",
        "pub_status",
        "received_at",
        "draft",
    ]
    list_filter = [TakenFilter, "channel", "pub_status", "update_pending"]
    search_fields = ["headline", "guid"]
    list_select_related = ["channel", "article"]

    @admin.display(description="Headline", ordering="headline")
    def headline_or_guid(self, item: IngestItem) -> str:
        # The list links it to the item's page.
        return item.headline or item.guid

    @admin.display(description="Draft")
    def draft(self, item: IngestItem) -> str:
        if not item.article_id:
            return "Not taken"
        return format_html(
            '<a href="{}">{} ({})</a>',
            reverse("admin:articles_article_change", args=[item.article_id]),
            item.article.slug,
            item.article.get_status_display(),
        )

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None
    ) -> HttpResponse:
        """The item's page: its latest version, how it differs from the one before and
        from our copy, and the buttons to take it or to act on an agency kill."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        item = get_object_or_404(
            IngestItem.objects.select_related("channel__desk", "article"), pk=object_id
        )
        if request.method == "POST":
            return self._act(request, item)
        versions = list(item.versions.all())
        agency_rows = None
        if len(versions) > 1:
            agency_rows = side_by_side(
                story_lines(versions[1].story, versions[1].headline),
                story_lines(versions[0].story, versions[0].headline),
            )
        ours_rows = None
        if item.article is not None:
            ours_rows = side_by_side(
                article_lines(item.article), story_lines(item.story, item.headline)
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": item.headline or item.guid,
            "item": item,
            "versions": versions,
            "previous": versions[1] if len(versions) > 1 else None,
            "agency_rows": agency_rows,
            "ours_rows": ours_rows,
            "paragraphs": story_lines(item.story, item.headline)[1:],
            "may_take": request.user.has_perm("ingest.take_ingestitem"),
            "may_kill": request.user.has_perm("articles.kill_article"),
            "agency_stopped": item.pub_status != IngestItem.PubStatus.USABLE,
        }
        return TemplateResponse(request, "ingest/ingest_item.html", context)

    def _act(self, request: HttpRequest, item: IngestItem) -> HttpResponse:
        here = reverse("admin:ingest_ingestitem_change", args=[item.pk])
        action = request.POST.get("action")
        if action == "take":
            if not request.user.has_perm("ingest.take_ingestitem"):
                raise PermissionDenied
            try:
                article = take(item, by=request.user)
            except WorkflowError as exc:
                self.message_user(request, str(exc), messages.ERROR)
                return HttpResponseRedirect(here)
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))
        if action == "agency-status" and item.article_id:
            try:
                done = apply_agency_status(item, by=request.user)
            except WorkflowError as exc:
                self.message_user(request, str(exc), messages.ERROR)
                return HttpResponseRedirect(here)
            if done:
                self.message_user(
                    request, f"Our story was {done}, as the agency's was.", messages.SUCCESS
                )
            else:
                self.message_user(
                    request, "Our story is not published: nothing to do.", messages.INFO
                )
            return HttpResponseRedirect(here)
        return HttpResponseRedirect(here)
