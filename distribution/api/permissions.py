"""Who may use the partner API: an authenticated, active partner, with a key whose scopes
cover what the view serves."""

from __future__ import annotations

from rest_framework.permissions import BasePermission

from distribution.models import Partner, PartnerAPIKey


class IsPartner(BasePermission):
    message = "A partner API key is required."

    def has_permission(self, request, view) -> bool:
        return isinstance(request.user, Partner) and request.user.active


class HasScope(BasePermission):
    """The key's scopes include the view's `required_scope` (a view without one is refused,
    so a new view cannot be left open by forgetting it)."""

    message = "This API key does not have the scope this endpoint needs."

    def has_permission(self, request, view) -> bool:
        scope = getattr(view, "required_scope", None)
        key = request.auth
        return scope is not None and isinstance(key, PartnerAPIKey) and scope in key.scopes
