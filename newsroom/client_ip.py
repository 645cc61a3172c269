"""The address a request came from, for lockouts and throttles.

Behind `TRUSTED_PROXY_COUNT` proxies the client is the address that many places from the
right of X-Forwarded-For (each proxy appends the address it was reached from; anything
further left was written by the client and may be forged). With no proxy it is the socket's
peer. The partner API's throttles read the same setting (REST_FRAMEWORK's NUM_PROXIES).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        addresses = [address.strip() for address in forwarded.split(",") if address.strip()]
        if addresses:
            return addresses[-min(proxies, len(addresses))]
    return request.META.get("REMOTE_ADDR")
