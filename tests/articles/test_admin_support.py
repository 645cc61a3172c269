"""Helpers for driving the editor admin through the test client, as a browser would."""

from __future__ import annotations

import datetime

from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from articles.models import Article

PASSWORD = "correct horse battery"  # what tests.factories.UserFactory sets


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def change_url(article: Article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def transition_url(article: Article, name: str) -> str:
    return reverse("admin:articles_article_transition", args=[article.pk, name])


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _as_post_value(value):
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return value


def _bound_fields(form, data: dict) -> None:
    for name in form.fields:
        bound = form[name]
        value = bound.value()
        if value is None:
            continue  # a browser sends nothing for an empty multi-select
        if isinstance(value, bool):
            # An unticked checkbox is simply absent from a browser's POST.
            if value:
                data[bound.html_name] = "on"
            continue
        data[bound.html_name] = _as_post_value(value)


def form_data(response) -> dict:
    """The POST a browser would send from this admin form page, unchanged."""
    data: dict = {}
    _bound_fields(response.context["adminform"].form, data)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        _bound_fields(formset.management_form, data)
        for form in formset.forms:
            _bound_fields(form, data)
    return data


def add_inline_rows(data: dict, prefix: str, rows: list[dict]) -> dict:
    """Append new rows to an inline formset in a POST built by `form_data`."""
    start = int(data[f"{prefix}-TOTAL_FORMS"])
    for offset, row in enumerate(rows):
        for field, value in row.items():
            data[f"{prefix}-{start + offset}-{field}"] = value
    data[f"{prefix}-TOTAL_FORMS"] = str(start + len(rows))
    return data


def form_errors(response) -> list:
    """The errors of a re-rendered admin form and its inlines, for assertion messages."""
    if response.context is None or "adminform" not in response.context:
        return []
    errors = [response.context["adminform"].form.errors]
    errors += [inline.formset.errors for inline in response.context["inline_admin_formsets"]]
    return [e for e in errors if e]
