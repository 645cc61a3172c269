"""A real Celery worker process for integration tests: started, killed and restarted at will.

The worker runs `newsroom` from this checkout with the test's environment, pointed at the
test database (pytest-django's `test_<name>`), so it sees what a transactional test commits.
It runs in its own process group so that `kill()` takes the embedded beat down with it, as
a lost machine would.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

from django.db import connection

REPO = Path(__file__).resolve().parents[2]
CELERY = Path(sys.executable).with_name("celery")


def test_database_url() -> str:
    """DATABASE_URL of the database the running tests use (PostgreSQL only)."""
    params = connection.settings_dict
    user = params.get("USER") or "postgres"
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    host = params.get("HOST") or "127.0.0.1"
    port = params.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{params['NAME']}"


class CeleryWorker:
    """`CeleryWorker(tmp_path, beat=True, env={...}).start()`; then `kill()` or `stop()`.

    ``pool`` is Celery's execution pool: "solo" (one process, the default here) or
    "prefork" (production's: the pool that enforces time limits), with ``concurrency``
    child processes (1 unless given).
    """

    def __init__(
        self,
        workdir: Path,
        *,
        beat: bool = False,
        env: dict[str, str] | None = None,
        pool: str = "solo",
        concurrency: int = 1,
    ):
        self.workdir = workdir
        self.concurrency = concurrency
        self.beat = beat
        self.pool = pool
        self.extra_env = env or {}
        self.process: subprocess.Popen | None = None
        self.log_path: Path | None = None
        self.starts = 0

    def start(self, timeout: float = 45) -> CeleryWorker:
        self.starts += 1
        self.log_path = self.workdir / f"worker-{self.starts}.log"
        command = [
            str(CELERY),
            "-A",
            "newsroom",
            "worker",
            "-P",
            self.pool,
            "-c",
            str(self.concurrency),
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "-n",
            f"test-{uuid.uuid4().hex[:8]}@%h",
        ]
        if self.beat:
            # A file scheduler in the test's folder: beat reads CELERY_BEAT_SCHEDULE as is.
            command += [
                "-B",
                "--scheduler",
                "celery.beat:PersistentScheduler",
                "-s",
                str(self.workdir / f"beat-{self.starts}"),
            ]
        env = {**os.environ, "DATABASE_URL": test_database_url(), **self.extra_env}
        log = self.log_path.open("w")
        self.process = subprocess.Popen(
            command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the worker exited at start:\n{self.log()}")
            if " ready." in self.log():
                return self
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the worker was not ready within {timeout} s:\n{self.log()}")

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path else ""

    def kill(self) -> None:
        """SIGKILL the worker and everything it started: no chance to ack or clean up."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self, timeout: float = 15) -> None:
        if not self.process or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()


def wait_for(condition, *, timeout: float, interval: float = 0.25, message: str = "") -> None:
    """Poll `condition()` until it is true; fail with `message` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise AssertionError(message or f"condition not met within {timeout} s")
