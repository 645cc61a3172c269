"""The user admin with a reset of a user's second factor, the one way an administrator
removes one (django-otp's own device admin, which would delete devices without a trace and
shows their keys, is taken out)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from mfa import services

User = get_user_model()

admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)
admin.site.unregister(User)


@admin.register(User)
class NewsroomUserAdmin(UserAdmin):
    list_display = (*UserAdmin.list_display, "mfa_enrolled")
    actions = ["reset_mfa"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        authenticators = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).annotate(has_mfa=Exists(authenticators))

    @admin.display(boolean=True, description="MFA", ordering="has_mfa")
    def mfa_enrolled(self, user) -> bool:
        return user.has_mfa

    @admin.action(description="Reset multi-factor authentication", permissions=["change"])
    def reset_mfa(self, request: HttpRequest, queryset: QuerySet) -> None:
        for user in queryset:
            ended = services.reset(user, by=request.user)
            self.message_user(
                request,
                f"Second factor of {user.get_username()} removed; {ended} session(s) ended. "
                "They enrol again at their next login.",
                messages.SUCCESS,
            )
