"""More parameters than DATA_UPLOAD_MAX_NUMBER_FIELDS are a 400 that says so, on every kind
of URL: never a 500, never a bare "Bad Request"."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import UserFactory


def too_many() -> str:
    return "&".join(f"p{i}=1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))


@pytest.fixture
def urls(published, db):
    return {
        "story page": f"/stories/{published.slug}/",
        "front page": "/",
        "feed": "/feeds/rss/",
        "desk feed": f"/feeds/desk/{published.desk.slug}/atom/",
        "api list": "/api/v1/items/",
        "api docs": "/api/docs/",
        "admin login": "/admin/login/",
        "admin list": "/admin/articles/article/",
        "health": "/livez",
    }


@pytest.mark.parametrize(
    "name",
    [
        "story page",
        "front page",
        "feed",
        "desk feed",
        "api list",
        "api docs",
        "admin login",
        "admin list",
        "health",
    ],
)
def test_too_many_query_parameters_are_a_clear_400(name, urls):
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory(username="ed", role="Editor"))

    response = client.get(f"{urls[name]}?{too_many()}", HTTP_ACCEPT="text/html")

    assert response.status_code == 400
    limit = f"{settings.DATA_UPLOAD_MAX_NUMBER_FIELDS:,}"
    if name.startswith("api list"):
        assert response.json() == {
            "detail": f"Too many parameters: the limit is {limit} per request."
        }
    else:
        assert response["Content-Type"].startswith("text/html")
        page = response.content.decode()
        assert f"Too many parameters: the limit is {limit} per request." in page


def test_the_limit_itself_is_accepted(urls, client):
    at_limit = "&".join(f"p{i}=1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS))
    assert client.get(f"{urls['story page']}?{at_limit}").status_code == 200


@pytest.mark.django_db
def test_too_many_form_fields_in_the_admin_say_so(editor):
    client = Client(raise_request_exception=False)
    client.force_login(editor)
    fields = {f"f{i}": "x" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}

    response = client.post("/admin/articles/article/add/", fields, HTTP_ACCEPT="text/html")

    assert response.status_code == 400
    assert "Too many parameters" in response.content.decode()
