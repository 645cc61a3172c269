"""Feed benchmark: serving rate against a bare Django view, 2,000 distinct feeds within
bounded memory, and publish-to-feed latency.

    make bench-feeds                       # REDIS_URL required; DATABASE_URL optional
    python -m bench.feeds --articles 10000 --seconds 10 --stories 50

On PostgreSQL (DATABASE_URL, or a throwaway local database it creates and drops) with
`--articles` published stories, it runs the production stack on the loopback: gunicorn with
2 workers, Redis as cache and broker, and a real Celery worker. Then:

1. serving: `wrk` (Debian's package) against /feeds/rss/ and against /livez, the bare
   Django view, on the same stack; three runs, each measuring both (in alternating order,
   so drift hits both), and the median of the three ratios (target: at least 0.88);
2. distinct feeds: 2,001 feeds, everything and 300 desks, 300 topics and 66 languages in
   three formats each (rendered on their first request), served round-robin by `wrk` to
   readers that ask for gzip, as feed readers do (feedparser sends "Accept-Encoding: gzip,
   deflate"); it reads each gunicorn worker's resident memory (VmRSS in
   /proc/<pid>/status) while and after they are served and checks that the largest stays
   under FEED_MEMORY_BYTES + 80 MB;
3. freshness: publishes `--stories` stories through `articles.workflow.publish`, one at a
   time, and polls the served /feeds/rss/ until each appears; prints the median and 95th
   percentile time from the publish commit to the story being served (target: median
   under 1 s).

It ends with one line for outside checks:
`bench-feeds: feed_ratio=<median ratio> rss_per_s=<median /feeds/rss/ rate>
process_mb=<largest worker VmRSS, MB>`; it also prints whether the largest worker, and its
growth while serving, stayed under FEED_MEMORY_BYTES + 80 MB.

For speed the published corpus is bulk-created: Article rows with status "published" and
one ArticleVersion each, written directly rather than through the workflow (which would take
minutes for 10,000 stories); the 12,000 stories of the distinct feeds likewise, each version
recording the feeds it went out to. The timed stories go through the real workflow.

Its cache keys carry a prefix of their own, deleted at the end; every wait is bounded and
every process it starts is stopped, so it ends by itself.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import shutil
import statistics
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from datetime import timedelta
from itertools import product

from bench import harness

THROWAWAY_DB = f"newsroom_bench_feeds_{os.getpid()}"
PREFIX = "bench-feeds"
# The distinct feeds: everything, and these many desks, topics and languages, in 3 formats
# ((1 + 300 + 300 + 66) x 3 = 2,001 feeds). Each desk has STORIES_PER_DESK stories, each
# topic as many, each language up to FEED_MAX_ITEMS: about 85 MB of text in all, more
# than the default FEED_MEMORY_BYTES; a worker holds what gzip readers are sent, the
# bodies compressed.
DESKS, TOPICS, LANGUAGES, STORIES_PER_DESK = 300, 300, 66, 40
# What a web process may hold besides its feed bodies (the bound).
PROCESS_ALLOWANCE_BYTES = 80 * 1024 * 1024
MB = 1024 * 1024
# What a feed reader sends (feedparser's own header).
GZIP_READER = ("Accept-Encoding: gzip, deflate",)


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


def seed_scopes() -> int:
    """Bulk-create DESKS desks ("bench-desk-000", ...), TOPICS topics and the stories of
    the distinct feeds, unless an earlier run left them; returns how many stories were
    created. Desk d writes in language `language_tag(d % LANGUAGES)`; its story n is on
    topic n % TOPICS; each version records the feeds it went out to. They are older than
    every story of the bench wire, so /feeds/rss/ is the same with or without them."""
    from django.db import transaction
    from django.utils import timezone

    from articles.models import Article, Desk, Topic

    total = DESKS * STORIES_PER_DESK
    if Article.objects.filter(desk__slug__startswith="bench-desk-").count() == total:
        return 0
    now = timezone.now()
    with transaction.atomic():
        Article.objects.filter(desk__slug__startswith="bench-desk-").delete()
        topics = [
            Topic.objects.get_or_create(
                slug=f"bench-topic-{t:03d}", defaults={"name": f"Bench topic {t:03d}"}
            )[0]
            for t in range(TOPICS)
        ]
        for d in range(DESKS):
            language = language_tag(d % LANGUAGES)
            desk, _ = Desk.objects.update_or_create(
                slug=f"bench-desk-{d:03d}",
                defaults={"name": f"Bench desk {d:03d}", "language": language},
            )
            first = 1_000_000 + d * STORIES_PER_DESK
            articles = harness.bulk_publish(
                desk,
                range(first, first + STORIES_PER_DESK),
                published_at=lambda n: now - timedelta(days=30, minutes=n - 1_000_000),
                ninjs=lambda a: {"uri": a.guid},
                language=language,
                feeds=lambda a, d=desk, lang=language: [
                    "all",
                    f"desk:{d.slug}",
                    f"topic:{topics[int(a.slug.rsplit('-', 1)[1]) % TOPICS].slug}",
                    f"lang:{lang}",
                ],
            )
            Article.topics.through.objects.bulk_create(
                Article.topics.through(
                    article_id=a.pk, topic_id=topics[int(a.slug.rsplit("-", 1)[1]) % TOPICS].pk
                )
                for a in articles
            )
    return total


def language_tag(n: int) -> str:
    """The n-th language of the distinct feeds: BCP 47's private-use codes qaa, qab, ..."""
    return "q" + "abcdefghijklmnopqrst"[n // 26] + "abcdefghijklmnopqrstuvwxyz"[n % 26]


def distinct_feed_paths() -> list[str]:
    """The paths of the 2,001 distinct feeds, interleaved so that neighbours differ."""
    scopes = ["/feeds/"]
    scopes += [f"/feeds/desk/bench-desk-{d:03d}/" for d in range(DESKS)]
    scopes += [f"/feeds/topic/bench-topic-{t:03d}/" for t in range(TOPICS)]
    scopes += [f"/feeds/lang/{language_tag(n)}/" for n in range(LANGUAGES)]
    return [f"{scope}{fmt}/" for fmt, scope in product(("rss", "atom", "json"), scopes)]


def measure_serving(site: str, seconds: int, runs: int) -> list[tuple[float, float]]:
    """(bare rate, feed rate) of each of `runs` runs; each run measures both, in an order
    that alternates from run to run, so drift hits both."""
    import feedparser
    import requests

    feed = requests.get(f"{site}/feeds/rss/", timeout=60)
    parsed = feedparser.parse(feed.content)
    if feed.status_code != 200 or parsed.bozo or len(parsed.entries) != 50:
        raise SystemExit(f"bench-feeds: /feeds/rss/ is not a 50-item feed ({feed.status_code})")
    print(f"feed: {len(feed.content) / 1024:.1f} KB, {len(parsed.entries)} items")
    pairs = []
    for run in range(runs):
        rates = {}
        for path in ("/livez", "/feeds/rss/")[:: 1 if run % 2 == 0 else -1]:
            rates[path] = harness.wrk_rate(f"{site}{path}", seconds, prefix=PREFIX)
        bare, served = rates["/livez"], rates["/feeds/rss/"]
        print(
            f"run {run + 1}: /livez {bare:7.0f} requests/s, /feeds/rss/ {served:7.0f} "
            f"requests/s, ratio {served / bare:.2f}",
            flush=True,
        )
        pairs.append((bare, served))
    return pairs


def warm_distinct_feeds(site: str, paths: list[str], *, plain: bool) -> tuple[float, float]:
    """Request each feed once (a miss renders its scope's three formats in a web worker);
    returns the bytes of the feeds' text and the bytes sent (gzip-compressed, unless
    `plain`: asked for without compression). Exits if one is not a 200."""
    import requests

    def fetch(path: str) -> tuple[int, int]:
        # requests asks for gzip, as feed readers do, and decompresses the body.
        headers = {"Accept-Encoding": "identity"} if plain else None
        response = requests.get(f"{site}{path}", headers=headers, timeout=60)
        if response.status_code != 200:
            raise SystemExit(f"bench-feeds: {path} answered {response.status_code}")
        return len(response.content), int(response.headers["Content-Length"])

    with ThreadPoolExecutor(max_workers=4) as pool:
        sizes = list(pool.map(fetch, paths))
    return float(sum(text for text, _ in sizes)), float(sum(sent for _, sent in sizes))


def round_robin_script(paths: list[str], folder: str) -> str:
    """A wrk Lua script requesting `paths` in turn (each wrk thread from its own start)."""
    table = ",\n".join(f'  "{path}"' for path in paths)
    script = os.path.join(folder, "distinct-feeds.lua")
    with open(script, "w") as out:
        out.write(
            f"local paths = {{\n{table}\n}}\n"
            "local next_thread = 0\n"
            "function setup(thread)\n"
            "  thread:set('start', next_thread * 997)\n"
            "  next_thread = next_thread + 1\n"
            "end\n"
            "local i = nil\n"
            "function request()\n"
            "  if i == nil then i = start or 0 end\n"
            "  i = i % #paths + 1\n"
            "  return wrk.format('GET', paths[i])\n"
            "end\n"
        )
    return script


def measure_distinct(
    site: str, master: int, seconds: int, *, plain: bool = False
) -> tuple[float, dict[int, int]]:
    """Serve the distinct feeds round-robin for `seconds`, to gzip readers (or, `plain`,
    to clients that take no compression); returns the rate and the largest VmRSS in bytes
    of each worker of gunicorn's `master`, sampled every 0.2 s during the run and once
    after."""
    paths = distinct_feed_paths()
    started = time.perf_counter()
    text, sent = warm_distinct_feeds(site, paths, plain=plain)
    print(
        f"distinct feeds: {len(paths)} feeds, {text / MB:.0f} MB of text, {sent / MB:.0f} MB "
        f"sent ({'uncompressed' if plain else 'gzip'}), rendered and fetched once in "
        f"{time.perf_counter() - started:.0f} s"
    )
    largest: dict[int, int] = {}
    done = threading.Event()

    def sample() -> None:
        while True:
            for pid in harness.child_pids(master):
                # A worker may end between the listing and the read.
                with contextlib.suppress(OSError):
                    largest[pid] = max(largest.get(pid, 0), harness.resident_bytes(pid))
            if done.wait(0.2):
                return

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        with tempfile.TemporaryDirectory() as folder:
            script = round_robin_script(paths, folder)
            rate = harness.wrk_rate(
                f"{site}/feeds/rss/",
                seconds,
                () if plain else GZIP_READER,
                prefix=PREFIX,
                script=script,
            )
    finally:
        done.set()
        sampler.join()
    return rate, largest


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
    parser.add_argument("--runs", type=int, default=3, help="runs of the ratio (median)")
    parser.add_argument("--stories", type=int, default=50, help="stories timed to the feed")
    parser.add_argument(
        "--plain",
        action="store_true",
        help="serve the distinct feeds to clients that take no compression (the worst case "
        "for memory: each process keeps the text)",
    )
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

        from django.conf import settings

        started = time.perf_counter()
        created = seed_published(args.articles)
        created_scoped = seed_scopes()
        print(
            f"corpus: {args.articles} published stories and {DESKS * STORIES_PER_DESK} on "
            f"{DESKS} desks ({created + created_scoped} bulk-created in "
            f"{time.perf_counter() - started:.1f} s)"
        )

        gunicorn = harness.start_gunicorn(env, port, stack, PREFIX)
        at_start = {pid: harness.resident_bytes(pid) for pid in harness.child_pids(gunicorn.pid)}
        harness.start_worker(env, stack, PREFIX)
        site = env["SITE_URL"]

        pairs = measure_serving(site, args.seconds, args.runs)
        ratio = statistics.median(served / bare for bare, served in pairs)
        rss_rate = statistics.median(served for _, served in pairs)
        bare_rate = statistics.median(bare for bare, _ in pairs)
        print(f"bare Django view /livez:  {bare_rate:9.0f} requests/s (median)")
        print(f"feed /feeds/rss/:         {rss_rate:9.0f} requests/s (median)")
        print(f"ratio feed / bare:        {ratio:9.2f}   (median of {len(pairs)}; target >= 0.88)")
        gzip_rate = harness.wrk_rate(f"{site}/feeds/rss/", args.seconds, GZIP_READER, prefix=PREFIX)
        print(
            f"feed /feeds/rss/ to gzip readers: {gzip_rate:9.0f} requests/s, "
            f"{gzip_rate / bare_rate:.2f} x the bare view (one run)"
        )

        distinct_rate, resident = measure_distinct(
            site, gunicorn.pid, args.seconds, plain=args.plain
        )
        bound = settings.FEED_MEMORY_BYTES + PROCESS_ALLOWANCE_BYTES
        print(f"distinct feeds served round-robin: {distinct_rate:9.0f} requests/s")
        for pid, size in sorted(resident.items()):
            start = at_start.get(pid)
            grew = f", {(size - start) / MB:.1f} MB more than at start" if start else ""
            print(
                f"web worker {pid}: VmRSS {start / MB if start else 0:.1f} MB at start, up "
                f"to {size / MB:.1f} MB serving the distinct feeds{grew}; peak (VmHWM) "
                f"{harness.resident_bytes(pid, 'VmHWM') / MB:.1f} MB"
            )
        process_mb = max(resident.values()) / MB
        grown = max(size - at_start.get(pid, size) for pid, size in resident.items())
        # A worker holds about 95 MB of loaded code and libraries before it serves
        # anything, so the absolute figure is reported beside the growth serving caused.
        print(
            f"largest worker: {process_mb:.1f} MB, bound FEED_MEMORY_BYTES + 80 MB = "
            f"{bound / MB:.0f} MB: {'within' if process_mb * MB < bound else 'OVER'}; "
            f"largest growth while serving: {grown / MB:.1f} MB: "
            f"{'within' if grown < bound else 'OVER'} the same bound"
        )

        latencies = sorted(measure_freshness(site, args.stories))
        median = statistics.median(latencies)
        p95 = latencies[max(0, round(0.95 * len(latencies)) - 1)]
        print(
            f"publish commit -> served feed, {len(latencies)} stories: "
            f"median {median * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
            f"max {latencies[-1] * 1000:.0f} ms   (target median < 1000 ms)"
        )
        harness.close_django_connections()
    print(
        f"bench-feeds: feed_ratio={ratio:.2f} rss_per_s={rss_rate:.0f} process_mb={process_mb:.1f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
