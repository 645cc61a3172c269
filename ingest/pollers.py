"""Running a channel: read what its folder or feed holds and hand each story to
`ingest.channels.receive`; keep the channel's run state and backoff.

A folder drop reads the regular files of its directory, oldest first (names starting with
"." or ending ".part" or ".tmp" are still being written and wait), and moves each one read
into ``processed/`` (or ``failed/`` when nothing of it could be taken) so it is not read
again. A feed is fetched with httpx (settings.INGEST_FETCH_TIMEOUT_SECONDS, at most
settings.INGEST_FEED_MAX_BYTES) and read with feedparser; each entry is one story, its
guid the entry's id. A run that cannot reach its folder or feed fails the channel: it backs
off and shows the error, and the other channels run as before.
"""

from __future__ import annotations

import html
import logging
import os
import re
from datetime import timedelta
from pathlib import Path

import feedparser
import httpx
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from articles.sanitize import plain_text_from_html
from ingest import alerts
from ingest.channels import receive
from ingest.models import IngestChannel, IngestLogEntry

logger = logging.getLogger(__name__)

PROCESSED = "processed"
FAILED = "failed"
_PARTIAL = (".part", ".tmp")
_BLOCKS = re.compile(r"</?(?:p|div|h[1-6]|br|li|blockquote)\b[^>]*>", re.IGNORECASE)


class ChannelError(Exception):
    """The channel's source cannot be read (folder missing, feed unreachable or refused)."""


def run_channel(channel: IngestChannel) -> list[IngestLogEntry]:
    """Run ``channel`` once now and return the log rows it wrote; a push channel has
    nothing to fetch. Never raises for the source's faults: the channel records the
    failure (`ChannelError`, network errors), backs off and raises an alert once it has
    failed settings.INGEST_ALERT_AFTER_FAILURES times in a row."""
    now = timezone.now()
    try:
        if channel.kind == IngestChannel.Kind.FOLDER:
            rows = poll_folder(channel)
        elif channel.kind == IngestChannel.Kind.FEED:
            rows = poll_feed(channel)
        else:
            rows = []
    except (ChannelError, httpx.HTTPError, OSError) as exc:
        error = str(exc) if isinstance(exc, ChannelError) else f"{type(exc).__name__}: {exc}"
        return [_record_failure(channel, error, now=now)]
    if channel.consecutive_failures >= settings.INGEST_ALERT_AFTER_FAILURES:
        alerts.channel_recovered(channel)
    channel.consecutive_failures = 0
    channel.last_error = ""
    channel.last_run_at = channel.last_success_at = now
    channel.next_attempt_at = now + timedelta(seconds=channel.poll_interval)
    channel.save(
        update_fields=[
            "consecutive_failures",
            "last_error",
            "last_run_at",
            "last_success_at",
            "next_attempt_at",
        ]
    )
    return rows


def backoff_seconds(channel: IngestChannel) -> int:
    """Seconds before the next attempt after ``channel.consecutive_failures`` failures:
    the interval doubled per failure after the first, at most INGEST_BACKOFF_MAX_SECONDS."""
    failures = max(channel.consecutive_failures, 1)
    wait = channel.poll_interval * 2 ** min(failures - 1, 20)
    return min(wait, max(settings.INGEST_BACKOFF_MAX_SECONDS, channel.poll_interval))


def _record_failure(channel: IngestChannel, error: str, *, now) -> IngestLogEntry:
    channel.consecutive_failures += 1
    channel.last_error = error
    channel.last_run_at = now
    channel.next_attempt_at = now + timedelta(seconds=backoff_seconds(channel))
    channel.save(
        update_fields=["consecutive_failures", "last_error", "last_run_at", "next_attempt_at"]
    )
    logger.warning("ingest: channel %s failed: %s", channel.slug, error)
    if channel.consecutive_failures == settings.INGEST_ALERT_AFTER_FAILURES:
        alerts.channel_failing(channel)
    return IngestLogEntry.objects.create(
        channel=channel,
        name=(channel.url or channel.path)[:500],
        result=IngestLogEntry.Result.FAILED,
        error=f"channel run failed: {error}",
    )


def due_channels(now=None):
    """Active folder and feed channels whose next attempt is due (or never made)."""
    now = now or timezone.now()
    return IngestChannel.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        active=True,
        kind__in=[IngestChannel.Kind.FOLDER, IngestChannel.Kind.FEED],
    )


