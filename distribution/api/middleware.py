"""Handing a partner API request to its view before the parts of the stack it never uses.

A partner calls the API with a key and no session: the session, its lifetime, CSRF (the
API's views are exempt), the user, the second factor, messages and the login lockout have
nothing to do for it, and together they cost more than a cached page's own work (measured
under gunicorn on a 2-core machine). So this middleware, placed after everything that
writes the response's security headers (the security middleware, X-Frame-Options, the
Content-Security-Policy), gives a request for a partner view (`PartnerView`: the items,
their versions, the deliveries) that carries no session cookie straight to that view. The
view does every check it always does (key, scope, throttle, entitlements); what is done
here is what the skipped middleware and Django's handler would do for such a request:
the Host header validated and Content-Length set (CommonMiddleware), the URL resolved and
a template response rendered (the handler).

Anything else goes down the whole stack as before: a request with a session cookie, the
schema and its documentation pages, an unknown path under /api/.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.urls import Resolver404, ResolverMatch, URLResolver
from django.urls.resolvers import RegexPattern

from distribution.api.views import PartnerView

# The API's URLs as the project mounts them (distribution/urls.py), namespace and all.
API_PREFIX = "/api/"


class PartnerAPIMiddleware:
    """Gives a partner view its request directly (see the module docstring); passes every
    other request on unchanged."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        # distribution.urls mounts the API under "api/" with its "api" namespace; nothing
        # before it in the project's URLs claims a path under /api/.
        self.urls = URLResolver(RegexPattern(r"^/"), "distribution.urls")

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if (
            request.path_info.startswith(API_PREFIX)
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        ):
            match = self._partner_view(request.path_info)
            if match is not None:
                return self._serve(request, match)
        return self.get_response(request)

    def _partner_view(self, path: str) -> ResolverMatch | None:
        try:
            match = self.urls.resolve(path)
        except Resolver404:
            return None
        view_class = getattr(match.func, "view_class", None)
        if view_class is None or not issubclass(view_class, PartnerView):
            return None
        return match

    def _serve(self, request: HttpRequest, match: ResolverMatch) -> HttpResponseBase:
        # Raises DisallowedHost (a 400) for a Host not in ALLOWED_HOSTS, as for any page.
        request.get_host()
        request.resolver_match = match
        response = match.func(request, *match.args, **match.kwargs)
        if callable(getattr(response, "render", None)):
            response = response.render()
        if not response.streaming and not response.has_header("Content-Length"):
            response.headers["Content-Length"] = str(len(response.content))
        return response
