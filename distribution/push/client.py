"""The HTTP side of partner push: one pooled httpx client per process, and one POST under a
total wall-clock deadline.

httpx's timeouts bound each network operation (connect, each read, each write), not the
request as a whole: an endpoint that trickles one header line every second and a half never
trips a 3 s read timeout, and holds the attempt for as long as it likes. So every POST runs
on an `httpx.AsyncClient` under `asyncio.timeout(deadline)`, which cancels the request
wherever it is (connecting, sending, waiting for headers, reading the body) when the
deadline passes (the approach discussed in encode/httpx#1450).

The client and its event loop live in one daemon thread per process, started on first use
and started again in a forked child (a Celery prefork worker), so connections to a partner
are pooled and reused across attempts. Callers stay synchronous: `post()` blocks until the
attempt has an outcome, never longer than the deadline plus a second.

`post_many()` sends a batch of attempts at once on that loop (one event's fan-out to many
partners): at most WEBHOOK_CONCURRENCY requests of this process are open at a time, each
under its own total deadline counted from when it starts, and outcomes are handed back in
small groups as they come in, so a slow partner's deadline never holds back the recording
of the others.
"""

from __future__ import annotations

import asyncio
import math
import os
import threading
import time
from collections.abc import Callable, Coroutine, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass
from typing import Any

import httpx
from django.conf import settings

from distribution.push.redaction import redacted_url, scrubbed

# What is read of a receiver's answer; the rest is dropped with the connection.
MAX_ANSWER_BYTES = 64 * 1024
# After the first outcome of a group comes in, wait this long (seconds) for more before
# handing the group back: one recording write for many fast partners, and a slow one's
# deadline never delays the others' recording by more than this.
GATHER_SECONDS = 0.1


def pool_limits() -> httpx.Limits:
    """The connection pool: room for every request this process may have open at once
    (WEBHOOK_CONCURRENCY), so none waits for a connection inside its deadline, and kept
    alive across attempts so the next push to a partner reuses its connection. No larger:
    httpx's pool looks over all its connections for every request it places."""
    size = settings.WEBHOOK_CONCURRENCY
    return httpx.Limits(max_connections=size, max_keepalive_connections=size, keepalive_expiry=30)


@dataclass(frozen=True)
class Request:
    """One signed POST to make: where, the exact body, and its headers."""

    url: str
    body: str
    headers: dict[str, str]


@dataclass
class Outcome:
    """What one attempt came to: the HTTP status (None when no answer came), the wall-clock
    time it took in milliseconds, an error safe to log (no credentials, no query string),
    and the receiver's Retry-After header if it sent one."""

    status_code: int | None
    duration_ms: int
    error: str = ""
    retry_after: str | None = None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class _ProcessClient:
    """The event loop thread and the pooled AsyncClient of this process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pid: int | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._client: httpx.AsyncClient | None = None
        # The process-wide bound on requests open at once; made on (and used only by) the loop.
        self._slots: asyncio.Semaphore | None = None
        self._slots_size = 0

    def submit(
        self, make: Callable[[httpx.AsyncClient, asyncio.Semaphore], Coroutine[Any, Any, Outcome]]
    ) -> Future:
        """Start the coroutine `make(client, slots)` on the process's loop; its future."""
        loop, client = self._started()
        return asyncio.run_coroutine_threadsafe(self._with_slots(make, client), loop)

    async def _with_slots(self, make, client: httpx.AsyncClient) -> Outcome:
        size = settings.WEBHOOK_CONCURRENCY
        if self._slots is None or self._slots_size != size:
            self._slots, self._slots_size = asyncio.Semaphore(size), size
        return await make(client, self._slots)

    def forget(self) -> None:
        """In a forked child: the parent's loop thread did not come along; start afresh."""
        self._lock = threading.Lock()
        self._pid = self._loop = self._client = self._slots = None

    def _started(self) -> tuple[asyncio.AbstractEventLoop, httpx.AsyncClient]:
        with self._lock:
            # A forked child inherits the parent's objects but not its thread: start anew.
            if self._pid != os.getpid() or self._loop is None or self._client is None:
                loop = asyncio.new_event_loop()
                thread = threading.Thread(
                    target=loop.run_forever, name="webhook-client", daemon=True
                )
                thread.start()
                self._loop, self._pid, self._slots = loop, os.getpid(), None
                # Redirects are not followed: a push goes to the registered URL or nowhere.
                self._client = httpx.AsyncClient(
                    limits=pool_limits(), follow_redirects=False, timeout=None
                )
            return self._loop, self._client


