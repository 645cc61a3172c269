from __future__ import annotations

from django import forms


class CodeForm(forms.Form):
    """One code: 6 digits from the authenticator app, or an 8-character recovery code."""

    code = forms.CharField(
        label="Code",
        max_length=32,
        strip=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )
