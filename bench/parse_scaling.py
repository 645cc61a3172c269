"""How wire-copy parse time grows with the size of one story.

    make bench-parse
    python -m bench.parse_scaling --sizes 10000 100000 1000000

Two kinds of attribution-dense copy, each parsed as one story at each size:
- ``corpus``: the body paragraphs of the project's labelled stories, repeated to the size
  (real wire sentences; speakers repeat as they do in real copy);
- ``unique``: made-up paragraphs in which every paragraph quotes a new person or
  institution with its own apposition (:mod:`bench.dense_copy`), the worst case for the
  entity indexes and for the reading of speaker phrases.

Each time is printed beside a baseline measured in the same run on the same text: a pass
that normalises the text, splits it into lines and finds the quoted spans, and beside the
process's CPU time for the parse. "growth" is the
time per character at the size over the time per character at the smallest size (1.0 is
linear). The last line is machine-readable.
"""

from __future__ import annotations

import argparse
import re
import time
import unicodedata
from pathlib import Path

from bench.dense_copy import dense_copy

QUOTED = re.compile(r"“[^”]*”?|\"[^\"]*\"?")
CORPUS = Path(__file__).resolve().parents[1] / "tests" / "ingest" / "corpus"


def corpus_copy(size: int) -> str:
    """``size`` characters of the labelled stories' body paragraphs, one story."""
    from wire.layout import split_story

    paragraphs = []
    for path in sorted(CORPUS.glob("*.txt")):
        paragraphs.extend(split_story(path.read_text(encoding="utf-8")).paragraphs)
    body = "\n".join(paragraphs)
    return "Wire copy for the parse benchmark\n" + (body * (size // len(body) + 1))[:size]


def _best(fn, rounds: int) -> tuple[float, float]:
    """The least wall-clock and the least CPU time (seconds) of ``rounds`` calls. On a
    loaded machine the CPU time is the closer figure to what a quiet one would show."""
    walls, cpus = [], []
    for _ in range(rounds):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - start_cpu)
    return min(walls), min(cpus)


def baseline(text: str) -> None:
    lines = [line.strip() for line in unicodedata.normalize("NFC", text).splitlines()]
    [QUOTED.findall(line) for line in lines]


def _cold(parse_wire_text):
    """A parse that starts with the name-reading caches empty, as a worker's first story."""
    from wire.coreference import _split_name
    from wire.speakers import _analyse
    from wire.spelling import _deletions
    from wire.words import clear_token_caches

    def run(text: str) -> None:
        _analyse.cache_clear()
        _split_name.cache_clear()
        _deletions.cache_clear()
        clear_token_caches()
        parse_wire_text(text)

    return run


def main() -> None:
    from wire.pipeline import parse_wire_text

    parse_cold = _cold(parse_wire_text)

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--rounds", type=int, default=3, help="runs per figure; the best counts")
    args = parser.parse_args()
    summary = {}
    for kind, make in (("corpus", corpus_copy), ("unique", dense_copy)):
        first = None
        for size in args.sizes:
            text = make(size)
            rounds = args.rounds
            parse, cpu = _best(lambda text=text: parse_cold(text), rounds)
            base, _ = _best(lambda text=text: baseline(text), rounds)
            per_char = parse / len(text)
            first = first or per_char
            print(
                f"{kind:6} {len(text):>9,} chars  parse {parse:7.3f} s (cpu {cpu:6.3f} s)"
                f"  baseline {base:6.4f} s"
                f"  ratio {parse / base:7.1f}  growth {per_char / first:4.2f}"
            )
            summary[f"{kind}_{size // 1000}k_s"] = f"{parse:.3f}"
            summary[f"{kind}_{size // 1000}k_cpu_s"] = f"{cpu:.3f}"
            summary[f"{kind}_growth"] = f"{per_char / first:.2f}"
    print("bench-parse: " + " ".join(f"{k}={v}" for k, v in summary.items()))


if __name__ == "__main__":
    main()
