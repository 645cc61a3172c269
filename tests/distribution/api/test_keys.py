"""API keys: stored as prefix + hash only, shown once, revocable, expiring; never logged."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from distribution.models import Partner, PartnerAPIKey, WebhookEndpoint

pytestmark = pytest.mark.django_db


def dump_database() -> str:
    """Every text value in every table, to prove a clear key is nowhere."""
    values = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            values += [str(v) for row in cursor.fetchall() for v in row]
    return "\n".join(values)


def test_keys_are_stored_hashed_and_never_logged(make_partner, client_for, caplog):
    caplog.set_level(logging.DEBUG)
    partner, key = make_partner("Hashed")
    stored = PartnerAPIKey.objects.get(partner=partner)
    assert key.startswith(stored.prefix + ".")
    assert stored.hashed_key != key and key not in stored.hashed_key
    assert key.split(".", 1)[1] not in dump_database()
    client_for(key).get("/api/v1/items/")
    client_for(key + "x").get("/api/v1/items/")
    assert key.split(".", 1)[1] not in caplog.text


@pytest.mark.parametrize(
    "header", ["", "Api-Key", "Api-Key nothing", "Bearer abc.def", "Api-Key a.b"]
)
def test_missing_or_unknown_keys_get_401(db, client, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get("/api/v1/items/", **extra)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Api-Key"
    assert response.json()["detail"]


def test_a_revoked_key_gets_401(make_partner, client_for):
    partner, key = make_partner("Revoked")
    assert client_for(key).get("/api/v1/items/").status_code == 200
    from distribution.api.partners import revoke_keys

    assert revoke_keys(PartnerAPIKey.objects.filter(partner=partner)) == 1
    response = client_for(key).get("/api/v1/items/")
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid API key."}


def test_an_expired_key_gets_401(make_partner, client_for):
    partner, key = make_partner("Expired")
    PartnerAPIKey.objects.filter(partner=partner).update(
        expiry_date=timezone.now() - timedelta(seconds=1)
    )
    assert client_for(key).get("/api/v1/items/").status_code == 401


def test_a_partner_may_hold_several_keys(make_partner, client_for):
    from distribution.api.partners import issue_key

    partner, first = make_partner("Two keys")
    _, second = issue_key(partner, name="staging", expires=timezone.now() + timedelta(days=1))
    assert client_for(first).get("/api/v1/items/").status_code == 200
    assert client_for(second).get("/api/v1/items/").status_code == 200


def test_create_partner_prints_the_key_last(washington, mandarin, capsys, client_for):
    call_command(
        "create_partner",
        "Global Wire",
        "--desks",
        "washington,mandarin",
        "--languages",
        "en,zh",
        "--embargoed",
        "--webhook",
        "https://partner.example/hooks",
    )
    lines = capsys.readouterr().out.strip().splitlines()
    key = lines[-1]
    partner = Partner.objects.get(name="Global Wire")
    assert {d.slug for d in partner.desks.all()} == {"washington", "mandarin"}
    assert partner.language_codes == ["en", "zh"] and partner.embargoed
    assert not partner.all_desks and not partner.all_languages
    endpoint = WebhookEndpoint.objects.get(partner=partner)
    assert endpoint.url == "https://partner.example/hooks" and endpoint.secret.startswith("whsec_")
    assert client_for(key).get("/api/v1/items/").status_code == 200


def test_create_partner_defaults_to_everything_but_embargoes(db, capsys):
    call_command("create_partner", "Plain")
    partner = Partner.objects.get(name="Plain")
    assert partner.all_desks and partner.all_languages and not partner.embargoed
    assert (
        capsys.readouterr()
        .out.strip()
        .splitlines()[-1]
        .startswith(PartnerAPIKey.objects.get(partner=partner).prefix + ".")
    )


def test_create_partner_refuses_an_unknown_desk(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="nowhere"):
        call_command("create_partner", "Lost", "--desks", "nowhere")
    assert not Partner.objects.filter(name="Lost").exists()


def test_the_admin_shows_a_new_key_once(admin_client, make_partner, client_for):
    partner, _ = make_partner("Admin made")
    response = admin_client.post(
        "/admin/distribution/partnerapikey/add/",
        {
            "partner": partner.pk,
            "name": "second key",
            "scopes": ["items", "deliveries"],
            "expiry_date_0": "",
            "expiry_date_1": "",
        },
        follow=True,
    )
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    new = PartnerAPIKey.objects.get(partner=partner, name="second key")
    key = next(m for m in shown if new.prefix in m).split(" is: ")[1].split(" ")[0]
    assert client_for(key).get("/api/v1/items/").status_code == 200
    page = admin_client.get(f"/admin/distribution/partnerapikey/{new.prefix}/change/")
    assert page.status_code == 200
    assert key.split(".", 1)[1] not in page.content.decode()


def test_editors_may_run_the_partner_desk(editor):
    for perm in ("add_partner", "change_webhookendpoint", "view_delivery", "add_partnerapikey"):
        assert editor.has_perm(f"distribution.{perm}")
    assert not editor.has_perm("distribution.change_delivery")


def test_a_remembered_key_is_refused_once_it_expires(make_partner, client_for):
    import time_machine

    from distribution.api.partners import issue_key

    partner, _ = make_partner("Expiring")
    expires = timezone.now() + timedelta(minutes=5)
    _, key = issue_key(partner, name="short-lived", expires=expires)
    client = client_for(key)
    assert [client.get("/api/v1/items/").status_code for _ in range(2)] == [200, 200]
    # Nothing changes the revision when an expiry passes: the remembered key is refused
    # all the same.
    with time_machine.travel(expires + timedelta(seconds=1), tick=False):
        assert client.get("/api/v1/items/").status_code == 401


def test_narrowed_scopes_apply_on_the_next_request(make_partner, client_for):
    partner, key = make_partner("Narrowed")
    client = client_for(key)
    assert client.get("/api/v1/deliveries/").status_code == 200
    api_key = PartnerAPIKey.objects.get(partner=partner)
    api_key.scopes = ["items"]
    api_key.save()  # as the key admin saves it
    assert client.get("/api/v1/deliveries/").status_code == 403
    assert client.get("/api/v1/items/").status_code == 200


def test_new_entitlements_apply_on_the_next_request(
    washington, mandarin, publish, make_partner, client_for
):
    publish(washington, headline="From Washington")
    partner, key = make_partner("Moved", desks=["mandarin"])
    client = client_for(key)
    assert client.get("/api/v1/items/").json()["results"] == []
    partner.desks.add(washington)  # as the partner admin's desk list saves it
    assert len(client.get("/api/v1/items/").json()["results"]) == 1


def test_a_request_on_a_key_revoked_meanwhile_is_not_counted_against_its_partner(
    settings, make_partner, client_for
):
    from distribution.api.partners import issue_key, revoke_keys

    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"partner": "3/min", "unauthenticated": "100/min"},
    }
    partner, old = make_partner("Counted once")
    assert [client_for(old).get("/api/v1/items/").status_code for _ in range(2)] == [200, 200]
    revoke_keys(PartnerAPIKey.objects.filter(partner=partner))
    assert client_for(old).get("/api/v1/items/").status_code == 401
    # The refused request took no place in the partner's window: one is left.
    _, new = issue_key(partner, name="replacement")
    assert [client_for(new).get("/api/v1/items/").status_code for _ in range(2)] == [200, 429]
