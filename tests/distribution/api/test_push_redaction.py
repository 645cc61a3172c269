"""A failed push is described by the endpoint's scheme, host and path: its query string and
credentials (a partner's token) reach neither `last_error` nor the logs.

The partner's server is a local HTTP server (pytest-httpserver); tasks run eagerly here.
"""

from __future__ import annotations

import logging
import socket
import time

import pytest
from werkzeug import Response

from distribution.models import Delivery, WebhookEndpoint
from distribution.push.redaction import redacted_url, scrubbed

pytestmark = pytest.mark.django_db

TOKEN = "tok_9f8e7d6c5b4a"
PASSWORD = "hunter2-partner"


def publish_now(django_capture_on_commit_callbacks, publish, desk):
    with django_capture_on_commit_callbacks(execute=True):
        return publish(desk)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def partner(washington, make_partner):
    partner, _ = make_partner("Subscriber", desks=["washington"])
    return partner


def our_logs(caplog) -> str:
    """Everything logged in this process, except the local partner server's own access log."""
    return "\n".join(r.getMessage() for r in caplog.records if r.name != "werkzeug")


def assert_redacted(text: str) -> None:
    assert TOKEN not in text
    assert PASSWORD not in text
    assert "token=" not in text


def test_refused_connection_keeps_host_and_path_only(
    partner, washington, publish, eager_celery, django_capture_on_commit_callbacks, caplog
):
    caplog.set_level(logging.DEBUG)
    port = closed_port()
    WebhookEndpoint.objects.create(
        partner=partner, url=f"http://partner:{PASSWORD}@127.0.0.1:{port}/hook?token={TOKEN}"
    )

    publish_now(django_capture_on_commit_callbacks, publish, washington)

    delivery = Delivery.objects.get()
    assert delivery.last_status_code is None
    assert delivery.last_error.startswith(f"http://127.0.0.1:{port}/hook: ConnectError")
    assert_redacted(delivery.last_error)
    assert_redacted(delivery.attempt_log.get().error)
    assert f"(http://127.0.0.1:{port}/hook)" in our_logs(caplog)
    assert_redacted(our_logs(caplog))


def test_timeout_keeps_host_and_path_only(
    httpserver,
    partner,
    washington,
    publish,
    eager_celery,
    django_capture_on_commit_callbacks,
    caplog,
    settings,
):
    settings.WEBHOOK_TIMEOUT_SECONDS = 1

    def slow(request):
        time.sleep(1.5)
        return Response("late", status=200)

    httpserver.expect_request("/hook", method="POST").respond_with_handler(slow)
    caplog.set_level(logging.DEBUG)
    url = httpserver.url_for("/hook").replace("://", f"://partner:{PASSWORD}@")
    WebhookEndpoint.objects.create(partner=partner, url=f"{url}?token={TOKEN}")

    publish_now(django_capture_on_commit_callbacks, publish, washington)

    delivery = Delivery.objects.get()
    assert "Timeout" in delivery.last_error
    assert f"{httpserver.url_for('/hook')}: " in delivery.last_error
    assert_redacted(delivery.last_error)
    assert_redacted(our_logs(caplog))


def test_http_error_from_an_endpoint_with_a_token(
    httpserver,
    partner,
    washington,
    publish,
    eager_celery,
    django_capture_on_commit_callbacks,
    caplog,
):
    httpserver.expect_request("/hook", method="POST").respond_with_response(
        Response("nope", status=500)
    )
    caplog.set_level(logging.DEBUG)
    WebhookEndpoint.objects.create(partner=partner, url=httpserver.url_for(f"/hook?token={TOKEN}"))

    publish_now(django_capture_on_commit_callbacks, publish, washington)

    delivery = Delivery.objects.get()
    assert delivery.last_status_code == 500 and delivery.last_error == "HTTP 500"
    # The request did carry the token: the partner gets it, the logs do not.
    request, _ = httpserver.log[0]
    assert request.args["token"] == TOKEN
    assert_redacted(our_logs(caplog))


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://hooks.example/in?token=abc", "https://hooks.example/in"),
        ("https://u:p@hooks.example:8443/a/b?x=1#frag", "https://hooks.example:8443/a/b"),
        ("http://[::1]:9000/hook?k=v", "http://[::1]:9000/hook"),
        ("http://host:notaport/", "<malformed URL>"),
    ],
)
def test_redacted_url(url, kept):
    assert redacted_url(url) == kept


def test_scrubbed_removes_the_query_in_any_form():
    url = "https://hooks.example/in?token=a%2Fb&x=1"
    message = "Max retries exceeded with url: /in?token=a%2Fb&x=1 (Caused by …)"
    assert scrubbed(message, url) == "Max retries exceeded with url: /in (Caused by …)"
    # The whole query string, however quoted, even where it stands alone.
    assert scrubbed("sent token=a/b&x=1 to the host", url) == "sent … to the host"
