from __future__ import annotations

import os
import shutil
import tempfile

import pytest

from tests.factories import ArticleFactory, DeskFactory, UserFactory


def pytest_report_header(config) -> list[str]:
    database = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    broker = "Redis" if os.environ.get("REDIS_URL") else "eager (no broker)"
    return [f"newsroom: database {database}, tasks {broker}"]


def pytest_configure(config) -> None:
    """The embedded file cache in a folder of this run's own, never the one a server
    started from this checkout is using (data/cache/)."""
    from django.conf import settings
    from django.test import override_settings

    default = settings.CACHES["default"]
    if default["BACKEND"] == "newsroom.filecache.SharedFileCache":
        folder = tempfile.mkdtemp(prefix="newsroom-test-cache-")
        override_settings(CACHES={"default": {**default, "LOCATION": folder}}).enable()
        config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))


@pytest.fixture(autouse=True)
def _isolated_cache(settings):
    """Each test starts with an empty cache, whichever backend the settings chose, and
    with no memory of an earlier test's cache outage."""
    from django.core.cache import cache

    from distribution.api import pages
    from distribution.api.authentication import forget_verified_keys
    from distribution.feeds.cache import forget_process_copies

    forget_process_copies()
    pages.forget_process_copies()
    forget_verified_keys()
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
