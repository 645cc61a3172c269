"""Format parsers, table by table: detection by content, what each format maps, and the
edge cases (bare packages, descriptions-only items, unknown markup, encodings)."""

from __future__ import annotations

import pytest

from wire.formats import FormatError, detect_format, parse_items
from wire.pipeline import parse_item

G2 = "http://iptc.org/std/nar/2006-10-01/"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"Headline\n\nWASHINGTON \xe2\x80\x94 Copy.", "text"),
        (b"<?xml version='1.0'?><!-- x --><newsItem xmlns='" + G2.encode() + b"'/>", "newsml-g2"),
        (b"\xef\xbb\xbf  <newsMessage/>", "newsml-g2"),
        (b"<g2:packageItem xmlns:g2='" + G2.encode() + b"'/>", "newsml-g2"),
        (b'<!DOCTYPE nitf SYSTEM "nitf.dtd"><nitf/>', "nitf"),
        (b"<NewsML Version='1.2'/>", "newsml-1.2"),
        (b'  {"uri": "x"}', "ninjs"),
        (b'[{"uri": "x"}]', "ninjs"),
        (b"\x01bdt0001 3 pl 12\n\nKey/\n\x02Head =\n\nText.\n\x03", "iptc7901"),
        (b"\x16\x16\x01a0217\x1fxnews\r\nu a\x13\x11 bc-x  03-14 0001\r\n\x02", "anpa1312"),
        (b"<html><body><p>Hi</p></body></html>", "xml"),
    ],
)
def test_format_is_detected_by_content(data, expected):
    assert detect_format(data) == expected


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"<html><body><p>Not wire</p></body></html>", "root <html> is not a supported"),
        (b"<rss><channel/></rss>", "root <rss>"),
        (b'{"name": "not ninjs"}', "not a ninjs item"),
        (b'{"uri": "x"}', "no headline and no body"),
        (b"{not json", "not readable JSON"),
        (b"<nitf><body>", "not well-formed XML"),
        (b"\x01bdt0001 3 pl 12\n\nno text here\n", "no IPTC 7901 message"),
        (
            b"<newsItem xmlns='" + G2.encode() + b"'><itemMeta><itemClass qcode='ninat:picture'/>"
            b"</itemMeta></newsItem>",
            "holds no text item",
        ),
    ],
)
def test_what_cannot_be_read_is_refused_with_a_reason(data, reason):
    with pytest.raises(FormatError) as caught:
        parse_items(data)
    assert reason in caught.value.reason


def test_a_bare_package_gives_headline_and_summary_items():
    data = f"""<packageItem xmlns="{G2}" guid="pkg" version="2"><itemMeta>
      <pubStatus qcode="stat:usable"/></itemMeta><groupSet root="G"><group id="G">
      <itemRef residref="urn:a" version="3"><itemClass qcode="ninat:text"/>
        <title>Talks resume</title><description role="drol:summary">Both sides met.</description>
      </itemRef>
      <itemRef residref="urn:b"><itemClass qcode="ninat:picture"/><title>Photo</title></itemRef>
    </group></groupSet></packageItem>""".encode()
    (item,) = parse_items(data)
    assert (item.guid, item.version, item.headline, item.summary) == (
        "urn:a",
        3,
        "Talks resume",
        "Both sides met.",
    )
    assert item.paragraphs == []
    story = parse_item(item)
    assert story.layout.headline == "Talks resume"


def test_a_package_whose_items_are_in_the_message_adds_no_story():
    data = f"""<newsMessage xmlns="{G2}"><itemSet>
      <packageItem guid="pkg"><groupSet root="G"><group id="G">
        <itemRef residref="urn:a"><itemClass qcode="ninat:text"/><title>T</title></itemRef>
      </group></groupSet></packageItem>
      <newsItem guid="urn:a"><contentMeta><headline>Full story</headline></contentMeta>
        <contentSet><inlineXML><html xmlns="http://www.w3.org/1999/xhtml"><body>
        <p>One.</p></body></html></inlineXML></contentSet></newsItem>
    </itemSet></newsMessage>""".encode()
    items = parse_items(data)
    assert [(i.guid, i.headline, i.paragraphs) for i in items] == [
        ("urn:a", "Full story", ["One."])
    ]


def test_markup_never_becomes_body_text():
    data = f"""<newsItem xmlns="{G2}" guid="g"><contentMeta><headline>H</headline></contentMeta>
      <contentSet><inlineXML contenttype="application/xhtml+xml">
      <html xmlns="http://www.w3.org/1999/xhtml"><head><title>T</title></head><body>
      <figure><img src="x.jpg"/><figcaption>Caption</figcaption></figure>
      <p>First <b>bold</b> and <a href="#">linked</a> words.</p>
      <h2>A subhead</h2><p>&lt;script&gt;alert(1)&lt;/script&gt; Second.</p>
      <script>var x = 1;</script></body></html></inlineXML></contentSet></newsItem>""".encode()
    (item,) = parse_items(data)
    assert item.paragraphs == ["First bold and linked words.", "alert(1) Second."]
    assert item.subhead_positions == {1: "A subhead"}


