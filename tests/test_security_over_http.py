"""The request-shaped gaps of the security audit, each closed over a real socket to a
running server: a lockout after LOGIN_FAILURE_LIMIT wrong passwords, a webhook secret
shown once and never rendered again, and an API request's log line naming the key by
prefix and partner, never the key."""

from __future__ import annotations

import logging
import re

import httpx
import pytest

from distribution.api.partners import create_partner
from distribution.models import WebhookEndpoint

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def browser(live_server) -> httpx.Client:
    return httpx.Client(base_url=live_server.url, timeout=10, follow_redirects=False)


def form_post(client: httpx.Client, path: str, data: dict) -> httpx.Response:
    """GET the form at `path` for its CSRF token, then POST `data` to it, as a browser does."""
    page = client.get(path)
    token = CSRF_FIELD.search(page.text)
    assert token, f"no CSRF token on {path} ({page.status_code})"
    return client.post(
        path,
        data={"csrfmiddlewaretoken": token.group(1), **data},
        headers={"Referer": f"{client.base_url}{path}"},
    )


def log_in(client: httpx.Client, username: str, password: str) -> int:
    return form_post(
        client, "/admin/login/?next=/admin/", {"username": username, "password": password}
    ).status_code


def test_a_username_is_locked_out_after_the_failure_limit(live_server, settings, admin_user):
    limit = settings.AXES_FAILURE_LIMIT
    with browser(live_server) as client:
        answers = [log_in(client, "admin", "not the password") for _ in range(limit)]
        # Locked: the right password is refused too.
        after = log_in(client, "admin", "password")

    assert answers == [200] * (limit - 1) + [429]
    assert after == 429


def test_a_webhook_secret_is_shown_once_and_never_rendered_again(live_server, admin_user):
    partner, _ = create_partner("Harbour Times")
    with browser(live_server) as client:
        assert log_in(client, "admin", "password") == 302
        added = form_post(
            client,
            "/admin/distribution/webhookendpoint/add/",
            {"partner": partner.pk, "url": "https://hooks.example.org/in", "active": "on"},
        )
        assert added.status_code == 302
        shown = client.get(added.headers["location"]).text
        endpoint = WebhookEndpoint.objects.get(partner=partner)
        pages = [
            client.get(path)
            for path in (
                f"/admin/distribution/webhookendpoint/{endpoint.pk}/change/",
                "/admin/distribution/webhookendpoint/",
                f"/admin/distribution/partner/{partner.pk}/change/",
            )
        ]

    assert endpoint.secret in shown
    for page in pages:
        assert page.status_code == 200
        assert endpoint.secret not in page.text
        assert endpoint.secret_encrypted not in page.text
    assert "Set (not shown)" in pages[0].text


def test_an_api_request_is_logged_with_key_prefix_and_partner_never_the_key(live_server, caplog):
    caplog.set_level(logging.INFO)
    partner, key = create_partner("Logged")
    prefix, secret = key.split(".", 1)

    with browser(live_server) as client:
        ok = client.get("/api/v1/items/", headers={"Authorization": f"Api-Key {key}"})
        made_up = client.get(
            "/api/v1/items/", headers={"Authorization": "Api-Key Zz9Yy8Xx.made-up-secret"}
        )

    lines = [r.getMessage() for r in caplog.records if r.name == "distribution.api.requests"]
    assert (ok.status_code, made_up.status_code) == (200, 401)
    assert lines[0].startswith(f"GET /api/v1/items/ 200 partner={partner.pk} key={prefix} ")
    assert lines[1].startswith("GET /api/v1/items/ 401 partner=- key=Zz9Yy8Xx ")
    assert secret not in caplog.text and "made-up-secret" not in caplog.text
