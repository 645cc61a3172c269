"""The foundation's round trip: a task through Redis to a real worker and its answer back."""

from __future__ import annotations

import os

import pytest

# serialized_rollback: the roles and permissions made by data migrations come back after
# each transactional test flushes the database.
pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_ping_goes_through_redis_to_a_real_worker(celery_worker):
    from newsroom.celery import ping

    answer = ping.delay("are you there").get(timeout=30)
    assert answer == {"payload": "are you there", "pid": celery_worker.pid}
    assert answer["pid"] != os.getpid()
