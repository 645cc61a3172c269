"""Two deliveries of the same new agency story at once (a push beside a folder poll): one
item, one "created" and one "unchanged", never a failure."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from ingest import channels
from ingest.models import IngestChannel, IngestItem
from tests.factories import DeskFactory
from tests.ingest.channel_helpers import agency_item


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite serializes every writer, so two deliveries cannot overlap",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_new_story_arriving_twice_at_once_is_one_item():
    channel = IngestChannel.objects.create(
        name="Agency", slug="agency", kind="push", desk=DeskFactory()
    )
    barrier = threading.Barrier(2, timeout=20)
    results: list[str] = []

    def deliver() -> None:
        try:
            barrier.wait()
            [row] = channels.receive_items(channel, [agency_item(1)], name="push")
            results.append(row.result)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(results) == ["created", "unchanged"]
    assert IngestItem.objects.get().versions.count() == 1
