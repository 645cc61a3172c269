"""The user's own MFA pages: the second login step, enrolment with a QR code, and recovery
codes. Thin: the rules are in mfa/services.py and mfa/policy.py."""

from __future__ import annotations

import io

import django_otp
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp.qr import write_qrcode_image

from articles.accounts import client_address
from articles.models import AuditEntry
from mfa import services
from mfa.forms import CodeForm
from mfa.policy import mfa_required_for


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("admin:index")


def _render(request: HttpRequest, template: str, title: str, **context) -> TemplateResponse:
    return TemplateResponse(
        request,
        template,
        {**admin.site.each_context(request), "title": title, "next": _next_url(request), **context},
    )


def _verify(request: HttpRequest) -> HttpResponse:
    """The second login step. A wrong code is recorded in the audit trail and counted by
    django-axes as a failed login, so guessing codes locks the username out as guessing
    passwords does (the lockout answer replaces this page, and the session is ended)."""
    user = request.user
    if not services.is_enrolled(user):
        return redirect("mfa:overview")
    credentials = {"username": user.get_username()}
    if AxesProxyHandler.is_locked(request, credentials):
        logout(request)
        return get_lockout_response(request, None, credentials)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.verify_code(user, form.cleaned_data["code"])
        if device is not None:
            django_otp.login(request, device)
            kind = "recovery code" if services.is_recovery_code(device) else "authenticator"
            AuditEntry.objects.record(
                None,
                by=user,
                action="mfa-verified",
                subject=f"user:{user.pk}",
                note=f"{kind} {client_address(request)}".strip(),
            )
            if kind == "recovery code":
                left = services.recovery_codes_left(user)
                messages.warning(request, f"Recovery code used: {left} left.")
            return HttpResponseRedirect(_next_url(request))
        AuditEntry.objects.record(
            None,
            by=user,
            action="mfa-failed",
            subject=f"user:{user.pk}",
            note=client_address(request),
        )
        AxesProxyHandler.user_login_failed(type(user), credentials, request)
        if getattr(request, "axes_locked_out", False):
            # AxesMiddleware turns this response into the lockout answer.
            logout(request)
        form.add_error("code", "That code is not right. Check the app's clock, or wait a moment.")
    return _render(
        request,
        "mfa/verify.html",
        "Enter your code",
        form=form,
        has_keys=bool(services.security_keys(user)),
    )


def _setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    if services.has_authenticator(user):
        messages.info(request, "You have already enrolled an authenticator app.")
        return redirect("mfa:overview")
    device = services.pending_authenticator(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.confirm_authenticator(device, form.cleaned_data["code"])
        if codes is not None:
            django_otp.login(request, device)
            return _render(request, "mfa/recovery_codes.html", "Your recovery codes", codes=codes)
        form.add_error("code", "That code is not right. Check the app's clock and try again.")
    key = services.readable_key(device)
    return _render(
        request,
        "mfa/setup.html",
        "Set up an authenticator app",
        form=form,
        key=key,
        required=mfa_required_for(user),
    )


def _setup_qr(request: HttpRequest) -> HttpResponse:
    """The QR code of the pending authenticator's otpauth:// URL, as an SVG image: loaded by
    an <img> from this site, so the page needs no script and no data: URL."""
    if services.has_authenticator(request.user):
        return HttpResponse(status=404)
    device = services.pending_authenticator(request.user)
    image = io.BytesIO()
    write_qrcode_image(device.config_url, image)
    response = HttpResponse(image.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "no-store"
    return response


def _overview(request: HttpRequest) -> HttpResponse:
    user = request.user
    return _render(
        request,
        "mfa/overview.html",
        "Multi-factor authentication",
        has_authenticator=services.has_authenticator(user),
        keys=services.security_keys(user),
        codes_left=services.recovery_codes_left(user),
        required=mfa_required_for(user),
        enforced=settings.MFA_REQUIRED,
    )


@require_POST
def _recovery_codes(request: HttpRequest) -> HttpResponse:
    if not services.has_authenticator(request.user):
        return redirect("mfa:setup")
    codes = services.renew_recovery_codes(request.user)
    return _render(request, "mfa/recovery_codes.html", "Your recovery codes", codes=codes)


# Through the admin site's wrapper: staff only, login required, CSRF-protected, never cached.
verify = admin.site.admin_view(_verify)
setup = admin.site.admin_view(_setup)
setup_qr = admin.site.admin_view(_setup_qr)
overview = admin.site.admin_view(_overview)
recovery_codes = admin.site.admin_view(_recovery_codes)
