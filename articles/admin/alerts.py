"""Alerts in the admin: a list with a "resolve" action, and the open ones on the home page
(``templates/admin/index.html`` through the ``open_alerts`` tag)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from articles.models import Alert


class OpenFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [("open", "Open"), ("resolved", "Resolved")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Alert]) -> QuerySet[Alert]:
        if self.value() == "open":
            return queryset.filter(resolved_at=None)
        if self.value() == "resolved":
            return queryset.exclude(resolved_at=None)
        return queryset


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "desk", "raised_at", "resolved_at")
    list_filter = (OpenFilter, "kind", "desk")
    search_fields = ("title", "message")
    readonly_fields = (
        "kind", "desk", "article", "title", "message", "url", "key", "raised_at",
        "resolved_at", "resolved_by",
    )  # fmt: skip
    actions = ["resolve"]
    list_select_related = ("desk",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Alert | None = None) -> bool:
        return False

    @admin.action(description="Resolve the selected alerts", permissions=["change"])
    def resolve(self, request: HttpRequest, queryset: QuerySet[Alert]) -> None:
        done = queryset.filter(resolved_at=None).update(
            resolved_at=timezone.now(), resolved_by=request.user
        )
        self.message_user(request, f"{done} alert(s) resolved.", messages.SUCCESS)