def claim(channel: IngestChannel, *, now=None) -> bool:
    """Mark ``channel``'s next attempt as taken, so two schedulers never run it at once;
    True for the caller that won it."""
    now = now or timezone.now()
    won = IngestChannel.objects.filter(
        pk=channel.pk, next_attempt_at=channel.next_attempt_at
    ).update(next_attempt_at=now + timedelta(seconds=channel.poll_interval))
    return bool(won)


def poll_folder(channel: IngestChannel) -> list[IngestLogEntry]:
    """Receive every waiting file of a folder drop, oldest first; each file read is moved
    to ``processed/`` (or to ``failed/`` when every story of it failed, an oversized file
    included). Raises `ChannelError` when the folder is missing."""
    folder = Path(channel.path)
    if not channel.path or not folder.is_dir():
        raise ChannelError(f"the folder {channel.path!r} does not exist")
    files = [
        entry
        for entry in folder.iterdir()
        if entry.is_file() and not entry.name.startswith(".") and not entry.name.endswith(_PARTIAL)
    ]
    rows: list[IngestLogEntry] = []
    limit = settings.WIRE_FILE_MAX_BYTES
    for path in sorted(files, key=lambda p: (p.stat().st_mtime, p.name)):
        if path.stat().st_size > limit:
            # Refused unread: the size alone says so.
            file_rows = [
                IngestLogEntry.objects.create(
                    channel=channel,
                    name=path.name,
                    result=IngestLogEntry.Result.FAILED,
                    error=f"is {path.stat().st_size:,} bytes; the limit is {limit:,} bytes",
                )
            ]
        else:
            file_rows = receive(channel, path.read_bytes(), name=path.name)
        rows += file_rows
        failed = all(row.result == IngestLogEntry.Result.FAILED for row in file_rows)
        _move(path, folder / (FAILED if failed else PROCESSED))
    return rows


def _move(path: Path, into: Path) -> None:
    into.mkdir(exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S%f")
    os.replace(path, into / f"{stamp}-{path.name}")


def fetch_feed(url: str) -> bytes:
    """The feed's bytes, fetched with the channel timeouts; raises `ChannelError` on a
    non-2xx answer or a body over INGEST_FEED_MAX_BYTES (read no further than that)."""
    limit = settings.INGEST_FEED_MAX_BYTES
    timeout = httpx.Timeout(settings.INGEST_FETCH_TIMEOUT_SECONDS)
    headers = {"Accept": "application/rss+xml, application/atom+xml, */*"}
    with (
        httpx.Client(timeout=timeout, follow_redirects=True, max_redirects=3) as client,
        client.stream("GET", url, headers=headers) as resp,
    ):
        if resp.status_code >= 300:
            raise ChannelError(f"the feed answered HTTP {resp.status_code}")
        body = bytearray()
        for chunk in resp.iter_bytes():
            body += chunk
            if len(body) > limit:
                raise ChannelError(f"the feed is over {limit:,} bytes")
    return bytes(body)


def entry_text(entry) -> str:
    """A feed entry as plain wire copy: its title, a blank line, its paragraphs."""
    content = entry.get("content") or []
    body = content[0].get("value", "") if content else entry.get("summary", "")
    paragraphs = [plain_text_from_html(part).strip() for part in _BLOCKS.split(body or "") if part]
    title = html.unescape(entry.get("title", "")).strip()
    return "\n\n".join([title, *[p for p in paragraphs if p]]) + "\n"


def poll_feed(channel: IngestChannel) -> list[IngestLogEntry]:
    """Receive every entry of the channel's feed; an entry already held unchanged is
    logged "unchanged". Raises `ChannelError` for a feed that cannot be fetched or read."""
    if not channel.url:
        raise ChannelError("the channel has no feed address")
    parsed = feedparser.parse(fetch_feed(channel.url))
    if parsed.bozo and not parsed.entries:
        raise ChannelError(f"the feed could not be read: {parsed.get('bozo_exception')}")
    rows: list[IngestLogEntry] = []
    for entry in parsed.entries:
        guid = entry.get("id") or entry.get("link")
        if not guid:
            rows.append(
                IngestLogEntry.objects.create(
                    channel=channel,
                    name=entry.get("title", "")[:500],
                    result=IngestLogEntry.Result.FAILED,
                    error="the entry has no id and no link",
                )
            )
            continue
        rows += receive(
            channel,
            entry_text(entry).encode(),
            name=(entry.get("link") or guid)[:500],
            guid=guid,
        )
    return rows
