"""Partner servers on 127.0.0.1 in a thread, for push tests in-process and with a real
worker.

`Receiver` is a well-behaved receiver (pytest-httpserver) recording what it is sent, able to
answer the first requests with errors or to hold the first one.
`TricklingReceiver` answers every request with a status line and then one header line every
`interval` seconds, never finishing its headers within any sensible time: each read gets a
few bytes well inside a per-read timeout, so only a total deadline ends the attempt. It
counts the connections open at once, to show how many attempts an endpoint holds.
`ManyEndpoints` is many partners' endpoints on one server, for a fan-out.
"""

from __future__ import annotations

import json
import select
import socket
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from pytest_httpserver import HTTPServer
from werkzeug import Response


class TricklingReceiver:
    """`TricklingReceiver(interval=1.5, lines=40).start()`; `.url`; `.stop()`."""

    def __init__(self, *, interval: float = 1.5, lines: int = 40) -> None:
        self.interval = interval
        self.lines = lines
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]
        self.lock = threading.Lock()
        self.open_now = 0
        self.most_open = 0
        self.connections = 0
        self.held: list[float] = []  # seconds each connection stayed open
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def start(self) -> TricklingReceiver:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.listener.close()

    def _accept(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._trickle, args=(conn,), daemon=True).start()

    def _trickle(self, conn: socket.socket) -> None:
        opened = time.monotonic()
        with self.lock:
            self.connections += 1
            self.open_now += 1
            self.most_open = max(self.most_open, self.open_now)
        try:
            conn.settimeout(5)
            conn.recv(65536)  # the request (headers and a small body); its content is moot
            conn.sendall(b"HTTP/1.1 200 OK\r\n")
            for n in range(self.lines):
                # Wait out the interval, but notice at once when the client hangs up.
                readable, _, _ = select.select([conn], [], [], self.interval)
                if self.stopping.is_set() or (readable and not conn.recv(1024)):
                    return
                conn.sendall(f"X-Still-Thinking-{n}: yes\r\n".encode())
            conn.sendall(b"Content-Length: 2\r\n\r\nok")
        except OSError:
            pass  # the client gave up: what a deadline should do
        finally:
            conn.close()
            with self.lock:
                self.open_now -= 1
                self.held.append(time.monotonic() - opened)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Receiver:
    """A partner's webhook receiver on 127.0.0.1, recording what it is sent."""

    def __init__(
        self, port: int | None = None, delay_first: float = 0.0, answers: tuple[int, ...] = ()
    ) -> None:
        self.server = HTTPServer(host="127.0.0.1", port=port or free_port(), threaded=True)
        self.server.expect_request("/hook", method="POST").respond_with_handler(self.handle)
        self.received: list[tuple[dict, str]] = []
        self.delay_first = delay_first
        # Statuses to answer the first requests with, in order; 200 after them.
        self.answers = list(answers)
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.port}/hook"

    def handle(self, request):
        with self.lock:
            self.received.append((dict(request.headers), request.get_data(as_text=True)))
            first = len(self.received) == 1
            status = self.answers.pop(0) if self.answers else 200
        if first and self.delay_first:
            time.sleep(self.delay_first)
        return Response("ok" if status < 300 else "down", status=status)

    @property
    def bodies(self) -> list[dict]:
        """Each body received, parsed, in order of arrival."""
        with self.lock:
            return [json.loads(body) for _, body in self.received]

    def got(self, event_type: str, guid: str) -> bool:
        """Whether a push of `event_type` for the item `guid` has arrived."""
        return any(b["type"] == event_type and b["data"]["guid"] == guid for b in self.bodies)

    def start(self) -> Receiver:
        self.server.start()
        return self

    def stop(self) -> None:
        if self.server.is_running():
            self.server.stop()


class ManyEndpoints:
    """Many partners' endpoints on one threaded HTTP/1.1 server on 127.0.0.1 (keep-alive, a
    deep accept queue): `url(n)` is endpoint n's URL (path /partner-n/hook). Records each
    request's path, headers and body; each answer is held `hold` seconds, and it counts the
    requests open at once, to show how many a sender has in flight.

    `ManyEndpoints(hold=0.2).start()`; `.received`, `.per_path()`, `.most_open`; `.stop()`.
    """

    def __init__(self, *, hold: float = 0.0) -> None:
        self.hold = hold
        self.lock = threading.Lock()
        self.received: list[tuple[str, dict, str]] = []
        self.open_now = 0
        self.most_open = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802 (the name http.server calls)
                with outer.lock:
                    outer.open_now += 1
                    outer.most_open = max(outer.most_open, outer.open_now)
                try:
                    body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                    if outer.hold:
                        time.sleep(outer.hold)
                    with outer.lock:
                        outer.received.append((self.path, dict(self.headers), body.decode()))
                    self.send_response(200)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok")
                finally:
                    with outer.lock:
                        outer.open_now -= 1

            def log_message(self, *args) -> None:
                pass

        class Server(ThreadingHTTPServer):
            request_queue_size = 256
            daemon_threads = True

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, n: int) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/partner-{n}/hook"

    def per_path(self) -> Counter:
        """How many requests each path received."""
        with self.lock:
            return Counter(path for path, _, _ in self.received)

    def start(self) -> ManyEndpoints:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
