"""The partner desk in the admin: partners and entitlements, keys, endpoints, deliveries.

A new key is shown once, in the message after saving; only its prefix is visible after.
Deliveries and their attempts are a log: nobody edits them.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html

from distribution.api.partners import issue_key, revoke_keys
from distribution.models import Delivery, DeliveryAttempt, Partner, PartnerAPIKey, WebhookEndpoint
from distribution.push.services import disable_endpoint, enable_endpoint


class APIKeyInline(admin.TabularInline):
    model = PartnerAPIKey
    extra = 0
    fields = ["name", "prefix", "created", "expiry_date", "revoked"]
    readonly_fields = ["name", "prefix", "created", "expiry_date", "revoked"]
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        # Keys are made through the key admin, which shows the new key once.
        return False


class EndpointInline(admin.TabularInline):
    model = WebhookEndpoint
    extra = 0
    fields = ["url", "event_types", "active", "failing_since", "disabled_reason"]
    readonly_fields = ["failing_since", "disabled_reason"]
    show_change_link = True


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "active", "entitlements", "embargoed", "endpoint_health"]
    list_filter = ["active", "embargoed"]
    search_fields = ["name"]
    filter_horizontal = ["desks", "topics"]
    fieldsets = [
        (None, {"fields": ["name", "active", "notes"]}),
        (
            "Entitlements",
            {
                "fields": [
                    ("all_desks", "desks"),
                    ("all_languages", "languages"),
                    ("all_topics", "topics"),
                    "embargoed",
                ]
            },
        ),
    ]
    inlines = [APIKeyInline, EndpointInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Partner]:
        return super().get_queryset(request).prefetch_related("desks", "topics", "endpoints")

    @admin.display(description="Entitled to")
    def entitlements(self, partner: Partner) -> str:
        desks = "all desks" if partner.all_desks else ", ".join(d.slug for d in partner.desks.all())
        langs = "all languages" if partner.all_languages else partner.languages
        topics = (
            ""
            if partner.all_topics
            else "; topics " + ", ".join(t.slug for t in partner.topics.all())
        )
        return f"{desks or 'no desk'}; {langs or 'no language'}{topics}"

    @admin.display(description="Endpoints")
    def endpoint_health(self, partner: Partner) -> str:
        disabled = [e for e in partner.endpoints.all() if not e.active]
        if disabled:
            return format_html(
                "<strong>{} disabled</strong>: {}", len(disabled), disabled[0].disabled_reason
            )
        return f"{len(partner.endpoints.all())} active"


@admin.register(PartnerAPIKey)
class PartnerAPIKeyAdmin(admin.ModelAdmin):
    list_display = ["prefix", "name", "partner", "created", "expiry_date", "revoked"]
    list_filter = ["revoked", "partner"]
    search_fields = ["name", "prefix", "partner__name"]
    actions = ["revoke"]

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        if obj is None:
            return ["prefix"]
        return ["partner", "prefix", "created", "name", "expiry_date", "revoked"]

    def save_model(self, request: HttpRequest, obj: PartnerAPIKey, form, change: bool) -> None:
        if change:
            return
        key_obj, key = issue_key(obj.partner, name=obj.name, expires=obj.expiry_date)
        obj.pk = key_obj.pk
        obj.prefix = key_obj.prefix
        self.message_user(
            request,
            f"The API key for {obj.partner} is: {key} — copy it now; it will not be shown again.",
            level=messages.WARNING,
        )

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # revoke instead, so the record of the key stays

    @admin.action(description="Revoke the selected keys (cannot be undone)")
    def revoke(self, request: HttpRequest, queryset: QuerySet[PartnerAPIKey]) -> None:
        count = revoke_keys(queryset)
        self.message_user(request, f"{count} key(s) revoked.")


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ["url", "partner", "active", "failing_since", "disabled_reason"]
    list_filter = ["active", "partner"]
    search_fields = ["url", "partner__name"]
    readonly_fields = ["failing_since", "disabled_at", "disabled_reason", "created_at"]
    fields = [
        "partner",
        "url",
        "secret",
        "event_types",
        "active",
        "failing_since",
        "disabled_at",
        "disabled_reason",
        "created_at",
    ]
    actions = ["enable", "disable"]

    @admin.action(description="Enable (pending deliveries go on the next sweep)")
    def enable(self, request: HttpRequest, queryset: QuerySet[WebhookEndpoint]) -> None:
        for endpoint in queryset:
            enable_endpoint(endpoint)
        self.message_user(request, f"{queryset.count()} endpoint(s) enabled.")

    @admin.action(description="Disable")
    def disable(self, request: HttpRequest, queryset: QuerySet[WebhookEndpoint]) -> None:
        for endpoint in queryset:
            disable_endpoint(endpoint, reason=f"Disabled by {request.user.get_username()}.")
        self.message_user(request, "Endpoint(s) disabled.")


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class AttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    fields = ["number", "at", "status_code", "duration_ms", "error"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "event_type",
        "guid",
        "version",
        "partner",
        "endpoint",
        "status",
        "attempts",
        "last_status_code",
        "next_attempt_at",
    ]
    list_filter = ["status", "event_type", "partner"]
    search_fields = ["guid", "webhook_id", "partner__name"]
    list_select_related = ["partner", "endpoint"]
    exclude = ["lease_token", "leased_until"]
    inlines = [AttemptInline]
