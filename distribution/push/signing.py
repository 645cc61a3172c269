"""Standard Webhooks signatures: what a partner verifies with its endpoint's secret."""

from __future__ import annotations

from datetime import datetime

from standardwebhooks import Webhook


def signed_headers(
    *, secrets: list[str], webhook_id: str, body: str, at: datetime
) -> dict[str, str]:
    """The headers of one attempt: the id stays the same on every retry, the timestamp and
    signature are fresh (receivers refuse timestamps older than a few minutes).

    One signature per secret, space-separated, as Standard Webhooks allows: during a
    rotation's grace period a receiver holding either secret verifies the push.
    """
    signature = " ".join(
        Webhook(secret).sign(msg_id=webhook_id, timestamp=at, data=body) for secret in secrets
    )
    return {
        "webhook-id": webhook_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": signature,
        "content-type": "application/json",
    }
