"""Refusing a request too large to handle, before anything reads its body.

Django's own upload limits apply while the body is being read, so a 30 MB upload is read in
full before it is refused. This middleware, first in the chain, answers 413 from the
Content-Length header alone. The proxy in front should refuse earlier still (README).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class RequestSizeLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.REQUEST_MAX_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponse("Bad Content-Length.", status=400, content_type="text/plain")
        if length > limit:
            return HttpResponse(
                f"Request body too large: {length:,} bytes; the limit is {limit:,}.",
                status=413,
                content_type="text/plain",
            )
        return self.get_response(request)
