"""The embedded default as `make run` starts it: one `manage.py serve` on a SQLite file, and
other processes (the command line, the scheduler) whose changes reach what it serves.

The server runs as a real subprocess with none of the service variables set, whatever mode
the suite itself runs in, so these tests hold in both.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from tests.distribution.receivers import Receiver, free_port

REPO = Path(__file__).resolve().parents[1]
SERVICE_VARIABLES = ("DATABASE_URL", "REDIS_URL", "REDIS_CACHE_URL", "CACHE_DIR")
# The operations contract's promise for a change made by another process.
REACH_SECONDS = 2.0
KILLED_SLUG = "us-taiwan-chip-export-talks"
KILLED_HEADLINE = "U.S. and Taiwan officials discuss tighter chip export rules"
KILL_REASON = "Figures could not be confirmed."
EMBARGOED_SLUG = "fed-beige-book-regional-outlook"


class EmbeddedNewsroom:
    """A data folder set up as `make run` does (migrate, demo content) and its server."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.port = free_port()
        self.env = {k: v for k, v in os.environ.items() if k not in SERVICE_VARIABLES}
        self.env["NEWSROOM_DATA_DIR"] = str(data_dir)
        self.env["SITE_URL"] = f"http://127.0.0.1:{self.port}"
        self.server: subprocess.Popen | None = None
        self.log_path = data_dir / "serve.log"

    def manage(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=REPO,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stderr[-3000:]}"
        return result

    def start(self, timeout: float = 60) -> EmbeddedNewsroom:
        self.manage("migrate", "--noinput")
        self.manage("load_demo")
        log = self.log_path.open("w")
        self.server = subprocess.Popen(
            [sys.executable, "manage.py", "serve", "--noreload", f"127.0.0.1:{self.port}"],
            cwd=REPO,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                raise RuntimeError(f"the server exited at start:\n{self.log()}")
            try:
                if httpx.get(self.url("/livez"), timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the server did not answer within {timeout} s:\n{self.log()}")

    def stop(self) -> None:
        if self.server and self.server.poll() is None:
            os.killpg(self.server.pid, signal.SIGTERM)
            try:
                self.server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.server.pid, signal.SIGKILL)
                self.server.wait(timeout=10)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def get(self, path: str) -> httpx.Response:
        return httpx.get(self.url(path), timeout=10)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]


@pytest.fixture(scope="module")
def newsroom(tmp_path_factory):
    served = EmbeddedNewsroom(tmp_path_factory.mktemp("embedded")).start()
    yield served
    served.stop()


def story_link(slug: str) -> str:
    return f"/stories/{slug}/"


def seconds_until(condition, *, timeout: float, interval: float = 0.05) -> float | None:
    """Seconds until `condition()` held, polling; None if it did not within `timeout`."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if condition():
            return time.monotonic() - started
        time.sleep(interval)
    return None


def test_a_kill_from_the_command_line_reaches_the_served_feeds(newsroom):
    feeds = ["/feeds/rss/", "/feeds/desk/washington/atom/", "/feeds/lang/en/json/"]
    for path in feeds:  # served once, so the server holds each feed in its memory
        response = newsroom.get(path)
        assert response.status_code == 200
        assert KILLED_HEADLINE in response.text, path

    newsroom.manage("kill", KILLED_SLUG, "--reason", KILL_REASON)

    def gone_everywhere() -> bool:
        # The story's text is gone; what its readers get instead is the kill notice, which
        # each format carries under the story's id (RFC 6721 in Atom).
        texts = [newsroom.get(path).text for path in feeds]
        return all(KILLED_HEADLINE not in text and KILL_REASON in text for text in texts)

    took = seconds_until(gone_everywhere, timeout=10)
    print(f"\nkill from the command line left the served feeds {took} s after it returned")
    assert took is not None, f"the killed story was still served 10 s later:\n{newsroom.log()}"
    assert took <= REACH_SECONDS


@pytest.fixture
def receiver():
    receiving = Receiver()
    receiving.server.start()
    yield receiving
    receiving.server.stop()


def test_an_embargo_lifts_by_itself_pushes_and_reaches_the_cached_feed(newsroom, receiver):
    newsroom.manage("create_partner", "Lagos Daily", "--webhook", receiver.url)
    # Far enough ahead for the command to start (a few seconds on a loaded machine).
    lifts_at = datetime.now(UTC) + timedelta(seconds=30)
    newsroom.manage(
        "publish",
        EMBARGOED_SLUG,
        "--embargo-until",
        lifts_at.isoformat(),
        "--override-audit",
        "Checked by the desk.",
    )
    guid = (
        newsroom.manage(
            "shell",
            "-c",
            "from articles.models import Article; "
            f"print(Article.objects.get(slug={EMBARGOED_SLUG!r}).guid)",
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    # Under embargo: not in the feed, which the server now holds rendered.
    before_lift = datetime.now(UTC) < lifts_at - timedelta(seconds=1)
    listed_early = story_link(EMBARGOED_SLUG) in newsroom.get("/feeds/rss/").text
    assert before_lift, "the commands took longer than the embargo's lead; nothing was tested"
    assert not listed_early
    assert not receiver.bodies, "a partner without embargoed copy was sent it early"

    time.sleep(max(0.0, (lifts_at - datetime.now(UTC)).total_seconds()))
    # Lifts are due every 10 s; the push goes out right after, from the server's scheduler.
    pushed = seconds_until(lambda: receiver.got("article.embargo_lifted", guid), timeout=25)
    listed = seconds_until(
        lambda: story_link(EMBARGOED_SLUG) in newsroom.get("/feeds/rss/").text, timeout=10
    )
    print(
        f"\nembargo lifted: pushed {pushed} s after its time, in the served feed {listed} s later"
    )
    assert pushed is not None, f"no push reached the partner:\n{newsroom.log()}"
    assert listed is not None, f"the cached feed never listed the story:\n{newsroom.log()}"
    lifted = next(b for b in receiver.bodies if b["type"] == "article.embargo_lifted")
    assert lifted["data"]["pubstatus"] == "usable"


def test_a_key_revoked_in_another_process_is_refused_on_the_next_request(newsroom):
    created = newsroom.manage("create_partner", "Revoked Elsewhere Wire")
    key = created.stdout.strip().splitlines()[-1]
    headers = {"Authorization": f"Api-Key {key}"}
    items = newsroom.url("/api/v1/items/?page_size=1")
    # Twice: the server now answers this key from what it remembers of it.
    assert [httpx.get(items, headers=headers, timeout=10).status_code for _ in range(2)] == [
        200,
        200,
    ]

    newsroom.manage(
        "shell",
        "-c",
        "from distribution.api.partners import revoke_keys; "
        "from distribution.models import PartnerAPIKey; "
        "assert revoke_keys(PartnerAPIKey.objects.filter("
        "partner__name='Revoked Elsewhere Wire')) == 1",
    )

    refused = httpx.get(items, headers=headers, timeout=10)
    assert refused.status_code == 401, newsroom.log()
    assert refused.json() == {"detail": "Invalid API key."}
