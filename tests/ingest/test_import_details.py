"""The import stores and shows what the parser gives: the credit line with the place the
contributor reported from, affiliations as parsed, a dateline date, and (once sent) a
summary made from the lede."""

from __future__ import annotations

from datetime import UTC, date, datetime

import feedparser
import pytest
import time_machine
from django.test import Client

from articles import workflow
from articles.credits import credit_line
from ingest.services import save_wire_story
from sources.models import Source
from tests.factories import DeskFactory
from wire.pipeline import parse_wire_text

pytestmark = pytest.mark.django_db

COPY = """Kenya approves drought levy on bottled water

By Amina Diallo

NAIROBI, Kenya (VOA) — Kenyan lawmakers on Tuesday approved a levy on bottled water.

Critics are not convinced. Peter Njoroge, a senior fellow at the Horn Policy Institute in \
Nairobi, said Kenya had set up similar funds before.

“A levy is only as good as the maintenance plan behind it,” Njoroge told VOA.

VOA’s Brian Otieno contributed to this report from Marsabit.
"""
LEDE = "Kenyan lawmakers on Tuesday approved a levy on bottled water."
IMPORTED = datetime(2026, 11, 30, 9, 15, tzinfo=UTC)


@pytest.fixture
def imported(editor):
    nairobi = DeskFactory(name="Nairobi", slug="nairobi", language="en")
    with time_machine.travel(IMPORTED, tick=False):
        parsed = parse_wire_text(COPY, file="levy.txt")
        return save_wire_story(parsed, desk=nairobi, by=editor, file="levy.txt")


def test_the_credit_line_keeps_the_place_reported_from(imported):
    credits = imported.credits.select_related("contributor")
    assert credit_line(credits) == "VOA's Brian Otieno contributed to this report from Marsabit."


def test_an_affiliation_is_stored_without_its_trailing_place(imported):
    source = Source.objects.get(name="Peter Njoroge")
    assert (source.title, source.affiliation) == ("senior fellow", "Horn Policy Institute")


def test_copy_without_a_dated_dateline_takes_the_day_it_came_in(imported):
    assert imported.dateline_place == "Nairobi, Kenya"
    assert imported.dateline_date == date(2026, 11, 30)


def test_a_dateline_that_prints_its_date_keeps_it(editor):
    nairobi = DeskFactory(name="Nairobi", slug="nairobi", language="en")
    dated = COPY.replace("NAIROBI, Kenya (VOA)", "NAIROBI, Kenya, March 3, 2026 (VOA)")
    with time_machine.travel(IMPORTED, tick=False):
        article = save_wire_story(parse_wire_text(dated, file="l.txt"), desk=nairobi, by=editor)
    assert article.dateline_date == date(2026, 3, 3)


def test_a_sent_import_shows_its_dateline_credit_and_a_summary_from_the_lede(imported, editor):
    imported.findings.update(status="resolved")
    workflow.publish(imported, by=editor, override_audit="Checked by the desk.")

    version = imported.versions.get()
    assert (version.summary, version.summary_generated) == (LEDE, True)
    for fmt in ("rss", "atom"):
        [entry] = feedparser.parse(Client().get(f"/feeds/{fmt}/").content).entries
        assert entry.summary == LEDE, fmt
        assert entry.content[0].value.startswith(
            f"<p><strong>NAIROBI, KENYA, NOVEMBER 30</strong> — {LEDE}</p>"
        ), fmt
    page = Client().get(f"/stories/{imported.slug}/").content.decode()
    assert '<p class="dateline">Nairobi, Kenya, November 30 —</p>' in page
    assert "contributed to this report from Marsabit." in page
