"""Offers enrolment at login to a user without a second factor (where it is required, the
admin sends them to enrolment anyway). Connected in `MfaConfig.ready()`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from mfa.policy import mfa_required_for
from mfa.services import is_enrolled


@receiver(user_logged_in, dispatch_uid="mfa-offer-enrolment")
def offer_enrolment(sender, request: HttpRequest | None, user, **kwargs) -> None:
    if request is None or not user.is_staff or mfa_required_for(user) or is_enrolled(user):
        return
    messages.info(
        request,
        format_html(
            'Protect your account with a second factor: <a href="{}">set up an '
            "authenticator app</a>.",
            reverse("mfa:setup"),
        ),
        fail_silently=True,
    )
