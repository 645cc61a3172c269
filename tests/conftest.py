from __future__ import annotations

import os

import pytest

from tests.factories import ArticleFactory, DeskFactory, UserFactory


def pytest_report_header(config) -> list[str]:
    database = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    broker = "Redis" if os.environ.get("REDIS_URL") else "eager (no broker)"
    return [f"newsroom: database {database}, tasks {broker}"]


@pytest.fixture(autouse=True)
def _isolated_cache(settings):
    """Each test starts with an empty cache, whichever backend the settings chose."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def desk(db):
    return DeskFactory(name="Washington", slug="washington")


@pytest.fixture
def reporter(db):
    return UserFactory(username="rita", role="Reporter")


@pytest.fixture
def other_reporter(db):
    return UserFactory(username="omar", role="Reporter")


@pytest.fixture
def editor(db):
    return UserFactory(username="eddie", role="Editor")


@pytest.fixture
def standards(db):
    return UserFactory(username="sam", role="Standards")


@pytest.fixture
def draft(desk, reporter):
    return ArticleFactory(desk=desk, created_by=reporter)


@pytest.fixture
def published(draft, editor):
    from articles import workflow

    return workflow.publish(draft, by=editor)
