"""API key hygiene: each request's log line names the key by prefix and its partner, never
the key; keys have scopes and a last-used time (written once a minute at most); the admin
addresses keys by prefix, never by the stored hash; requests without a valid key are
throttled per address, feeds are not."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.admin.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver
from rest_framework.test import APIClient

from distribution.api.partners import issue_key, revoke_keys
from distribution.api.views import PartnerView
from distribution.models import PartnerAPIKey

pytestmark = pytest.mark.django_db


def request_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "distribution.api.requests"]


# Log lines -------------------------------------------------------------------------------


def test_each_request_logs_the_key_prefix_and_partner_never_the_key(
    make_partner, client_for, caplog
):
    caplog.set_level(logging.INFO)
    partner, key = make_partner("Logged")
    prefix, secret = key.split(".", 1)

    assert client_for(key).get("/api/v1/items/").status_code == 200
    revoke_keys(PartnerAPIKey.objects.filter(partner=partner))
    assert client_for(key).get("/api/v1/items/").status_code == 401
    assert client_for("Zz9Yy8Xx.made-up-secret").get("/api/v1/deliveries/").status_code == 401

    lines = request_lines(caplog)
    assert len(lines) == 3
    assert lines[0].startswith(f"GET /api/v1/items/ 200 partner={partner.pk} key={prefix} ")
    # A revoked key still names its partner: whoever still uses it can be found.
    assert lines[1].startswith(f"GET /api/v1/items/ 401 partner={partner.pk} key={prefix} ")
    assert lines[2].startswith("GET /api/v1/deliveries/ 401 partner=- key=Zz9Yy8Xx ")
    assert secret not in caplog.text and "made-up-secret" not in caplog.text


# Scopes ------------------------------------------------------------------------------------


def test_a_key_reads_only_what_its_scopes_allow(make_partner, client_for):
    partner, _ = make_partner("Scoped")
    _, deliveries_only = issue_key(partner, name="deliveries", scopes=["deliveries"])
    _, items_only = issue_key(partner, name="items", scopes=["items"])

    assert client_for(deliveries_only).get("/api/v1/deliveries/").status_code == 200
    refused = client_for(deliveries_only).get("/api/v1/items/")
    assert refused.status_code == 403
    assert "scope" in refused.json()["detail"]
    assert client_for(items_only).get("/api/v1/items/").status_code == 200
    assert client_for(items_only).get("/api/v1/deliveries/").status_code == 403


def test_new_keys_have_every_scope(make_partner):
    partner, _ = make_partner("Default scopes")
    assert PartnerAPIKey.objects.get(partner=partner).scopes == ["items", "deliveries"]


def test_every_partner_view_names_its_scope():
    api = get_resolver("distribution.api.urls").url_patterns
    views = [
        p.callback.view_class
        for p in api
        if issubclass(getattr(p.callback, "view_class", object), PartnerView)
    ]
    assert len(views) == 5
    assert all(view.required_scope in ("items", "deliveries") for view in views)


# Last use ----------------------------------------------------------------------------------


def test_last_use_is_written_at_most_once_a_minute(make_partner, client_for):
    partner, key = make_partner("Used")
    client = client_for(key)
    start = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)

    def get() -> list[str]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/items/").status_code == 200
        return [q["sql"] for q in queries if q["sql"].startswith("UPDATE")]

    with time_machine.travel(start, tick=False) as clock:
        assert PartnerAPIKey.objects.get(partner=partner).last_used_at is None
        assert len(get()) == 1
        assert PartnerAPIKey.objects.get(partner=partner).last_used_at == start
        clock.shift(timedelta(seconds=30))
        assert get() == []
        clock.shift(timedelta(seconds=29))
        assert get() == []
        assert PartnerAPIKey.objects.get(partner=partner).last_used_at == start
        clock.shift(timedelta(seconds=2))
        assert len(get()) == 1
        assert PartnerAPIKey.objects.get(partner=partner).last_used_at == start + timedelta(
            seconds=61
        )


# Throttling without a valid key ------------------------------------------------------------


@pytest.fixture
def three_a_minute(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"partner": "600/min", "unauthenticated": "3/min"},
    }


def from_address(address: str, key: str | None = None) -> APIClient:
    client = APIClient(REMOTE_ADDR=address)
    if key:
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    return client


def test_guessing_keys_is_throttled_per_address(three_a_minute, make_partner):
    _, key = make_partner("Real")
    guesser = from_address("203.0.113.9", "Aa1Bb2Cc.guess")

    assert [guesser.get("/api/v1/items/").status_code for _ in range(3)] == [401, 401, 401]
    refused = from_address("203.0.113.9").get("/api/v1/items/")  # no key at all: same count
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60

    # Another address is not affected, and a valid key from the same address still works.
    assert from_address("203.0.113.10", "Aa1Bb2Cc.guess").get("/api/v1/items/").status_code == 401
    assert from_address("203.0.113.9", key).get("/api/v1/items/").status_code == 200


def test_feeds_are_not_throttled(three_a_minute, make_partner):
    guesser = from_address("203.0.113.9", "Aa1Bb2Cc.guess")
    for _ in range(4):
        guesser.get("/api/v1/items/")
    statuses = {from_address("203.0.113.9").get("/feeds/rss/").status_code for _ in range(10)}
    assert statuses == {200}


# The admin ---------------------------------------------------------------------------------


def test_the_admin_addresses_keys_by_prefix(admin_client, make_partner):
    partner, key = make_partner("Admin listed")
    stored = PartnerAPIKey.objects.get(partner=partner)
    change_url = f"/admin/distribution/partnerapikey/{stored.prefix}/change/"

    listing = admin_client.get("/admin/distribution/partnerapikey/").content.decode()
    partner_page = admin_client.get(f"/admin/distribution/partner/{partner.pk}/change/")
    for html in (listing, partner_page.content.decode()):
        assert change_url in html
        assert stored.hashed_key not in html

    page = admin_client.get(change_url)
    assert page.status_code == 200 and stored.prefix in page.content.decode()
    # The stored primary key (prefix.hash) is not an address of the key.
    by_hash = admin_client.get(f"/admin/distribution/partnerapikey/{stored.pk}/change/")
    assert by_hash.status_code == 302
    assert admin_client.get(f"{change_url.removesuffix('change/')}history/").status_code == 200


def test_a_key_added_in_the_admin_is_logged_and_linked_by_prefix(admin_client, make_partner):
    partner, _ = make_partner("Admin made")
    response = admin_client.post(
        "/admin/distribution/partnerapikey/add/",
        {
            "partner": partner.pk,
            "name": "items only",
            "scopes": ["items"],
            "expiry_date_0": "",
            "expiry_date_1": "",
        },
    )

    new = PartnerAPIKey.objects.get(partner=partner, name="items only")
    assert new.scopes == ["items"]
    assert response.status_code == 302
    assert response["Location"] == f"/admin/distribution/partnerapikey/{new.prefix}/change/"
    entry = LogEntry.objects.get(object_repr="items only")
    assert entry.object_id == new.prefix
    index = admin_client.get("/admin/").content.decode()
    assert f"/admin/distribution/partnerapikey/{new.prefix}/change/" in index
    assert new.hashed_key not in index
