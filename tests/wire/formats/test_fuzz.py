"""Each parser driven with mutated samples (truncated, re-encoded, random bytes inside
tags, bytes flipped): it either returns items that meet the IncomingItem contract or
raises FormatError, never anything else."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wire.formats import PUB_STATUSES, FormatError, IncomingItem, Subject, parse_items
from wire.model import CREDIT_ROLES, Credit, Dateline
from wire.pipeline import parse_item

OWN = Path(__file__).resolve().parent / "samples"
SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "samples"
TAG = re.compile(r"</?[A-Za-z!?][^<>]*>")


def _seed(name: str, fallback: str) -> bytes:
    shared = SHARED / name
    return shared.read_bytes() if shared.exists() else (OWN / fallback).read_bytes()


SEEDS = {
    "newsml-g2": _seed("newsml-g2/eil.xml", "message-two-items-newsml-g2.xml"),
    "nitf": _seed("nitf/NTB_nitf_sample.xml", "embargoed-nitf.xml"),
    "ninjs": _seed("ninjs/dpa_text.json", "withheld-ninjs-2.json"),
    "iptc7901": (OWN / "stream-latin1.iptc").read_bytes(),
    "anpa1312": (OWN / "stream-anpa1312.anpa").read_bytes(),
    "newsml-1.2": _seed("newsml-1.2/afp.com_newsml1.2_sample.xml", "embargoed-nitf.xml"),
}


def _text(value: object, *, optional: bool = True) -> None:
    if value is None and optional:
        return
    assert isinstance(value, str) and value == value.strip() and value
    assert not TAG.search(value), value
    assert not any(ord(c) < 32 for c in value), value


def assert_contract(item: IncomingItem) -> None:
    """What every parser promises about an item it returns."""
    assert isinstance(item, IncomingItem)
    if item.format == "text":
        # Plain text keeps the copy as filed for the layout stage.
        assert isinstance(item.body_text, str) and item.body_text.strip()
        return
    for value in (item.guid, item.headline, item.summary, item.language, item.slugline):
        _text(value)
    assert isinstance(item.version, int) and item.version >= 1
    assert isinstance(item.dateline, Dateline)
    _text(item.dateline.place)
    assert item.headline or item.paragraphs
    for paragraph in item.paragraphs:
        _text(paragraph, optional=False)
    assert all(0 <= k < len(item.paragraphs) for k in item.subhead_positions)
    for subhead in item.subhead_positions.values():
        _text(subhead, optional=False)
    assert all(isinstance(c, Credit) and c.role in CREDIT_ROLES for c in item.credits)
    for credit in item.credits:
        _text(credit.name, optional=False)
    assert item.urgency is None or 1 <= item.urgency <= 9
    assert all(isinstance(s, Subject) and (s.code or s.name) for s in item.subjects)
    assert all(isinstance(k, str) and k for k in item.keywords)
    assert item.pub_status in PUB_STATUSES
    assert item.embargo is None or item.embargo.endswith("+00:00")
    assert set(item.signals) <= {"correction", "update", "writethru"}


def _check(data: bytes, kind: str | None = None) -> None:
    try:
        items = parse_items(data, format=kind)
    except FormatError as exc:
        assert isinstance(exc.reason, str) and exc.reason
        return
    assert items
    for item in items:
        assert_contract(item)
    parse_item(items[0])  # the pipeline takes whatever a parser returns


def _mutate(seed: bytes, data: st.DataObject) -> bytes:
    how = data.draw(st.sampled_from(["truncate", "insert", "flip", "reencode", "tag"]))
    if how == "truncate":
        return seed[: data.draw(st.integers(0, len(seed)))]
    if how == "reencode":
        encoding = data.draw(st.sampled_from(["utf-16", "latin-1", "cp1252", "utf-32"]))
        return seed.decode("utf-8", "replace").encode(encoding, "replace")
    if how == "tag":
        # Random bytes inside a tag: just after a "<".
        starts = [m.start() for m in re.finditer(rb"<", seed)] or [0]
        at = data.draw(st.sampled_from(starts)) + 1
        return seed[:at] + data.draw(st.binary(min_size=1, max_size=12)) + seed[at:]
    at = data.draw(st.integers(0, max(len(seed) - 1, 0)))
    if how == "insert":
        return seed[:at] + data.draw(st.binary(min_size=1, max_size=24)) + seed[at:]
    count = data.draw(st.integers(1, 8))
    out = bytearray(seed)
    for _ in range(count):
        spot = data.draw(st.integers(0, max(len(out) - 1, 0)))
        if out:
            out[spot] = data.draw(st.integers(0, 255))
    return bytes(out)


FUZZ = settings(
    max_examples=40,
    deadline=2000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)


@FUZZ
@given(kind=st.sampled_from(sorted(SEEDS)), data=st.data())
def test_mutated_samples_meet_the_contract_or_raise_format_error(kind, data):
    mutated = _mutate(SEEDS[kind], data)
    _check(mutated)  # detection as a channel would do it
    _check(mutated, kind)  # and the parser forced, as a push channel's declared type


@FUZZ
@given(kind=st.sampled_from(sorted(SEEDS)), junk=st.binary(max_size=200))
def test_random_bytes_given_to_each_parser(kind, junk):
    _check(junk, kind)


def test_every_seed_parses_cleanly():
    for kind, seed in SEEDS.items():
        for item in parse_items(seed, format=kind):
            assert_contract(item)
