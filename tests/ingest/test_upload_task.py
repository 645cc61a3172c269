"""The admin upload as a task: the request stores the files and redirects to a progress
page; the task imports them one by one, within its time limit; the page follows it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db import utils as db
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from articles.models import Article, AuditEntry
from ingest import services, uploads
from ingest.models import WireImport, WireImportFile
from ingest.tasks import run_wire_import
from newsroom.celery import app as celery_app
from sources.models import Attribution, Source
from tests.factories import DeskFactory, UserFactory

STORY = """Port strike ends after pay deal

By Ana Ruiz

VALPARAISO, Chile — Dock workers ended a nine-day strike on Friday after port operators \
agreed to a pay rise.

“We got what we came for,” said Tomás Vidal, president of the dockers' union.
"""

FLOOD = """Rivers rise across the delta

By Li Wei

DHAKA, Bangladesh — Rivers rose across the delta on Monday after a week of rain.

“The embankments are holding for now,” said Karim Ahmed, an engineer with the water board.
"""


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/plain")


@pytest.fixture(autouse=True)
def tasks_in_process(monkeypatch):
    """The import task runs in-process when the test lets it (as in the embedded default),
    whichever broker the settings chose."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)


@pytest.fixture
def santiago(db):
    return DeskFactory(slug="santiago", name="Santiago")


@pytest.fixture
def rosa(db):
    return UserFactory(username="rosa", role="Reporter")


def queued(desk, by, files: list[tuple[str, bytes]]) -> WireImport:
    return uploads.queue_wire_import([upload(name, data) for name, data in files], desk=desk, by=by)


def progress_url(wire_import: WireImport) -> str:
    return reverse("admin:articles_article_import_progress", args=[wire_import.pk])


def test_the_upload_stores_the_files_and_redirects_before_importing_anything(
    client, santiago, rosa, django_capture_on_commit_callbacks
):
    client.force_login(rosa)
    files = [
        upload("strike.txt", STORY.encode()),
        upload("bad.txt", b"\xff\xfe\x00\x00binary\x00"),
        upload("huge.txt", b"a" * (1024 * 1024 + 1)),
    ]

    # The import task is enqueued on commit; hold it back to see what the request did.
    with django_capture_on_commit_callbacks(execute=False) as enqueued:
        response = client.post(
            reverse("admin:articles_article_import"), {"desk": santiago.pk, "files": files}
        )

    wire_import = WireImport.objects.get()
    assert response.status_code == 303
    assert response["Location"] == progress_url(wire_import)
    assert len(enqueued) == 1
    assert not Article.objects.exists()
    assert (wire_import.status, wire_import.created_by, wire_import.desk) == (
        "queued",
        rosa,
        santiago,
    )
    stored = list(wire_import.files.order_by("position"))
    assert [(f.name, f.status) for f in stored] == [
        ("strike.txt", "queued"),
        ("bad.txt", "queued"),
        ("huge.txt", "failed"),
    ]
    assert bytes(stored[0].content) == STORY.encode()
    # the oversized file is refused at once and its bytes are never stored
    assert bytes(stored[2].content) == b""
    assert "limit is 1,048,576 bytes" in stored[2].error

    page = client.get(response["Location"])
    text = page.content.decode()
    assert "Queued: waiting for a worker" in text
    assert '<meta http-equiv="refresh" content="2">' in text
    # The admin's policy allows no inline script: every script is a file.
    assert re.findall(r"<script(?![^>]*\bsrc=)", text) == []


def test_the_upload_costs_the_same_queries_for_one_file_or_many(
    client, santiago, rosa, django_capture_on_commit_callbacks
):
    client.force_login(rosa)
    url = reverse("admin:articles_article_import")
    client.get(url)  # warm the session and permission caches

    def post(count: int) -> int:
        files = [upload(f"s{i}.txt", STORY.encode()) for i in range(count)]
        with (
            django_capture_on_commit_callbacks(execute=False),
            CaptureQueriesContext(connection) as counted,
        ):
            assert client.post(url, {"desk": santiago.pk, "files": files}).status_code == 303
        return len(counted.captured_queries)

    assert post(1) == post(10)
    assert not Article.objects.exists()


