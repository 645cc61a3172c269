"""A request whose Content-Length is over REQUEST_MAX_BYTES is answered 413 before a byte of
its body is read."""

from __future__ import annotations

import io
import socket
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from newsroom.wsgi import application


class Tripwire(io.RawIOBase):
    """A request body that fails the test if anyone reads it."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        raise AssertionError("the body was read")


def call(method: str, path: str, length: int) -> tuple[str, bytes]:
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "CONTENT_TYPE": "multipart/form-data; boundary=x",
        "CONTENT_LENGTH": str(length),
        "wsgi.input": Tripwire(),
        "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"] = status

    body = b"".join(application(environ, start_response))
    return seen["status"], body


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/admin/articles/article/import/", "/admin/login/", "/api/v1/items/", "/livez"]
)
def test_thirty_megabytes_are_refused_unread(path):
    status, body = call("POST", path, 30 * 1024 * 1024)
    assert status.startswith("413")
    assert b"the limit is" in body


def test_the_cap_is_well_above_the_field_limits():
    assert settings.REQUEST_MAX_BYTES > 4 * settings.WIRE_FILE_MAX_BYTES
    assert settings.REQUEST_MAX_BYTES >= 4 * settings.ARTICLE_BODY_MAX_BYTES
    # Whatever passes the cap is read, so a field over its limit reaches its form.
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE >= settings.REQUEST_MAX_BYTES


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_over_http_the_answer_comes_without_sending_the_body(live_server):
    """A real socket: the headers announce 30 MB, no body follows, the 413 arrives."""
    address = urlsplit(live_server.url)
    with socket.create_connection((address.hostname, address.port), timeout=5) as conn:
        conn.sendall(
            b"POST /admin/login/ HTTP/1.1\r\nHost: localhost\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: 31457280\r\n\r\n"
        )
        answer = conn.recv(4096)
    assert answer.startswith(b"HTTP/1.1 413")


def test_the_cap_comes_from_the_environment(tmp_path):
    from tests.test_settings import SETUP, clean_env, run

    code = SETUP + "; from django.conf import settings as s; print(s.REQUEST_MAX_BYTES)"
    result = run(["-c", code], clean_env(tmp_path, REQUEST_MAX_BYTES="20000000"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "20000000"
