"""Push fan-out benchmark: one publish to many partners through Redis and a real worker.

    python -m bench.push --endpoints 500
    python -m bench.push --endpoints 500 --database-url postgres://…/existing   # bench.api

`--endpoints` partners (500 by default) each have a webhook endpoint on local receivers:
`--receivers` HTTP/1.1 servers on 127.0.0.1 (keep-alive, one asyncio loop) that verify each
push's Standard Webhooks signature with the endpoint's secret and count what arrives per
endpoint. A Celery worker with 2 prefork processes (`celery -A newsroom worker
--concurrency=2`) runs the push on Redis (REDIS_URL), against PostgreSQL: a throwaway
database on DATABASE_URL's server, made and dropped here, unless `--database-url` names one
to use as it is.

Each of `--publishes` stories (3) is published through `articles.workflow.publish`, one
after the other; each is timed from its commit (the `outbox_committed` signal) to the moment
every one of its deliveries is seen recorded as delivered (polled every 25 ms). The first
goes out on a worker that has never pushed (no connection to any partner yet). The figure
is the slowest of them. The run fails unless every endpoint received each story exactly
once with a valid signature.

The last line is machine-readable:
`bench-push: endpoints=… push_s=… cold_s=… verified=… duplicates=… bad_signatures=…`.
Every wait is bounded and every process and server it starts is stopped.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import threading
import time
from collections import Counter
from contextlib import ExitStack

from bench import harness

PREFIX = "bench-push"
THROWAWAY_DB = f"newsroom_bench_push_{os.getpid()}"
WORKER_PROCESSES = 2
# Seconds to wait for one publish's deliveries before giving up on the run.
PUBLISH_TIMEOUT = 60


class Receipts:
    """What the receivers saw, per endpoint path: pushes with a valid signature, per story
    (webhook-id), and pushes whose signature did not verify."""

    def __init__(self, secrets: dict[str, str]) -> None:
        from standardwebhooks import Webhook

        self.verifiers = {path: Webhook(secret) for path, secret in secrets.items()}
        self.lock = threading.Lock()
        self.verified: Counter[tuple[str, str]] = Counter()  # (path, webhook-id) → count
        self.bad = 0

    def receive(self, path: str, headers: dict[str, str], body: bytes) -> bool:
        verifier = self.verifiers.get(path)
        try:
            if verifier is None:
                raise ValueError(path)
            # HMAC-SHA256 over id, timestamp and body: cheap, and what a partner does.
            verifier.verify(body, headers, json_parse=False)
        except Exception:  # noqa: BLE001 - any failure to verify is counted, not raised
            with self.lock:
                self.bad += 1
            return False
        with self.lock:
            self.verified[(path, headers["webhook-id"])] += 1
        return True


class Receivers:
    """`count` HTTP/1.1 receivers on free loopback ports, served by one asyncio loop in a
    thread: keep-alive, a deep accept queue, a minimal request parser. Cheaper per request
    than a thread per connection, so the receiving side takes little of the machine the
    worker runs on. `stop()` closes them."""

    def __init__(self, count: int) -> None:
        self.receipts: Receipts | None = None
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.servers = [
            asyncio.run_coroutine_threadsafe(
                asyncio.start_server(self._serve, "127.0.0.1", 0, backlog=1024), self.loop
            ).result(timeout=10)
            for _ in range(count)
        ]
        self.ports = [server.sockets[0].getsockname()[1] for server in self.servers]

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                path = lines[0].split(" ")[1]
                headers = {}
                for line in lines[1:]:
                    name, _, value = line.partition(":")
                    if name:
                        headers[name.strip().lower()] = value.strip()
                body = await reader.readexactly(int(headers.get("content-length", 0)))
                ok = self.receipts is not None and self.receipts.receive(path, headers, body)
                answer = b"ok" if ok else b"bad signature"
                status = b"200 OK" if ok else b"400 Bad Request"
                writer.write(
                    b"HTTP/1.1 "
                    + status
                    + b"\r\nContent-Length: "
                    + str(len(answer)).encode()
                    + b"\r\n\r\n"
                    + answer
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, IndexError, ValueError):
            pass  # the client closed its connection (or sent nonsense): done with it
        except asyncio.CancelledError:
            pass  # stopping
        finally:
            writer.close()

    def stop(self) -> None:
        async def close() -> None:
            for server in self.servers:
                server.close()
            current = asyncio.current_task()
            for task in asyncio.all_tasks():
                if task is not current:
                    task.cancel()

        asyncio.run_coroutine_threadsafe(close(), self.loop).result(timeout=10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)


def subscribe(endpoints: int, receivers: Receivers) -> Receipts:
    """One partner (every desk) and one endpoint each, spread over the receivers."""
    from distribution.api.partners import create_partner
    from distribution.models import WebhookEndpoint

    secrets = {}
    for n in range(endpoints):
        partner, _ = create_partner(f"Push partner {n}")
        port = receivers.ports[n % len(receivers.ports)]
        path = f"/partner-{n}/hook"
        endpoint = WebhookEndpoint.objects.create(
            partner=partner, url=f"http://127.0.0.1:{port}{path}"
        )
        secrets[path] = endpoint.secret
    receivers.receipts = Receipts(secrets)
    return receivers.receipts


def publish_and_time(number: int, endpoints: int) -> float:
    """Publish one story; seconds from its commit to all `endpoints` deliveries recorded."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from articles import workflow
    from articles.models import Article, Desk
    from articles.signals import outbox_committed
    from distribution.models import Delivery

    editor, created = get_user_model().objects.get_or_create(
        username="bench-push-editor", defaults={"is_staff": True}
    )
    if created:
        editor.groups.add(Group.objects.get(name="Editor"))
    desk, _ = Desk.objects.get_or_create(slug="bench-wire", defaults={"name": "Bench wire"})
    story = Article.objects.create(
        desk=desk,
        slug=f"bench-push-{number}",
        headline=f"Flash {number}: one story to every partner",
        body="<p>WASHINGTON (Bench) — A flash goes to every partner at once.</p>" * 6,
    )
    committed: list[float] = []

    def stamp(sender, **kwargs) -> None:
        committed.append(time.perf_counter())

    outbox_committed.connect(stamp, dispatch_uid="bench-push-commit")
    try:
        workflow.publish(story, by=editor)
    finally:
        outbox_committed.disconnect(dispatch_uid="bench-push-commit")
    if not committed:
        raise SystemExit(f"{PREFIX}: the publish committed no outbox event")
    deliveries = Delivery.objects.filter(event__article=story)
    deadline = time.monotonic() + PUBLISH_TIMEOUT
    while time.monotonic() < deadline:
        if deliveries.filter(status=Delivery.Status.DELIVERED).count() >= endpoints:
            return time.perf_counter() - committed[0]
        time.sleep(0.025)
    states = Counter(deliveries.values_list("status", flat=True))
    raise SystemExit(
        f"{PREFIX}: story {number} not delivered to all {endpoints} endpoints within "
        f"{PUBLISH_TIMEOUT} s: {dict(states)}"
    )


