"""Every error of the partner API is JSON: {"detail": "...", "errors": {param: [why]}}."""

from __future__ import annotations

import logging

from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

logger = logging.getLogger(__name__)


def api_exception_handler(exc, context) -> Response:
    """DRF's handler, with parameter errors named and anything unexpected a JSON 500."""
    if isinstance(exc, exceptions.ValidationError):
        errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        names = ", ".join(sorted(errors))
        return Response(
            {"detail": f"Invalid parameter: {names}.", "errors": errors},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, Http404):
        # One answer for "no such item" and "not yours": a 404 must not confirm existence.
        exc = exceptions.NotFound("Not found.")
    response = exception_handler(exc, context)
    if response is None:
        # Logged with the traceback but without the request's headers, which hold the key.
        logger.exception("partner API error in %s", context["view"].__class__.__name__)
        response = Response(
            {"detail": "Internal error; it has been logged."},
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    return response


def not_found(request, *args, **kwargs) -> JsonResponse:
    """Unknown paths under /api/ answer in JSON too."""
    return JsonResponse({"detail": "Not found."}, status=404)
