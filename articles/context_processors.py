"""What every public page needs whatever view rendered it (the 404 page has only a request)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    return {"organisation": settings.NEWSROOM_ORGANISATION}
