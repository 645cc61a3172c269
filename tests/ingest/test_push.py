"""The HTTP push endpoint: a delivery signed with the channel's secret is taken (202) and
logged; a missing or wrong signature is a 401, a body over the limit a 413, and nothing of
either reaches the queue. No session and no CSRF token are needed."""

from __future__ import annotations

import pytest
from django.test import Client

from ingest.models import IngestChannel, IngestItem, IngestLogEntry
from ingest.push import sign
from tests.factories import DeskFactory
from tests.ingest.channel_helpers import STORY

pytestmark = pytest.mark.django_db


@pytest.fixture
def push():
    return IngestChannel.objects.create(
        name="Agency push", slug="agency-push", kind="push", desk=DeskFactory()
    )


@pytest.fixture
def client():
    # As an agency's server calls: no cookie, and CSRF enforced as for a browser.
    return Client(enforce_csrf_checks=True)


def post(client, channel, body: bytes, signature: str | None, ref=None):
    headers = {} if signature is None else {"X-Newsroom-Signature": signature}
    return client.post(
        f"/ingest/push/{ref or channel.slug}/",
        data=body,
        content_type="application/octet-stream",
        headers=headers,
    )


def test_a_signed_delivery_is_accepted_and_logged(client, push):
    body = STORY.encode()

    response = post(client, push, body, sign(push.secret, body))

    assert response.status_code == 202
    assert response.json()["results"][0]["result"] == "created"
    assert IngestItem.objects.get().headline == "Port strike ends after pay deal"
    assert IngestLogEntry.objects.get().result == "created"
    assert "sessionid" not in response.cookies and "Set-Cookie" not in response.headers


def test_the_channel_is_found_by_its_id_too(client, push):
    body = STORY.encode()

    assert post(client, push, body, sign(push.secret, body), ref=push.pk).status_code == 202


@pytest.mark.parametrize(
    "signature",
    [None, "", "sha256=" + "0" * 64, "deadbeef"],
    ids=["missing", "empty", "wrong", "malformed"],
)
def test_a_bad_signature_is_refused_with_401(client, push, signature):
    response = post(client, push, STORY.encode(), signature)

    assert response.status_code == 401
    assert not IngestItem.objects.exists() and not IngestLogEntry.objects.exists()


def test_a_signature_of_other_bytes_or_another_secret_is_refused(client, push):
    body = STORY.encode()
    other = IngestChannel.objects.create(name="Other", slug="other", kind="push", desk=push.desk)

    assert post(client, push, body + b" ", sign(push.secret, body)).status_code == 401
    assert post(client, push, body, sign(other.secret, body)).status_code == 401


def test_a_body_over_the_limit_is_refused_with_413(client, push, settings):
    settings.WIRE_FILE_MAX_BYTES = 100
    body = STORY.encode()

    response = post(client, push, body, sign(push.secret, body))

    assert response.status_code == 413 and not IngestItem.objects.exists()


def test_a_paused_channel_asks_to_send_again_later(client, push):
    push.active = False
    push.save()
    body = STORY.encode()

    assert post(client, push, body, sign(push.secret, body)).status_code == 503
    assert not IngestItem.objects.exists()


def test_only_push_channels_take_pushes_and_only_by_post(client, push):
    folder = IngestChannel.objects.create(name="F", slug="f", kind="folder", desk=push.desk)
    body = STORY.encode()

    assert post(client, folder, body, sign(folder.secret, body)).status_code == 404
    assert client.get(f"/ingest/push/{push.slug}/").status_code == 405


def test_copy_that_cannot_be_read_is_accepted_and_logged_failed(client, push):
    body = b"\x89PNG\r\n\x1a\n\x00\x00"

    response = post(client, push, body, sign(push.secret, body))

    assert response.status_code == 202
    assert response.json()["results"][0]["result"] == "failed"
    assert IngestLogEntry.objects.get().error


def test_a_repeated_push_is_unchanged_and_another_story_is_a_new_item(client, push):
    body = STORY.encode()
    other = STORY.replace("Port strike ends", "Port strike resumes").encode()

    post(client, push, body, sign(push.secret, body))
    again = post(client, push, body, sign(push.secret, body))
    post(client, push, other, sign(push.secret, other))

    assert again.json()["results"][0]["result"] == "unchanged"
    assert IngestItem.objects.count() == 2
