"""A body over ARTICLE_BODY_MAX_BYTES is a form error that keeps the editor's text; only a
request over REQUEST_MAX_BYTES is refused unread, with a page that says why."""

from __future__ import annotations

import io

import pytest
from django.conf import settings

from articles.models import Article
from newsroom.wsgi import application
from tests.articles.test_admin_support import change_url, client_for, form_data
from tests.test_limits import Tripwire

pytestmark = pytest.mark.django_db

PARAGRAPH = "<p>The harbour closed on Monday, the port authority said in a statement.</p>\n"


def body_of(size: int) -> str:
    return PARAGRAPH * (size // len(PARAGRAPH) + 1)


def test_an_eleven_megabyte_body_is_a_form_error_with_the_text_kept(editor, draft):
    client = client_for(editor)
    data = form_data(client.get(change_url(draft)))
    data["body"] = body_of(11 * 1024 * 1024)
    assert len(data["body"]) < settings.REQUEST_MAX_BYTES - 100_000

    response = client.post(change_url(draft), data)

    assert response.status_code == 200
    form = response.context["adminform"].form
    limit = f"{settings.ARTICLE_BODY_MAX_BYTES:,}"
    assert any(f"the limit is {limit}" in error for error in form.errors["body"])
    # The editor's text is in the form again, not lost.
    assert form["body"].value() == data["body"]
    assert Article.objects.get(pk=draft.pk).body == draft.body


def test_a_body_just_over_its_limit_is_refused_and_one_at_it_is_saved(editor, draft, settings):
    settings.ARTICLE_BODY_MAX_BYTES = 4_000
    client = client_for(editor)
    data = form_data(client.get(change_url(draft)))

    # "é" is two bytes: the limit counts bytes, not characters.
    data["body"] = "<p>" + "é" * 1_998 + "</p>"
    assert len(data["body"]) < 4_000 < len(data["body"].encode())
    refused = client.post(change_url(draft), data)
    assert refused.status_code == 200
    assert "the limit is 4,000" in str(refused.context["adminform"].form.errors["body"])

    data = form_data(client.get(change_url(draft)))
    data["body"] = "<p>" + "é" * 1_990 + "</p>"
    assert client.post(change_url(draft), data).status_code == 302
    assert Article.objects.get(pk=draft.pk).body == data["body"]


def test_over_the_whole_request_cap_a_browser_gets_a_413_page_unread(editor, draft):
    length = settings.REQUEST_MAX_BYTES + 1
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": change_url(draft),
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_ACCEPT": "text/html,application/xhtml+xml",
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
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
        seen["status"], seen["headers"] = status, dict(headers)

    page = b"".join(application(environ, start_response)).decode()

    assert seen["status"].startswith("413")
    assert seen["headers"]["Content-Type"].startswith("text/html")
    assert "<h1>Request too large</h1>" in page
    assert f"the limit is {settings.REQUEST_MAX_BYTES:,}" in page


def test_the_body_limit_comes_from_the_environment(tmp_path):
    from tests.test_settings import SETUP, clean_env, run

    code = SETUP + "; from django.conf import settings as s; print(s.ARTICLE_BODY_MAX_BYTES)"
    result = run(["-c", code], clean_env(tmp_path, ARTICLE_BODY_MAX_BYTES="2000000"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "2000000"
