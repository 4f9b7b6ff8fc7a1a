"""Servers on loopback, and ``fetch`` from a page as the browser allows it."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask, Response
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

#: The examples directory: the demo's modules live there.
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

FETCH_JS = """
async ([url, init, readHeaders]) => {
  try {
    const response = await fetch(url, init);
    const body = await response.text();
    const headers = {};
    for (const name of readHeaders) headers[name] = response.headers.get(name);
    return {ok: true, status: response.status, body: body, headers: headers};
  } catch (error) {
    return {ok: false, error: String(error)};
  }
}
"""


class Outcome:
    """The result of one ``fetch`` as the page saw it."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.allowed: bool = raw["ok"]
        self.status: int | None = raw.get("status")
        self.body: str = raw.get("body", "")
        self.headers: dict[str, str | None] = raw.get("headers", {})
        self.error: str | None = raw.get("error")

    def json(self) -> Any:
        return json.loads(self.body)

    def __repr__(self) -> str:
        if self.allowed:
            return f"<allowed {self.status} {self.body[:80]!r} {self.headers}>"
        return f"<blocked {self.error}>"


def browser_fetch(page: Any, url: str, read_headers: tuple[str, ...] = (), **init: Any) -> Outcome:
    """Run ``fetch(url, init)`` in ``page``; ``read_headers`` are read from the response."""
    return Outcome(page.evaluate(FETCH_JS, [url, init, list(read_headers)]))


class _QuietHandler(WSGIRequestHandler):
    """Request handler that does not log every request to stderr."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


@dataclass
class LiveServer:
    """A WSGI app served in a thread; ``requests`` lists ``(method, path)`` as they arrive."""

    server: BaseWSGIServer
    origin: str
    requests: list[tuple[str, str]] = field(default_factory=list)
    thread: threading.Thread | None = None
    app: Any = None

    def count(self, method: str, path: str | None = None) -> int:
        return sum(1 for m, p in self.requests if m == method and (path is None or p == path))

    def serve(self, app: Callable[..., Any]) -> None:
        def counting(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
            self.requests.append((environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")))
            return app(environ, start_response)

        self.app = app
        self.server.app = counting
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        if self.thread is not None:
            self.thread.join(timeout=5)


def _placeholder(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
    return [b"not ready"]


def bind(host_name: str) -> LiveServer:
    """Bind a server on 127.0.0.1 with a free port; ``host_name`` names it in the origin."""
    server = make_server("127.0.0.1", 0, _placeholder, threaded=True, request_handler=_QuietHandler)
    return LiveServer(server, f"http://{host_name}:{server.server_port}")


def blank_page_app() -> Flask:
    """The page origin's app: an empty HTML document to run ``fetch`` from."""
    app = Flask("browser_page")

    @app.get("/")
    def index() -> Response:
        return Response(
            "<!doctype html><title>page</title><p>page origin</p>", mimetype="text/html"
        )

    return app


def serve_apps(factories: Mapping[str, Callable[[str], Flask]]) -> Iterator[dict[str, LiveServer]]:
    """Serve a blank page on 127.0.0.1 and each API app (built for the page's origin) on
    localhost; yield the servers by name (the page as ``"page"``), then stop them all."""
    page = bind("127.0.0.1")
    page.serve(blank_page_app())
    started = {"page": page}
    try:
        for name, factory in factories.items():
            server = bind("localhost")
            server.serve(factory(page.origin))
            started[name] = server
        yield started
    finally:
        for server in started.values():
            server.stop()
