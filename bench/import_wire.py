"""Wire-import benchmark: stories per second for the dry-run parse and the saving import.

    make bench-import            # PostgreSQL: a throwaway database on DATABASE_URL's server
    python -m bench.import_wire --stories 2000 --corpus DIR

The corpus (the project's labelled stories by default) is repeated to --stories texts. Each
figure is printed beside a baseline measured in the same run, on the same machine, so the
ratio holds when the machine's speed drifts:
- parse: against a pass that only normalises and splits the same texts into lines;
- saving import: end to end as `import_wire` runs it (read the files, decode, parse, save
  in batches through `ingest.services.import_wire_batch`, each batch committed), against
  saving one bare Article per story, one transaction each.
It also prints the database queries the saving import makes per story, and ends with one
machine-readable line:
`bench-import: save_per_s=… save_ratio=… parse_per_s=… queries_per_story=…`.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import time
import unicodedata
from contextlib import ExitStack
from pathlib import Path

from bench import harness

BENCH_DB = "newsroom_bench_import"
QUOTED = re.compile(r"“[^”]*”?|\"[^\"]*\"?")


def _files(corpus: Path, count: int) -> list[Path]:
    files = sorted(corpus.glob("*.txt"))
    if not files:
        raise SystemExit(f"no .txt stories in {corpus}")
    return [files[i % len(files)] for i in range(count)]


def _rate(count: int, seconds: float) -> float:
    return count / seconds if seconds else float("inf")


def bench_parse(texts: list[tuple[str, str]], rounds: int) -> tuple[float, float]:
    from wire.pipeline import parse_wire_text

    def baseline() -> None:
        # The least any importer must do: normalise, split lines, find the quoted spans.
        for _, text in texts:
            lines = [line.strip() for line in unicodedata.normalize("NFC", text).splitlines()]
            [QUOTED.findall(line) for line in lines]

    def parse() -> None:
        for name, text in texts:
            parse_wire_text(text, file=name)

    base, real = [], []
    for _ in range(rounds):
        for fn, sink in ((baseline, base), (parse, real)):
            start = time.perf_counter()
            fn()
            sink.append(time.perf_counter() - start)
    return _rate(len(texts), statistics.median(real)), _rate(len(texts), statistics.median(base))


def bench_save(files: list[Path]) -> tuple[float, float, float]:
    """Stories per second for the saving import and for the bare insert, and the queries
    per saved story; both write to the same, empty database."""
    from django.db import connection, transaction

    from articles import workflow
    from articles.models import Article, Desk
    from ingest.services import BATCH_SIZE, import_wire_batch

    desk, _ = Desk.objects.get_or_create(slug="bench", defaults={"name": "Bench desk"})
    by = workflow.system_editor()
    headlines = [f.name for f in files]

    start = time.perf_counter()
    for i, headline in enumerate(headlines):
        with transaction.atomic():
            Article.objects.create(desk=desk, slug=f"bare-{i}", headline=headline)
    bare = time.perf_counter() - start

    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    # End to end as `import_wire` runs it: read the files, decode, parse, save in batches,
    # each batch committed.
    with connection.execute_wrapper(count):
        start = time.perf_counter()
        for first in range(0, len(files), BATCH_SIZE):
            chunk = [(f.name, f.read_bytes()) for f in files[first : first + BATCH_SIZE]]
            for result in import_wire_batch(chunk, desk=desk, by=by):
                if not result.ok:
                    raise SystemExit(f"{result.file}: {result.error}")
        real = time.perf_counter() - start
    return _rate(len(files), real), _rate(len(files), bare), queries / len(files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3, help="parse passes; the median counts")
    parser.add_argument("--corpus", type=Path, default=harness.ROOT / "tests" / "ingest" / "corpus")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    args = parser.parse_args()
    # A database of its own, on the server DATABASE_URL names (else the local one), named
    # after DATABASE_URL's so that runs for different databases do not drop each other's.
    database_url = args.database_url or f"{harness.LOCAL_SERVER}/postgres"
    name = f"{database_url.rsplit('/', 1)[1].split('?')[0]}_{BENCH_DB}"
    with ExitStack() as stack:
        database_url = stack.enter_context(
            harness.throwaway_database(name, harness.server_of(database_url), replace=True)
        )
        settings_module = os.environ.get("DJANGO_SETTINGS_MODULE", "newsroom.settings")
        harness.setup_django(
            {"DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": settings_module}
        )
        files = _files(args.corpus, args.stories)
        texts = [(f.name, f.read_text(encoding="utf-8")) for f in files]

        parse_rate, base_rate = bench_parse(texts, args.rounds)
        print(f"corpus: {args.corpus} repeated to {len(texts)} stories")
        print(
            f"dry-run parse      {parse_rate:9.1f} stories/s   baseline (split+quote scan) "
            f"{base_rate:9.1f}/s   ratio {parse_rate / base_rate:.4f}"
        )
        save_rate, bare_rate, per_story = bench_save(files)
        print(
            f"saving import (PG) {save_rate:9.1f} stories/s   baseline (bare article insert) "
            f"{bare_rate:9.1f}/s   ratio {save_rate / bare_rate:.3f}"
        )
        print(f"queries per saved story: {per_story:.2f}")
        print(
            f"bench-import: save_per_s={save_rate:.1f} save_ratio={save_rate / bare_rate:.3f} "
            f"parse_per_s={parse_rate:.1f} queries_per_story={per_story:.2f}"
        )


if __name__ == "__main__":
    main()
