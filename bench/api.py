"""Partner API and push benchmark.

    make bench-api
    python -m bench.api --articles 100000 --seconds 10 --endpoints 500
    python -m bench.api --articles 10000 --depth 100   # a smaller run, reported as such

On PostgreSQL (DATABASE_URL's server, in a throwaway database it creates and drops) with
`--articles` published items, it serves the production stack on the loopback (gunicorn, 2
workers, DJANGO_DEBUG=0) and measures:

1. depth: latency of /api/v1/items/ page 1 and page `--depth` (1,000 by default; 50 items
   a page, reached by following the cursors), median of alternated requests, and their
   ratio (target ≤ 1.3: a deep page costs what the first costs);
2. rate: `wrk` (Debian's package; 2 threads, 16 connections) against /api/v1/items/ and
   against /livez, the bare Django view, on the same stack in the same run, alternated
   `--list-rounds` times (the mean of each, so drift on a shared machine hits both), and
   the ratio. The served stack uses Redis (REDIS_URL, and REDIS_CACHE_URL if set) as
   production does: the throttle, the key revision and the page cache live there;
3. push (`bench.push`, in its own process, on the same database once gunicorn is stopped):
   stories published through `articles.workflow.publish` to `--endpoints` (500) partners,
   each with a webhook endpoint on local receivers that verify the signature, through Redis
   (REDIS_URL) and a real Celery worker with 2 processes; the time from the commit to the
   last delivery recorded, the slowest of three publishes.

The last line is machine-readable: `bench-api: list_ratio=… deep_ratio=… push500_s=…`
(push500_s is `n/a` without REDIS_URL, or when `--endpoints` is not 500).

For speed the corpus is bulk-created: Article rows with status "published" and one
ArticleVersion each carrying a full ninjs item, written directly rather than through the
workflow (which would take an hour for 100,000 stories). The timed publish goes through the
real workflow. Every loop is bounded and every process it starts is stopped.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from contextlib import ExitStack
from datetime import timedelta

from bench import harness

THROWAWAY_DB = f"newsroom_bench_api_{os.getpid()}"
PAGE_SIZE = 50
PREFIX = "bench-api"
# No broker and no Redis cache in this process; the served stack and the push have both.
WITHOUT_REDIS = ("REDIS_URL", "REDIS_CACHE_URL")


def seed_items(count: int) -> None:
    """Bulk-create `count` published items with a stored ninjs version each."""
    from django.db import transaction
    from django.utils import timezone

    from articles.models import Desk

    desk, _ = Desk.objects.get_or_create(slug="bench-wire", defaults={"name": "Bench wire"})
    now = timezone.now()
    started = time.monotonic()
    for start in range(0, count, 5000):
        with transaction.atomic():
            harness.bulk_publish(
                desk,
                range(start, min(start + 5000, count)),
                published_at=lambda n: now - timedelta(seconds=count - n + 60),
                ninjs=_ninjs,
            )
    with transaction.atomic():
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"seeded {count:,} items (bulk-created) in {time.monotonic() - started:.0f} s")


def _ninjs(article) -> dict:
    stamp = article.version_created_at.isoformat().replace("+00:00", "Z")
    return {
        "uri": article.guid,
        "type": "text",
        "version": "1",
        "pubstatus": "usable",
        "urgency": 5,
        "language": "en",
        "slugline": article.slug,
        "headlines": [{"role": "main", "value": article.headline}],
        "firstcreated": stamp,
        "versioncreated": stamp,
        "by": "Bench Reporter",
        "located": "Washington",
        "descriptions": [{"role": "summary", "value": article.summary}],
        "bodies": [{"role": "main", "contenttype": "text/html", "value": article.body}],
        "subjects": [{"name": "Bench wire", "rel": "desk", "literal": "desk:bench-wire"}],
    }


def measure_rate(site: str, key: str, seconds: int, rounds: int) -> tuple[float, float]:
    """Mean rates (req/s) of /livez and of /api/v1/items/ page 1, measured alternately."""
    auth = [f"Authorization: Api-Key {key}"]
    bare, items = [], []
    for _ in range(rounds):
        bare.append(harness.wrk_rate(f"{site}/livez", seconds, prefix=PREFIX))
        items.append(
            harness.wrk_rate(
                f"{site}/api/v1/items/?page_size={PAGE_SIZE}", seconds, auth, prefix=PREFIX
            )
        )
    return statistics.mean(bare), statistics.mean(items)


def measure_depth(site: str, key: str, rounds: int, depth: int) -> tuple[float, float]:
    """Median latency (ms) of page 1 and of page `depth`, reached by following cursors."""
    import requests

    session = requests.Session()
    session.headers["Authorization"] = f"Api-Key {key}"
    first = f"{site}/api/v1/items/?page_size={PAGE_SIZE}"
    url = first
    for _ in range(depth - 1):
        response = session.get(url, timeout=30)
        response.raise_for_status()
        url = response.json()["next"]
        if url is None:
            raise SystemExit(f"bench-api: fewer than {depth:,} pages; seed more articles")
    deep = url
    timings: dict[str, list[float]] = {first: [], deep: []}
    for _ in range(rounds):
        for target in (first, deep):
            started = time.perf_counter()
            response = session.get(target, timeout=30)
            timings[target].append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200 and len(response.json()["results"]) == PAGE_SIZE
    return statistics.median(timings[first]), statistics.median(timings[deep])


def _forget_cache_keys(served: dict[str, str]) -> None:
    """Delete what the served stack left in the Redis cache (its keys carry the prefix)."""
    import redis

    client = redis.Redis.from_url(served["REDIS_CACHE_URL"])
    for name in client.scan_iter(match=f"{served['CACHE_KEY_PREFIX']}:*", count=1000):
        client.delete(name)


def measure_push(database_url: str, endpoints: int, redis: dict[str, str]) -> float | None:
    """Run `bench.push` on `database_url` with the Redis settings in `redis`; its figure
    (seconds from commit to the last of `endpoints` deliveries recorded), or None without
    Redis. Exits if the push benchmark fails."""
    if not redis.get("REDIS_URL"):
        print("bench-api: push not measured: it needs Redis as the broker (set REDIS_URL)")
        return None
    command = [
        sys.executable,
        "-m",
        "bench.push",
        "--endpoints",
        str(endpoints),
        "--database-url",
        database_url,
    ]
    env = {**os.environ, **redis}
    result = subprocess.run(
        command, cwd=harness.ROOT, env=env, capture_output=True, text=True, timeout=900
    )
    print(result.stdout.rstrip())
    lines = [line for line in result.stdout.splitlines() if line.startswith("bench-push:")]
    if result.returncode != 0 or not lines:
        raise SystemExit(f"{PREFIX}: the push benchmark failed:\n{result.stderr[-3000:]}")
    figures = dict(part.split("=", 1) for part in lines[-1].split()[1:])
    return float(figures["push_s"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=10, help="length of each wrk run")
    parser.add_argument("--rounds", type=int, default=50, help="timed requests per page")
    parser.add_argument("--endpoints", type=int, default=500)
    parser.add_argument("--depth", type=int, default=1000, help="the deep page's number")
    parser.add_argument(
        "--list-rounds", type=int, default=3, help="wrk runs per URL for the list rate"
    )
    args = parser.parse_args(argv)
    if args.depth < 2 or args.articles < args.depth * PAGE_SIZE:
        parser.error(
            f"--articles must be at least {args.depth * PAGE_SIZE:,} to have {args.depth:,} "
            "pages (--depth at least 2)"
        )
    if not shutil.which("wrk"):
        print("bench-api: wrk is not installed; on Debian: apt-get install -y wrk")
        return 2
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        print(
            "bench-api: set REDIS_URL (e.g. redis://127.0.0.1:6379/0): the served API keeps "
            "its throttle, key revision and page cache there, as in production."
        )
        return 2
    served_redis = {
        "REDIS_URL": redis_url,
        "REDIS_CACHE_URL": os.environ.get("REDIS_CACHE_URL") or redis_url,
        "CACHE_KEY_PREFIX": f"benchapi{os.getpid()}",
    }

    redis = {name: os.environ[name] for name in WITHOUT_REDIS if os.environ.get(name)}
    server = harness.server_of(
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    )
    with (
        harness.throwaway_database(THROWAWAY_DB, server) as database_url,
        ExitStack() as stack,
    ):
        port = harness.free_port()
        env = harness.environment(
            database_url, port, drop=WITHOUT_REDIS, PARTNER_THROTTLE_RATE="100000000/min"
        )
        site = env["SITE_URL"]
        harness.setup_django(env, unset=WITHOUT_REDIS)
        seed_items(args.articles)
        from distribution.api.partners import create_partner

        _, key = create_partner("Bench partner")
        stack.callback(_forget_cache_keys, served_redis)
        harness.start_gunicorn({**env, **served_redis}, port, stack, PREFIX)

        page_1, page_deep = measure_depth(site, key, args.rounds, args.depth)
        bare, items = measure_rate(site, key, args.seconds, args.list_rounds)
        stack.close()  # gunicorn: the push has the machine to itself
        push_seconds = measure_push(database_url, args.endpoints, redis)

        print(f"\nPartner API on PostgreSQL, {args.articles:,} items (bulk-created)")
        print(
            "gunicorn 2 workers, DJANGO_DEBUG=0, Redis, loopback; wrk -t2 -c16, "
            f"{args.list_rounds} alternated runs of {args.seconds} s per URL"
        )
        print(f"  items/ page 1      median {page_1:7.1f} ms  ({PAGE_SIZE} items)")
        print(f"  items/ page {args.depth:<6,} median {page_deep:7.1f} ms  (by cursor)")
        print(f"  page {args.depth:,} / page 1  {page_deep / page_1:7.2f}   (target <= 1.3)")
        print(f"  /livez (bare view)        {bare:7.0f} req/s")
        print(f"  items/ page 1             {items:7.0f} req/s  ({items / bare:.2f}x bare)")
        if push_seconds is not None:
            print(
                f"  push: 1 publish -> {args.endpoints} endpoints, commit to last delivery "
                f"recorded {push_seconds:.2f} s (worker --concurrency=2, slowest of 3)"
            )
        push500 = f"{push_seconds:.2f}" if push_seconds and args.endpoints == 500 else "n/a"
        # One line of the figures, for outside checks.
        print(
            f"bench-api: list_ratio={items / bare:.2f} deep_ratio={page_deep / page_1:.2f} "
            f"push500_s={push500}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
