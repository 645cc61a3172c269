"""The source book and the attribution findings in the editor admin.

A confidential identity and every contact detail or note are shown only to users with the
Standards permission: for anyone else they are not in the form, the list, the search or the
page at all. Standards users read them through `services.reveal` (each reading recorded)
and write them through `services.set_protected` (encrypted before they are stored).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from articles.models import Article
from sources import services
from sources.models import AuditFinding, Source

# The form's names for the clear text of each protected field.
PROTECTED_FORM_FIELDS = {f"{name}_text": name for name in services.PROTECTED_FIELDS}


ALIASES_MAX = 100
ALIAS_MAX_CHARS = 200


class AliasesField(forms.CharField):
    """Other spellings of a source's name, one per line (stored as a JSON list). Whatever
    is typed becomes a form error, never a 500: a NUL (which PostgreSQL refuses in text),
    more than ``ALIASES_MAX`` names, or a name over ``ALIAS_MAX_CHARS`` characters."""

    widget = forms.Textarea(attrs={"rows": 3, "cols": 40})

    def prepare_value(self, value) -> str:
        if isinstance(value, list | tuple):
            return "\n".join(str(alias) for alias in value)
        return value or ""

    def to_python(self, value) -> list[str]:
        if isinstance(value, list | tuple):
            lines = value
        else:
            lines = (super().to_python(value) or "").splitlines()
        aliases: list[str] = []
        for line in lines:
            alias = " ".join(str(line).split())
            if "\x00" in alias:
                raise forms.ValidationError("An alias must not contain NUL.", code="nul")
            if len(alias) > ALIAS_MAX_CHARS:
                raise forms.ValidationError(
                    f"An alias is at most {ALIAS_MAX_CHARS} characters (one has {len(alias)}).",
                    code="long",
                )
            if alias and alias not in aliases:
                aliases.append(alias)
        if len(aliases) > ALIASES_MAX:
            raise forms.ValidationError(f"At most {ALIASES_MAX} aliases.", code="too_many")
        return aliases

    def has_changed(self, initial, data) -> bool:
        try:
            return self.to_python(initial or []) != self.to_python(data)
        except forms.ValidationError:
            return True


class SourceForm(forms.ModelForm):
    """The public facts of a source, and the record of an anonymity grant."""

    aliases = AliasesField(
        required=False,
        help_text="Other spellings used, one per line (“Koh” for “Ko”).",
    )

    class Meta:
        model = Source
        # An allow-list: a protected field added to the model stays out until placed here.
        fields = (
            "kind",
            "name",
            "title",
            "affiliation",
            "aliases",
            "confidential",
            "anonymity_reason",
            "anonymity_approved_by",
        )
        field_classes = {"aliases": AliasesField}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        approver = self.fields.get("anonymity_approved_by")
        if approver is not None:
            # Anonymity is granted by an editor; readers of the list need not see everyone.
            approver.queryset = get_user_model().objects.filter(is_staff=True, is_active=True)


class ProtectedSourceForm(SourceForm):
    """For Standards: the protected fields in clear text, revealed when the form opens."""

    identity_text = forms.CharField(
        label="Identity",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60, "autocomplete": "off"}),
        help_text="Who the source really is. Stored encrypted; visible to Standards only.",
    )
    contact_text = forms.CharField(
        label="Contact details",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60, "autocomplete": "off"}),
    )
    notes_text = forms.CharField(
        label="Notes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60, "autocomplete": "off"}),
    )
    revealing_user = None

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.is_bound or self.instance.pk is None:
            return
        for form_field, field in PROTECTED_FORM_FIELDS.items():
            # Only what is stored is read, so opening an empty record writes no reading.
            if getattr(self.instance, field):
                self.fields[form_field].initial = services.reveal(
                    self.instance, field, by=self.revealing_user
                )

    def protected_values(self) -> dict[str, str]:
        return {field: self.cleaned_data[name] for name, field in PROTECTED_FORM_FIELDS.items()}


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    form = SourceForm
    list_display = ("name", "kind", "title", "affiliation", "confidential", "quotes")
    list_filter = ("kind", "confidential")
    # Never the protected fields: they hold ciphertext, and a match would confirm a name.
    search_fields = ("name", "title", "affiliation", "aliases")
    readonly_fields = ("quoted_in",)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(quote_count=Count("attributions"))

    @admin.display(description="quotes", ordering="quote_count")
    def quotes(self, source: Source) -> int:
        return source.quote_count

    @admin.display(description="quoted in")
    def quoted_in(self, source: Source) -> str:
        articles = (
            Article.objects.filter(attributions__source=source)
            .distinct()
            .only("pk", "headline", "status")
            .order_by("-modified_at")
        )
        rows = [
            (reverse("admin:articles_article_change", args=[a.pk]), a.headline, a.status)
            for a in articles
        ]
        if not rows:
            return "Not quoted yet."
        items = format_html_join("", '<li><a href="{}">{}</a> ({})</li>', rows)
        return format_html('<ul class="quoted-in">{}</ul>', items)

    def get_fieldsets(self, request: HttpRequest, obj: Source | None = None):
        fieldsets = [
            (None, {"fields": ("kind", "name", ("title", "affiliation"), "aliases")}),
            (
                "Anonymity",
                {
                    "fields": ("confidential", "anonymity_reason", "anonymity_approved_by"),
                    "description": "For an anonymous source the name above is the "
                    "description the story prints, such as “a senior diplomat”.",
                },
            ),
        ]
        if services.can_reveal(request.user):
            fieldsets.append(
                (
                    "Protected: Standards only, each reading is recorded",
                    {"fields": tuple(PROTECTED_FORM_FIELDS)},
                )
            )
        if obj is not None:
            fieldsets.append(("Quoted in", {"fields": ("quoted_in",)}))
        return fieldsets

    def get_form(self, request: HttpRequest, obj: Source | None = None, change=False, **kwargs):
        if services.can_reveal(request.user):
            kwargs["form"] = type(
                "ProtectedSourceForm", (ProtectedSourceForm,), {"revealing_user": request.user}
            )
        return super().get_form(request, obj, change=change, **kwargs)

    def save_model(self, request: HttpRequest, obj: Source, form, change: bool) -> None:
        if isinstance(form, ProtectedSourceForm) and services.can_reveal(request.user):
            services.set_protected(obj, **form.protected_values())
        super().save_model(request, obj, form, change)


@admin.register(AuditFinding)
class AuditFindingAdmin(admin.ModelAdmin):
    """Findings are opened by the audit and closed on the story page (resolve or override)."""

    list_display = ("story", "code", "subject", "status", "created_at", "closed_by", "closed_at")
    list_filter = ("status", "code")
    list_select_related = ("article", "closed_by")
    search_fields = ("message", "subject", "article__headline", "article__slug")
    fields = (
        "article",
        "code",
        "subject",
        "message",
        "status",
        "created_at",
        "closed_by",
        "closed_at",
        "close_reason",
    )
    readonly_fields = fields

    @admin.display(description="story", ordering="article__headline")
    def story(self, finding: AuditFinding) -> str:
        url = reverse("admin:articles_article_change", args=[finding.article_id])
        return format_html('<a href="{}">{}</a>', url, finding.article.headline)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
