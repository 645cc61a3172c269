"""import_wire, the batch import and the admin upload take every agency format: a story
per item, in order, with the agency's headline, body, dateline, credits, language,
urgency, embargo and status kept; hostile or broken files fail alone, saving nothing."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from articles.models import Article, AuditEntry
from ingest.models import WireImportFile
from ingest.services import import_wire_batch, parse_wire_bytes, results_by_file
from newsroom.celery import app as celery_app
from sources.models import AuditFinding
from tests.factories import DeskFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
OWN = ROOT / "tests" / "wire" / "formats" / "samples"
SHARED = ROOT.parent / "shared" / "samples"
STORY = "Port strike ends\n\nVALPARAISO, Chile — Dock workers ended a strike on Friday.\n"
LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE nitf [<!ENTITY a "aaaaaaaaaa">'
    b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><nitf><head><title>&b;</title></head></nitf>'
)


def run(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("import_wire", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def files(tmp_path):
    text = tmp_path / "strike.txt"
    text.write_text(STORY, encoding="utf-8")
    message = tmp_path / "message.xml"
    message.write_bytes((OWN / "message-two-items-newsml-g2.xml").read_bytes())
    hostile = tmp_path / "laughs.xml"
    hostile.write_bytes(LAUGHS)
    anpa = tmp_path / "wire.anpa"
    anpa.write_bytes((OWN / "stream-anpa1312.anpa").read_bytes())
    return text, message, hostile, anpa


@pytest.mark.django_db
def test_dry_run_json_gives_a_line_per_story_with_format_guid_and_index(files, capsys):
    text, message, hostile, anpa = files

    code, out, err = run("--dry-run", "--json", str(text), str(message), str(hostile), str(anpa))

    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 1
    assert [(r["file"], r.get("index"), r.get("format")) for r in lines] == [
        (str(text), 0, "text"),
        (str(message), 0, "newsml-g2"),
        (str(message), 1, "newsml-g2"),
        (str(hostile), None, None),
        (str(anpa), 0, "anpa1312"),
        (str(anpa), 1, "anpa1312"),
    ]
    assert lines[0]["guid"] is None and lines[0]["headline"] == "Port strike ends"
    assert lines[1]["guid"] == "urn:newsml:example.org:20250314:ferry"
    assert lines[1]["headline"] == "Ferries stay in port"
    assert lines[1]["paragraphs"] == [
        "Ferries to the Tarn Islands stayed in port on Tuesday.",
        "About 400 residents rely on them.",
    ]
    assert lines[1]["dateline"]["place"] == "Port Elmsworth"
    assert lines[1]["credits"][0]["name"] == "Jane Example"
    assert lines[1]["agency"]["signals"] == ["correction"]
    assert lines[2]["agency"]["embargo"] == "2025-03-15T00:01:00+00:00"
    assert set(lines[3]) == {"file", "error"} and "DTD declarations" in lines[3]["error"]
    assert str(hostile) in err + capsys.readouterr().err
    for line in lines:
        for key in ("headline", "dateline", "subheads", "paragraphs", "sources", "quotes"):
            assert "error" in line or key in line
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_a_file_of_several_stories_saves_a_draft_each_and_a_bad_file_saves_nothing(files, capsys):
    DeskFactory(slug="wire", name="Wire")
    text, message, hostile, anpa = files

    code, out, err = run(str(text), str(message), str(hostile), str(anpa), "--desk", "wire")

    assert code == 1 and str(hostile) in err + capsys.readouterr().err
    assert sorted(Article.objects.values_list("headline", flat=True)) == [
        "Ferries stay in port",
        "Port strike ends",
        "Puffins return",
        "Puffins return to the Tarn Islands",
        "Storm keeps island ferries in port for second day",
    ]
    puffins = Article.objects.get(headline="Puffins return")
    assert puffins.embargo_until == datetime(2025, 3, 15, 0, 1, tzinfo=UTC)
    assert (
        puffins.body == "<p>Puffin numbers rose for a third year.</p>\n"
        "<p>The count followed the removal of rats.</p>"
    )
    ferries = Article.objects.get(headline="Ferries stay in port")
    assert ferries.dateline_place == "Port Elmsworth" and ferries.language == "en"
    assert [c.contributor.name for c in ferries.credits.all()] == ["Jane Example"]
    note = AuditEntry.objects.get(article=ferries, action="import").note
    assert "urn:newsml:example.org:20250314:ferry" in note and "version 4" in note
    storm = Article.objects.get(headline__startswith="Storm keeps")
    assert storm.priority == Article.Priority.URGENT


@pytest.mark.django_db
def test_agency_fields_reach_the_draft_and_a_kill_is_an_open_finding(editor):
    desk = DeskFactory(slug="wire", name="Wire")
    batch = [
        (name, (OWN / name).read_bytes())
        for name in ("withheld-ninjs-2.json", "kill-newsml-g2.xml", "embargoed-nitf.xml")
    ]

    withheld, killed, embargoed = import_wire_batch(batch, desk=desk, by=editor)

    article = withheld.article
    assert article.headline == "Council delays vote on ferry subsidy"
    assert article.body == (
        "<p>The town council put off a vote on the ferry subsidy until next month, its chair "
        "said on Friday.</p>\n<h2>What comes next</h2>\n<p>“We need the figures first,” said "
        "Mira Holt, who chairs the council.</p>"
    )
    assert withheld.quotes == 1
    assert "agency-withheld" in withheld.findings
    assert "agency-canceled" in killed.findings
    finding = AuditFinding.objects.get(article=killed.article, code="agency-canceled")
    assert finding.subject == "urn:newsml:example.org:20250314:harbour-fire"
    assert killed.article.priority == Article.Priority.FLASH
    assert embargoed.article.embargo_until == datetime(2025, 3, 14, 0, 1, tzinfo=UTC)
    assert "<h2>Rats gone</h2>" in embargoed.article.body
    assert embargoed.article.language == "en-GB"
    assert not any(f.startswith("agency-") for f in embargoed.findings)


@pytest.mark.django_db
def test_an_oversized_file_fails_alone(tmp_path, capsys):
    DeskFactory(slug="wire")
    big = tmp_path / "huge.xml"
    with big.open("wb") as fh:  # 100 MB, sparse: the size check refuses it unread
        fh.truncate(100 * 1024 * 1024)
    good = tmp_path / "story.json"
    good.write_bytes(b'{"uri": "u1", "headline": "Fine story", "body_text": "One paragraph."}')

    code, out, err = run(str(big), str(good), "--dry-run", "--json")

    first, second = (json.loads(line) for line in out.splitlines())
    assert code == 1 and "limit" in first["error"] and str(big) in err + capsys.readouterr().err
    assert second["headline"] == "Fine story" and second["format"] == "ninjs"


def test_parse_wire_bytes_reports_a_hostile_file_as_one_error():
    assert parse_wire_bytes(LAUGHS, file="x.xml") == [
        {
            "file": "x.xml",
            "error": "XML with DTD declarations (a DOCTYPE with an internal subset) is refused",
            "index": 0,
        }
    ]


def test_results_are_grouped_by_file():
    from ingest.services import ImportResult

    results = [ImportResult("a", index=0), ImportResult("b", index=0), ImportResult("b", index=1)]
    assert [[r.file for r in g] for g in results_by_file(results)] == [["a"], ["b", "b"]]


@pytest.mark.django_db
def test_admin_upload_of_a_multi_story_file(
    client, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    desk = DeskFactory(slug="wire", name="Wire")
    client.force_login(UserFactory(username="rosa", role="Reporter"))
    upload = [
        SimpleUploadedFile("message.xml", (OWN / "message-two-items-newsml-g2.xml").read_bytes()),
        SimpleUploadedFile("laughs.xml", LAUGHS),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:articles_article_import"), {"desk": desk.pk, "files": upload}
        )
    assert response.status_code == 303
    message, laughs = WireImportFile.objects.order_by("position")
    assert message.status == "done" and message.article.headline == "Ferries stay in port"
    assert laughs.status == "failed" and "DTD" in laughs.error
    assert Article.objects.count() == 2


@pytest.mark.skipif(
    not SHARED.exists() and os.environ.get("CI") != "true", reason="no ../shared/samples"
)
@pytest.mark.django_db
def test_every_shared_sample_with_a_story_imports_in_a_dry_run():
    paths = sorted(
        str(p)
        for p in SHARED.glob("*/*")
        if p.suffix in (".xml", ".json", ".iptc") and "schema" not in p.name
    )
    assert len(paths) == 23
    code, out, err = run("--dry-run", "--json", *paths)
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 0, err
    assert {r["file"] for r in records} == set(paths)
    assert all(r["headline"] for r in records)
