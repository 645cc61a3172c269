"""Who must give a second factor: with `MFA_REQUIRED` on (the production default), every
account that may publish, kill or see confidential sources, which covers superusers."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

# The Editor's publish and kill, and the Standards role's view of confidential sources
# (articles/migrations/0003_roles.py).
MFA_PERMISSIONS = (
    "articles.publish_article",
    "articles.kill_article",
    "sources.view_confidential_source",
)


def mfa_required_for(user: AbstractBaseUser | AnonymousUser) -> bool:
    """True when `user` must enrol and give a code at each login: `MFA_REQUIRED` is on and
    the user holds any of `MFA_PERMISSIONS` (directly, through a group, or as superuser)."""
    if not settings.MFA_REQUIRED or not user.is_active:
        return False
    return any(user.has_perm(permission) for permission in MFA_PERMISSIONS)
