"""A scriptable stand-in for a publisher's API, served on 127.0.0.1 for the refresh tests."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest


@dataclass
class Reply:
    """One answer. ``blocks`` streams the body block by block instead of ``body`` (endless or
    slow answers): chunked if ``chunked``, else with no Content-Length, ended by closing."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    declared_length: int | None = None  # more than len(body): the connection closes early
    chunked: bool = False  # Transfer-Encoding: chunked, as the real Comtrade API answers
    blocks: Callable[[], Iterable[bytes]] | None = None  # a body written block by block


@dataclass
class Request:
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    raw_path: str


Route = Callable[[Request], Reply]


class PublisherServer:
    """Routes by path; each route is a list of replies given in turn (the last one repeats)."""

    def __init__(self) -> None:
        self.routes: dict[str, list[Reply] | Route] = {}
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True  # an endless answer must not keep the tests waiting
        self._server.block_on_close = False
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def on(self, path: str, *replies: Reply) -> None:
        self.routes[path] = list(replies)

    def on_call(self, path: str, route: Route) -> None:
        self.routes[path] = route

    def _reply_for(self, request: Request) -> Reply:
        with self._lock:
            self.requests.append(request)
            route = self.routes.get(request.path)
            if route is None:
                return Reply(404, b'{"error": "not found"}')
            if callable(route):
                return route(request)
            return route.pop(0) if len(route) > 1 else route[0]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
                parts = urlsplit(self.path)
                query = {name: values[-1] for name, values in parse_qs(parts.query).items()}
                request = Request(parts.path, query, dict(self.headers.items()), self.path)
                reply = server._reply_for(request)
                time.sleep(reply.delay)
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    if reply.chunked:
                        self.send_header("Transfer-Encoding", "chunked")
                    elif reply.blocks is None:
                        length = reply.declared_length or len(reply.body)
                        self.send_header("Content-Length", str(length))
                    self.end_headers()
                    for block in reply.blocks() if reply.blocks else [reply.body]:
                        if reply.chunked and block:
                            block = b"%x\r\n%s\r\n" % (len(block), block)
                        self.wfile.write(block)
                        self.wfile.flush()
                    if reply.chunked:
                        self.wfile.write(b"0\r\n\r\n")
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout, deadline and size tests)
                self.close_connection = True

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                """Keep test output quiet."""

        return Handler

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> PublisherServer:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()


@pytest.fixture
def publisher() -> Iterator[PublisherServer]:
    with PublisherServer() as server:
        yield server


def closed_port() -> int:
    """A port on 127.0.0.1 nothing listens on: connecting is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
