"""The in-process scheduler runs whatever CELERY_BEAT_SCHEDULE names, on each entry's
interval, and keeps going when a task fails."""

from __future__ import annotations

import time

import pytest

from newsroom import scheduler
from newsroom.celery import app

runs: list[str] = []


@app.task(name="tests.scheduler.probe")
def probe(label: str) -> None:
    runs.append(label)


@app.task(name="tests.scheduler.failing")
def failing() -> None:
    runs.append("failed")
    raise RuntimeError("a task that fails")


@pytest.fixture
def probe_schedule(monkeypatch):
    runs.clear()
    monkeypatch.setitem(app.conf, "task_always_eager", True)
    monkeypatch.setitem(
        app.conf,
        "beat_schedule",
        {
            "fast": {"task": "tests.scheduler.probe", "schedule": 0.2, "args": ("fast",)},
            "slow": {"task": "tests.scheduler.probe", "schedule": 0.7, "args": ("slow",)},
            "failing": {"task": "tests.scheduler.failing", "schedule": 0.2},
        },
    )
    yield
    runs.clear()


# The scheduler closes stale database connections around each run, as a request would.
@pytest.mark.django_db
def test_every_entry_runs_on_its_own_interval(probe_schedule):
    ticking = scheduler.InProcessScheduler(app=app)
    deadline = time.monotonic() + 2.0
    while time.monotonic() < deadline:
        time.sleep(max(0.0, min(ticking.tick(), 0.05)))
    # Bounds loose enough for a loaded machine: 0.2 s runs about 9 times in 2 s, 0.7 s twice.
    assert 3 <= runs.count("fast") <= 11
    assert 1 <= runs.count("slow") <= 3
    assert runs.count("fast") > runs.count("slow")
    # A failing task is logged and tried again on its next turn.
    assert runs.count("failed") >= 3


def test_nothing_starts_when_beat_does_the_work(settings):
    settings.SCHEDULER_IN_PROCESS = False
    assert scheduler.start() is None
