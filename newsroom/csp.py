"""Content-Security-Policy by kind of page.

The strict policy in `CONTENT_SECURITY_POLICY` covers the public site (story pages, feeds,
the API). The admin and the API documentation need a little more (their own scripts, and
for ReDoc and Swagger UI inline styles and a blob worker); `CSP_POLICIES_BY_PATH` names those
policies by URL prefix, first match wins. Every policy forbids framing.
"""

from __future__ import annotations

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase


class PolicyByPathMiddleware(CSPMiddleware):
    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if report_only or parts.config is not None:
            return parts
        for prefix, directives in settings.CSP_POLICIES_BY_PATH:
            if request.path_info.startswith(prefix):
                parts.config = directives
                break
        return parts
