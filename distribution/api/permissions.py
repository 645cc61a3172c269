"""Who may use the partner API at all: an authenticated, active partner."""

from __future__ import annotations

from rest_framework.permissions import BasePermission

from distribution.models import Partner


class IsPartner(BasePermission):
    message = "A partner API key is required."

    def has_permission(self, request, view) -> bool:
        return isinstance(request.user, Partner) and request.user.active
