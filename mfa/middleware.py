"""Keeps a session that has not given its second factor out of the admin.

A login is two steps. The first is Django's admin login (username and password, counted by
django-axes, recorded in the audit trail). The second is a code on /admin/mfa/verify/,
before which a user who has enrolled reaches no other admin page; a user who must have MFA
(mfa/policy.py) but has not enrolled reaches only the enrolment page.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from mfa.policy import mfa_required_for
from mfa.services import is_enrolled

# Pages any logged-in session may reach: logging in as someone else, logging out.
OPEN_VIEWS = frozenset({"admin:login", "admin:logout"})
VERIFY_VIEWS = frozenset(
    {
        "mfa:verify",
        "otp_webauthn:credential-authentication-begin",
        "otp_webauthn:credential-authentication-complete",
        "otp_webauthn:js-i18n-catalog",
    }
)
ENROL_VIEWS = frozenset({"mfa:setup", "mfa:setup-qr"})
GUARDED_NAMESPACES = frozenset({"admin", "mfa", "otp_webauthn"})


class SecondFactorMiddleware:
    """Redirects an unverified, logged-in user from any admin or MFA page to the code page
    (when enrolled) or the enrolment page (when MFA is required of them), keeping the page
    asked for in `next`. Placed after django-otp's OTPMiddleware, which gives
    `request.user.is_verified()`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or not GUARDED_NAMESPACES.intersection(match.namespaces):
            return None
        user = request.user
        if not user.is_authenticated or user.is_verified() or match.view_name in OPEN_VIEWS:
            return None
        if is_enrolled(user):
            allowed, target = VERIFY_VIEWS, "mfa:verify"
        elif mfa_required_for(user):
            allowed, target = ENROL_VIEWS, "mfa:setup"
        else:
            return None
        if match.view_name in allowed:
            return None
        return HttpResponseRedirect(
            f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}"
        )
