"""Answering an anonymous reader's cached feed before the parts of the stack it never uses.

A feed reader polls without a session: the session, its lifetime, CSRF, the user and the
second factor, messages and the login lockout have nothing to do for it, and together they
cost as much as the feed's own work (measured on a 2-core machine under gunicorn). So this
middleware, placed after everything that writes the response's security headers (the
security middleware, X-Frame-Options, the Content-Security-Policy) and before the session,
answers a GET or HEAD of a feed URL that carries no session cookie from the caches alone,
through the same `views.cached_response` the feed view uses. It validates the Host header
as CommonMiddleware does for every other request.

Anything else goes down the whole stack as before: a request with a session cookie, a feed
that is not cached (rendered by the view under its lock), a remembered 404, a shared cache
that does not answer.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import Resolver404, URLResolver
from django.urls.resolvers import RegexPattern

from distribution.feeds import cache as feed_cache
from distribution.feeds import views
from distribution.feeds.rendering import scope_key
from distribution.feeds.urls import MOUNT

_SAFE = frozenset({"GET", "HEAD"})


class CachedFeedMiddleware:
    """Serves a cached feed to a reader without a session (see the module docstring);
    passes every other request on unchanged."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        # The feed URLs exactly as distribution.feeds.urls declares them, under their mount.
        self.feeds = URLResolver(RegexPattern(rf"^/{MOUNT}"), "distribution.feeds.urls")
        self.prefix = f"/{MOUNT}"

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.method in _SAFE
            and request.path_info.startswith(self.prefix)
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        ):
            response = self._cached(request)
            if response is not None:
                return response
        return self.get_response(request)

    def _cached(self, request: HttpRequest) -> HttpResponse | None:
        try:
            match = self.feeds.resolve(request.path_info)
        except Resolver404:
            return None
        if match.func is not views.feed:
            return None
        # Raises DisallowedHost (a 400) for a Host not in ALLOWED_HOSTS, as for any page.
        request.get_host()
        kwargs = match.kwargs
        key = feed_cache.feed_key(
            scope_key(kwargs.get("kind", "all"), kwargs.get("value", "")), kwargs["fmt"]
        )
        try:
            response = views.cached_response(request, key)
        except (Http404, feed_cache.CacheUnavailable):
            return None  # the view answers these, with the whole stack's handling
        if response is not None and not response.has_header("Content-Length"):
            # What CommonMiddleware adds to every other answer (a 304's "0").
            response.headers["Content-Length"] = str(len(response.content))
        return response
