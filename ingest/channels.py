"""Receiving agency copy on a channel: the one path from bytes to the ingest queue.

`receive(channel, data, name=…)` is what every channel calls (the folder drop, the feed
poll, the push endpoint, `ingest_run`, the admin's "run now"): it parses the bytes with
`wire.formats.parse_items`, records each story as an `IngestItem` keyed by (channel, guid)
with its version history, and writes one `IngestLogEntry` per story (or one for bytes that
could not be read). Drafts are made through `ingest.services.save_wire_story`, at once on a
channel that creates drafts, or when an editor takes the item (`take`).

A newer version updates the draft it made; if that story is already published, the desk
gets an "agency-update" finding on it instead and the published copy is never touched. An
agency cancel or withhold puts an "agency-canceled" / "agency-withheld" finding on our story
and raises an alert; only a channel set to follow agency kills kills or withholds by itself.
The same bytes received again change nothing ("unchanged").
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from articles import workflow
from articles.models import Article
from articles.sanitize import paragraphs_to_html
from articles.workflow.rules import require
from ingest import alerts
from ingest.models import IngestChannel, IngestItem, IngestItemVersion, IngestLogEntry
from ingest.services import save_wire_story
from sources.models import AuditFinding
from wire.formats import FormatError, IncomingItem, Subject, parse_items
from wire.model import Credit, Dateline
from wire.pipeline import item_to_contract

logger = logging.getLogger(__name__)

Result = IngestLogEntry.Result
S = Article.Status
# States in which a newer agency version may still change our copy.
EDITABLE = {S.DRAFT, S.SUBMITTED, S.EDITED}
SENT = {S.PUBLISHED, S.WITHHELD}
GUID_MAX = IngestItem._meta.get_field("guid").max_length


def receive(
    channel: IngestChannel, data: bytes, *, name: str, guid: str | None = None
) -> list[IngestLogEntry]:
    """Take one delivery's bytes (a file, a feed entry's text, a push body) on ``channel``;
    return the log rows written, one per story in it, or one ``failed`` row when the bytes
    are over settings.WIRE_FILE_MAX_BYTES or no parser can read them.

    ``name`` is what the delivery is called in the log (file name, entry link). ``guid``
    identifies a story whose format carries none (plain text); without it plain text is
    identified by ``name``. Never raises for bad copy: one story that cannot be stored
    leaves nothing of itself and the others are stored.
    """
    limit = settings.WIRE_FILE_MAX_BYTES
    if len(data) > limit:
        return [_failed(channel, name, f"is {len(data):,} bytes; the limit is {limit:,} bytes")]
    try:
        items = parse_items(data)
    except FormatError as exc:
        return [_failed(channel, name, exc.reason, format=exc.format or "")]
    return receive_items(channel, items, name=name, guid=guid)


def receive_items(
    channel: IngestChannel, items: list[IncomingItem], *, name: str, guid: str | None = None
) -> list[IngestLogEntry]:
    """`receive` after the parse: record each parsed story, each in its own savepoint, and
    return one log row per story, in order."""
    rows = []
    for index, incoming in enumerate(items):
        item_guid = incoming.guid or guid or name
        if not incoming.guid and len(items) > 1:
            # A stream's stories (IPTC 7901, ANPA) carry no id: each is its place in it.
            item_guid = f"{item_guid}#{index + 1}"
        if len(item_guid) > GUID_MAX:
            rows.append(
                _failed(
                    channel,
                    name,
                    f"the agency id is over {GUID_MAX} characters",
                    format=incoming.format,
                    guid=item_guid,
                )
            )
            continue
        try:
            rows.append(_receive_item_once(channel, incoming, guid=item_guid, name=name))
        except Exception as exc:  # noqa: BLE001 - one bad story must not stop the others
            logger.exception("ingest: %s on channel %s failed", item_guid, channel.slug)
            rows.append(
                _failed(
                    channel,
                    name,
                    f"could not be stored ({type(exc).__name__}: {exc})",
                    format=incoming.format,
                    guid=item_guid,
                )
            )
    return rows


def _receive_item_once(
    channel: IngestChannel, incoming: IncomingItem, *, guid: str, name: str
) -> IngestLogEntry:
    # Two deliveries of a new guid at once (a push beside a poll): the one that loses the
    # insert reads the winner's item, as if it had come second.
    try:
        with transaction.atomic():
            return _receive_item(channel, incoming, guid=guid, name=name)
    except IntegrityError:
        if not IngestItem.objects.filter(channel=channel, guid=guid).exists():
            raise
    with transaction.atomic():
        return _receive_item(channel, incoming, guid=guid, name=name)


def _failed(
    channel: IngestChannel, name: str, error: str, *, format: str = "", guid: str = ""
) -> IngestLogEntry:
    return IngestLogEntry.objects.create(
        channel=channel,
        name=name[:500],
        format=format,
        guid=guid[:300],
        result=Result.FAILED,
        error=error,
    )


def item_data(incoming: IncomingItem) -> dict:
    """An `IncomingItem` as JSON-ready data (its dataclass fields)."""
    data = dataclasses.asdict(incoming)
    data["subhead_positions"] = {str(k): v for k, v in incoming.subhead_positions.items()}
    return data


def incoming_from_data(data: dict) -> IncomingItem:
    """The `IncomingItem` that `item_data` stored."""
    values = dict(data)
    values["dateline"] = Dateline(**(values.get("dateline") or {}))
    values["credits"] = [Credit(**c) for c in values.get("credits") or []]
    values["subjects"] = [Subject(**s) for s in values.get("subjects") or []]
    values["subhead_positions"] = {
        int(k): v for k, v in (values.get("subhead_positions") or {}).items()
    }
    return IncomingItem(**values)


def _content_hash(data: dict) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def _receive_item(
    channel: IngestChannel, incoming: IncomingItem, *, guid: str, name: str
) -> IngestLogEntry:
    data = item_data(incoming)
    digest = _content_hash(data)
    now = timezone.now()
    item = IngestItem.objects.select_for_update().filter(channel=channel, guid=guid).first()
    log = IngestLogEntry(channel=channel, name=name[:500], format=incoming.format, guid=guid[:300])
    if item is not None and (
        item.content_hash == digest
        or item.versions.filter(content_hash=digest).exists()
        or (incoming.guid and incoming.version < item.version)
    ):
        # A replay, or an older version arriving late: what we hold stays as it is.
        log.result, log.item, log.article = Result.UNCHANGED, item, item.article
        log.version = item.version
        if incoming.guid and incoming.version < item.version:
            log.error = f"version {incoming.version} is older than version {item.version} held"
        log.save()
        return log
    story = item_to_contract(incoming, file=name)
    headline = (incoming.headline or story.get("headline") or "").strip()[:300]
    if item is None:
        version = incoming.version
        item = IngestItem(channel=channel, guid=guid, first_received_at=now)
        previous = None
        log.result = Result.CREATED
    else:
        # Plain text carries no version: a changed copy under the same name is the next one.
        version = incoming.version if incoming.guid else item.version + 1
        previous = item.versions.first()
        log.result = Result.UPDATED
    item.format = incoming.format
    item.version = version
    item.content_hash = digest
    item.headline = headline
    item.data = data
    item.story = story
    item.pub_status = incoming.pub_status
    item.received_at = now
    item.save()
    IngestItemVersion.objects.create(
        item=item,
        version=version,
        content_hash=digest,
        headline=headline,
        pub_status=incoming.pub_status,
        data=data,
        story=story,
        received_at=now,
    )
    if item.article_id is None and channel.create_drafts and incoming.pub_status == "usable":
        _make_draft(item, by=workflow.system_editor())
    elif item.article_id is not None and previous is not None:
        _follow_version(item)
    log.item, log.article, log.version = item, item.article, version
    log.save()
    return log


def _draft_fields(item: IngestItem) -> dict:
    story = item.story
    incoming = item.data
    placed = {int(k): v for k, v in (story.get("subhead_positions") or {}).items()}
    fields = {
        "headline": (item.headline or story.get("headline") or item.guid)[:300],
        "body": paragraphs_to_html(story.get("paragraphs") or [], placed),
        "summary": incoming.get("summary") or "",
    }
    place = ((story.get("dateline") or {}).get("place") or "")[:120]
    if place:
        fields["dateline_place"] = place
    return fields


def _make_draft(item: IngestItem, *, by: AbstractBaseUser) -> Article:
    channel = item.channel
    # The import path sets what the item carries (summary, language, urgency, embargo);
    # the channel's defaults fill what it does not.
    article = save_wire_story(item.story, desk=channel.desk, by=by, file=item.guid)
    if channel.language:
        article.language = channel.language
    if not item.data.get("urgency"):
        article.priority = channel.priority
    article.save(update_fields=["language", "priority"])
    item.article = article
    item.save(update_fields=["article"])
    return article


def _item_url(item: IngestItem) -> str:
    return reverse("admin:ingest_ingestitem_change", args=[item.pk])


def _open_finding(article: Article, code: str, subject: str, message: str) -> None:
    if not article.findings.filter(code=code, subject=subject, status="open").exists():
        AuditFinding.objects.create(article=article, code=code, subject=subject, message=message)


def _follow_version(item: IngestItem) -> None:
    """A newer version reached an item that has a story: change a draft, or tell the desk."""
    article = Article.objects.get(pk=item.article_id)
    if item.pub_status != IngestItem.PubStatus.USABLE:
        _agency_status(item, article)
        return
    if article.status in EDITABLE:
        fields = _draft_fields(item)
        for field, value in fields.items():
            setattr(article, field, value)
        workflow.save_copy(
            article,
            by=workflow.system_editor(),
            expected_lock_version=article.lock_version,
            fields=list(fields),
        )
        return
    if article.status in SENT:
        item.update_pending = True
        item.save(update_fields=["update_pending"])
        _open_finding(
            article,
            "agency-update",
            f"{item.guid} v{item.version}"[:200],
            f"The agency moved version {item.version} of this story; our published copy is "
            f"unchanged. Compare both at {_item_url(item)}",
        )


def _agency_status(item: IngestItem, article: Article) -> None:
    """The agency canceled or withheld the item behind ``article``."""
    verb = "canceled" if item.pub_status == IngestItem.PubStatus.CANCELED else "withheld"
    _open_finding(
        article,
        f"agency-{verb}",
        item.guid[:200],
        f"The agency {verb} this story (version {item.version}). Act on it at {_item_url(item)}",
    )
    acted = ""
    if item.channel.follow_agency_kills and article.status in SENT:
        acted = apply_agency_status(item, by=workflow.system_editor())
    alerts.agency_status(item, article, acted=acted)


def apply_agency_status(item: IngestItem, *, by: AbstractBaseUser) -> str:
    """Kill (agency canceled) or withhold (agency withheld) our story made from ``item``,
    as ``by``, through the workflow's own transitions; return what was done ("killed",
    "withheld", or "" when the story was not in a state to). Raises the workflow's
    `NotPermitted` for a user who may not kill or withhold.
    """
    article = Article.objects.get(pk=item.article_id)
    reason = f"The agency {item.pub_status} this story ({item.guid}, version {item.version})."
    if item.pub_status == IngestItem.PubStatus.CANCELED and article.status in SENT:
        workflow.kill(article, by=by, reason=reason)
        return "killed"
    if item.pub_status == IngestItem.PubStatus.WITHHELD and article.status == S.PUBLISHED:
        workflow.withhold(article, by=by, reason=reason)
        return "withheld"
    return ""


@transaction.atomic
def take(item: IngestItem, *, by: AbstractBaseUser) -> Article:
    """Take an agency item onto its channel's desk: its draft, made now as ``by`` from the
    latest version, or the one it already has. Raises the workflow's `NotPermitted` for a
    user who may not create stories."""
    item = IngestItem.objects.select_for_update().select_related("channel__desk").get(pk=item.pk)
    if item.article_id is not None:
        return Article.objects.get(pk=item.article_id)
    require(by, "articles.add_article", "take agency copy onto the desk")
    return _make_draft(item, by=by)
