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
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from contextlib import ExitStack
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
THROWAWAY_DB = f"newsroom_bench_feeds_{os.getpid()}"


def _psql(sql: str) -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _environment(database_url: str, port: int) -> dict[str, str]:
    """Production settings on the loopback, shared by this process, gunicorn and Celery."""
    from cryptography.fernet import Fernet

    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DJANGO_DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        SOURCE_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        SECURE_SSL_REDIRECT="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL=f"http://127.0.0.1:{port}",
        CACHE_KEY_PREFIX=f"benchfeeds{os.getpid()}",
        LOG_LEVEL="WARNING",
    )
    env.setdefault("REDIS_CACHE_URL", env["REDIS_URL"])
    return env


def _setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def seed_published(count: int) -> int:
    """Bulk-create published stories on a bench desk until it holds `count`; returns how
    many were created. Rows are written directly (status, dates, version 1, one
    ArticleVersion each) for speed; see the module docstring."""
    from django.db import transaction
    from django.utils import timezone

    from articles.models import Article, ArticleVersion, Contributor, Credit, Desk

    desk, _ = Desk.objects.get_or_create(slug="bench-wire", defaults={"name": "Bench wire"})
    reporter, _ = Contributor.objects.get_or_create(name="Bench Reporter", desk=desk)
    have = Article.objects.filter(desk=desk).count()
    missing = max(0, count - have)
    now = timezone.now()
    sentence = "A benchmark paragraph, about as long as a paragraph of wire copy runs."
    body = "".join(f"<p>{n}. {sentence}</p>" for n in range(8))
    for start in range(have, have + missing, 1000):
        stop = min(start + 1000, have + missing)
        with transaction.atomic():
            articles = Article.objects.bulk_create(
                Article(
                    slug=f"bench-{n}",
                    headline=f"Benchmark story {n} moves on the wire",
                    summary="A benchmark story's summary.",
                    body=body,
                    desk=desk,
                    language="en",
                    status=Article.Status.PUBLISHED,
                    published_at=now - timedelta(minutes=count - n + 60),
                    version_created_at=now - timedelta(minutes=count - n + 60),
                    version=1,
                )
                for n in range(start, stop)
            )
            ArticleVersion.objects.bulk_create(
                ArticleVersion(
                    article=a,
                    number=1,
                    event=ArticleVersion.Event.PUBLISH,
                    headline=a.headline,
                    body=a.body,
                    ninjs={"uri": a.guid},
                    html="",
                    created_at=a.version_created_at,
                )
                for a in articles
            )
            Credit.objects.bulk_create(
                Credit(article=a, contributor=reporter, role=Credit.Role.BYLINE) for a in articles
            )
    return missing


def _wait_for(check, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except Exception:  # noqa: BLE001 - not up yet; keep polling until the deadline
            pass
        time.sleep(0.2)
    raise SystemExit(f"bench-feeds: {what} did not come up within {timeout:.0f} s")


def start_gunicorn(env: dict[str, str], port: int, stack: ExitStack) -> None:
    import requests

    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "newsroom.wsgi:application",
            "--workers=2",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )
    stack.callback(_stop, process)
    _wait_for(lambda: requests.get(f"{env['SITE_URL']}/livez", timeout=2).ok, "gunicorn")


def start_worker(env: dict[str, str], stack: ExitStack) -> None:
    process = subprocess.Popen(
        [str(BIN / "celery"), "-A", "newsroom", "worker", "--concurrency=1", "--loglevel=WARNING"],
        cwd=ROOT,
        env=env,
    )
    stack.callback(_stop, process)
    from newsroom.celery import ping

    _wait_for(lambda: ping.delay("bench").get(timeout=5)["payload"] == "bench", "celery worker")


def _stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def wrk_rate(url: str, seconds: int) -> float:
    """Requests per second wrk reaches against `url` (2 threads, 16 connections)."""
    output = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{seconds}s", url],
        check=True,
        capture_output=True,
        text=True,
        timeout=seconds + 30,
    ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors:
        raise SystemExit(f"bench-feeds: {url} answered {errors.group(1)} errors:\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


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
        bare.append(wrk_rate(f"{site}/livez", seconds))
        served.append(wrk_rate(f"{site}/feeds/rss/", seconds))
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
            _psql(f"CREATE DATABASE {THROWAWAY_DB}")
            stack.callback(_psql, f"DROP DATABASE IF EXISTS {THROWAWAY_DB} WITH (FORCE)")
            database_url = f"postgres://postgres@127.0.0.1:5432/{THROWAWAY_DB}"
        if not database_url.startswith(("postgres://", "postgresql://")):
            print("bench-feeds: DATABASE_URL must be PostgreSQL")
            return 2
        port = _free_port()
        env = _environment(database_url, port)
        _setup_django(env)
        stack.callback(_forget_cache_keys, env)

        started = time.perf_counter()
        created = seed_published(args.articles)
        print(
            f"corpus: {args.articles} published stories ({created} bulk-created in "
            f"{time.perf_counter() - started:.1f} s)"
        )

        start_gunicorn(env, port, stack)
        start_worker(env, stack)
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
        from django.db import connections

        connections.close_all()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
