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
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

import httpx

from distribution.push.redaction import redacted_url, scrubbed

# What is read of a receiver's answer; the rest is dropped with the connection.
MAX_ANSWER_BYTES = 64 * 1024
POOL_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=20, keepalive_expiry=30)


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

    def run(
        self, make: Callable[[httpx.AsyncClient], Coroutine[Any, Any, Outcome]], timeout: float
    ) -> Outcome:
        """Run the coroutine `make(client)` on the process's loop; wait up to `timeout` s.

        Raises TimeoutError (after cancelling it) if it has not finished by then.
        """
        loop, client = self._started()
        future = asyncio.run_coroutine_threadsafe(make(client), loop)
        try:
            return future.result(timeout=timeout)
        except TimeoutError:
            future.cancel()
            raise

    def forget(self) -> None:
        """In a forked child: the parent's loop thread did not come along; start afresh."""
        self._lock = threading.Lock()
        self._pid = self._loop = self._client = None

    def _started(self) -> tuple[asyncio.AbstractEventLoop, httpx.AsyncClient]:
        with self._lock:
            # A forked child inherits the parent's objects but not its thread: start anew.
            if self._pid != os.getpid() or self._loop is None or self._client is None:
                loop = asyncio.new_event_loop()
                thread = threading.Thread(
                    target=loop.run_forever, name="webhook-client", daemon=True
                )
                thread.start()
                self._loop, self._pid = loop, os.getpid()
                # Redirects are not followed: a push goes to the registered URL or nowhere.
                self._client = httpx.AsyncClient(
                    limits=POOL_LIMITS, follow_redirects=False, timeout=None
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
    started = time.monotonic()
    try:
        return _process_client.run(
            lambda client: _post(client, url, body.encode(), headers, deadline),
            timeout=deadline + 1,
        )
    except TimeoutError:
        # The loop itself did not answer in time (it should cancel at the deadline first).
        elapsed = int((time.monotonic() - started) * 1000)
        return Outcome(None, elapsed, error=f"{redacted_url(url)}: Timeout: no outcome in time")
