"""A partner API request without a session cookie goes straight to its view
(PartnerAPIMiddleware) and gets the very status, headers and body the whole stack gives;
anything else under /api/ still goes through the whole stack. A cached page costs no
query and, on Redis, one round trip."""

from __future__ import annotations

import os

import pytest
from django.urls import resolve
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from distribution.api import pages
from distribution.api.middleware import PartnerAPIMiddleware
from distribution.api.negotiation import PartnerContentNegotiation
from distribution.api.partners import issue_key

pytestmark = pytest.mark.django_db

FAST_PATH = "distribution.api.middleware.PartnerAPIMiddleware"


@pytest.fixture(autouse=True)
def cold_pages():
    """No page in this process's memory, as for a freshly started worker."""
    pages.forget_process_copies()
    yield
    pages.forget_process_copies()


@pytest.fixture
def story(washington, publish):
    return publish(washington, headline="Served to partners")


def whole_stack(settings) -> None:
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != FAST_PATH]


def answer(client, path: str, method: str = "get", **headers) -> tuple[int, dict[str, str], bytes]:
    response = getattr(client, method)(path, headers=headers)
    return response.status_code, dict(response.headers), response.content


def test_partner_views_answer_as_the_whole_stack_does(story, make_partner, client_for, settings):
    partner, key = make_partner("Everything")
    _, items_only = issue_key(partner, name="items only", scopes=["items"])
    guid = story.guid
    asked = [
        (key, "/api/v1/items/", {}),
        (key, "/api/v1/items/?page_size=1", {}),
        (key, f"/api/v1/items/{guid}/", {}),
        (key, f"/api/v1/items/{guid}/versions/", {}),
        (key, f"/api/v1/items/{guid}/versions/1/", {}),
        (key, "/api/v1/items/urn:newsroom:nothing/", {}),
        (key, "/api/v1/items/?page_size=0", {}),
        (key, "/api/v1/items/?format=json", {}),
        (key, "/api/v1/items/?format=xml", {}),
        (key, "/api/v1/items/", {"accept": "text/html"}),
        (key, "/api/v1/items/", {"accept": "application/json; indent=2"}),
        (key, "/api/v1/deliveries/", {}),
        (items_only, "/api/v1/deliveries/", {}),
        ("not-a.key", "/api/v1/items/", {}),
        (key, "/api/v1/items/", {"method": "head"}),
        (key, "/api/v1/items/", {"method": "options"}),
        (key, "/api/v1/items/", {"method": "post"}),
    ]
    client_for(key).get("/api/v1/items/")  # built and stored: both stacks serve the cache
    client_for(key).get("/api/v1/items/?page_size=1")
    fast = [answer(client_for(k), path, **headers) for k, path, headers in asked]
    etag = fast[0][1]["ETag"]
    fast_304 = answer(client_for(key), "/api/v1/items/", if_none_match=etag)
    whole_stack(settings)
    slow = [answer(client_for(k), path, **headers) for k, path, headers in asked]
    slow_304 = answer(client_for(key), "/api/v1/items/", if_none_match=etag)

    assert [status for status, _, _ in fast] == [
        200, 200, 200, 200, 200, 404, 400, 200, 404, 406, 200, 200, 403, 401, 200, 200, 405,
    ]  # fmt: skip
    for path, fast_answer, slow_answer in zip(asked, fast, slow, strict=True):
        assert fast_answer == slow_answer, path
    assert fast_304 == slow_304
    assert fast_304[0] == 304
    headers = fast[0][1]
    assert headers["X-Frame-Options"] == "DENY"
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Length"] == str(len(fast[0][2]))
    assert "Set-Cookie" not in headers and "Cookie" not in headers.get("Vary", "")


