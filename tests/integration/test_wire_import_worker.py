"""The admin upload's import task in a real prefork worker: its soft time limit stops the
batch of files under way (nothing of them saved), and the run reports so."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Article
from bench.dense_copy import dense_copy
from ingest import uploads
from ingest.models import WireImport
from ingest.tasks import enqueue_wire_import
from tests.factories import DeskFactory, UserFactory
from tests.integration.celery_worker import wait_for

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LIMITS = {"WIRE_IMPORT_SOFT_TIME_LIMIT": "1", "WIRE_IMPORT_TIME_LIMIT": "30"}


def test_a_worker_stops_an_import_at_its_soft_time_limit(make_worker, settings):
    settings.WIRE_IMPORT_SOFT_TIME_LIMIT = int(LIMITS["WIRE_IMPORT_SOFT_TIME_LIMIT"])
    settings.WIRE_IMPORT_TIME_LIMIT = int(LIMITS["WIRE_IMPORT_TIME_LIMIT"])
    make_worker(pool="prefork", env=LIMITS)
    # About 1 MB of copy quoting a new person in every paragraph: parsing it and saving its
    # thousands of sources takes well over the 1 s limit.
    dense = dense_copy(1_000_000).encode()
    assert len(dense) <= settings.WIRE_FILE_MAX_BYTES
    wire_import = uploads.queue_wire_import(
        [
            SimpleUploadedFile("dense.txt", dense, content_type="text/plain"),
            SimpleUploadedFile("short.txt", b"Short story\n\nA line of copy.\n"),
        ],
        desk=DeskFactory(),
        by=UserFactory(username="rosa", role="Reporter"),
    )

    enqueue_wire_import(wire_import.pk)  # autocommit: sent at once

    wait_for(
        lambda: WireImport.objects.get(pk=wire_import.pk).finished,
        timeout=60,
        message="the import did not finish: it hung past its time limit",
    )
    wire_import.refresh_from_db()
    dense_file, short_file = wire_import.files.order_by("position")
    assert wire_import.status == "failed"
    assert wire_import.error == "Stopped: its time limit of 1 s passed."
    assert dense_file.status == "failed"
    assert dense_file.error.startswith("stopped before it was finished, nothing of it saved")
    # in the same batch as the dense file, so stopped with it
    assert short_file.status == "failed"
    assert short_file.error.startswith("stopped before it was finished, nothing of it saved")
    assert not Article.objects.exists()
