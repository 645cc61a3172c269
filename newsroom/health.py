"""Liveness and readiness endpoints (see the operations contract)."""

from __future__ import annotations

import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


def livez(request: HttpRequest) -> HttpResponse:
    """Touches neither database nor cache: also the benchmarks' bare Django view."""
    return HttpResponse("ok", content_type="text/plain")


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def check_cache() -> str:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=5)
    if cache.get(key) != "1":
        raise RuntimeError("value written was not read back")
    cache.delete(key)
    return "ok"


def check_broker() -> str:
    from newsroom.celery import app

    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
    return "ok"


CHECKS = {"database": check_database, "cache": check_cache, "broker": check_broker}


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when every part answers; 503 naming each part that does not."""
    report: dict[str, str] = {}
    healthy = True
    for name, check in CHECKS.items():
        try:
            report[name] = check()
        except Exception as exc:  # noqa: BLE001 - any failure of a part is reported, not raised
            logger.warning("healthz: %s is down: %s", name, exc)
            report[name] = f"error: {type(exc).__name__}"
            healthy = False
    return JsonResponse(report, status=200 if healthy else 503)
