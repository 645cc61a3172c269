"""A real browser (Debian's Chromium, never a downloaded one) against a live server."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
REPO_ROOT = Path(__file__).resolve().parents[2]
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    folder = Path(os.environ.get("SCREENSHOT_DIR") or REPO_ROOT / "var" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def browser(_migrated_data):
    """Chromium for the tests of one module. Closed with the module, because while
    Playwright's sync API runs, code after it sees other database connection objects than
    the ones the test databases were set up on (see `_migrated_data`)."""
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in the test thread; Django would otherwise
    # refuse the ORM calls the test makes. Only for these tests: a subprocess started by a
    # later test must not inherit it (the deploy check rightly refuses it).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def _migrated_data(django_db_setup) -> dict:
    """What the migrations left in each test database (role groups, permissions), as
    serialized for `serialized_rollback` when the databases were made.

    Read before the browser starts (the `browser` fixture depends on this one): once
    Playwright's sync API runs, the test code no longer sees the connection objects made
    before it, so the serialized data would be out of reach.
    """
    from django.db import connections

    return {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }


def _restore(contents: dict) -> None:
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connections

    for alias, data in contents.items():
        if Group.objects.using(alias).exists():
            continue
        # As Django's serialized rollback does: empty the tables without recreating
        # content types and permissions, then load everything the migrations made.
        call_command(
            "flush", database=alias, interactive=False, inhibit_post_migrate=True, verbosity=0
        )
        connections[alias].creation.deserialize_db_from_string(data)


@pytest.fixture(scope="module", autouse=True)
def _database_as_migrations_left_it(_migrated_data, django_db_blocker):
    """A live-server test commits for real, so its database is emptied afterwards, role
    groups included; put back what the migrations made for the tests that run next."""
    yield
    with django_db_blocker.unblock():
        _restore(_migrated_data)


@pytest.fixture(autouse=True)
def _roles_present(_migrated_data, transactional_db) -> None:
    """The role groups exist, as in production, even after an earlier test emptied them."""
    _restore(_migrated_data)
