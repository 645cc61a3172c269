"""Liveness and readiness (operations contract): /livez touches nothing, /healthz names the
part that is down, and pages that do not need Redis keep working while it is down."""

from __future__ import annotations

import pytest
from django.test import override_settings

from newsroom.celery import app as celery_app

CLOSED_PORT = "redis://127.0.0.1:1/0"  # nothing listens on port 1: refused at once
DEAD_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": CLOSED_PORT,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}


@pytest.fixture
def broker_down(settings, monkeypatch):
    """Tasks go through a broker, and the broker does not answer."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr(celery_app.conf, "broker_write_url", CLOSED_PORT)


def test_livez_is_ok_with_no_queries(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/livez")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_livez_needs_no_database_at_all(client):
    # Without the db fixture, any database access in the view would raise here.
    with override_settings(CACHES=DEAD_CACHE):
        assert client.get("/livez").status_code == 200


def test_healthz_all_ok(client, db, settings):
    response = client.get("/healthz")
    assert response.status_code == 200
    expected_broker = "eager" if settings.CELERY_TASK_ALWAYS_EAGER else "ok"
    assert response.json() == {"database": "ok", "cache": "ok", "broker": expected_broker}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.skipif(not celery_app.conf.task_always_eager, reason="eager only without REDIS_URL")
def test_healthz_reports_eager_broker_without_redis(client, db):
    assert client.get("/healthz").json()["broker"] == "eager"


def test_healthz_503_when_the_cache_is_down(client, db):
    with override_settings(CACHES=DEAD_CACHE):
        response = client.get("/healthz")
    assert response.status_code == 503
    report = response.json()
    assert report["database"] == "ok"
    assert report["cache"].startswith("error")
    assert set(report) == {"database", "cache", "broker"}


def test_healthz_503_when_the_broker_is_down(client, db, broker_down):
    response = client.get("/healthz")
    assert response.status_code == 503
    report = response.json()
    assert report["broker"].startswith("error")
    assert report["database"] == "ok" and report["cache"] == "ok"


def test_healthz_names_both_when_redis_is_gone(client, db, broker_down):
    with override_settings(CACHES=DEAD_CACHE):
        report = client.get("/healthz").json()
    assert report["cache"].startswith("error") and report["broker"].startswith("error")


def test_healthz_503_when_the_database_is_down(client, db, monkeypatch):
    from newsroom import health

    def refused() -> str:
        raise ConnectionError("database refused the connection")

    monkeypatch.setitem(health.CHECKS, "database", refused)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error: ConnectionError"


def test_pages_that_need_no_redis_work_while_it_is_down(client, published, broker_down):
    with override_settings(CACHES=DEAD_CACHE):
        assert client.get("/livez").status_code == 200
        story = client.get(f"/stories/{published.slug}/")
        assert story.status_code == 200
        assert published.headline in story.content.decode()
