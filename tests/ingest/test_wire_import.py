"""Saving imported wire copy: drafts with sources, quotes, credits and findings, all or nothing."""

from __future__ import annotations

import pytest

from articles.credits import credit_line
from articles.models import Article, AuditEntry, Contributor, Credit
from ingest.services import import_story, save_wire_story, unique_slug
from sources.models import Attribution, AuditFinding, Source
from tests.factories import ArticleFactory, DeskFactory, SourceFactory
from wire.pipeline import parse_wire_text


def story(**overrides) -> dict:
    base = {
        "file": "levy.txt",
        "headline": "Kenya approves drought levy on bottled water",
        "dateline": {"place": "Nairobi, Kenya", "date": "2026-03-03"},
        "subheads": ["The money"],
        "subhead_positions": {"2": "The money"},
        "paragraphs": [
            "Lawmakers approved a levy on bottled water.",
            "“For the first time, the people who can afford it will pay,” said Joyce Karanja, "
            "chair of the budget committee.",
            "“Every shilling will be published,” according to a statement from the authority.",
            "<script>alert('x')</script> is how one reader wrote in.",
        ],
        "sources": [
            {
                "name": "Joyce Karanja",
                "kind": "person",
                "title": "chair",
                "affiliation": "budget committee",
                "aliases": ["Karanja"],
            },
            {"name": "Arid Lands Water Authority", "kind": "organization"},
            {"name": "senior official", "kind": "unnamed"},
        ],
        "quotes": [
            {
                "text": "For the first time, the people who can afford it will pay",
                "speaker": "Joyce Karanja",
                "kind": "direct",
                "paragraph": 1,
            },
            {
                "text": "Every shilling will be published",
                "speaker": "Arid Lands Water Authority",
                "kind": "direct",
                "paragraph": 2,
            },
        ],
        "credits": [
            {"name": "Amina Diallo", "role": "byline"},
            {"name": "Brian Otieno", "role": "contributor", "desk": "VOA", "place": "Marsabit"},
        ],
        "flags": [{"code": "title-conflict", "subject": "Karanja", "message": "Two titles."}],
    }
    base.update(overrides)
    return base


@pytest.fixture
def nairobi(db):
    return DeskFactory(name="Nairobi", slug="nairobi", language="en")


def test_a_story_becomes_a_draft_with_its_parts(nairobi, editor):
    article = save_wire_story(story(), desk=nairobi, by=editor, file="levy.txt")

    assert article.status == Article.Status.DRAFT
    assert article.slug == "kenya-approves-drought-levy-on-bottled"
    assert article.dateline_place == "Nairobi, Kenya"
    assert str(article.dateline_date) == "2026-03-03"
    assert article.body.index("<h2>The money</h2>") < article.body.index("Every shilling")
    # copy that looks like markup stays text
    assert "<script>" not in article.body and "&lt;script&gt;" in article.body

    quotes = list(article.attributions.select_related("source").order_by("paragraph"))
    assert [(q.paragraph, q.source.name) for q in quotes] == [
        (1, "Joyce Karanja"),
        (2, "Arid Lands Water Authority"),
    ]
    credits = list(article.credits.select_related("contributor"))
    assert [(c.contributor.name, c.role, c.desk_label, c.place) for c in credits] == [
        ("Amina Diallo", "byline", "", ""),
        ("Brian Otieno", "contributor", "VOA", "from Marsabit"),
    ]
    assert credit_line(credits) == "VOA's Brian Otieno contributed to this report from Marsabit."
    finding = article.findings.get()
    assert (finding.code, finding.subject, finding.status) == ("title-conflict", "Karanja", "open")
    assert AuditEntry.objects.filter(article=article, action="import").exists()


def test_parsed_copy_keeps_its_dateline_out_of_the_body(nairobi, editor):
    parsed = parse_wire_text(
        "Kenya approves drought levy\n"
        "NAIROBI, Kenya, March 3, 2026 (VOA) — Lawmakers approved a levy on bottled water.\n"
        "The money goes to boreholes in the north.\n"
        "VOA's Brian Otieno contributed to this report from Marsabit.\n",
        file="levy.txt",
    )

    article = save_wire_story(parsed, desk=nairobi, by=editor, file="levy.txt")

    assert (article.dateline_place, str(article.dateline_date)) == ("Nairobi, Kenya", "2026-03-03")
    assert article.body.startswith("<p>Lawmakers approved")
    assert "NAIROBI" not in article.body and "Nairobi" not in article.body
    assert credit_line(article.credits.all()) == (
        "VOA's Brian Otieno contributed to this report from Marsabit."
    )


