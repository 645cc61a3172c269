"""Security keys and passkeys (WebAuthn, through django-otp-webauthn) as a second factor
beside the authenticator app, never instead of the password.

The library's ceremony views, with the audit trail added: a key registered is recorded as an
enrolment, a login step passed with one as a verification, a refused one as a failure. A
key can be added only by a user who has the authenticator app (and so recovery codes).
URL names stay in the "otp_webauthn" namespace that the library's scripts are given.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import path
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn import exceptions
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)

from articles.accounts import client_address
from articles.models import AuditEntry
from mfa import services


class AuthenticatorAppFirst(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_code = "authenticator_app_first"
    default_detail = "Set up an authenticator app first; a security key is added beside it."


class _AfterAuthenticatorApp:
    def check_can_register(self) -> None:
        if not services.has_authenticator(self.request.user):
            raise AuthenticatorAppFirst()


class BeginRegistration(_AfterAuthenticatorApp, BeginCredentialRegistrationView):
    pass


class CompleteRegistration(_AfterAuthenticatorApp, CompleteCredentialRegistrationView):
    def post(self, *args, **kwargs) -> HttpResponse:
        response = super().post(*args, **kwargs)
        user = self.request.user
        AuditEntry.objects.record(
            None, by=user, action="mfa-enrol", subject=f"user:{user.pk}", note="security key"
        )
        return response


class CompleteAuthentication(CompleteCredentialAuthenticationView):
    def complete_auth(self, device) -> None:
        super().complete_auth(device)
        user = self.request.user
        AuditEntry.objects.record(
            None,
            by=user,
            action="mfa-verified",
            subject=f"user:{user.pk}",
            note=f"security key {client_address(self.request)}".strip(),
        )

    def handle_exception(self, exc: Exception) -> HttpResponse:
        user = self.request.user
        if isinstance(exc, exceptions.OTPWebAuthnApiError) and user.is_authenticated:
            AuditEntry.objects.record(
                None,
                by=user,
                action="mfa-failed",
                subject=f"user:{user.pk}",
                note=f"security key: {exc.code}",
            )
        return super().handle_exception(exc)


app_name = "otp_webauthn"

urlpatterns = [
    path(
        "registration/begin/",
        BeginRegistration.as_view(),
        name="credential-registration-begin",
    ),
    path(
        "registration/complete/",
        CompleteRegistration.as_view(),
        name="credential-registration-complete",
    ),
    path(
        "authentication/begin/",
        BeginCredentialAuthenticationView.as_view(),
        name="credential-authentication-begin",
    ),
    path(
        "authentication/complete/",
        CompleteAuthentication.as_view(),
        name="credential-authentication-complete",
    ),
    path(
        "jsi18n/",
        JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]),
        name="js-i18n-catalog",
    ),
]