def test_the_task_imports_each_file_and_the_page_links_to_the_drafts(
    client, santiago, rosa, django_capture_on_commit_callbacks
):
    client.force_login(rosa)
    files = [
        upload("strike.txt", STORY.encode()),
        upload("bad.txt", b"\xff\xfe\x00\x00binary\x00"),
        upload("flood.txt", FLOOD.encode()),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:articles_article_import"), {"desk": santiago.pk, "files": files}
        )

    wire_import = WireImport.objects.get()
    assert wire_import.status == "done" and wire_import.finished_at is not None
    strike, bad, flood = wire_import.files.order_by("position")
    assert (strike.status, bad.status, flood.status) == ("done", "failed", "done")
    assert "binary" in bad.error
    # the bytes are dropped once a file is processed
    assert {bytes(f.content) for f in (strike, bad, flood)} == {b""}
    assert strike.article.headline == "Port strike ends after pay deal"
    assert strike.article.created_by == rosa and strike.article.desk == santiago
    assert strike.article.status == Article.Status.DRAFT
    assert Attribution.objects.get(article=strike.article).source.name == "Tomás Vidal"
    assert flood.article.headline == "Rivers rise across the delta"
    assert Article.objects.count() == 2

    text = client.get(response["Location"]).content.decode()
    assert "Done: 3 of 3 files processed, 1 not imported." in text
    change = reverse("admin:articles_article_change", args=[strike.article.pk])
    assert f'href="{change}"' in text
    assert "Not imported: binary" in text
    assert 'http-equiv="refresh"' not in text


def test_the_page_shows_n_of_m_while_the_task_runs(client, santiago, rosa):
    client.force_login(rosa)
    wire_import = queued(santiago, rosa, [("strike.txt", STORY.encode()), ("flood.txt", b"x")])
    # The state a worker leaves between files: the first imported, the second under way.
    WireImport.objects.filter(pk=wire_import.pk).update(status="running", started_at=timezone.now())
    first, second = wire_import.files.order_by("position")
    WireImportFile.objects.filter(pk=first.pk).update(status="failed", error="empty file")
    WireImportFile.objects.filter(pk=second.pk).update(status="running")

    text = client.get(progress_url(wire_import)).content.decode()

    assert "Running: 1 of 2 files processed" in text
    assert '<meta http-equiv="refresh" content="2">' in text


def test_a_soft_time_limit_mid_file_saves_nothing_of_it_and_fails_the_rest(
    santiago, rosa, monkeypatch
):
    wire_import = queued(
        santiago,
        rosa,
        [("strike.txt", STORY.encode()), ("flood.txt", FLOOD.encode()), ("third.txt", b"x y")],
    )
    save_credits = services._save_credits
    calls = []

    def interrupted_on_the_second_file(saving):
        # A worker's soft time limit arrives as this exception wherever the code is: here,
        # after the second file's article row was written.
        calls.append(saving)
        if len(calls) == 2:
            raise SoftTimeLimitExceeded()
        return save_credits(saving)

    monkeypatch.setattr(services, "_save_credits", interrupted_on_the_second_file)
    monkeypatch.setattr(uploads, "UPLOAD_BATCH_SIZE", 1)

    run_wire_import.delay(wire_import.pk)

    wire_import.refresh_from_db()
    strike, flood, third = wire_import.files.order_by("position")
    assert wire_import.status == "failed" and "time limit of 120 s" in wire_import.error
    assert strike.status == "done"
    assert flood.status == "failed" and flood.error.startswith("stopped before it was finished")
    assert third.status == "failed" and third.error.startswith("not imported: its time limit")
    # nothing of the interrupted file: no article, source, quote or audit entry
    assert list(Article.objects.values_list("headline", flat=True)) == [strike.article.headline]
    assert not Source.objects.filter(name="Karim Ahmed").exists()
    assert AuditEntry.objects.filter(action="import").count() == 1


