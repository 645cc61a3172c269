"""Bad input to a webhook endpoint's event types in the admin is a form error, never a 500:
whatever is posted (pasted deep JSON, a NUL, a value that is no event type) is checked
against the known types and nothing of it is parsed."""

from __future__ import annotations

import pytest

from distribution.models import WebhookEndpoint
from tests.articles.test_admin_support import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def endpoint(make_partner):
    partner, _ = make_partner("Harbour Times")
    return WebhookEndpoint.objects.create(
        partner=partner, url="https://hooks.example.org/in", event_types=["article.published"]
    )


@pytest.mark.parametrize(
    "event_types",
    [
        "[" * 5000 + "]" * 5000,
        '["article.published\\u0000"]',
        '"article.published"',
        "[",
    ],
    ids=["deep-json", "nul", "not-a-list", "not-json"],
)
def test_bad_event_types_are_a_form_error(admin_client, endpoint, event_types):
    url = f"/admin/distribution/webhookendpoint/{endpoint.pk}/change/"
    data = form_data(admin_client.get(url))
    data["event_types"] = event_types

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["event_types"]
    endpoint.refresh_from_db()
    assert endpoint.event_types == ["article.published"]


def test_deep_json_in_the_partner_pages_endpoint_row_is_a_form_error(admin_client, endpoint):
    url = f"/admin/distribution/partner/{endpoint.partner_id}/change/"
    data = form_data(admin_client.get(url))
    [field] = [name for name in data if name.endswith("-event_types")]
    data[field] = "[" * 5000 + "]" * 5000

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "event_types" in response.context["inline_admin_formsets"][0].formset.errors[0]
    endpoint.refresh_from_db()
    assert endpoint.event_types == ["article.published"]


def test_ticked_event_types_are_saved(admin_client, endpoint):
    url = f"/admin/distribution/webhookendpoint/{endpoint.pk}/change/"
    data = form_data(admin_client.get(url))
    data["event_types"] = ["article.published", "article.killed"]

    response = admin_client.post(url, data)

    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.event_types == ["article.published", "article.killed"]


def test_no_ticked_event_type_sends_all(admin_client, endpoint):
    url = f"/admin/distribution/webhookendpoint/{endpoint.pk}/change/"
    data = form_data(admin_client.get(url))
    data.pop("event_types", None)

    assert admin_client.post(url, data).status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.event_types == []
