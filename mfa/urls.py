"""The second factor's pages, under /admin/mfa/ (namespace "mfa"), so they carry the admin's
Content-Security-Policy."""

from __future__ import annotations

from django.urls import path

from mfa import views

app_name = "mfa"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("verify/", views.verify, name="verify"),
    path("setup/", views.setup, name="setup"),
    path("setup/qr.svg", views.setup_qr, name="setup-qr"),
    path("recovery-codes/", views.recovery_codes, name="recovery-codes"),
]
