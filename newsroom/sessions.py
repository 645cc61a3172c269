"""Editor sessions end 12 hours after login whatever happens, and after 30 minutes without a
request (both settings). Django's own expiry moves with every save of the session, so it
cannot give an absolute limit; this middleware keeps the login time in the session itself.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse

STARTED = "newsroom.session_started"
LAST_SEEN = "newsroom.session_last_seen"
# Writing the session on every request would cost a database write per page; a minute's
# slack on a 30-minute idle limit costs nothing.
LAST_SEEN_RESOLUTION = 60


class SessionLifetimeMiddleware:
    """Logs out a session past `SESSION_ABSOLUTE_SECONDS` since login or idle for more than
    `SESSION_IDLE_SECONDS`. Placed after SessionMiddleware and before
    AuthenticationMiddleware, so the request that finds it expired is already anonymous."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        # Reading the session adds "Vary: Cookie"; a request without a session cookie (a feed
        # reader's) has nothing to expire and must stay cacheable.
        if settings.SESSION_COOKIE_NAME in request.COOKIES and SESSION_KEY in session:
            now = int(time.time())
            started = session.get(STARTED, now)
            last_seen = session.get(LAST_SEEN, now)
            if (
                now - started > settings.SESSION_ABSOLUTE_SECONDS
                or now - last_seen > settings.SESSION_IDLE_SECONDS
            ):
                session.flush()
            elif now - last_seen >= LAST_SEEN_RESOLUTION or STARTED not in session:
                session[STARTED] = started
                session[LAST_SEEN] = now
        response = self.get_response(request)
        # A login during this request: its clock starts now.
        session = request.session
        if session.accessed and SESSION_KEY in session and STARTED not in session:
            now = int(time.time())
            session[STARTED] = now
            session[LAST_SEEN] = now
        return response
