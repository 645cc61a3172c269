"""WebSub (W3C Recommendation): feeds name a hub, and the hub is told when a feed changes,
so subscribers get the new stories pushed instead of polling for them."""

from __future__ import annotations

import logging

import requests
from django.conf import settings

logger = logging.getLogger(__name__)

HUB_TIMEOUT_SECONDS = 10


class HubRefused(requests.RequestException):
    """The hub answered, but not with success; worth another try later."""


def hub_url() -> str | None:
    """The configured hub (WEBSUB_HUB_URL), or None when feeds advertise none."""
    return settings.WEBSUB_HUB_URL or None


def notify_hub(topic_url: str) -> bool:
    """Tell the hub that `topic_url` has new content (hub.mode=publish).

    Returns False, doing nothing, when no hub is configured. Raises HubRefused on a non-2xx
    answer and requests' own errors on a network failure, so the caller may retry.
    """
    hub = hub_url()
    if not hub:
        return False
    response = requests.post(
        hub,
        data={"hub.mode": "publish", "hub.url": topic_url},
        timeout=HUB_TIMEOUT_SECONDS,
    )
    if not 200 <= response.status_code < 300:
        raise HubRefused(f"hub {hub} answered {response.status_code} for {topic_url}")
    logger.info("websub: hub notified of %s", topic_url)
    return True
