"""What the benchmarks share: a throwaway PostgreSQL database, the production environment on
the loopback, gunicorn and Celery processes that are always stopped, and `wrk`.

Every wait is bounded; a failure ends the run with `SystemExit` and a message that starts
with the benchmark's own prefix (e.g. "bench-api").
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
LOCAL_SERVER = "postgres://postgres@127.0.0.1:5432"


def psql(sql: str, *, check: bool = True) -> None:
    """Run one SQL statement as `postgres` on the local server (127.0.0.1); with `check`,
    a failure raises `CalledProcessError`."""
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=check)


@contextmanager
def throwaway_database(
    name: str, server: str = LOCAL_SERVER, *, replace: bool = False
) -> Iterator[str]:
    """Create the empty database `name` on the local server and yield its URL on `server`;
    on exit, however it is left, close Django's connections if Django is configured and
    drop the database. With `replace`, a database of that name left by an earlier run is
    dropped first (for names that do not change from run to run)."""
    if replace:
        psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    psql(f"CREATE DATABASE {name}")
    try:
        yield f"{server.rstrip('/')}/{name}"
    finally:
        close_django_connections()
        psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", check=False)


def close_django_connections() -> None:
    """Close this process's database connections, if Django has been configured."""
    if "django.db" not in sys.modules:
        return
    from django.conf import settings

    if settings.configured:
        from django.db import connections

        connections.close_all()


def server_of(database_url: str) -> str:
    """The server part of a database URL: everything before the database name."""
    return database_url.rsplit("/", 1)[0]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(
    database_url: str, port: int, *, drop: Iterable[str] = (), **settings: str
) -> dict[str, str]:
    """This process's environment without the names in `drop`, plus production settings
    (DJANGO_DEBUG=0, fresh SECRET_KEY and encryption key, no SSL redirect, WARNING logs) for
    a site served at http://127.0.0.1:`port`; `settings` add to or override them."""
    from cryptography.fernet import Fernet

    dropped = set(drop)
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DJANGO_DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        SOURCE_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        SECURE_SSL_REDIRECT="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL=f"http://127.0.0.1:{port}",
        LOG_LEVEL="WARNING",
    )
    env.update(settings)
    return env


def setup_django(env: Mapping[str, str], *, unset: Iterable[str] = ()) -> None:
    """Remove `unset` from and add `env` to this process's environment, set Django up with
    the project importable, and migrate the database."""
    for name in unset:
        os.environ.pop(name, None)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def wait_for(check: Callable[[], object], what: str, prefix: str, timeout: float = 60.0) -> None:
    """Poll `check` every 0.2 s until it returns something true; an exception counts as not
    yet. After `timeout` seconds, exit with "`prefix`: `what` did not come up ..."."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except Exception:  # noqa: BLE001 - not up yet; keep polling until the deadline
            pass
        time.sleep(0.2)
    raise SystemExit(f"{prefix}: {what} did not come up within {timeout:.0f} s")


def stop(process: subprocess.Popen) -> None:
    """Stop `process`: SIGTERM, then SIGKILL if it has not exited within 15 s."""
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def start_gunicorn(
    env: dict[str, str], port: int, stack: ExitStack, prefix: str
) -> subprocess.Popen:
    """Serve the project with gunicorn (2 workers) on 127.0.0.1:`port` in `env`; return
    its master process once env["SITE_URL"]/livez answers. `stack` stops it on exit."""
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
    stack.callback(stop, process)
    wait_for(lambda: requests.get(f"{env['SITE_URL']}/livez", timeout=2).ok, "gunicorn", prefix)
    return process


def child_pids(parent: int) -> list[int]:
    """The ids of the running processes whose parent is `parent` (gunicorn's workers)."""
    children = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # ended meanwhile
            continue
        # Fields after the command name, which may itself hold spaces and parentheses.
        if int(stat.rsplit(")", 1)[1].split()[1]) == parent:
            children.append(int(entry.name))
    return sorted(children)


def resident_bytes(pid: int, field: str = "VmRSS") -> int:
    """A process's resident memory in bytes from /proc/<pid>/status: `field` VmRSS (now)
    or VmHWM (its peak). Raises OSError once the process has ended."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) * 1024  # the kernel writes kB
    raise OSError(f"no {field} for process {pid}")


def start_worker(
    env: dict[str, str], stack: ExitStack, prefix: str, *, concurrency: int = 1
) -> None:
    """Start a Celery worker (`concurrency` prefork processes) in `env`; return once it has
    answered a ping task. `stack` stops it on exit."""
    process = subprocess.Popen(
        [
            str(BIN / "celery"),
            "-A",
            "newsroom",
            "worker",
            f"--concurrency={concurrency}",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
    )
    stack.callback(stop, process)
    from newsroom.celery import ping

    wait_for(
        lambda: ping.delay("bench").get(timeout=5)["payload"] == "bench", "celery worker", prefix
    )


def wrk_rate(
    url: str,
    seconds: int,
    headers: Iterable[str] = (),
    *,
    prefix: str,
    script: str | None = None,
) -> float:
    """Requests per second `wrk` (2 threads, 16 connections, `seconds` long, each of
    `headers` sent as "Name: value", with the Lua `script` file if given) reaches against
    `url`. Exits if any response was not 2xx/3xx or wrk's output cannot be read."""
    command = ["wrk", "-t2", "-c16", f"-d{seconds}s"]
    for header in headers:
        command += ["-H", header]
    if script:
        command += ["-s", script]
    output = subprocess.run(
        [*command, url], check=True, capture_output=True, text=True, timeout=seconds + 30
    ).stdout
    for line in output.splitlines():
        if line.strip().startswith("Non-2xx"):
            raise SystemExit(f"{prefix}: errors from {url}: {line.strip()}\n{output}")
    for line in output.splitlines():
        if line.startswith("Requests/sec:"):
            return float(line.split()[1])
    raise SystemExit(f"{prefix}: could not read wrk's output:\n{output}")


def bulk_publish(
    desk: Any,
    numbers: range,
    published_at: Callable[[int], datetime],
    ninjs: Callable[[Any], dict],
    *,
    language: str = "en",
    feeds: Callable[[Any], list[str]] | None = None,
) -> list[Any]:
    """Bulk-create, in one statement each and without the workflow, a published Article on
    `desk` for each n in `numbers` (slug "bench-n", an eight-paragraph body in `language`,
    version 1, published and versioned at `published_at(n)`) and its version-1
    ArticleVersion carrying `ninjs(article)` and the feed scope keys `feeds(article)` it
    went out to (none by default); return the articles. The caller provides the
    transaction."""
    from articles.models import Article, ArticleVersion

    sentence = "A benchmark paragraph, about as long as a paragraph of wire copy runs."
    body = "".join(f"<p>{n}. {sentence}</p>" for n in range(8))
    articles = Article.objects.bulk_create(
        Article(
            slug=f"bench-{n}",
            headline=f"Benchmark story {n} moves on the wire",
            summary="A benchmark story's summary.",
            body=body,
            desk=desk,
            language=language,
            status=Article.Status.PUBLISHED,
            published_at=published_at(n),
            version_created_at=published_at(n),
            version=1,
        )
        for n in numbers
    )
    ArticleVersion.objects.bulk_create(
        ArticleVersion(
            article=a,
            number=1,
            event=ArticleVersion.Event.PUBLISH,
            headline=a.headline,
            body=a.body,
            ninjs=ninjs(a),
            feeds=feeds(a) if feeds else [],
            html="",
            created_at=a.version_created_at,
        )
        for a in articles
    )
    return articles