def test_no_file_is_started_after_the_time_limit(santiago, rosa, monkeypatch):
    wire_import = queued(santiago, rosa, [("strike.txt", STORY.encode()), ("flood.txt", b"x")])
    clock = iter(range(0, 100))
    # Each reading of the clock is a second later: the first file starts at 1 s, the
    # second would start at 2 s, past the 1.5 s limit.
    monkeypatch.setattr(uploads, "monotonic", lambda: next(clock))
    monkeypatch.setattr(uploads, "UPLOAD_BATCH_SIZE", 1)

    uploads.run_wire_import(wire_import.pk, time_limit=1.5)

    strike, flood = wire_import.files.order_by("position")
    assert strike.status == "done"
    assert (flood.status, flood.error) == (
        "failed",
        "not imported: its time limit of 1.5 s passed",
    )
    assert WireImport.objects.get().status == "failed"


def test_a_run_killed_at_the_hard_limit_is_reported_failed_not_running(
    client, santiago, rosa, settings
):
    client.force_login(rosa)
    wire_import = queued(santiago, rosa, [("strike.txt", STORY.encode()), ("flood.txt", b"x")])
    # What a worker leaves when it kills the task at WIRE_IMPORT_TIME_LIMIT: a run that
    # started long ago and a file under way that never finished.
    started = timezone.now() - timedelta(
        seconds=settings.WIRE_IMPORT_TIME_LIMIT + uploads.OVERDUE_GRACE_SECONDS + 1
    )
    WireImport.objects.filter(pk=wire_import.pk).update(status="running", started_at=started)
    wire_import.files.filter(position=0).update(status="running")

    text = client.get(progress_url(wire_import)).content.decode()

    assert "Failed: Stopped: the worker ended it at the hard time limit of 150 s." in text
    assert 'http-equiv="refresh"' not in text
    assert set(wire_import.files.values_list("status", flat=True)) == {"failed"}


def test_a_run_within_its_hard_limit_is_still_running(client, santiago, rosa):
    client.force_login(rosa)
    wire_import = queued(santiago, rosa, [("strike.txt", STORY.encode())])
    WireImport.objects.filter(pk=wire_import.pk).update(
        status="running", started_at=timezone.now() - timedelta(seconds=60)
    )

    text = client.get(progress_url(wire_import)).content.decode()

    assert "Running: 0 of 1 file processed" in text
    assert WireImport.objects.get().status == "running"


def test_a_run_stopped_by_an_error_is_reported_failed_and_the_error_raised(
    santiago, rosa, monkeypatch
):
    wire_import = queued(santiago, rosa, [("strike.txt", STORY.encode()), ("flood.txt", b"x")])

    def database_gone(*args, **kwargs):
        raise db.OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(uploads, "import_wire_batch", database_gone)

    with pytest.raises(db.OperationalError):
        run_wire_import.delay(wire_import.pk)

    wire_import.refresh_from_db()
    assert wire_import.status == "failed" and "an error stopped it" in wire_import.error
    assert set(wire_import.files.values_list("status", flat=True)) == {"failed"}


def test_a_second_run_of_the_same_import_does_nothing(santiago, rosa):
    wire_import = queued(santiago, rosa, [("strike.txt", STORY.encode())])

    assert uploads.run_wire_import(wire_import.pk, time_limit=60) is not None
    assert uploads.run_wire_import(wire_import.pk, time_limit=60) is None
    assert Article.objects.count() == 1


def test_the_progress_page_costs_the_same_queries_for_many_files(
    client, santiago, rosa, django_assert_num_queries
):
    client.force_login(rosa)
    few = queued(santiago, rosa, [("strike.txt", STORY.encode())])
    many = queued(santiago, rosa, [(f"s{i}.txt", STORY.encode()) for i in range(8)])
    uploads.run_wire_import(few.pk, time_limit=60)
    uploads.run_wire_import(many.pk, time_limit=60)
    client.get(progress_url(few))  # warm the session and permission caches

    with CaptureQueriesContext(connection) as counted:
        client.get(progress_url(few))
    with django_assert_num_queries(len(counted.captured_queries)):
        text = client.get(progress_url(many)).content.decode()
    assert "Done: 8 of 8 files processed." in text


