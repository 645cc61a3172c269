"""The admin home page's open alerts."""

from __future__ import annotations

from django import template
from django.contrib.auth.models import AbstractBaseUser

from articles.alerts import open_alerts_for
from articles.models import Alert

register = template.Library()


@register.simple_tag
def open_alerts(user: AbstractBaseUser, limit: int = 20) -> list[Alert]:
    """The open alerts ``user`` sees (their desk's and newsroom-wide), newest first, at most
    ``limit``; none for a user without the permission to view alerts."""
    if not user.has_perm("articles.view_alert"):
        return []
    return list(open_alerts_for(user)[:limit])
