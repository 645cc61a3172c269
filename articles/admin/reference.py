"""Desks, taxonomies, contributors, and the read-only records: versions and the audit trail."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from articles.models import ArticleVersion, AuditEntry, Contributor, Credit, Desk, Region, Topic


@admin.register(Desk)
class DeskAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "language")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


class ContributorCreditInline(admin.TabularInline):
    """A contributor's credits, read-only: credits are edited on the story."""

    model = Credit
    fields = ("story", "role", "desk_label", "place")
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "Credits on stories"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("article")

    @admin.display(description="story")
    def story(self, credit: Credit) -> str:
        url = reverse("admin:articles_article_change", args=[credit.article_id])
        return format_html('<a href="{}">{}</a>', url, credit.article.headline)

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Contributor)
class ContributorAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "desk", "credit_count")
    list_filter = ("kind", "desk")
    list_select_related = ("desk",)
    search_fields = ("name", "desk__name")
    autocomplete_fields = ("desk",)
    inlines = (ContributorCreditInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(credit_total=Count("credits"))

    @admin.display(description="credits", ordering="credit_total")
    def credit_count(self, contributor: Contributor) -> int:
        return contributor.credit_total


class _ReadOnlyAdmin(admin.ModelAdmin):
    """Records that are written by the workflow only and never edited by hand."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(_ReadOnlyAdmin):
    list_display = ("at", "actor_name", "action", "article", "subject", "from_status", "to_status")
    list_filter = ("action",)
    list_select_related = ("article",)
    search_fields = ("actor_name", "action", "note", "subject", "article__slug")
    date_hierarchy = "at"


@admin.register(ArticleVersion)
class ArticleVersionAdmin(_ReadOnlyAdmin):
    list_display = ("article", "number", "event", "created_by", "created_at")
    list_filter = ("event",)
    list_select_related = ("article", "created_by")
    search_fields = ("article__slug", "headline")
    fields = (
        "article",
        "number",
        "event",
        "headline",
        ("summary", "summary_generated"),
        "byline",
        "credit_line",
        "note",
        "body",
        "ninjs",
        "created_by",
        "created_at",
    )