def test_ninjs_descriptions_only_is_a_headline_and_summary_story():
    data = (
        b'{"uri": "u", "headlines": [{"role": "main", "value": "H"}],'
        b' "descriptions": [{"role": "summary", "value": "The summary."}]}'
    )
    (item,) = parse_items(data)
    assert (item.headline, item.summary, item.paragraphs) == ("H", "The summary.", [])


@pytest.mark.parametrize(
    ("doc", "status", "embargo"),
    [
        (b'{"uri": "u", "headline": "H", "pubstatus": "canceled"}', "canceled", None),
        (
            b'{"uri": "u", "headline": "H", "pubStatus": "withheld",'
            b' "embargoedUntil": "2025-03-15T01:00:00+01:00"}',
            "withheld",
            "2025-03-15T00:00:00+00:00",
        ),
        (
            b'{"uri": "u", "headline": "H", "embargoed": "2025-03-15T00:00:00Z"}',
            "usable",
            "2025-03-15T00:00:00+00:00",
        ),
    ],
)
def test_ninjs_status_and_embargo_in_each_generation(doc, status, embargo):
    (item,) = parse_items(doc)
    assert (item.pub_status, item.embargo) == (status, embargo)


def test_iptc7901_in_latin1_and_cp1252_is_decoded():
    message = "\x01ex0001 3 vm 5\n\nKey/\n\x02Müller grüßt =\n\nText – mit Strich.\n\x03141230 Mär 25\n\x04"
    (latin,) = parse_items(message.replace("–", "-").encode("iso-8859-1"))
    assert latin.headline == "Müller grüßt"
    (windows,) = parse_items(message.encode("cp1252"))
    assert windows.paragraphs == ["Text – mit Strich."]
    assert windows.first_created == "2025-03-14T12:30:00+00:00"


def test_a_7901_stream_yields_a_story_per_message_and_drops_the_notes():
    one = (
        "\x01a0001 2 pl 5\n\nK/\n\x02(Eil \x07\x07)\nFirst =\n\nBerlin (dpa) - Lead.\n\n"
        "# Notizblock\n\n## Kontakte\nnicht zur Veröffentlichung bestimmt\n- Tel 123\n\n"
        "dpa ab cd\n\x03251037 Sep 24\n\x04"
    )
    two = "\x01a0002 4 pl 5\n\nK/\n\x02Second =\n\nBody.\n\x03251040 Sep 24\n\x04"
    items = parse_items((one + two).encode())
    assert [(i.headline, i.urgency, i.paragraphs) for i in items] == [
        ("First", 2, ["Lead."]),
        ("Second", 4, ["Body."]),
    ]
    assert items[0].dateline.place == "Berlin"
    assert "Tel 123" not in (items[0].ed_note or "")


def test_nitf_kill_and_version():
    data = b"""<nitf><head><docdata management-status="canceled"><doc-id id-string="d1"/>
      <du-key key="k" version="3"/></docdata></head><body><body.head><hedline><hl1>H</hl1>
      </hedline></body.head><body.content><p>P</p></body.content></body></nitf>"""
    (item,) = parse_items(data)
    assert (item.guid, item.version, item.pub_status) == ("d1", 3, "canceled")


def test_structured_items_go_through_the_attribution_pipeline():
    data = (
        b'{"uri": "u", "headline": "Council vote", "body_text": "\xe2\x80\x9cWe need the'
        b' figures first,\xe2\x80\x9d said Mira Holt, who chairs the council."}'
    )
    (item,) = parse_items(data)
    story = parse_item(item)
    assert [q.speaker for q in story.quotes] == ["Mira Holt"]


def test_an_items_declared_language_is_taken_over_a_guess_from_its_copy():
    from wire.formats import IncomingItem
    from wire.pipeline import parse_item

    # Too short to tell a language by its words: a guess would read it as English and run
    # the English rules on it (and flag the quote as unattributed).
    item = IncomingItem(
        format="ninjs", headline="Kurz", paragraphs=['"Wir bleiben," hieß es.'], language="de-DE"
    )
    story = parse_item(item)
    assert (story.language, story.attribution) == ("de", "skipped: language de")
    assert story.findings == [] and story.quotes == []
    english = parse_item(
        IncomingItem(format="ninjs", headline="Short", paragraphs=['"We stay."'], language="en")
    )
    assert english.attribution == "ok"