def test_a_known_source_is_reused_and_enriched(nairobi, editor):
    known = SourceFactory(name="Joyce Karanja", title="", affiliation="budget committee")

    article = save_wire_story(story(), desk=nairobi, by=editor)

    quote = article.attributions.get(paragraph=1)
    assert quote.source_id == known.pk
    known.refresh_from_db()
    assert known.title == "chair" and "Karanja" in known.aliases
    assert not article.findings.filter(code="possible-source-match").exists()


def test_a_possible_match_is_offered_never_merged(nairobi, editor):
    other = SourceFactory(name="Peter Karanja", affiliation="Treasury")

    article = save_wire_story(story(), desk=nairobi, by=editor)

    quote = article.attributions.get(paragraph=1)
    assert quote.source_id != other.pk
    assert Source.objects.filter(name="Joyce Karanja").count() == 1
    finding = article.findings.get(code="possible-source-match")
    assert f"#{other.pk}" in finding.message and "Peter Karanja" in finding.message


def test_the_same_surname_at_another_affiliation_is_not_the_same_person(nairobi, editor):
    SourceFactory(name="Joyce Karanja", affiliation="Kenya Red Cross")

    article = save_wire_story(story(), desk=nairobi, by=editor)

    assert Source.objects.filter(name="Joyce Karanja").count() == 2
    assert article.findings.filter(code="possible-source-match").exists()


def test_a_failed_save_leaves_nothing_behind(nairobi, editor):
    # Malformed sources fail after the article and its credits were written.
    bad = story(sources=[{"name": "Joyce Karanja", "kind": "person", "aliases": 5}])

    with pytest.raises(TypeError):
        save_wire_story(bad, desk=nairobi, by=editor)

    assert not Article.objects.exists()
    assert not Attribution.objects.exists()
    assert not Source.objects.exists()
    assert not Contributor.objects.exists()
    assert not AuditFinding.objects.exists()


def test_import_story_reports_a_failure_and_the_next_file_goes_on(nairobi, editor):
    failed = import_story(
        story(sources=[{"name": "Joyce Karanja", "kind": "person", "aliases": 5}]),
        desk=nairobi,
        by=editor,
        file="bad.txt",
    )
    imported = import_story(story(), desk=nairobi, by=editor, file="good.txt")

    assert not failed.ok and "could not be saved" in failed.error
    assert "bad.txt: FAILED" in failed.summary()
    assert imported.ok and imported.findings == ["title-conflict"]
    assert Article.objects.count() == 1


def test_publish_on_import_leaves_a_story_with_open_findings_as_a_draft(nairobi, editor):
    result = import_story(story(), desk=nairobi, by=editor, file="x.txt", publish=True)

    assert result.ok and not result.published
    assert "open attribution finding" in result.note
    assert Article.objects.get().status == Article.Status.DRAFT


def test_publish_on_import_publishes_clean_copy_as_the_system_editor(nairobi, editor):
    result = import_story(story(flags=[]), desk=nairobi, by=editor, file="x.txt", publish=True)

    article = Article.objects.get()
    assert result.published and article.status == Article.Status.PUBLISHED
    entry = AuditEntry.objects.get(article=article, action="publish")
    assert entry.actor_name == "system-editor"


def test_slugs_stay_unique_per_desk(nairobi):
    ArticleFactory(desk=nairobi, slug="kenya-approves-drought-levy")
    ArticleFactory(desk=nairobi, slug="kenya-approves-drought-levy-2")

    assert (
        unique_slug(nairobi, "Kenya approves drought levy", "x") == "kenya-approves-drought-levy-3"
    )


def test_contributors_are_reused_across_stories(nairobi, editor):
    save_wire_story(story(), desk=nairobi, by=editor)
    save_wire_story(story(), desk=nairobi, by=editor)

    assert Contributor.objects.filter(name="Amina Diallo").count() == 1
    assert Credit.objects.filter(contributor__name="Amina Diallo").count() == 2


def test_saving_costs_a_bounded_number_of_queries(nairobi, editor, django_assert_max_num_queries):
    save_wire_story(story(), desk=nairobi, by=editor)  # warm: contributors and sources exist
    many = story(
        sources=[
            {
                "name": f"Person Number{i}",
                "kind": "person",
                "title": "analyst",
                "affiliation": "Institute",
            }
            for i in range(12)
        ],
        quotes=[
            {"text": f"Quote {i}", "speaker": f"Person Number{i}", "kind": "direct", "paragraph": 1}
            for i in range(12)
        ],
    )
    # twelve new sources in one insert, like everything else
    with django_assert_max_num_queries(14):
        save_wire_story(many, desk=nairobi, by=editor)