def measure(endpoints: int, publishes: int, receivers: int, stack: ExitStack) -> dict:
    """Run the publishes against a started Django (broker configured); the figures."""
    servers = Receivers(receivers)
    stack.callback(servers.stop)
    receipts = subscribe(endpoints, servers)
    times = [publish_and_time(n, endpoints) for n in range(publishes)]
    # Every endpoint, every story, exactly once (a late duplicate would show here).
    time.sleep(0.5)
    with receipts.lock:
        counts = dict(receipts.verified)
        bad = receipts.bad
    expected = endpoints * publishes
    return {
        "times": times,
        "verified": len(counts),
        "expected": expected,
        "duplicates": sum(count - 1 for count in counts.values()),
        "bad": bad,
    }


def run(database_url: str, endpoints: int, publishes: int, receivers: int) -> dict:
    """Set Django up on `database_url` with the Redis broker, start the worker, measure."""
    if not os.environ.get("REDIS_URL"):
        raise SystemExit(f"{PREFIX}: needs Redis as the broker: set REDIS_URL")
    env = harness.environment(database_url, harness.free_port())
    harness.setup_django(env)
    with ExitStack() as stack:
        harness.start_worker(env, stack, PREFIX, concurrency=WORKER_PROCESSES)
        return measure(endpoints, publishes, receivers, stack)


def summary(endpoints: int, figures: dict) -> str:
    """The machine-readable last line."""
    times = figures["times"]
    return (
        f"{PREFIX}: endpoints={endpoints} push_s={max(times):.2f} cold_s={times[0]:.2f} "
        f"verified={figures['verified']} duplicates={figures['duplicates']} "
        f"bad_signatures={figures['bad']}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--endpoints", type=int, default=500)
    parser.add_argument("--publishes", type=int, default=3)
    parser.add_argument("--receivers", type=int, default=4, help="local HTTP servers")
    parser.add_argument("--database-url", help="an existing database to use as it is")
    args = parser.parse_args(argv)
    if args.database_url:
        figures = run(args.database_url, args.endpoints, args.publishes, args.receivers)
    else:
        server = harness.server_of(
            os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
        )
        with harness.throwaway_database(THROWAWAY_DB, server) as database_url:
            figures = run(database_url, args.endpoints, args.publishes, args.receivers)
    times = ", ".join(f"{t:.2f}" for t in figures["times"])
    print(
        f"\npush: {args.publishes} publishes, each to {args.endpoints} endpoints on "
        f"{args.receivers} local receivers, worker --concurrency={WORKER_PROCESSES} on Redis"
    )
    print(f"  commit -> last delivery recorded: {times} s (first on a fresh worker)")
    print(
        f"  received with a valid signature: {figures['verified']}/{figures['expected']}, "
        f"duplicates {figures['duplicates']}, bad signatures {figures['bad']}"
    )
    print(summary(args.endpoints, figures))
    ok = figures["verified"] == figures["expected"] and not figures["duplicates"]
    return 0 if ok and not figures["bad"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
