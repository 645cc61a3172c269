"""Importing many wire files at once: batched writes, the same drafts as one at a time, and
a bad file that leaves nothing of itself while the others are saved."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from articles.models import Article, AuditEntry, Contributor, Credit
from ingest.services import import_stories, import_wire_batch, import_wire_bytes
from sources.models import Attribution, AuditFinding, Source
from tests.factories import DeskFactory, UserFactory
from wire.pipeline import parse_wire_text

CORPUS = Path(__file__).parent / "corpus"
# The queries one batch costs, whatever the number of files in it: slugs, articles, desks,
# contributors (read and insert), credits, source candidates, new and filled sources,
# quotes, findings, the audit, and the savepoint around them.
BATCH_QUERIES = 20


def corpus_files(count: int) -> list[tuple[str, bytes]]:
    files = sorted(CORPUS.glob("*.txt"))
    return [(files[i % len(files)].name, files[i % len(files)].read_bytes()) for i in range(count)]


@pytest.fixture
def nairobi(db):
    return DeskFactory(name="Nairobi", slug="nairobi", language="en")


@pytest.fixture
def editor(db):
    return UserFactory(username="ed", role="Editor")


@pytest.mark.parametrize("count", [5, 50])
def test_a_batch_costs_a_constant_number_of_queries(nairobi, editor, count):
    with CaptureQueriesContext(connection) as counted:
        results = import_wire_batch(corpus_files(count), desk=nairobi, by=editor)

    assert [r.error for r in results if not r.ok] == []
    assert Article.objects.count() == count
    queries = len(counted.captured_queries)
    assert queries <= BATCH_QUERIES, "\n".join(q["sql"][:120] for q in counted.captured_queries)
    # per story: at most 4 for five files, well under one for fifty
    assert queries / count <= BATCH_QUERIES / 5


def test_a_second_batch_reuses_the_source_book_at_the_same_cost(nairobi, editor):
    import_wire_batch(corpus_files(13), desk=nairobi, by=editor)
    named = Source.objects.exclude(kind="unnamed").count()

    with CaptureQueriesContext(connection) as counted:
        results = import_wire_batch(corpus_files(26), desk=nairobi, by=editor)

    assert all(r.ok for r in results)
    assert len(counted.captured_queries) <= BATCH_QUERIES
    # the same stories again: their named sources are matched, not made again
    assert Source.objects.exclude(kind="unnamed").count() == named
    assert Article.objects.filter(desk=nairobi).values("slug").distinct().count() == 39


def test_a_bad_file_among_good_ones_leaves_nothing_and_the_others_are_saved(nairobi, editor):
    good = corpus_files(3)
    files = [good[0], ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00"), *good[1:]]

    results = import_wire_batch(files, desk=nairobi, by=editor)

    assert [r.ok for r in results] == [True, False, True, True]
    assert results[1].file == "photo.txt" and results[1].error
    assert Article.objects.count() == 3
    assert AuditEntry.objects.filter(action="import").count() == 3
    assert not AuditEntry.objects.filter(note__contains="photo.txt").exists()


def test_a_story_that_cannot_be_saved_falls_back_to_one_by_one(nairobi, editor):
    # Malformed sources fail after the batch's articles and credits were written: the
    # batch is rolled back and each story saved on its own.
    stories = [(name, parse_wire_text(data.decode(), file=name)) for name, data in corpus_files(3)]
    bad = {
        "headline": "Malformed story",
        "paragraphs": ["A paragraph."],
        "sources": [{"name": "Odd Person", "kind": "person", "aliases": 5}],
        "quotes": [{"text": "Never stored", "speaker": "Odd Person", "kind": "direct"}],
        "credits": [{"name": "Nobody Elsewhere", "role": "byline"}],
        "flags": [{"code": "title-conflict", "subject": "x", "message": "y"}],
    }
    stories.insert(1, ("bad.txt", bad))

    results = import_stories(stories, desk=nairobi, by=editor)

    assert [r.ok for r in results] == [True, False, True, True]
    assert "could not be saved (TypeError" in results[1].error
    assert Article.objects.count() == 3
    assert not Article.objects.filter(headline="Malformed story").exists()
    assert not Source.objects.filter(name="Odd Person").exists()
    assert not Attribution.objects.filter(text="Never stored").exists()
    assert not Contributor.objects.filter(name="Nobody Elsewhere").exists()
    assert AuditEntry.objects.filter(action="import").count() == 3
    assert not AuditFinding.objects.filter(subject="x").exists()


def _snapshot(results) -> dict:
    # What an import leaves, by file, in terms that do not depend on primary keys.
    stories = []
    for result in results:
        article = Article.objects.get(pk=result.article.pk)
        stories.append(
            {
                "file": result.file,
                "findings": result.findings,
                "counted": (result.quotes, result.credits),
                "slug": article.slug,
                "headline": article.headline,
                "body": article.body,
                "dateline": (article.dateline_place, article.dateline_date),
                "status": article.status,
                "credits": list(
                    Credit.objects.filter(article=article)
                    .order_by("order", "role")
                    .values_list("contributor__name", "contributor__desk__slug", "role", "place")
                ),
                "quotes": list(
                    Attribution.objects.filter(article=article)
                    .order_by("pk")
                    .values_list("text", "source__name", "source__kind", "kind", "paragraph")
                ),
                "open_findings": sorted(
                    AuditFinding.objects.filter(article=article).values_list(
                        "code", "subject", "status"
                    )
                ),
                "audit": list(
                    AuditEntry.objects.filter(article=article).values_list(
                        "action", "actor_name", "to_status", "note"
                    )
                ),
            }
        )
    sources = sorted(
        Source.objects.values_list("kind", "name", "title", "affiliation", "aliases"),
        key=repr,
    )
    contributors = sorted(Contributor.objects.values_list("name", "desk__slug"), key=repr)
    return {"stories": stories, "sources": sources, "contributors": contributors}


def test_a_batch_leaves_what_one_file_at_a_time_leaves(nairobi, editor):
    # The corpus twice over, so the second copies reuse sources and contributors made by
    # the first, inside the batch or by an earlier file.
    files = corpus_files(26)
    with transaction.atomic():
        batch = _snapshot(import_wire_batch(files, desk=nairobi, by=editor))
        transaction.set_rollback(True)
    assert not Article.objects.exists()

    one_by_one = _snapshot(
        [import_wire_bytes(data, file=name, desk=nairobi, by=editor) for name, data in files]
    )

    assert len(batch["stories"]) == 26
    assert any(story["quotes"] for story in batch["stories"])
    assert any(story["credits"] for story in batch["stories"])
    assert any(story["open_findings"] for story in batch["stories"])
    assert batch == one_by_one
    for story in batch["stories"]:
        assert story["counted"] == (len(story["quotes"]), len(story["credits"]))


def test_a_possible_match_made_in_the_same_batch_names_the_saved_source(nairobi, editor):
    def person(name: str, affiliation: str) -> dict:
        return {
            "headline": f"Story quoting {name}",
            "paragraphs": ["Lede."],
            "sources": [{"name": name, "kind": "person", "affiliation": affiliation}],
        }

    results = import_stories(
        [("a.txt", person("Joyce Karanja", "Red Cross")), ("b.txt", person("Paul Karanja", ""))],
        desk=nairobi,
        by=editor,
    )

    assert results[1].findings == ["possible-source-match"]
    joyce = Source.objects.get(name="Joyce Karanja")
    finding = AuditFinding.objects.get(article=results[1].article)
    assert f"#{joyce.pk} " in finding.message
