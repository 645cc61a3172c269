"""Refusing a request too large to handle, with a clear answer, before any view sees it.

Django's own upload limits apply while the body is being read, so a 30 MB upload is read in
full before it is refused. This middleware, first in the chain, answers 413 from the
Content-Length header alone. The proxy in front should refuse earlier still (README).

It also reads the query string once, guarded: past DATA_UPLOAD_MAX_NUMBER_FIELDS parameters
Django raises TooManyFieldsSent from whatever first touches `request.GET` (a view, DRF's
`query_params`), which outside a view's own handling is a 500. Here it is a 400 for every
URL. A form past Django's limits (too many fields, more than DATA_UPLOAD_MAX_MEMORY_SIZE
bytes) is a 400 that says which limit (`bad_request`, the project's handler400).

Every refusal speaks the caller's language: JSON `{"detail": ...}` under /api/ (its
documentation pages aside), an HTML page for a browser, plain text otherwise.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.html import format_html

TITLES = {400: "Bad request", 413: "Request too large"}


def refusal(request: HttpRequest, status: int, message: str) -> HttpResponse:
    """A 4xx answer carrying `message`, as JSON, HTML or plain text for the caller."""
    if request.path.startswith("/api/") and not request.path.startswith("/api/docs/"):
        return JsonResponse({"detail": message}, status=status)
    if "text/html" in request.META.get("HTTP_ACCEPT", ""):
        page = format_html(
            '<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8">'
            "<title>{title}</title></head>\n<body>\n<h1>{title}</h1>\n<p>{message}</p>\n"
            "<p>Nothing was saved. Go back to keep what you typed.</p>\n</body>\n</html>\n",
            title=TITLES.get(status, "Refused"),
            message=message,
        )
        return HttpResponse(page, status=status, content_type="text/html; charset=utf-8")
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def too_many_parameters() -> str:
    limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    return f"Too many parameters: the limit is {limit:,} per request."


class RequestSizeLimitMiddleware:
    """413 for a Content-Length over REQUEST_MAX_BYTES (body unread); 400 for a query string
    of more than DATA_UPLOAD_MAX_NUMBER_FIELDS parameters."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.REQUEST_MAX_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return refusal(request, 400, "Bad Content-Length.")
        if length > limit:
            return refusal(
                request, 413, f"Request body too large: {length:,} bytes; the limit is {limit:,}."
            )
        try:
            request.GET  # noqa: B018 - parsed once here, cached on the request for the view
        except TooManyFieldsSent:
            return refusal(request, 400, too_many_parameters())
        return self.get_response(request)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler400: Django's refusals of a request, saying which limit was passed."""
    if isinstance(exception, TooManyFieldsSent):
        message = too_many_parameters()
    elif isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        message = f"The form is too large: the limit is {limit:,} bytes."
    else:
        message = "The request could not be understood."
    return refusal(request, 400, message)
