"""Feed benchmark: serving rate against a bare Django view, and publish-to-feed latency.

    make bench-feeds                       # REDIS_URL required; DATABASE_URL optional
    python -m bench.feeds --articles 10000 --seconds 10 --stories 50

On PostgreSQL (DATABASE_URL, or a throwaway local database it creates and drops) with
`--articles` published stories, it runs the production stack on the loopback: gunicorn with
2 workers, Redis as cache and broker, and a real Celery worker. Then:

1. serving: `wrk` (Debian's package) against /feeds/rss/ and against /livez, the bare
   Django view, on the same stack in the same run; prints both rates and their ratio
   (target: at least 0.8);
2. freshness: publishes `--stories` stories through `articles.workflow.publish`, one at a
   time, and polls the served /feeds/rss/ until each appears; prints the median and 95th
   percentile time from the publish commit to the story being served (target: median
   under 1 s).

For speed the published corpus is bulk-created: Article rows with status "published" and
one ArticleVersion each, written directly rather than through the workflow (which would take
minutes for 10,000 stories). The 50 timed stories go through the real workflow.

Its cache keys carry a prefix of their own, deleted at the end; every wait is bounded and
every process it starts is stopped, so it ends by itself.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import statistics
import time
from contextlib import ExitStack
from datetime import timedelta

from bench import harness

THROWAWAY_DB = f"newsroom_bench_feeds_{os.getpid()}"
PREFIX = "bench-feeds"


def seed_published(count: int) -> int:
    """Bulk-create published stories on a bench desk until it holds `count`; returns how
    many were created. Rows are written directly (status, dates, version 1, one
    ArticleVersion each) for speed; see the module docstring."""
    from django.db import transaction
    from django.utils import timezone

    from articles.models import Article, Contributor, Credit, Desk

    desk, _ = Desk.objects.get_or_create(slug="bench-wire", defaults={"name": "Bench wire"})
    reporter, _ = Contributor.objects.get_or_create(name="Bench Reporter", desk=desk)
    have = Article.objects.filter(desk=desk).count()
    missing = max(0, count - have)
    now = timezone.now()
    for start in range(have, have + missing, 1000):
        stop = min(start + 1000, have + missing)
        with transaction.atomic():
            articles = harness.bulk_publish(
                desk,
                range(start, stop),
                published_at=lambda n: now - timedelta(minutes=count - n + 60),
                ninjs=lambda a: {"uri": a.guid},
            )
            Credit.objects.bulk_create(
                Credit(article=a, contributor=reporter, role=Credit.Role.BYLINE) for a in articles
            )
    return missing


def measure_serving(site: str, seconds: int, rounds: int) -> tuple[float, float]:
    """Mean rates of the feed and the bare view, measured alternately so drift hits both."""
    import feedparser
    import requests

    feed = requests.get(f"{site}/feeds/rss/", timeout=60)
    parsed = feedparser.parse(feed.content)
    if feed.status_code != 200 or parsed.bozo or len(parsed.entries) != 50:
        raise SystemExit(f"bench-feeds: /feeds/rss/ is not a 50-item feed ({feed.status_code})")
    print(f"feed: {len(feed.content) / 1024:.1f} KB, {len(parsed.entries)} items")
    bare, served = [], []
    for _ in range(rounds):
        bare.append(harness.wrk_rate(f"{site}/livez", seconds, prefix=PREFIX))
        served.append(harness.wrk_rate(f"{site}/feeds/rss/", seconds, prefix=PREFIX))
    return statistics.mean(bare), statistics.mean(served)


def measure_freshness(site: str, stories: int) -> list[float]:
    """Seconds from each publish's commit to its story in the served RSS feed."""
    import requests
    from django.db import transaction

    from articles import workflow
    from articles.models import Article, Desk

    desk = Desk.objects.get(slug="bench-wire")
    editor = workflow.system_editor()
    session = requests.Session()
    latencies = []
    run = secrets.token_hex(4)
    for n in range(stories):
        article = Article.objects.create(
            desk=desk,
            slug=f"fresh-{run}-{n}",
            headline=f"Fresh story {n} of run {run}",
            summary="Timed from commit to feed.",
            body="<p>Timed from the publish commit to the served feed.</p>",
        )
        committed: list[float] = []
        with transaction.atomic():
            # Registered first, so it runs first after the commit: the clock starts at the
            # commit, before the workflow's own after-commit hook enqueues the render.
            transaction.on_commit(lambda at=committed: at.append(time.perf_counter()))
            workflow.publish(article, by=editor, override_audit="benchmark copy")
        guid = article.guid.encode()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if guid in session.get(f"{site}/feeds/rss/", timeout=10).content:
                latencies.append(time.perf_counter() - committed[0])
                break
            time.sleep(0.005)
        else:
            raise SystemExit(f"bench-feeds: story {n} did not reach the feed within 30 s")
        time.sleep(0.05)
    return latencies


def _forget_cache_keys(env: dict[str, str]) -> None:
    import redis

    client = redis.Redis.from_url(env["REDIS_CACHE_URL"])
    for key in client.scan_iter(match=f"{env['CACHE_KEY_PREFIX']}:*", count=500):
        client.delete(key)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seconds", type=int, default=10, help="length of each wrk run")
    parser.add_argument("--rounds", type=int, default=2, help="wrk runs per URL, alternated")
    parser.add_argument("--stories", type=int, default=50, help="stories timed to the feed")
    args = parser.parse_args(argv)

    if not os.environ.get("REDIS_URL"):
        print(
            "bench-feeds: set REDIS_URL (e.g. redis://127.0.0.1:6379/0): gunicorn's two "
            "workers and the Celery worker share the cache and broker through it."
        )
        return 2
    if not shutil.which("wrk"):
        print("bench-feeds: wrk is not installed; on Debian: apt-get install -y wrk")
        return 2

    database_url = os.environ.get("DATABASE_URL", "")
    with ExitStack() as stack:
        if not database_url:
            database_url = stack.enter_context(harness.throwaway_database(THROWAWAY_DB))
        if not database_url.startswith(("postgres://", "postgresql://")):
            print("bench-feeds: DATABASE_URL must be PostgreSQL")
            return 2
        port = harness.free_port()
        env = harness.environment(
            database_url,
            port,
            CACHE_KEY_PREFIX=f"benchfeeds{os.getpid()}",
        )
        env.setdefault("REDIS_CACHE_URL", env["REDIS_URL"])
        harness.setup_django(env)
        stack.callback(_forget_cache_keys, env)

        started = time.perf_counter()
        created = seed_published(args.articles)
        print(
            f"corpus: {args.articles} published stories ({created} bulk-created in "
            f"{time.perf_counter() - started:.1f} s)"
        )

        harness.start_gunicorn(env, port, stack, PREFIX)
        harness.start_worker(env, stack, PREFIX)
        site = env["SITE_URL"]

        bare, served = measure_serving(site, args.seconds, args.rounds)
        print(f"bare Django view /livez: {bare:9.0f} requests/s")
        print(f"feed /feeds/rss/:        {served:9.0f} requests/s")
        print(f"ratio feed / bare:       {served / bare:9.2f}   (target >= 0.80)")

        latencies = sorted(measure_freshness(site, args.stories))
        median = statistics.median(latencies)
        p95 = latencies[max(0, round(0.95 * len(latencies)) - 1)]
        print(
            f"publish commit -> served feed, {len(latencies)} stories: "
            f"median {median * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
            f"max {latencies[-1] * 1000:.0f} ms   (target median < 1000 ms)"
        )
        harness.close_django_connections()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
