"""A partner's webhook server for the leak test: a real HTTP server in a thread.

It records every body it is sent, per path, and answers 200, or 500 while it is told
to be down, so the newsroom's retries have something to retry.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Push:
    """One request the partner's server received: its path ("/entitled") and JSON body."""

    path: str
    body: str


class PartnerServer:
    """`start()` serves on 127.0.0.1 (a free port); `url(path)` is where to push;
    `take()` returns the pushes received since the last call, in arrival order."""

    def __init__(self) -> None:
        self.down = False
        self._pushes: list[Push] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (the name http.server calls)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode("utf-8", "replace")
                with server._lock:
                    server._pushes.append(Push(self.path, body))
                    status = 500 if server.down else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def start(self) -> PartnerServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def url(self, path: str) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}{path}"

    def take(self) -> list[Push]:
        with self._lock:
            pushes, self._pushes = self._pushes, []
        return pushes
