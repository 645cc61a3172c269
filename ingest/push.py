"""The HTTP push endpoint: ``POST /ingest/push/<channel id or slug>/``.

The body is one NewsML-G2, NITF or ninjs document (whatever `wire.formats` detects). It must
carry ``X-Newsroom-Signature: sha256=<hex>``, the HMAC-SHA256 of the exact body bytes keyed
with the channel's secret. Answers: 202 with the log rows when the delivery was taken (each
story's result, "failed" included), 401 for a missing or wrong signature, 404 for no such
push channel, 413 for a body over WIRE_FILE_MAX_BYTES (judged from ``Content-Length`` before
it is read), 503 while the channel is paused. No session, no CSRF: the signature is the
authentication.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ingest.channels import receive
from ingest.models import IngestChannel

SIGNATURE_HEADER = "X-Newsroom-Signature"


def sign(secret: str, body: bytes) -> str:
    """The signature header's value for ``body``: ``sha256=`` and the hex HMAC-SHA256."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _channel(ref: str) -> IngestChannel | None:
    lookup = {"pk": int(ref)} if ref.isdigit() else {"slug": ref}
    return IngestChannel.objects.filter(kind=IngestChannel.Kind.PUSH, **lookup).first()


@csrf_exempt
@require_POST
def push_view(request: HttpRequest, ref: str) -> JsonResponse:
    """Receive one signed delivery on a push channel (see the module's answers)."""
    channel = _channel(ref)
    if channel is None:
        return JsonResponse({"error": "no such push channel"}, status=404)
    limit = settings.WIRE_FILE_MAX_BYTES
    try:
        announced = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        announced = 0
    if announced > limit:
        return JsonResponse({"error": f"the body is over {limit:,} bytes"}, status=413)
    body = request.body
    if len(body) > limit:
        return JsonResponse({"error": f"the body is over {limit:,} bytes"}, status=413)
    given = request.headers.get(SIGNATURE_HEADER, "")
    if not given or not hmac.compare_digest(given.encode(), sign(channel.secret, body).encode()):
        return JsonResponse({"error": f"missing or wrong {SIGNATURE_HEADER}"}, status=401)
    if not channel.active:
        return JsonResponse({"error": "the channel is paused; send again later"}, status=503)
    # A story whose format carries no id (plain text) is known by its bytes, so a repeated
    # push is "unchanged" and two different ones are two stories.
    rows = receive(channel, body, name="push", guid=f"push:{hashlib.sha256(body).hexdigest()}")
    return JsonResponse(
        {
            "results": [
                {"guid": r.guid, "version": r.version, "result": r.result, "error": r.error}
                for r in rows
            ]
        },
        status=202,
    )