def test_a_run_costs_the_same_queries_for_one_file_or_a_full_batch(santiago, rosa):
    uploads.run_wire_import(queued(santiago, rosa, [("w.txt", STORY.encode())]).pk, time_limit=60)

    def run(count: int) -> int:
        wire_import = queued(santiago, rosa, [(f"s{i}.txt", STORY.encode()) for i in range(count)])
        with CaptureQueriesContext(connection) as counted:
            uploads.run_wire_import(wire_import.pk, time_limit=60)
        assert set(wire_import.files.values_list("status", flat=True)) == {"done"}
        return len(counted.captured_queries)

    one, full = run(1), run(uploads.UPLOAD_BATCH_SIZE)
    # the batch's save (test_bulk_import) plus a handful to claim, track and record it
    assert full == one <= 25
    # one more file starts a second batch
    assert run(uploads.UPLOAD_BATCH_SIZE + 1) <= 2 * one


def test_a_soft_time_limit_mid_batch_saves_nothing_of_that_batch(santiago, rosa, monkeypatch):
    files = [
        (f"{i}-{name}", text.encode())
        for i, (name, text) in enumerate(
            [
                ("strike.txt", STORY),
                ("flood.txt", FLOOD),
                ("strike.txt", STORY),
                ("flood.txt", FLOOD),
            ]
        )
    ]
    wire_import = queued(santiago, rosa, files)
    save_credits = services._save_credits
    calls = []

    def interrupted_in_the_second_batch(saving):
        calls.append(saving)
        if len(calls) == 2:
            raise SoftTimeLimitExceeded()
        return save_credits(saving)

    monkeypatch.setattr(services, "_save_credits", interrupted_in_the_second_batch)
    monkeypatch.setattr(uploads, "UPLOAD_BATCH_SIZE", 2)

    run_wire_import.delay(wire_import.pk)

    rows = list(wire_import.files.order_by("position"))
    assert [row.status for row in rows] == ["done", "done", "failed", "failed"]
    assert all(row.error.startswith("stopped before it was finished") for row in rows[2:])
    assert Article.objects.count() == 2
    assert AuditEntry.objects.filter(action="import").count() == 2


def test_another_users_import_is_not_found(client, santiago, rosa):
    wire_import = queued(santiago, rosa, [("strike.txt", STORY.encode())])
    client.force_login(UserFactory(username="omar", role="Reporter"))

    assert client.get(progress_url(wire_import)).status_code == 404


def test_an_import_the_broker_does_not_take_fails_at_once(
    client, santiago, rosa, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)

    def broker_refuses(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(run_wire_import, "apply_async", broker_refuses)
    client.force_login(rosa)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:articles_article_import"),
            {"desk": santiago.pk, "files": [upload("strike.txt", STORY.encode())]},
        )

    assert response.status_code == 303
    wire_import = WireImport.objects.get()
    assert wire_import.status == "failed" and "task queue did not answer" in wire_import.error
    assert not Article.objects.exists()


def test_the_time_limits_come_from_the_environment(tmp_path):
    from tests.test_settings import SETUP, clean_env, run

    code = SETUP + (
        "; from django.conf import settings as s; "
        "print(s.WIRE_IMPORT_SOFT_TIME_LIMIT, s.WIRE_IMPORT_TIME_LIMIT)"
    )
    result = run(
        ["-c", code],
        clean_env(tmp_path, WIRE_IMPORT_SOFT_TIME_LIMIT="30", WIRE_IMPORT_TIME_LIMIT="45"),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["30", "45"]

    refused = run(
        ["-c", code],
        clean_env(tmp_path, WIRE_IMPORT_SOFT_TIME_LIMIT="60", WIRE_IMPORT_TIME_LIMIT="60"),
    )
    assert refused.returncode != 0
    assert "WIRE_IMPORT_TIME_LIMIT must be above WIRE_IMPORT_SOFT_TIME_LIMIT" in refused.stderr


def test_the_upload_page_lists_the_users_recent_imports(client, santiago, rosa):
    client.force_login(rosa)
    mine = queued(santiago, rosa, [("strike.txt", STORY.encode())])
    uploads.run_wire_import(mine.pk, time_limit=60)
    theirs = queued(santiago, UserFactory(username="omar", role="Reporter"), [("x.txt", b"x")])

    text = client.get(reverse("admin:articles_article_import")).content.decode()

    assert f'href="{progress_url(mine)}"' in text and ": done</li>" in text
    assert progress_url(theirs) not in text
