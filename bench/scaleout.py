"""Scale-out benchmark: two web instances and two workers against one PostgreSQL and one Redis.

    make bench-scaleout                    # REDIS_URL required; DATABASE_URL's server used
    python -m bench.scaleout --endpoints 50 --settle 5

In a throwaway PostgreSQL database on DATABASE_URL's server, it starts the production stack
twice over on the loopback: two gunicorn instances (2 workers each, on two ports) and two
Celery worker processes, all sharing one PostgreSQL database and one Redis (cache and
broker). `--endpoints` partners each have a webhook endpoint on a local HTTP server. Then
one story is published through `articles.workflow.publish`, as the admin does, and it
measures:

1. feeds: the time from the publish commit until each instance serves the story in
   /feeds/rss/ (target: both within 2 s);
2. push: how many deliveries each endpoint received (target: every endpoint at least
   once, and, as nothing fails here, at most once), counted after the last one arrived
   and `--settle` more seconds for any duplicate; and the time from the commit to the last
   delivery received.

The last line is machine-readable:
`bench-scaleout: feeds_s=… deliveries_min=… deliveries_max=… push50_s=…`.

Its cache keys carry a prefix of their own, deleted at the end; every wait is bounded and
every process it starts is stopped, so it ends by itself.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections import Counter
from contextlib import ExitStack
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from bench import harness

THROWAWAY_DB = f"newsroom_bench_scaleout_{os.getpid()}"
PREFIX = "bench-scaleout"
FEED_TARGET_SECONDS = 2.0


class _Receiver(BaseHTTPRequestHandler):
    """Counts the deliveries to each path and when the last one arrived."""

    counts: Counter[str] = Counter()
    last_at = 0.0
    lock = threading.Lock()

    def do_POST(self) -> None:  # noqa: N802 - the http.server API
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with _Receiver.lock:
            _Receiver.counts[self.path] += 1
            _Receiver.last_at = time.perf_counter()
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args) -> None:
        pass


def start_worker(env: dict[str, str], name: str, log: Path, stack: ExitStack) -> None:
    """Start a Celery worker process named `name` (concurrency 1), its output in `log`;
    `stack` stops it."""
    output = stack.enter_context(log.open("w"))
    process = subprocess.Popen(
        [
            str(harness.BIN / "celery"),
            "-A",
            "newsroom",
            "worker",
            "--concurrency=1",
            f"--hostname={name}@%h",
            "--loglevel=WARNING",
        ],
        cwd=harness.ROOT,
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT,
    )
    stack.callback(harness.stop, process)


def tasks_per_worker() -> dict[str, int]:
    """How many tasks each worker has run, by worker name."""
    from newsroom.celery import app

    stats = app.control.inspect(timeout=2.0).stats() or {}
    return {
        name.split("@")[0]: sum(info.get("total", {}).values())
        for name, info in sorted(stats.items())
    }


def wait_for_workers(count: int) -> None:
    """Return once `count` workers answer a broadcast ping (60 s at most)."""
    from newsroom.celery import app

    harness.wait_for(
        lambda: len(app.control.ping(timeout=1.0) or []) >= count,
        f"{count} celery workers",
        PREFIX,
    )


def add_partners(count: int, port: int) -> None:
    """`count` partners, each with a webhook endpoint at http://127.0.0.1:`port`/partner-n,
    made through `create_partner` as the admin and the command make them."""
    from distribution.api.partners import create_partner

    for n in range(count):
        create_partner(f"Scale-out partner {n}", webhook_url=f"http://127.0.0.1:{port}/partner-{n}")


def publish_one() -> tuple[str, float]:
    """Publish one story through the workflow; its guid and the commit's perf_counter."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import transaction

    from articles import workflow
    from articles.models import Article, Desk

    desk, _ = Desk.objects.get_or_create(slug="bench-wire", defaults={"name": "Bench wire"})
    editor = get_user_model().objects.create(username="bench-editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    story = Article.objects.create(
        desk=desk,
        slug="bench-scaleout",
        headline="One story, two web instances, two workers",
        summary="Timed from the publish commit.",
        body="<p>Timed from the publish commit to the feeds and the partners.</p>",
    )
    committed: list[float] = []
    with transaction.atomic():
        # Registered first, so it runs first after the commit: the clock starts at the
        # commit, before the workflow's own after-commit hooks enqueue the work.
        transaction.on_commit(lambda: committed.append(time.perf_counter()))
        workflow.publish(story, by=editor)
    return story.guid, committed[0]


