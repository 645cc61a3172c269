"""What ingest tells the desk beyond its own pages, through `articles.alerts.raise_alert`
(the admin home page and an e-mail to the desk's editors): an agency kill or withhold of a
story we have, and a channel failing past its backoff. One open alert per cause."""

from __future__ import annotations

from django.urls import reverse

from articles.alerts import raise_alert, resolve_alerts
from articles.models import Alert, Article
from ingest.models import IngestChannel, IngestItem


def agency_status(item: IngestItem, article: Article, *, acted: str) -> Alert:
    """Alert the desk of ``article`` that the agency canceled or withheld ``item``;
    ``acted`` says what the channel did by itself ("killed", "withheld" or ""). The alert
    links to the item's page, where the editor kills or withholds in one step."""
    canceled = item.pub_status == IngestItem.PubStatus.CANCELED
    verb = "canceled" if canceled else "withheld"
    done = (
        f" Our story was {acted} automatically (the channel follows agency kills)."
        if acted
        else f" Our story ({article.get_status_display().lower()}) is unchanged: "
        "kill or withhold it from the link."
    )
    return raise_alert(
        kind=Alert.Kind.AGENCY_KILL if canceled else Alert.Kind.AGENCY_WITHHOLD,
        key=f"ingest-item:{item.pk}:{verb}",
        title=f"The agency {verb} “{item.headline or item.guid}”",
        message=f"{item.channel.name}: {item.guid}, version {item.version}.{done}",
        desk=item.channel.desk,
        article=article,
        url=reverse("admin:ingest_ingestitem_change", args=[item.pk]),
    )


def channel_failing(channel: IngestChannel) -> Alert:
    """Alert the desk of ``channel`` that its runs keep failing (past its backoff)."""
    return raise_alert(
        kind=Alert.Kind.CHANNEL_FAILING,
        key=f"ingest-channel:{channel.pk}",
        title=f"Ingest channel “{channel.name}” is failing",
        message=(
            f"{channel.consecutive_failures} runs in a row failed; the last: {channel.last_error}"
        ),
        desk=channel.desk,
        url=reverse("admin:ingest_ingestchannel_change", args=[channel.pk]),
    )


def channel_recovered(channel: IngestChannel) -> None:
    """Close the channel's failing alert, if one is open: it ran again."""
    resolve_alerts(key=f"ingest-channel:{channel.pk}")
