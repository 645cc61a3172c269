"""Every kind of page carries a Content-Security-Policy: strict on the public site, the
tightest the admin and the API documentation allow, and none of them may be framed."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from articles import workflow
from distribution.api.partners import create_partner
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.fixture
def story(desk, reporter, editor):
    article = ArticleFactory(desk=desk, created_by=reporter, slug="harbour-storm")
    return workflow.publish(article, by=editor)


PUBLIC = {
    "default-src": ["'none'"],
    "style-src": ["'self'"],
    "img-src": ["'self'"],
    "base-uri": ["'none'"],
    "form-action": ["'none'"],
    "frame-ancestors": ["'none'"],
}


def test_story_page_has_the_strict_policy_and_no_inline_style(client, story):
    response = client.get("/stories/harbour-storm/")

    assert response.status_code == 200
    assert policy(response) == PUBLIC
    html = response.content.decode()
    assert "<style" not in html and "style=" not in html
    assert 'href="/static/articles/site.css"' in html


def test_killed_story_has_the_strict_policy(client, story, editor):
    workflow.kill(story, by=editor, reason="Wrong.")

    response = client.get("/stories/harbour-storm/")

    assert response.status_code == 410
    assert policy(response) == PUBLIC


def test_story_stylesheet_is_served(client):
    # The site stylesheet the page links to exists (found by the static finders).
    from django.contrib.staticfiles import finders

    assert finders.find("articles/site.css")


@pytest.mark.parametrize("path", ["/feeds/rss/", "/feeds/json/", "/stories/no-such-story/"])
def test_feeds_and_not_found_pages_have_the_strict_policy(client, story, path):
    assert policy(client.get(path)) == PUBLIC


def test_partner_api_has_the_strict_policy(client, story):
    _, key = create_partner(name="Lakeside Daily")
    response = client.get("/api/v1/items/", HTTP_AUTHORIZATION=f"Api-Key {key}")

    assert response.status_code == 200
    assert policy(response) == PUBLIC
    assert policy(client.get("/api/v1/items/")) == PUBLIC


@pytest.mark.parametrize("path", ["/admin/login/", "/admin/", "/admin/sources/source/"])
def test_admin_pages_allow_only_their_own_scripts_and_styles(client, admin_user, path):
    if path != "/admin/login/":
        client.force_login(admin_user)
    response = client.get(path)

    assert response.status_code == 200
    directives = policy(response)
    assert directives["default-src"] == ["'none'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


@pytest.mark.parametrize("page", ["change", "add", "list"])
def test_story_admin_pages_add_only_the_body_editors_inline_elements(
    admin_client, settings, story, page
):
    # The body editor's import map and Tiptap's base stylesheet, by hash; style attributes,
    # which a paste from Word or Google Docs carries its bold and italic in. No inline
    # script, no <style> element beyond the one hashed, nothing from another site.
    path = {
        "change": f"/admin/articles/article/{story.pk}/change/",
        "add": "/admin/articles/article/add/",
        "list": "/admin/articles/article/",
    }[page]
    response = admin_client.get(path)

    assert response.status_code == 200
    directives = policy(response)
    assert directives["default-src"] == ["'none'"]
    assert directives["script-src"] == ["'self'", settings.BODY_EDITOR_IMPORT_MAP_HASH]
    assert directives["style-src"] == ["'self'", settings.BODY_EDITOR_STYLE_HASH]
    assert directives["style-src-attr"] == ["'unsafe-inline'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert response["Content-Security-Policy"].count("'unsafe-inline'") == 1


class _References(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts = 0
        self.inline_styles = 0
        self._in_script = False

    def handle_starttag(self, tag, attrs) -> None:
        attrs = dict(attrs)
        self.urls += [attrs[name] for name in ("src", "href") if attrs.get(name)]
        if tag == "script" and not attrs.get("src"):
            self.inline_scripts += 1
        if tag == "style" or "style" in attrs:
            self.inline_styles += 1


@pytest.mark.parametrize("path", ["/api/docs/", "/api/docs/swagger/"])
def test_api_docs_load_nothing_off_site(client, path):
    response = client.get(path)

    assert response.status_code == 200
    page = _References()
    page.feed(response.content.decode())
    assert page.urls, "the page should load ReDoc or Swagger UI"
    for url in page.urls:
        parts = urlsplit(url)
        assert not parts.scheme and not parts.netloc, f"{url} is off-site"
    assert any("drf_spectacular_sidecar" in url for url in page.urls)
    assert page.inline_scripts == 0 and page.inline_styles == 0
    directives = policy(response)
    assert directives["script-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["default-src"] == ["'none'"]


def test_swagger_start_up_script_is_served_separately(client):
    response = client.get("/api/docs/swagger/?script=")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    body = response.content.decode()
    assert "SwaggerUIBundle" in body
    assert "validator.swagger.io" not in body and '"validatorUrl": null' in body