def watch_feeds(sites: list[str], guid: str, committed: float, timeout: float) -> list[float]:
    """Seconds from `committed` until each site's /feeds/rss/ holds `guid`."""
    import requests

    session = requests.Session()
    seen: dict[str, float] = {}
    deadline = time.monotonic() + timeout
    while len(seen) < len(sites) and time.monotonic() < deadline:
        for site in sites:
            if (
                site not in seen
                and guid.encode() in session.get(f"{site}/feeds/rss/", timeout=10).content
            ):
                seen[site] = time.perf_counter() - committed
        time.sleep(0.01)
    missing = [site for site in sites if site not in seen]
    if missing:
        raise SystemExit(f"{PREFIX}: {', '.join(missing)} did not serve the story in {timeout} s")
    return [seen[site] for site in sites]


def watch_deliveries(endpoints: int, timeout: float, settle: float) -> Counter[str]:
    """The deliveries per path once every endpoint has one (or `timeout` passed), plus
    `settle` seconds for duplicates."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with _Receiver.lock:
            if len(_Receiver.counts) >= endpoints:
                break
        time.sleep(0.01)
    time.sleep(settle)
    with _Receiver.lock:
        return Counter(_Receiver.counts)


def _forget_cache_keys(env: dict[str, str]) -> None:
    import redis

    client = redis.Redis.from_url(env["REDIS_CACHE_URL"])
    for key in client.scan_iter(match=f"{env['CACHE_KEY_PREFIX']}:*", count=500):
        client.delete(key)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--endpoints", type=int, default=50)
    parser.add_argument(
        "--settle", type=float, default=5.0, help="seconds to wait for duplicate deliveries"
    )
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds to wait at most")
    args = parser.parse_args(argv)
    if not os.environ.get("REDIS_URL"):
        print(
            f"{PREFIX}: set REDIS_URL (e.g. redis://127.0.0.1:6379/0): the instances and "
            "workers share the cache and broker through it."
        )
        return 2
    if not shutil.which("psql"):
        print(f"{PREFIX}: psql is not installed (the throwaway database is made with it)")
        return 2

    server = harness.server_of(
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    )
    receiver = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    with (
        harness.throwaway_database(THROWAWAY_DB, server) as database_url,
        ExitStack() as stack,
    ):
        stack.callback(receiver.server_close)
        stack.callback(receiver.shutdown)
        ports = [harness.free_port(), harness.free_port()]
        env = harness.environment(
            database_url, ports[0], CACHE_KEY_PREFIX=f"benchscaleout{os.getpid()}"
        )
        env.setdefault("REDIS_CACHE_URL", env["REDIS_URL"])
        harness.setup_django(env)
        stack.callback(_forget_cache_keys, env)
        from newsroom.celery import app

        app.control.purge()  # only this run's tasks
        add_partners(args.endpoints, receiver.server_address[1])

        sites = []
        for port in ports:
            served = {**env, "SITE_URL": f"http://127.0.0.1:{port}"}
            harness.start_gunicorn(served, port, stack, PREFIX)
            sites.append(served["SITE_URL"])
        logs = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-scaleout-")))
        for n in range(2):
            start_worker(env, f"bench-scaleout-{n}", logs / f"worker-{n}.log", stack)
        wait_for_workers(2)

        guid, committed = publish_one()
        feeds = watch_feeds(sites, guid, committed, args.timeout)
        counts = watch_deliveries(args.endpoints, args.timeout, args.settle)
        per_endpoint = [counts.get(f"/partner-{n}", 0) for n in range(args.endpoints)]
        push_seconds = _Receiver.last_at - committed if counts else float("nan")
        ran = tasks_per_worker()

        from distribution.models import Delivery

        recorded = Delivery.objects.filter(status=Delivery.Status.DELIVERED).count()
        print(
            f"\nScale-out on PostgreSQL and one Redis: 2 gunicorn instances (2 workers each), "
            f"2 Celery worker processes, {args.endpoints} webhook endpoints"
        )
        for site, seconds in zip(sites, feeds, strict=True):
            print(f"  {site}/feeds/rss/ serves the story {seconds:6.3f} s after the commit")
        print(
            f"  both instances: {max(feeds):.3f} s   "
            f"(target <= {FEED_TARGET_SECONDS:.0f} s: {'met' if max(feeds) <= 2 else 'NOT met'})"
        )
        print(
            f"  deliveries per endpoint: min {min(per_endpoint)}, max {max(per_endpoint)}   "
            f"(target 1 and 1), {sum(per_endpoint)} received, {recorded} recorded delivered"
        )
        print(f"  last delivery received {push_seconds:.3f} s after the commit")
        print("  tasks run per worker: " + ", ".join(f"{k} {v}" for k, v in ran.items()))
        print(
            f"{PREFIX}: feeds_s={max(feeds):.3f} deliveries_min={min(per_endpoint)} "
            f"deliveries_max={max(per_endpoint)} push50_s={push_seconds:.3f}"
        )
        harness.close_django_connections()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
