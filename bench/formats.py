"""Stories parsed per second in each agency format, against plain text in the same run.

    make bench-formats
    python -m bench.formats --rounds 5

The same stories (the project's labelled corpus) are written in every format: plain text,
NewsML-G2 (a newsItem with an XHTML body), NITF, ninjs 2.x, IPTC 7901, ANPA 1312 and NewsML
1.2. Each file goes the whole way an import takes it (`wire.pipeline.parse_wire_bytes_stories`:
detection, the format parser with its safe XML, and the attribution pipeline), so a ratio
is the cost of a format beside plain text (1.0 is as fast; below 1 slower). The last line
is machine-readable.
"""

from __future__ import annotations

import argparse
import json
import time
from html import escape
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "ingest" / "corpus"
G2 = "http://iptc.org/std/nar/2006-10-01/"


def _stories() -> list[tuple[str, str, list[str]]]:
    """(headline, dateline place, paragraphs) of each labelled story."""
    from wire.layout import split_story

    out = []
    for path in sorted(CORPUS.glob("*.txt")):
        layout = split_story(path.read_text(encoding="utf-8"))
        out.append((layout.headline or "Untitled", layout.dateline.place or "", layout.paragraphs))
    return out


def as_text(h: str, place: str, ps: list[str], n: int) -> bytes:
    lead = f"{place.upper()} — {ps[0]}" if place else ps[0]
    return "\n\n".join([h, lead, *ps[1:]]).encode()


def as_newsml_g2(h: str, place: str, ps: list[str], n: int) -> bytes:
    body = "".join(f"<p>{escape(p)}</p>" for p in ps)
    return (
        f'<newsItem xmlns="{G2}" guid="urn:bench:{n}" version="1"><itemMeta>'
        '<itemClass qcode="ninat:text"/><pubStatus qcode="stat:usable"/></itemMeta>'
        f"<contentMeta><urgency>4</urgency><headline>{escape(h)}</headline>"
        f"<dateline>{escape(place)}</dateline></contentMeta><contentSet>"
        '<inlineXML contenttype="application/xhtml+xml">'
        f'<html xmlns="http://www.w3.org/1999/xhtml"><body>{body}</body></html>'
        "</inlineXML></contentSet></newsItem>"
    ).encode()


def _nitf(h: str, place: str, ps: list[str], n: int) -> str:
    body = "".join(f"<p>{escape(p)}</p>" for p in ps)
    return (
        f'<nitf><head><docdata><doc-id id-string="bench-{n}"/><urgency ed-urg="4"/></docdata>'
        f"</head><body><body.head><hedline><hl1>{escape(h)}</hl1></hedline>"
        f"<dateline>{escape(place)}</dateline></body.head>"
        f"<body.content>{body}</body.content></body></nitf>"
    )


def as_nitf(h: str, place: str, ps: list[str], n: int) -> bytes:
    return _nitf(h, place, ps, n).encode()


def as_ninjs(h: str, place: str, ps: list[str], n: int) -> bytes:
    html = "".join(f"<p>{escape(p)}</p>" for p in ps)
    doc = {
        "uri": f"urn:bench:{n}",
        "version": "1",
        "pubstatus": "usable",
        "headlines": [{"role": "main", "value": h}],
        "located": place,
        "bodies": [{"role": "html", "contenttype": "text/html", "value": html}],
    }
    return json.dumps(doc, ensure_ascii=False).encode()


def as_iptc7901(h: str, place: str, ps: list[str], n: int) -> bytes:
    lead = f"{place} (XNA) - {ps[0]}" if place else ps[0]
    text = "\n\n".join([lead, *ps[1:]])
    head = f"\x01xna{n:04d} 4 vm 100  xna\n\nBench/\n"
    return f"{head}\x02{h} =\n\n{text}\n\n\x03141230 Mar 25\n\x04".encode()


def as_anpa1312(h: str, place: str, ps: list[str], n: int) -> bytes:
    lead = f"{place.upper()} (XNS) _ {ps[0]}" if place else ps[0]
    body = "".join(f"\t{p}<\r\n" for p in [lead, *ps[1:]])
    return (
        f"\x16\x16\x01a{n:04d}\x1fxnews\r\nr a\x13\x11 bc-bench  03-14 0100\r\n"
        f"\x02^BC-Bench,0100<\r\n^{h}<\r\n{body}\x03XNS-WS-03-14-25 1230GMT\r\n\x04"
    ).encode()


def as_newsml12(h: str, place: str, ps: list[str], n: int) -> bytes:
    return (
        f"<NewsML><NewsItem><Identification><NewsIdentifier><PublicIdentifier>urn:bench:{n}"
        "</PublicIdentifier><RevisionId>1</RevisionId></NewsIdentifier></Identification>"
        f"<NewsComponent><NewsLines><HeadLine>{escape(h)}</HeadLine><DateLine>{escape(place)}"
        f"</DateLine></NewsLines><ContentItem><DataContent>{_nitf(h, place, ps, n)}"
        "</DataContent></ContentItem></NewsComponent></NewsItem></NewsML>"
    ).encode()


FORMATS = {
    "text": as_text,
    "newsml_g2": as_newsml_g2,
    "nitf": as_nitf,
    "ninjs": as_ninjs,
    "iptc7901": as_iptc7901,
    "anpa1312": as_anpa1312,
    "newsml12": as_newsml12,
}


def main() -> None:
    from wire.pipeline import parse_wire_bytes_stories

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="runs per format; the best counts")
    parser.add_argument("--repeat", type=int, default=10, help="times the corpus is parsed a round")
    args = parser.parse_args()
    stories = _stories() * args.repeat
    files = {
        kind: [make(h, place, ps, n) for n, (h, place, ps) in enumerate(stories)]
        for kind, make in FORMATS.items()
    }
    # Warm the caches once, so that no format pays for the first parse of the run.
    for data in files["text"]:
        parse_wire_bytes_stories(data)
    rates = {}
    for kind, batch in files.items():
        best = float("inf")
        for _ in range(args.rounds):
            start = time.perf_counter()
            parsed = sum(len(parse_wire_bytes_stories(data)) for data in batch)
            best = min(best, time.perf_counter() - start)
        assert parsed == len(batch), f"{kind}: {parsed} stories from {len(batch)} files"
        rates[kind] = len(batch) / best
        print(
            f"{kind:10} {len(batch):4} stories  {best:7.3f} s  {rates[kind]:8.1f} stories/s"
            f"  ratio to text {rates[kind] / rates['text']:5.2f}"
        )
    ratios = " ".join(
        f"{kind}_ratio={rates[kind] / rates['text']:.2f}"
        for kind in ("newsml_g2", "nitf", "ninjs", "iptc7901")
    )
    print(f"bench-formats: text_per_s={rates['text']:.1f} {ratios}")


if __name__ == "__main__":
    main()
