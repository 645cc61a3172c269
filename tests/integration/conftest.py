"""Integration fixtures: a real Celery worker on Redis against the test database."""

from __future__ import annotations

import os

import pytest

from tests.integration.celery_worker import CeleryWorker


def _require_services() -> None:
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs a Redis broker: set REDIS_URL (and DATABASE_URL for PostgreSQL)")
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: a worker process cannot see SQLite's test database")


@pytest.fixture
def purged_broker():
    """An empty task queue, so a worker runs only what this test sends."""
    _require_services()
    from newsroom.celery import app

    app.control.purge()
    yield app


@pytest.fixture
def make_worker(transactional_db, purged_broker, tmp_path):
    """`make_worker(beat=True, env={...}, pool="prefork", concurrency=2)` starts a worker;
    all are stopped after the test (before the test database is flushed)."""
    workers: list[CeleryWorker] = []

    def make(
        *,
        beat: bool = False,
        env: dict[str, str] | None = None,
        pool: str = "solo",
        concurrency: int = 1,
    ) -> CeleryWorker:
        worker = CeleryWorker(tmp_path, beat=beat, env=env, pool=pool, concurrency=concurrency)
        workers.append(worker)
        return worker.start()

    yield make
    for worker in workers:
        worker.stop()


@pytest.fixture
def celery_worker(make_worker) -> CeleryWorker:
    return make_worker()
