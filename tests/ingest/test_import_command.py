"""import_wire and the admin upload: a result per file; bad files don't stop good ones.

The upload's task, its time limits and its progress page: test_upload_task.py.
"""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from articles.models import Article
from newsroom.celery import app as celery_app
from sources.models import Attribution
from tests.factories import DeskFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "ingest" / "corpus"

STORY = """Port strike ends after pay deal

By Ana Ruiz

VALPARAISO, Chile — Dock workers ended a nine-day strike on Friday after port operators \
agreed to a pay rise.

“We got what we came for,” said Tomás Vidal, president of the dockers' union.

Ana Ruiz's colleague Luis Pena contributed to this report.
"""


@pytest.fixture
def wire_files(tmp_path):
    good = tmp_path / "port-strike.txt"
    good.write_text(STORY, encoding="utf-8")
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Caf\xe9 owners protest".encode("latin-1"))
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n", encoding="utf-8")
    return good, binary, latin, empty


def run(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("import_wire", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_bad_files_are_named_and_the_good_one_is_imported(wire_files, capsys):
    DeskFactory(slug="santiago", name="Santiago")
    good, binary, latin, empty = wire_files

    code, out, err = run(str(binary), str(good), str(latin), str(empty), "--desk", "santiago")

    captured = capsys.readouterr()
    errors = err + captured.err
    assert code == 1
    for bad in (binary, latin, empty):
        assert str(bad) in errors
    assert "UTF-8" in errors and "binary" in errors.lower() and "empty" in errors.lower()
    article = Article.objects.get()
    assert article.headline == "Port strike ends after pay deal"
    assert article.desk.slug == "santiago"
    assert Attribution.objects.get(article=article).source.name == "Tomás Vidal"
    assert "port-strike.txt: draft" in out + captured.out


@pytest.mark.django_db
def test_dry_run_json_writes_one_line_per_file_in_order_and_saves_nothing(wire_files, capsys):
    good, binary, *_ = wire_files

    code, out, _ = run("--dry-run", "--json", str(good), str(binary))

    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 1
    assert [line["file"] for line in lines] == [str(good), str(binary)]
    assert lines[0]["headline"] == "Port strike ends after pay deal"
    assert "error" in lines[1] and "headline" not in lines[1]
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_an_unknown_desk_is_a_clear_error(wire_files):
    DeskFactory(slug="santiago")
    with pytest.raises(CommandError, match="No desk with slug 'lima'.*santiago"):
        call_command("import_wire", str(wire_files[0]), "--desk", "lima", stdout=StringIO())


@pytest.mark.skipif(not CORPUS.exists(), reason="the labelled corpus is missing")
def test_the_dry_run_prints_only_json_lines_from_a_fresh_process():
    files = sorted(str(p) for p in CORPUS.glob("*.txt"))
    run_ = subprocess.run(
        [sys.executable, "manage.py", "import_wire", "--dry-run", "--json", *files],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run_.returncode == 0, run_.stderr
    records = [json.loads(line) for line in run_.stdout.splitlines()]
    assert [r["file"] for r in records] == files


@pytest.mark.django_db
def test_admin_upload_makes_a_draft_per_file_and_reports_each(
    client, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    desk = DeskFactory(slug="santiago", name="Santiago")
    reporter = UserFactory(username="rosa", role="Reporter")
    client.force_login(reporter)
    url = reverse("admin:articles_article_import")
    files = [
        SimpleUploadedFile("strike.txt", STORY.encode(), content_type="text/plain"),
        SimpleUploadedFile("bad.txt", b"\xff\xfe\x00\x00binary\x00", content_type="text/plain"),
        SimpleUploadedFile("huge.txt", b"a" * (1024 * 1024 + 1), content_type="text/plain"),
    ]

    # The upload's task runs in-process once the upload commits (the embedded default).
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"desk": desk.pk, "files": files})

    assert response.status_code == 303
    page = client.get(response["Location"]).content.decode()
    assert "strike.txt" in page and "bad.txt" in page and "huge.txt" in page
    assert page.count("Not imported") == 2
    assert "limit is 1,048,576 bytes" in page
    article = Article.objects.get()
    assert article.created_by == reporter and article.status == Article.Status.DRAFT


@pytest.mark.django_db
def test_admin_upload_refuses_a_user_who_cannot_add_articles(client):
    DeskFactory()
    client.force_login(UserFactory(username="stan", role="Standards"))
    response = client.get(reverse("admin:articles_article_import"))
    assert response.status_code == 403
