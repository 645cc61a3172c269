"""Alerts: what a desk must act on, raised by the parts that notice it (ingest, push) and
shown on the admin home page and e-mailed to the desk's editors.

One open alert per ``key`` (e.g. ``endpoint:12``): raising it again while it is open returns
the open one and sends no second e-mail, so a failure seen on every sweep alerts once.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from articles.models import Alert, Article, Desk

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

logger = logging.getLogger(__name__)

# Who an alert is for: those who can act on it (publish and kill).
ACTING_PERMISSION = ("articles", "kill_article")


def raise_alert(
    *,
    kind: str,
    key: str,
    title: str,
    message: str = "",
    desk: Desk | None = None,
    article: Article | None = None,
    url: str = "",
) -> Alert:
    """Record an alert and e-mail it to the desk's editors; return it.

    ``kind`` is one of `Alert.Kind`; ``key`` names what it is about (one open alert per
    key: an open one with the same key is returned unchanged, and no e-mail goes). ``desk``
    None means the whole newsroom. ``url`` is a site path where the editor acts. The e-mail
    goes after the caller's transaction commits, through Django's e-mail backend (console
    embedded); a failure to send is logged, never raised.
    """
    open_alert = Alert.objects.filter(key=key, resolved_at=None).first()
    if open_alert is not None:
        return open_alert
    try:
        with transaction.atomic():
            alert = Alert.objects.create(
                kind=kind,
                key=key,
                title=title[:300],
                message=message,
                desk=desk,
                article=article,
                url=url,
            )
    except IntegrityError:
        # Raised at the same moment by another process: theirs is the open one.
        return Alert.objects.get(key=key, resolved_at=None)
    transaction.on_commit(lambda: _mail(alert))
    return alert


def resolve_alerts(*, key: str, by: AbstractBaseUser | None = None) -> int:
    """Close the open alert with ``key`` (the condition has passed, or an editor dealt with
    it); returns how many were closed (0 or 1)."""
    return Alert.objects.filter(key=key, resolved_at=None).update(
        resolved_at=timezone.now(), resolved_by=by
    )


def recipients(desk: Desk | None) -> list[str]:
    """E-mail addresses of the active users who can act on an alert for ``desk``: those with
    the kill permission (by role or directly) on that desk (their contributor record's desk),
    or every such user for a newsroom-wide alert. Superusers get every alert."""
    app_label, codename = ACTING_PERMISSION
    can_act = Q(is_superuser=True) | Q(
        groups__permissions__content_type__app_label=app_label,
        groups__permissions__codename=codename,
    )
    can_act |= Q(
        user_permissions__content_type__app_label=app_label,
        user_permissions__codename=codename,
    )
    users = get_user_model().objects.filter(can_act, is_active=True).exclude(email="")
    if desk is not None:
        users = users.filter(Q(is_superuser=True) | Q(contributor__desk=desk))
    return sorted(set(users.values_list("email", flat=True)))


def open_alerts_for(user: AbstractBaseUser) -> QuerySet[Alert]:
    """The open alerts ``user`` sees on the admin home page: their desk's and the
    newsroom-wide ones; every open alert for a superuser or a user with no desk."""
    alerts = Alert.objects.filter(resolved_at=None).select_related("desk")
    desk_id = getattr(getattr(user, "contributor", None), "desk_id", None)
    if user.is_superuser or desk_id is None:
        return alerts
    return alerts.filter(Q(desk=None) | Q(desk_id=desk_id))


def _mail(alert: Alert) -> None:
    to = recipients(alert.desk)
    if not to:
        return
    body = alert.message
    if alert.url:
        body = f"{body}\n\n{settings.SITE_URL}{alert.url}".strip()
    try:
        send_mail(f"[{alert.get_kind_display()}] {alert.title}", body, None, to)
    except Exception:  # noqa: BLE001 - the alert is recorded and shown; mail is the extra
        logger.exception("could not e-mail alert %s", alert.pk)
