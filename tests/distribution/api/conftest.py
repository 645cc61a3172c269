"""Fixtures for the partner API and push tests: partners with keys, stories through the
workflow, an API client holding a key, and the IPTC ninjs 2.2 validator."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from rest_framework.test import APIClient
from werkzeug import Response

from articles import workflow
from articles.models import Contributor
from distribution.api.partners import create_partner
from distribution.models import WebhookEndpoint
from tests.factories import ArticleFactory, CreditFactory, DeskFactory

NINJS_SCHEMA = (
    Path(__file__).resolve().parents[3]
    / ".."
    / "shared"
    / "schemas"
    / "ninjs"
    / "ninjs-schema_2.2.json"
)


@pytest.fixture(scope="session")
def ninjs_validator():
    """Validates an item against IPTC ninjs 2.2 (Draft 2020-12, formats checked)."""
    if not NINJS_SCHEMA.exists():
        missing = f"the IPTC ninjs 2.2 schema is not beside the repository ({NINJS_SCHEMA})"
        # On a contributor's machine the schema may be absent; CI must validate, not skip.
        if os.environ.get("CI") == "true":
            pytest.fail(missing)
        pytest.skip(missing)
    from jsonschema import Draft202012Validator

    schema = json.loads(NINJS_SCHEMA.read_text())
    checker = Draft202012Validator.FORMAT_CHECKER
    # Without these the "uri" and "date-time" formats would silently pass anything.
    assert {"uri", "date-time"} <= set(checker.checkers), "format validators are not installed"
    return Draft202012Validator(schema, format_checker=checker)


@pytest.fixture
def washington(db):
    return DeskFactory(name="Washington", slug="washington", language="en")


@pytest.fixture
def mandarin(db):
    return DeskFactory(name="VOA Mandarin", slug="mandarin", language="zh")


@pytest.fixture
def make_partner(db):
    """`make_partner("Name", desks=["washington"], languages=["en"], embargoed=True)` →
    (partner, clear key)."""

    def make(name: str = "Partner", **entitlements):
        return create_partner(name, **entitlements)

    return make


@pytest.fixture
def client_for():
    """An API client sending `Authorization: Api-Key <key>`."""

    def make(key: str) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
        return client

    return make


@pytest.fixture
def publish(editor):
    """Publish a story through the workflow; returns the article.

    `publish(desk, headline=..., bylines=("Dewi Lestari",), topics=[topic], embargo_until=...)`
    """

    def make(desk, *, bylines=("Dewi Lestari",), topics=(), embargo_until=None, **fields):
        article = ArticleFactory(desk=desk, **fields)
        for order, name in enumerate(bylines):
            CreditFactory(
                article=article,
                contributor=Contributor.objects.get_or_create(name=name, desk=desk)[0],
                role="byline",
                order=order,
            )
        article.topics.add(*topics)
        return workflow.publish(article, by=editor, embargo_until=embargo_until)

    return make


@pytest.fixture
def eager_celery():
    """Run Celery tasks in-process for this test, whichever broker the settings chose."""
    from newsroom.celery import app

    previous = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous


@pytest.fixture
def receiver(httpserver):
    """Records each request; answers with whatever `receiver.answers` holds next (200)."""

    class Receiver:
        answers: list[Response] = []
        requests: list = []

        def handle(self, request):
            self.requests.append((dict(request.headers), request.get_data(as_text=True)))
            return self.answers.pop(0) if self.answers else Response("ok", status=200)

        def url(self, path: str = "/hook") -> str:
            return httpserver.url_for(path)

    box = Receiver()
    box.answers, box.requests = [], []
    httpserver.expect_request("/hook", method="POST").respond_with_handler(box.handle)
    httpserver.expect_request("/other", method="POST").respond_with_handler(box.handle)
    return box


@pytest.fixture
def subscriber(washington, make_partner, receiver):
    partner, _ = make_partner("Subscriber", desks=["washington"])
    endpoint = WebhookEndpoint.objects.create(partner=partner, url=receiver.url())
    return endpoint
