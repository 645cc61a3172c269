"""Every agency sample that holds a text story, against its labelled gold: headline, body
(paragraph count, first and last paragraph), byline, dateline, subjects, pubStatus,
embargo, guid, version, urgency and signals; one test per sample."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from wire.formats import detect_format, parse_items

HERE = Path(__file__).resolve().parent
SHARED_SAMPLES = HERE.parents[2].parent / "shared" / "samples"
OWN_SAMPLES = HERE / "samples"
GOLD = HERE / "gold"


def sample_bytes(gold: dict) -> bytes:
    """The bytes of the sample a gold file labels: ``sample`` under ../shared/samples, or
    ``own`` in this folder. Without ../shared the test skips, except under CI=true."""
    if "own" in gold:
        return (OWN_SAMPLES / gold["own"]).read_bytes()
    path = SHARED_SAMPLES / gold["sample"]
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs the shared sample {path}, and it is missing")
        pytest.skip(f"no shared sample at {path}")
    return path.read_bytes()


GOLDS = sorted(GOLD.glob("*.gold.json"))
SKIPPED = {".xsd", ".md"}


def _gold(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _story(item) -> dict:
    return {
        "guid": item.guid,
        "version": item.version,
        "headline": item.headline,
        "paragraph_count": len(item.paragraphs),
        "first_paragraph": item.paragraphs[0][:60] if item.paragraphs else None,
        "last_paragraph": item.paragraphs[-1][:60] if item.paragraphs else None,
        "byline": [c.name for c in item.credits if c.role == "byline"],
        "dateline": item.dateline.place,
        "subjects": [s.code or s.name for s in item.subjects],
        "pub_status": item.pub_status,
        "embargo": item.embargo,
        "urgency": item.urgency,
        "signals": item.signals,
    }


@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.name.removesuffix(".gold.json"))
def test_sample_matches_its_gold(gold_path: Path):
    gold = _gold(gold_path)
    data = sample_bytes(gold)
    assert detect_format(data) == gold["format"]
    items = parse_items(data)
    assert [_story(item) for item in items] == gold["stories"]
    for item in items:
        # Markup never becomes body text.
        assert not any("<" in p and ">" in p for p in item.paragraphs)


def test_every_shared_sample_with_a_story_has_a_gold():
    if not SHARED_SAMPLES.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs the shared samples at {SHARED_SAMPLES}, and they are missing")
        pytest.skip("no ../shared/samples")
    labelled = {_gold(p).get("sample") for p in GOLDS}
    stories = {
        str(p.relative_to(SHARED_SAMPLES))
        for p in SHARED_SAMPLES.glob("*/*")
        if p.suffix not in SKIPPED
        and "schema" not in p.name
        and not p.name.startswith(("LICENSE", "NOTICE"))
    }
    assert stories - labelled == set()
