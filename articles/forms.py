"""Forms of the editor admin: the copy form under optimistic locking, and the small forms
that carry what a workflow transition needs (a correction note, a kill reason, an embargo).

Forms only shape input; the rules live in `articles.workflow`, which the admin calls.
"""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.functional import cached_property

from articles.body_editor import body_editor_widget
from articles.models import Article
from articles.sanitize import BodyRefused, check_body_bounds, clean_body_html, clean_plain_text
from articles.workflow import StaleEdit
from articles.workflow.conflicts import (
    THEIRS,
    EditConflict,
    UnresolvedConflict,
    find_conflict,
    resolve_conflict,
)
from articles.workflow.editing import COPY_FIELDS

# What the conflict panel posts: the fields it showed, and one choice per field.
CONFLICT_FIELDS_INPUT = "conflict_fields"
CONFLICT_CHOICE_PREFIX = "conflict-"


# How Article.save() cleans each text field before storing it.
STORED_AS = {
    "headline": clean_plain_text,
    "summary": clean_plain_text,
    "dateline_place": clean_plain_text,
    "body": clean_body_html,
}


class ArticleForm(forms.ModelForm):
    """The copy of a story, carrying the lock_version the editor opened it at.

    `clean()` refuses a save from a form opened on an older lock_version, naming who saved
    since and when; the bound form keeps everything the editor typed, and `edit_conflict`
    holds the stored copy's differences from it (`workflow.conflicts`), which the change
    form shows beside the fields. The form comes back carrying the stored copy's lock, so
    the next save, made after choosing yours or theirs per field, goes through against the
    copy that was shown. The same refusal can come later from `workflow.save_copy` (a save
    that raced this one past validation); the admin then renders the form again with
    `stale_edit` set, and it is refused the same way.
    """

    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, initial=0)
    stale_edit: StaleEdit | None = None
    edit_conflict: EditConflict | None = None
    took_theirs: tuple[str, ...] = ()

    class Meta:
        model = Article
        fields = COPY_FIELDS
        widgets = {
            "headline": forms.TextInput(attrs={"size": 80}),
            "summary": forms.Textarea(attrs={"rows": 2, "cols": 80}),
            "body": body_editor_widget(),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["lock_version"].initial = self.instance.lock_version

    def clean_body(self) -> str:
        body = self.cleaned_data.get("body") or ""
        try:
            check_body_bounds(body)
        except BodyRefused as refusal:
            raise forms.ValidationError(str(refusal), code="bounds") from None
        return body

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        if self.stale_edit is not None:
            self._refuse_stale(self.stale_edit.article, cleaned)
        expected = cleaned.get("lock_version")
        if expected is None:
            return cleaned
        current = Article.objects.select_related("modified_by").get(pk=self.instance.pk)
        if current.lock_version != expected:
            self._refuse_stale(current, cleaned)
        shown = [name for name in self.data.get(CONFLICT_FIELDS_INPUT, "").split(",") if name]
        if shown:
            self._resolve(current, cleaned, shown)
        return cleaned

    def conflict_fields_shown(self) -> list[tuple]:
        """(FieldConflict, the choice posted for it or "") for each field of `edit_conflict`,
        so a form shown again keeps the choices already made."""
        if self.edit_conflict is None:
            return []
        return [
            (field, self.data.get(f"{CONFLICT_CHOICE_PREFIX}{field.name}", ""))
            for field in self.edit_conflict.fields
        ]

    def _mine(self, cleaned: dict) -> dict:
        return {name: cleaned[name] for name in COPY_FIELDS if name in cleaned}

    def _refuse_stale(self, current: Article, cleaned: dict) -> None:
        self.edit_conflict = find_conflict(current, self._mine(cleaned))
        data = self.data.copy()
        data["lock_version"] = str(current.lock_version)
        self.data = data
        raise forms.ValidationError(str(StaleEdit(current)), code="stale")

    def _resolve(self, current: Article, cleaned: dict, shown: list[str]) -> None:
        mine = self._mine(cleaned)
        choices = {name: self.data.get(f"{CONFLICT_CHOICE_PREFIX}{name}", "") for name in shown}
        try:
            resolved = resolve_conflict(current, mine, choices=choices, fields=shown)
        except UnresolvedConflict as exc:
            self.edit_conflict = find_conflict(current, mine, names=shown)
            raise forms.ValidationError(str(exc), code="unresolved") from None
        self.took_theirs = tuple(n for n in shown if choices.get(n) == THEIRS and n in mine)
        cleaned.update(resolved)

    @cached_property
    def changed_data(self) -> list[str]:
        """Fields whose posted value, stored the way the model stores it, differs from the
        stored one. Copy that differs only as text (CRLF line breaks from the browser,
        markup the sanitizer drops) is no change: not for the audit trail, not for Django's
        history, not for `save_copy`."""
        return [
            name
            for name in super().changed_data
            if name not in self.took_theirs and not self._stores_the_same(name)
        ]

    def _stores_the_same(self, name: str) -> bool:
        store = STORED_AS.get(name)
        if store is None or self.instance.pk is None:
            return False
        try:
            posted = self.fields[name].clean(self[name].data)
        except forms.ValidationError:
            return False
        return store(posted) == store(self.initial.get(name) or "")

    def changed_copy_fields(self) -> list[str]:
        """Concrete model fields the editor changed (what `save_copy` should write)."""
        concrete = {f.name for f in Article._meta.concrete_fields}
        return [name for name in self.changed_data if name in concrete]


# Workflow transitions --------------------------------------------------------------------

# The inputs each transition takes, beyond the article and the user.
TRANSITION_INPUTS: dict[str, tuple[str, ...]] = {
    "submit": (),
    "approve": (),
    "return_to_reporter": ("note",),
    "publish": ("embargo_until", "publish_at", "override_audit"),
    "correct": ("note",),
    "update": ("note",),
    "withhold": ("reason",),
    "release": (),
    "kill": ("reason",),
}

TRANSITION_LABELS: dict[str, str] = {
    "submit": "Submit to the desk",
    "approve": "Approve",
    "return_to_reporter": "Return to reporter",
    "publish": "Publish",
    "correct": "Move a correction",
    "update": "Move a writethru",
    "withhold": "Withhold",
    "release": "Release",
    "kill": "Kill",
}


class TransitionForm(forms.Form):
    """What a transition needs from the editor. Required-ness is the workflow's to judge:
    a kill without a reason is refused there, with the wording every channel uses."""

    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    embargo_until = forms.DateTimeField(
        required=False,
        label="Embargo until (UTC)",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    publish_at = forms.DateTimeField(
        required=False,
        label="Publish at (UTC)",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    override_audit = forms.CharField(
        required=False,
        label="Override open findings, because",
        widget=forms.TextInput(attrs={"size": 60}),
    )

    def __init__(self, name: str, *args, **kwargs) -> None:
        # Several transition forms share one page: keep their element ids apart.
        kwargs.setdefault("auto_id", f"id_{name}_%s")
        super().__init__(*args, **kwargs)
        self.transition = name
        inputs = TRANSITION_INPUTS[name]
        for field in list(self.fields):
            if field not in inputs:
                del self.fields[field]
        if name == "correct":
            self.fields["note"].label = "Correction note (published)"
        if name == "update":
            self.fields["note"].label = "Writethru note"
        if name == "kill":
            self.fields["reason"].label = "Kill reason (sent to every partner)"

    def workflow_kwargs(self) -> dict:
        """Keyword arguments for the workflow function named `self.transition`."""
        data = self.cleaned_data
        if self.transition == "publish":
            return {
                "embargo_until": _aware(data.get("embargo_until")),
                "at": _aware(data.get("publish_at")),
                "override_audit": data.get("override_audit") or None,
            }
        return {name: data.get(name, "") for name in TRANSITION_INPUTS[self.transition]}


def _aware(moment: datetime | None) -> datetime | None:
    if moment is not None and timezone.is_naive(moment):
        return timezone.make_aware(moment)
    return moment


class ResolveFindingForm(forms.Form):
    reason = forms.CharField(
        label="Resolved, because", max_length=2000, widget=forms.TextInput(attrs={"size": 50})
    )


class VersionDiffForm(forms.Form):
    """Two version numbers of one article to compare."""

    a = forms.IntegerField(min_value=1, label="From version")
    b = forms.IntegerField(min_value=1, label="To version")
