"""Account events in the audit trail: every login, failed login, lockout and logout is
recorded through `AuditEntry.objects.record`, with the username and the client address,
never a password. Connected in `ArticlesConfig.ready()` to Django's auth signals and
django-axes' lockout signal."""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from articles.models import AuditEntry


def client_address(request: HttpRequest | None) -> str:
    """ "from 203.0.113.9" for the audit trail: the client address django-axes read (it
    honours TRUSTED_PROXY_COUNT), else the socket's; "" when there is none."""
    if request is None:
        return ""
    address = getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR", "")
    return f"from {address}" if address else ""


@receiver(user_logged_in, dispatch_uid="audit-login")
def record_login(sender, request: HttpRequest | None, user, **kwargs) -> None:
    AuditEntry.objects.record(
        None, by=user, action="login", subject=f"user:{user.pk}", note=client_address(request)
    )


@receiver(user_logged_out, dispatch_uid="audit-logout")
def record_logout(sender, request: HttpRequest | None, user, **kwargs) -> None:
    if user is not None:
        AuditEntry.objects.record(
            None, by=user, action="logout", subject=f"user:{user.pk}", note=client_address(request)
        )


@receiver(user_login_failed, dispatch_uid="audit-login-failed")
def record_failed_login(sender, credentials: dict, request: HttpRequest | None = None, **kwargs):
    # Django masks the password in `credentials`; only the username is kept.
    username = str(credentials.get("username", ""))[:100]
    AuditEntry.objects.record(
        None,
        by=None,
        action="login-failed",
        subject=f"username:{username}",
        note=client_address(request),
    )


@receiver(user_locked_out, dispatch_uid="audit-lockout")
def record_lockout(sender, request: HttpRequest | None, username: str, ip_address: str, **kw):
    AuditEntry.objects.record(
        None,
        by=None,
        action="lockout",
        subject=f"username:{str(username)[:100]}",
        note=f"locked out from {ip_address}" if ip_address else "locked out",
    )
