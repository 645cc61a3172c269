"""What ingest tells the desk beyond its own pages: an agency kill or withhold of a story
we have, and a channel failing past its backoff. Each is one function, the one place the
desk's alert is raised from."""

from __future__ import annotations

import logging

from articles.models import Article
from ingest.models import IngestChannel, IngestItem

logger = logging.getLogger(__name__)


def agency_status(item: IngestItem, article: Article, *, acted: str) -> None:
    """Alert the desk of ``article`` that the agency canceled or withheld ``item``;
    ``acted`` says what the channel did by itself ("killed", "withheld" or "")."""
    done = f"; the story was {acted} automatically" if acted else ""
    logger.warning(
        "ingest alert: agency %s %s (our story %s)%s",
        item.pub_status,
        item.guid,
        article.slug,
        done,
    )


def channel_failing(channel: IngestChannel) -> None:
    """Alert the desk of ``channel`` that it has failed its runs past the backoff limit."""
    logger.warning(
        "ingest alert: channel %s failed %d times: %s",
        channel.slug,
        channel.consecutive_failures,
        channel.last_error,
    )
