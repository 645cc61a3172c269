"""Partner API and push benchmark.

    make bench-api
    python -m bench.api --articles 100000 --seconds 10 --endpoints 50

On PostgreSQL (DATABASE_URL's server, in a throwaway database it creates and drops) with
`--articles` published items, it serves the production stack on the loopback (gunicorn, 2
workers, DJANGO_DEBUG=0) and measures:

1. depth: latency of /api/v1/items/ page 1 and page 1,000 (50 items a page, reached by
   following the cursors), median of alternated requests, and their ratio (target ≤ 1.3:
   a deep page costs what the first costs);
2. rate: `wrk` (Debian's package; 2 threads, 16 connections) against /api/v1/items/ and
   against /livez, the bare Django view, on the same stack in the same run, and the ratio;
3. push: one story published through `articles.workflow.publish` to 50 partners, each with
   a webhook endpoint on a local HTTP server; the time from the publish to all 50 deliveries
   signed, sent and recorded (tasks run in this process, one attempt after another).

For speed the corpus is bulk-created: Article rows with status "published" and one
ArticleVersion each carrying a full ninjs item, written directly rather than through the
workflow (which would take an hour for 100,000 stories). The timed publish goes through the
real workflow. Every loop is bounded and every process it starts is stopped.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from contextlib import ExitStack
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
THROWAWAY_DB = f"newsroom_bench_api_{os.getpid()}"
PAGE_SIZE = 50


def _psql(sql: str) -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _environment(database_url: str, port: int) -> dict[str, str]:
    """Production settings on the loopback; no broker, so push runs in this process."""
    from cryptography.fernet import Fernet

    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "REDIS_CACHE_URL")}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DJANGO_DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        SOURCE_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        SECURE_SSL_REDIRECT="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL=f"http://127.0.0.1:{port}",
        PARTNER_THROTTLE_RATE="100000000/min",
        LOG_LEVEL="WARNING",
    )
    return env


def _setup_django(env: dict[str, str]) -> None:
    for name in ("REDIS_URL", "REDIS_CACHE_URL"):
        os.environ.pop(name, None)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def seed_items(count: int) -> None:
    """Bulk-create `count` published items with a stored ninjs version each."""
    from django.db import transaction
    from django.utils import timezone

    from articles.models import Article, ArticleVersion, Desk

    desk, _ = Desk.objects.get_or_create(slug="bench-wire", defaults={"name": "Bench wire"})
    now = timezone.now()
    sentence = "A benchmark paragraph, about as long as a paragraph of wire copy runs."
    body = "".join(f"<p>{n}. {sentence}</p>" for n in range(8))
    started = time.monotonic()
    for start in range(0, count, 5000):
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
                    published_at=now - timedelta(seconds=count - n + 60),
                    version_created_at=now - timedelta(seconds=count - n + 60),
                    version=1,
                )
                for n in range(start, min(start + 5000, count))
            )
            ArticleVersion.objects.bulk_create(
                ArticleVersion(
                    article=a,
                    number=1,
                    event=ArticleVersion.Event.PUBLISH,
                    headline=a.headline,
                    body=a.body,
                    ninjs=_ninjs(a),
                    html="",
                    created_at=a.version_created_at,
                )
                for a in articles
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


def _wait_for(check, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except Exception:  # noqa: BLE001 - not up yet; keep polling until the deadline
            pass
        time.sleep(0.2)
    raise SystemExit(f"bench-api: {what} did not come up within {timeout:.0f} s")


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


def _stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def measure_depth(site: str, key: str, rounds: int) -> tuple[float, float]:
    """Median latency (ms) of page 1 and of page 1,000, reached by following cursors."""
    import requests

    session = requests.Session()
    session.headers["Authorization"] = f"Api-Key {key}"
    first = f"{site}/api/v1/items/?page_size={PAGE_SIZE}"
    url = first
    for _ in range(999):
        response = session.get(url, timeout=30)
        response.raise_for_status()
        url = response.json()["next"]
        if url is None:
            raise SystemExit("bench-api: fewer than 1,000 pages; seed more articles")
    deep = url
    timings: dict[str, list[float]] = {first: [], deep: []}
    for _ in range(rounds):
        for target in (first, deep):
            started = time.perf_counter()
            response = session.get(target, timeout=30)
            timings[target].append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200 and len(response.json()["results"]) == PAGE_SIZE
    return statistics.median(timings[first]), statistics.median(timings[deep])


def wrk_rate(url: str, seconds: int, headers: list[str] = ()) -> float:
    """Requests per second wrk reaches against `url` (2 threads, 16 connections)."""
    command = ["wrk", "-t2", "-c16", f"-d{seconds}s"]
    for header in headers:
        command += ["-H", header]
    output = subprocess.run(
        [*command, url], check=True, capture_output=True, text=True, timeout=seconds + 30
    ).stdout
    for line in output.splitlines():
        if line.startswith("Non-2xx"):
            raise SystemExit(f"bench-api: errors from {url}: {line}")
        if line.startswith("Requests/sec:"):
            return float(line.split()[1])
    raise SystemExit(f"bench-api: could not read wrk's output:\n{output}")


class _Receiver(BaseHTTPRequestHandler):
    received = 0
    lock = threading.Lock()

    def do_POST(self) -> None:  # noqa: N802 - the http.server API
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with _Receiver.lock:
            _Receiver.received += 1
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args) -> None:
        pass


def measure_push(endpoints: int) -> tuple[float, int]:
    """Seconds from one publish to `endpoints` recorded deliveries, and how many arrived."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from articles import workflow
    from articles.models import Article, Desk
    from distribution.api.partners import create_partner
    from distribution.models import Delivery, WebhookEndpoint

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        for n in range(endpoints):
            partner, _ = create_partner(f"Push partner {n}")
            WebhookEndpoint.objects.create(
                partner=partner, url=f"http://127.0.0.1:{port}/partner-{n}"
            )
        editor = get_user_model().objects.create(username="bench-editor", is_staff=True)
        editor.groups.add(Group.objects.get(name="Editor"))
        story = Article.objects.create(
            desk=Desk.objects.get(slug="bench-wire"),
            slug="bench-push",
            headline="One story to fifty partners",
            body="<p>Pushed.</p>",
        )
        started = time.perf_counter()
        workflow.publish(story, by=editor)
        elapsed = time.perf_counter() - started
        done = Delivery.objects.filter(status=Delivery.Status.DELIVERED).count()
        return elapsed, done
    finally:
        server.shutdown()
        server.server_close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=10, help="length of each wrk run")
    parser.add_argument("--rounds", type=int, default=50, help="timed requests per page")
    parser.add_argument("--endpoints", type=int, default=50)
    args = parser.parse_args(argv)
    if args.articles < 1000 * PAGE_SIZE:
        parser.error(f"--articles must be at least {1000 * PAGE_SIZE:,} to have 1,000 pages")
    if not shutil.which("wrk"):
        print("bench-api: wrk is not installed; on Debian: apt-get install -y wrk")
        return 2

    server = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    database_url = server.rsplit("/", 1)[0] + f"/{THROWAWAY_DB}"
    _psql(f"CREATE DATABASE {THROWAWAY_DB}")
    port = _free_port()
    env = _environment(database_url, port)
    site = env["SITE_URL"]
    try:
        with ExitStack() as stack:
            _setup_django(env)
            seed_items(args.articles)
            from distribution.api.partners import create_partner

            _, key = create_partner("Bench partner")
            start_gunicorn(env, port, stack)

            page_1, page_1000 = measure_depth(site, key, args.rounds)
            auth = [f"Authorization: Api-Key {key}"]
            bare = wrk_rate(f"{site}/livez", args.seconds)
            items = wrk_rate(f"{site}/api/v1/items/?page_size={PAGE_SIZE}", args.seconds, auth)
            push_seconds, delivered = measure_push(args.endpoints)

            print(f"\nPartner API on PostgreSQL, {args.articles:,} items (bulk-created)")
            print("gunicorn 2 workers, DJANGO_DEBUG=0, loopback; wrk -t2 -c16")
            print(f"  items/ page 1      median {page_1:7.1f} ms  ({PAGE_SIZE} items)")
            print(f"  items/ page 1,000  median {page_1000:7.1f} ms  (by cursor)")
            print(f"  page 1,000 / page 1       {page_1000 / page_1:7.2f}   (target <= 1.3)")
            print(f"  /livez (bare view)        {bare:7.0f} req/s")
            print(f"  items/ page 1             {items:7.0f} req/s  ({items / bare:.2f}x bare)")
            print(
                f"  push: 1 publish -> {delivered}/{args.endpoints} endpoints delivered in "
                f"{push_seconds:.2f} s ({delivered / push_seconds:.0f} deliveries/s, in-process)"
            )
    finally:
        from django.db import connections

        connections.close_all()
        _psql(f"DROP DATABASE IF EXISTS {THROWAWAY_DB}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