_process_client = _ProcessClient()
os.register_at_fork(after_in_child=_process_client.forget)


async def _post(
    client: httpx.AsyncClient, url: str, body: bytes, headers: dict[str, str], deadline: float
) -> Outcome:
    started = time.monotonic()

    def elapsed() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        async with asyncio.timeout(deadline):
            async with client.stream("POST", url, content=body, headers=headers) as response:
                read = 0
                async for chunk in response.aiter_raw():
                    read += len(chunk)
                    if read >= MAX_ANSWER_BYTES:
                        break
    except TimeoutError:
        error = f"{redacted_url(url)}: Timeout: no complete answer within {deadline:g} s"
        return Outcome(None, elapsed(), error=error)
    except Exception as exc:  # whatever goes wrong on the way is the outcome, not a crash
        # httpx names the URL, query string included, in some of its messages.
        error = f"{redacted_url(url)}: {type(exc).__name__}: {scrubbed(str(exc), url)}"
        return Outcome(None, elapsed(), error=error[:500])
    code = response.status_code
    error = "" if 200 <= code < 300 else f"HTTP {code}"
    return Outcome(code, elapsed(), error, response.headers.get("Retry-After"))


def post(url: str, *, body: str, headers: dict[str, str], deadline: float) -> Outcome:
    """POST `body` to `url`, done or abandoned within `deadline` seconds of wall-clock time
    (connect, request, response headers and body together). Never raises: a refused
    connection, a broken answer or the deadline come back as an Outcome with an error.
    """
    for outcomes in post_many([Request(url, body, headers)], deadline=deadline):
        return outcomes[0][1]
    raise AssertionError("post_many gave no outcome")  # it gives one per request


async def _post_in_turn(
    client: httpx.AsyncClient, slots: asyncio.Semaphore, request: Request, deadline: float
) -> Outcome:
    # The deadline starts once a place is free: waiting for one is not the partner's time.
    async with slots:
        return await _post(client, request.url, request.body.encode(), request.headers, deadline)


def post_many(
    requests: Sequence[Request], *, deadline: float
) -> Iterator[list[tuple[int, Outcome]]]:
    """POST every request at once (at most WEBHOOK_CONCURRENCY of this process open at a
    time), each done or abandoned within `deadline` seconds of its start.

    Yields lists of (index into `requests`, Outcome) as outcomes come in: each list holds
    the outcomes that arrived within GATHER_SECONDS of its first, so the caller records
    fast partners together and before any slow one ends. Every request gets exactly one
    outcome; never raises for a partner's failure. The whole batch ends within one
    deadline (plus a second) per WEBHOOK_CONCURRENCY requests, whatever the partners do.
    """
    if not requests:
        return
    futures = {
        _process_client.submit(
            lambda client, slots, request=request: _post_in_turn(client, slots, request, deadline)
        ): index
        for index, request in enumerate(requests)
    }
    waves = math.ceil(len(requests) / settings.WEBHOOK_CONCURRENCY)
    give_up_at = time.monotonic() + waves * (deadline + 1)
    pending = set(futures)
    while pending:
        done, pending = wait(
            pending, timeout=max(0.0, give_up_at - time.monotonic()), return_when=FIRST_COMPLETED
        )
        if done and pending:
            more, pending = wait(pending, timeout=GATHER_SECONDS)
            done |= more
        if not done:
            # The loop itself did not answer in time (each request cancels at its deadline).
            for future in pending:
                future.cancel()
            yield [
                (futures[f], Outcome(None, int(deadline * 1000), _no_outcome(requests[futures[f]])))
                for f in pending
            ]
            return
        yield [(futures[f], f.result()) for f in done]


def _no_outcome(request: Request) -> str:
    return f"{redacted_url(request.url)}: Timeout: no outcome in time"
