"""The inlines of the article form: who is credited, and which source said each quote."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.forms.boundfield import BoundField
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.html import strip_tags
from django.utils.text import capfirst

from articles import workflow
from articles.models import Article, Credit
from sources.models import Attribution


class _FollowsCopyPermission:
    """An inline is editable exactly when the story's copy is (a reporter's own draft)."""

    def _may_edit_copy(self, request: HttpRequest, obj: Article | None) -> bool:
        return obj is None or workflow.can_edit_copy(request.user, obj)

    def has_add_permission(self, request: HttpRequest, obj: Article | None = None) -> bool:
        return super().has_add_permission(request, obj) and self._may_edit_copy(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Article | None = None) -> bool:
        return super().has_change_permission(request, obj) and self._may_edit_copy(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Article | None = None) -> bool:
        return super().has_delete_permission(request, obj) and self._may_edit_copy(request, obj)


class _CreditCell(BoundField):
    """An input in a credit row. A table row shows no help text under its inputs (the column
    head has it), so the input points at no help text element; its `title` carries the text."""

    @property
    def aria_describedby(self) -> str | None:
        described = super().aria_describedby
        if not described:
            return described
        return " ".join(i for i in described.split() if not i.endswith("_helptext")) or None


class CreditFormSet(BaseInlineFormSet):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        """Name each input of a credit row, which has no <label>: "Role, credit 2" (or
        "…, new credit" in the row "Add another" copies), after WCAG 1.3.1 and 4.1.2."""
        super().add_fields(form, index)
        form.bound_field_class = _CreditCell
        row = f"credit {index + 1}" if index is not None else "new credit"
        for name, field in form.fields.items():
            # The contributor's box is named by select2 after the chosen contributor; its
            # wrapper shares one attrs dict among all rows, so it is left as it is.
            if field.widget.is_hidden or name == "contributor":
                continue
            label = "Delete" if name == "DELETE" else capfirst(field.label)
            field.widget.attrs["aria-label"] = f"{label}, {row}"
            if field.help_text:
                field.widget.attrs["title"] = strip_tags(str(field.help_text))

    def clean(self) -> None:
        # A credit added with "Add another" arrives with order 0; put it after the others
        # instead of refusing the save over a number the reporter never chose.
        taken = {
            form.cleaned_data.get("order")
            for form in self.initial_forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        }
        for form in self.extra_forms:
            if not form.has_changed() or not form.cleaned_data:
                continue
            order = form.cleaned_data.get("order")
            if order in taken:
                order = max(o for o in taken if o is not None) + 1
                form.cleaned_data["order"] = order
                form.instance.order = order
            taken.add(order)
        super().clean()


class CreditInline(_FollowsCopyPermission, admin.TabularInline):
    model = Credit
    formset = CreditFormSet
    fields = ("contributor", "role", "desk_label", "place", "order")
    autocomplete_fields = ("contributor",)
    extra = 0
    verbose_name = "credit"
    verbose_name_plural = "Credits (byline and credit line)"


class AttributionInline(_FollowsCopyPermission, admin.StackedInline):
    model = Attribution
    fields = (("source", "kind", "verb", "paragraph"), "text")
    autocomplete_fields = ("source",)
    extra = 0
    verbose_name = "attribution"
    verbose_name_plural = "Attributions (quotes and paraphrases, tied to their sources)"

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.base_fields["text"].widget.attrs.update({"rows": 2, "cols": 80})
        return formset