def test_the_fast_path_leaves_the_session_unattached(story, make_partner, client_for):
    _, key = make_partner("Sessionless")
    response = client_for(key).get("/api/v1/items/")
    assert response.status_code == 200
    assert not hasattr(response.wsgi_request, "session")
    assert response.wsgi_request.resolver_match.view_name == "api:items"


def test_a_request_with_a_session_cookie_goes_through_the_whole_stack(
    story, make_partner, client_for
):
    _, key = make_partner("With a cookie")
    client = client_for(key)
    client.cookies["sessionid"] = "not-a-session"
    response = client.get("/api/v1/items/")
    assert response.status_code == 200
    assert hasattr(response.wsgi_request, "session")
    assert story.guid in {item["uri"] for item in response.json()["results"]}


def test_an_unknown_host_is_still_refused(make_partner, client_for):
    _, key = make_partner("Elsewhere")
    response = client_for(key).get("/api/v1/items/", headers={"host": "api.example.net"})
    assert response.status_code == 400


@pytest.mark.parametrize("path", ["/api/v1/nothing/", "/api/schema/", "/api/docs/"])
def test_other_paths_under_api_go_through_the_whole_stack(path, client):
    response = client.get(path)
    assert response.status_code in (200, 404)
    assert hasattr(response.wsgi_request, "session")


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/items/",
        "/api/v1/items/urn:newsroom:abc/",
        "/api/v1/items/urn:newsroom:abc/versions/",
        "/api/v1/items/urn:newsroom:abc/versions/3/",
        "/api/v1/deliveries/",
    ],
)
def test_the_fast_path_finds_the_view_the_project_urls_do(path):
    fast = PartnerAPIMiddleware(lambda request: None)._partner_view(path)
    project = resolve(path)
    assert fast is not None
    assert (fast.func, fast.args, fast.kwargs, fast.view_name, fast.route) == (
        project.func,
        project.args,
        project.kwargs,
        project.view_name,
        project.route,
    )


@pytest.mark.parametrize(
    ("accept", "query"),
    [
        (None, ""),
        ("*/*", ""),
        ("*/*", "?format=json"),
        ("*/*", "?format=api"),
        ("application/json", ""),
        ("application/json; indent=4", ""),
        ("text/html", ""),
        ("text/html, */*;q=0.8", ""),
        ("*/*; q=0.5", ""),
    ],
)
def test_negotiation_answers_as_drf_does(accept, query):
    headers = {} if accept is None else {"HTTP_ACCEPT": accept}
    renderers = [JSONRenderer(), BrowsableAPIRenderer()]

    def select(negotiation):
        request = Request(APIRequestFactory().get(f"/api/v1/items/{query}", **headers))
        try:
            renderer, media_type = negotiation.select_renderer(request, renderers)
        except Exception as exc:  # noqa: BLE001 - the refusal itself is compared
            return type(exc)
        return type(renderer), media_type

    assert select(PartnerContentNegotiation()) == select(DefaultContentNegotiation())


@pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="counted on Redis, where production keeps them"
)
def test_a_cached_page_costs_one_redis_round_trip_and_no_query(
    story, make_partner, client_for, monkeypatch, django_assert_num_queries
):
    import redis

    _, key = make_partner("Counted")
    client = client_for(key)
    client.get("/api/v1/items/")  # verifies the key, builds and stores the page
    etag = client.get("/api/v1/items/")["ETag"]
    commands: list[str] = []
    execute = redis.Redis.execute_command

    def counted(self, *args, **options):
        commands.append(str(args[0]))
        return execute(self, *args, **options)

    monkeypatch.setattr(redis.Redis, "execute_command", counted)
    with django_assert_num_queries(0):
        page = client.get("/api/v1/items/")
        not_modified = client.get("/api/v1/items/", headers={"if-none-match": etag})
    assert (page.status_code, not_modified.status_code) == (200, 304)
    # One script per request: the throttle's count, the key's revision, the items'
    # generation and the page's validator, together.
    assert commands == ["EVALSHA", "EVALSHA"]
