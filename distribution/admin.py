"""The partner desk in the admin: partners and entitlements, keys, endpoints, deliveries.

A new key is shown once, in the message after saving; only its prefix is visible after, and
the key's pages are addressed by that prefix (the model's primary key holds the hash, which
must not reach a URL or an access log). A webhook signing secret is likewise shown once, when
the endpoint is made or its secret rotated, and never in a form.
Deliveries and their attempts are a log: nobody edits them.
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.admin.views.main import ChangeList
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from articles.admin.readonly import ReadOnlyAdmin
from articles.models import OutboxEvent
from distribution.api.partners import issue_key, revoke_keys
from distribution.models import (
    APIScope,
    Delivery,
    DeliveryAttempt,
    Partner,
    PartnerAPIKey,
    WebhookEndpoint,
)
from distribution.push.services import disable_endpoint, enable_endpoint, rotate_secret


def key_url(key: PartnerAPIKey) -> str:
    return reverse("admin:distribution_partnerapikey_change", args=[key.prefix])


class WebhookEndpointForm(forms.ModelForm):
    # Ticked from the known types rather than typed as JSON: nothing posted here is parsed,
    # so no input (pasted deep JSON, a NUL) can be more than a form error.
    event_types = forms.MultipleChoiceField(
        choices=OutboxEvent.Type.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Event types to send; none ticked sends all.",
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["partner", "url", "event_types", "active"]


class EndpointInline(admin.TabularInline):
    model = WebhookEndpoint
    form = WebhookEndpointForm
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
        ("API keys", {"fields": ["keys"]}),
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
    readonly_fields = ["keys"]
    inlines = [EndpointInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Partner]:
        return super().get_queryset(request).prefetch_related("desks", "topics", "endpoints")

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        super().save_formset(request, form, formset, change)
        for endpoint in getattr(formset, "new_objects", []):
            if isinstance(endpoint, WebhookEndpoint):
                show_secret_once(request, endpoint, endpoint.secret, self)

    @admin.display(description="Keys")
    def keys(self, partner: Partner) -> str:
        # A list rather than an inline: an inline's form would carry each key's primary key,
        # which holds the hash.
        keys = partner.api_keys.order_by("-created")
        if not keys:
            return "No keys. Add one under Partner API keys."
        rows = format_html_join(
            "",
            '<li><a href="{}">{}</a> {} ({}; last used {}){}</li>',
            (
                (
                    key_url(key),
                    key.prefix,
                    key.name,
                    ", ".join(key.scopes),
                    key.last_used_at or "never",
                    " revoked" if key.revoked else "",
                )
                for key in keys
            ),
        )
        return format_html("<ul>{}</ul>", rows)

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


class PartnerAPIKeyForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        choices=APIScope.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=APIScope.values,
        help_text="What the key may read.",
    )

    class Meta:
        model = PartnerAPIKey
        fields = ["partner", "name", "scopes", "expiry_date"]


class _KeysByPrefix(ChangeList):
    def url_for_result(self, result: PartnerAPIKey) -> str:
        return key_url(result)


@admin.register(PartnerAPIKey)
class PartnerAPIKeyAdmin(admin.ModelAdmin):
    form = PartnerAPIKeyForm
    list_display = [
        "prefix",
        "name",
        "partner",
        "scopes",
        "created",
        "last_used_at",
        "expiry_date",
        "revoked",
    ]
    list_filter = ["revoked", "partner"]
    search_fields = ["name", "prefix", "partner__name"]
    actions = ["revoke"]

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        if obj is None:
            return ["prefix"]
        fields = ["partner", "prefix", "created", "name", "scopes", "last_used_at"]
        return [*fields, "expiry_date", "revoked"]

    def get_changelist(self, request: HttpRequest, **kwargs) -> type[ChangeList]:
        return _KeysByPrefix

    def action_checkbox(self, obj: PartnerAPIKey) -> str:
        # Selected by prefix: the primary key would put the hash in the page.
        checkbox = forms.CheckboxInput({"class": "action-select", "aria-label": str(obj)})
        return checkbox.render(helpers.ACTION_CHECKBOX_NAME, obj.prefix)

    def response_action(self, request: HttpRequest, queryset: QuerySet[PartnerAPIKey]):
        post = request.POST.copy()
        prefixes = post.getlist(helpers.ACTION_CHECKBOX_NAME)
        pks = PartnerAPIKey.objects.filter(prefix__in=prefixes).values_list("pk", flat=True)
        post.setlist(helpers.ACTION_CHECKBOX_NAME, list(pks))
        request.POST = post
        return super().response_action(request, queryset)

    def get_object(self, request: HttpRequest, object_id: str, from_field=None):
        # The URL names the prefix; a primary key (prefix.hash) there is not looked up.
        return self.get_queryset(request).filter(prefix=object_id).first()

    def save_model(self, request: HttpRequest, obj: PartnerAPIKey, form, change: bool) -> None:
        if change:
            return
        key_obj, key = issue_key(
            obj.partner, name=obj.name, expires=obj.expiry_date, scopes=obj.scopes
        )
        obj.pk = key_obj.pk
        obj.prefix = key_obj.prefix
        self.message_user(
            request,
            f"The API key for {obj.partner} is: {key} — copy it now; it will not be shown again.",
            level=messages.WARNING,
        )

    def response_add(self, request: HttpRequest, obj: PartnerAPIKey, post_url_continue=None):
        return HttpResponseRedirect(key_url(obj))

    def response_change(self, request: HttpRequest, obj: PartnerAPIKey):
        return HttpResponseRedirect(reverse("admin:distribution_partnerapikey_changelist"))

    def _log(self, request: HttpRequest, obj: PartnerAPIKey, flag: int, message) -> LogEntry:
        # Logged by prefix, so "Recent actions" and the history link by prefix too.
        return LogEntry.objects.create(
            user_id=request.user.pk,
            content_type=ContentType.objects.get_for_model(obj),
            object_id=obj.prefix,
            object_repr=str(obj)[:200],
            action_flag=flag,
            change_message=message if isinstance(message, str) else json.dumps(message),
        )

    def log_addition(self, request: HttpRequest, obj: PartnerAPIKey, message) -> LogEntry:
        return self._log(request, obj, ADDITION, message)

    def log_change(self, request: HttpRequest, obj: PartnerAPIKey, message) -> LogEntry:
        return self._log(request, obj, CHANGE, message)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # revoke instead, so the record of the key stays

    @admin.action(description="Revoke the selected keys (cannot be undone)")
    def revoke(self, request: HttpRequest, queryset: QuerySet[PartnerAPIKey]) -> None:
        count = revoke_keys(queryset)
        self.message_user(request, f"{count} key(s) revoked.")


def show_secret_once(request, endpoint: WebhookEndpoint, secret: str, model_admin) -> None:
    model_admin.message_user(
        request,
        f"The signing secret of {endpoint.url} is: {secret} — give it to the partner now; "
        "it will not be shown again.",
        level=messages.WARNING,
    )


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = WebhookEndpointForm
    list_display = ["url", "partner", "active", "failing_since", "disabled_reason"]
    list_filter = ["active", "partner"]
    search_fields = ["url", "partner__name"]
    readonly_fields = [
        "signing_secret",
        "failing_since",
        "disabled_at",
        "disabled_reason",
        "created_at",
    ]
    fields = [
        "partner",
        "url",
        "signing_secret",
        "event_types",
        "active",
        "failing_since",
        "disabled_at",
        "disabled_reason",
        "created_at",
    ]
    actions = ["enable", "disable", "rotate"]

    @admin.display(description="Signing secret")
    def signing_secret(self, endpoint: WebhookEndpoint) -> str:
        if endpoint.pk is None:
            return "Made when the endpoint is saved, and shown once."
        if endpoint.previous_secret_expires_at:
            return (
                "Set (not shown). Rotated: the previous secret also signs until "
                f"{endpoint.previous_secret_expires_at:%Y-%m-%d %H:%M} UTC."
            )
        return "Set (not shown). Rotate it from the endpoint list to issue a new one."

    def save_model(self, request: HttpRequest, obj: WebhookEndpoint, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if not change:
            show_secret_once(request, obj, obj.secret, self)

    @admin.action(description="Rotate the signing secret (the old one signs for a grace period)")
    def rotate(self, request: HttpRequest, queryset: QuerySet[WebhookEndpoint]) -> None:
        for endpoint in queryset:
            show_secret_once(request, endpoint, rotate_secret(endpoint), self)

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
