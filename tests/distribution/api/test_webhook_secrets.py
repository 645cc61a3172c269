"""Webhook signing secrets: encrypted at rest with the source key ring, shown once in the
admin (at creation or rotation) and never rendered after, and rotated with a grace period
in which the old secret still signs beside the new one.

The partner's server is a local HTTP server (pytest-httpserver); tasks run eagerly here.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError
from werkzeug import Response

from distribution.models import WebhookEndpoint
from distribution.push import services
from distribution.push.tasks import dispatch_deliveries
from sources import crypto
from tests.distribution.api.test_keys import dump_database

pytestmark = pytest.mark.django_db


@pytest.fixture
def received(httpserver):
    requests: list[tuple[dict, str]] = []

    def handle(request):
        requests.append((dict(request.headers), request.get_data(as_text=True)))
        return Response("ok", status=200)

    httpserver.expect_request("/hook", method="POST").respond_with_handler(handle)
    return requests


@pytest.fixture
def endpoint(washington, make_partner, httpserver):
    partner, _ = make_partner("Subscriber", desks=["washington"])
    return WebhookEndpoint.objects.create(partner=partner, url=httpserver.url_for("/hook"))


def push(django_capture_on_commit_callbacks, publish, desk):
    with django_capture_on_commit_callbacks(execute=True):
        return publish(desk)


def test_the_secret_is_stored_encrypted(endpoint):
    secret = endpoint.secret
    assert secret.startswith("whsec_")
    assert secret not in dump_database()
    assert crypto.decrypt(WebhookEndpoint.objects.get().secret_encrypted) == secret


def test_the_admin_shows_a_new_secret_once_and_never_again(admin_client, make_partner):
    partner, _ = make_partner("Admin made")
    response = admin_client.post(
        "/admin/distribution/webhookendpoint/add/",
        {"partner": partner.pk, "url": "https://partner.example/hook"},
        follow=True,
    )

    endpoint = WebhookEndpoint.objects.get(partner=partner)
    shown = " ".join(str(m) for m in response.context["messages"])
    assert endpoint.secret in shown
    for page in (
        f"/admin/distribution/webhookendpoint/{endpoint.pk}/change/",
        "/admin/distribution/webhookendpoint/",
        f"/admin/distribution/partner/{partner.pk}/change/",
    ):
        html = admin_client.get(page).content.decode()
        assert endpoint.secret not in html
        assert endpoint.secret_encrypted not in html


def test_an_endpoint_added_on_the_partner_page_shows_its_secret_once(admin_client, make_partner):
    from tests.articles.test_admin_support import form_data

    partner, _ = make_partner("Inline")
    url = f"/admin/distribution/partner/{partner.pk}/change/"
    data = form_data(admin_client.get(url))
    data.update(
        {
            "endpoints-TOTAL_FORMS": "1",
            "endpoints-0-url": "https://inline.example/hook",
            "endpoints-0-active": "on",
            "endpoints-0-partner": str(partner.pk),
        }
    )

    response = admin_client.post(url, data, follow=True)

    endpoint = WebhookEndpoint.objects.get(partner=partner)
    assert endpoint.secret in " ".join(str(m) for m in response.context["messages"])
    assert endpoint.secret not in admin_client.get(url).content.decode()


def test_posting_a_secret_to_the_admin_changes_nothing(admin_client, endpoint):
    before = endpoint.secret
    response = admin_client.post(
        f"/admin/distribution/webhookendpoint/{endpoint.pk}/change/",
        {
            "partner": endpoint.partner_id,
            "url": endpoint.url,
            "active": "on",
            "secret": "whsec_" + "A" * 43,
            "secret_encrypted": "forged",
        },
    )
    assert response.status_code == 302  # saved, the secret fields ignored
    endpoint.refresh_from_db()
    assert endpoint.secret == before


def test_rotation_signs_with_both_secrets_for_the_grace_period_then_drops_the_old(
    endpoint,
    received,
    washington,
    publish,
    eager_celery,
    django_capture_on_commit_callbacks,
    admin_client,
    settings,
):
    assert timedelta(hours=24) == settings.WEBHOOK_SECRET_GRACE
    old = endpoint.secret
    start = timezone.now()

    response = admin_client.post(
        "/admin/distribution/webhookendpoint/",
        {"action": "rotate", "_selected_action": [endpoint.pk]},
        follow=True,
    )
    endpoint.refresh_from_db()
    new = endpoint.secret
    assert new != old
    assert new in " ".join(str(m) for m in response.context["messages"])
    page = admin_client.get(f"/admin/distribution/webhookendpoint/{endpoint.pk}/change/")
    assert "previous secret also signs until" in page.content.decode()

    push(django_capture_on_commit_callbacks, publish, washington)
    headers, body = received[-1]
    assert len(headers["Webhook-Signature"].split(" ")) == 2
    # A partner still on the old secret and one already on the new both verify.
    assert Webhook(old).verify(body, headers)["type"] == "article.published"
    assert Webhook(new).verify(body, headers)["type"] == "article.published"

    with time_machine.travel(start + timedelta(hours=24, minutes=1), tick=False):
        dispatch_deliveries.delay()  # the sweep drops the expired secret
        endpoint.refresh_from_db()
        assert endpoint.previous_secret_encrypted == ""
        push(django_capture_on_commit_callbacks, publish, washington)
        headers, body = received[-1]
        assert len(headers["Webhook-Signature"].split(" ")) == 1
        assert Webhook(new).verify(body, headers)
        with pytest.raises(WebhookVerificationError):
            Webhook(old).verify(body, headers)


def test_a_second_rotation_drops_the_first_secret_at_once(endpoint):
    first = endpoint.secret
    second = services.rotate_secret(endpoint)
    third = services.rotate_secret(endpoint)
    assert endpoint.signing_secrets() == [third, second]
    assert first not in endpoint.signing_secrets()


def test_encryption_key_rotation_rewrites_the_secrets(endpoint, settings):
    secret = endpoint.secret
    services.rotate_secret(endpoint)
    endpoint.refresh_from_db()
    current, previous = endpoint.signing_secrets()
    newest = Fernet.generate_key().decode()
    settings.SOURCE_ENCRYPTION_KEYS = [newest, *settings.SOURCE_ENCRYPTION_KEYS]

    call_command("rotate_webhook_keys")

    settings.SOURCE_ENCRYPTION_KEYS = [newest]
    endpoint.refresh_from_db()
    assert endpoint.signing_secrets() == [current, previous]
    assert previous == secret


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_encrypts_clear_secrets_and_reverses():
    clear = "whsec_" + "B" * 43
    before = [("distribution", "0004_api_key_scopes_and_last_use")]
    after = [("distribution", "0005_webhook_secrets_encrypted")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    Partner = old_apps.get_model("distribution", "Partner")
    Endpoint = old_apps.get_model("distribution", "WebhookEndpoint")
    partner = Partner.objects.create(name="Migrated")
    Endpoint.objects.create(partner=partner, url="https://m.example/hook", secret=clear)
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        new_apps = executor.loader.project_state(after).apps
        stored = new_apps.get_model("distribution", "WebhookEndpoint").objects.get()
        assert clear not in stored.secret_encrypted
        assert crypto.decrypt(stored.secret_encrypted) == clear

        executor = MigrationExecutor(connection)
        executor.migrate(before)
        back = executor.loader.project_state(before).apps
        assert back.get_model("distribution", "WebhookEndpoint").objects.get().secret == clear
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
