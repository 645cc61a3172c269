"""The OpenAPI schema is served, documents the API, and the API keeps to it under fuzzing."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from distribution.api.partners import create_partner
from newsroom.wsgi import application

pytestmark = pytest.mark.django_db

# What the API promises: never a 5xx, only documented statuses, content types, headers and
# bodies. (Not "every schema-valid request succeeds": a cursor is opaque, so any string fits
# its schema and only the ones the API gave out are accepted; the rest are documented 400s.)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def test_schema_and_docs_are_served(client):
    schema = client.get("/api/schema/?format=json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert {"/api/v1/items/", "/api/v1/items/{guid}/", "/api/v1/deliveries/"} <= set(paths)
    parameters = {p["name"] for p in paths["/api/v1/items/"]["get"]["parameters"]}
    assert {"updated_since", "desk", "language", "topic", "pubstatus", "q", "cursor"} <= parameters
    assert client.get("/api/docs/").status_code == 200


@pytest.fixture
def wsgi_keeps_test_connection():
    """As Django's test client does: a request ending must not close the test's connection
    (and with it the transaction the test runs in)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(db, settings, washington, publish, editor, wsgi_keeps_test_connection):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"partner": "100000/min"},
    }
    story = publish(washington, headline="Fuzzed story")
    from articles import workflow

    workflow.correct(story, by=editor, note="A fix.")
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


@pytest.fixture
def fuzz_key(api_schema) -> str:
    return create_partner("Fuzzer", embargoed=True)[1]


def test_the_api_keeps_to_its_schema(api_schema, fuzz_key):
    """No 5xx, documented status codes and content types, bodies matching their schemas,
    for generated requests (valid and invalid) to every operation, with a valid key."""
    headers = {"Authorization": f"Api-Key {fuzz_key}"}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 5
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=15,
                deadline=None,
                derandomize=True,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def check(case):
                case.call_and_validate(headers=headers, checks=CHECKS)

            check()
