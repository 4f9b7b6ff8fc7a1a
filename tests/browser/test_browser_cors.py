"""What a real browser allows: a page on one origin calling APIs on another.

The page lives on ``http://127.0.0.1:PORT_A``; every API lives on ``http://localhost:PORT_B``
(a different origin and a different site). Each test checks both sides: what the page
could read, and which requests actually reached the server.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Blueprint, Flask, Request, Response, abort, jsonify, request
from werkzeug.http import dump_cookie

import flask_cors
from flask_cors import CORS, cross_origin

from .helpers import LiveServer, browser_fetch, serve_apps

ELSEWHERE = "https://elsewhere.example"
JSON_HEADERS = {"Content-Type": "application/json"}


# --- the applications under test ------------------------------------------------------


def create_api(page_origin: str) -> Flask:
    app = Flask("browser_api")
    CORS(
        app,
        resources={
            "/api/*": {
                "origins": [page_origin],
                "allow_headers": ["Content-Type", "X-Allowed"],
                "expose_headers": ["X-Exposed"],
            },
            "/session/*": {"origins": [page_origin], "supports_credentials": True},
            "/private/*": {"origins": [ELSEWHERE]},
            "/cached/*": {"origins": [page_origin], "max_age": 600},
            "/uncached/*": {"origins": [page_origin], "max_age": 0},
        },
    )

    @app.route("/api/data", methods=["GET", "POST", "PUT"])
    def data() -> Response:
        response = jsonify(
            method=request.method,
            json=request.get_json(silent=True),
            x_allowed=request.headers.get("X-Allowed"),
        )
        response.headers["X-Exposed"] = "visible"
        response.headers["X-Hidden"] = "invisible"
        return response

    @app.get("/api/missing")
    def missing() -> Response:
        abort(404)

    @app.get("/api/broken")
    def broken() -> Response:
        abort(500)

    @app.get("/api/crash")
    def crash() -> Response:
        raise RuntimeError("the view failed")

    @app.route("/session/visit", methods=["GET", "POST"])
    def visit() -> Response:
        seen = request.cookies.get("sid")
        response = jsonify(cookie=seen)
        # set_cookie(partitioned=True) needs Werkzeug 3.1; Werkzeug 3.0 is supported.
        cookie = dump_cookie("sid", "s3cr3t", samesite="None", secure=True)
        response.headers.add("Set-Cookie", f"{cookie}; Partitioned")
        return response

    @app.route("/private/data", methods=["GET", "PUT"])
    def private() -> Response:
        return jsonify(secret=True)

    @app.put("/cached/thing")
    def cached() -> Response:
        return jsonify(ok=True)

    @app.put("/uncached/thing")
    def uncached() -> Response:
        return jsonify(ok=True)

    return app


def create_decorated_api(page_origin: str) -> Flask:
    """No ``CORS(app)`` at all: only the decorated views have CORS."""
    app = Flask("browser_decorated")

    @app.route("/decorated", methods=["GET", "PUT"])
    @cross_origin(origins=[page_origin], expose_headers=["X-Exposed"])
    def decorated() -> Response:
        response = jsonify(method=request.method)
        response.headers["X-Exposed"] = "from the decorator"
        return response

    @app.route("/plain", methods=["GET", "PUT"])
    def plain() -> Response:
        return jsonify(method=request.method)

    return app


def create_blueprint_api(page_origin: str) -> Flask:
    app = Flask("browser_blueprints")
    public = Blueprint("public", __name__, url_prefix="/public")
    CORS(public, origins=[page_origin])

    @public.route("/items", methods=["GET", "PUT"])
    def items() -> Response:
        return jsonify(blueprint="public", method=request.method)

    internal = Blueprint("internal", __name__, url_prefix="/internal")

    @internal.get("/items")
    def internal_items() -> Response:
        return jsonify(blueprint="internal")

    app.register_blueprint(public)
    app.register_blueprint(internal)
    return app


class AllowListedOrigins:
    """A ``match_origin`` plugin: origins come from a set that changes at run time."""

    def __init__(self) -> None:
        self.allowed: set[str] = set()

    @flask_cors.hookimpl
    def match_origin(self, origin: str, options: Any, request: Request) -> bool | None:
        if origin in self.allowed:
            return True
        return None


def create_plugin_api(page_origin: str) -> Flask:
    app = Flask("browser_plugin")
    CORS(app, origins=["https://configured.example"])
    app.extensions["cors"].pm.register(AllowListedOrigins(), name="allow-list")

    @app.route("/tenant/data", methods=["GET", "PUT"])
    def tenant() -> Response:
        return jsonify(tenant="data")

    return app


# --- fixtures ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def servers(chromium: Any) -> Iterator[dict[str, LiveServer]]:
    yield from serve_apps(
        {
            "api": create_api,
            "decorated": create_decorated_api,
            "blueprints": create_blueprint_api,
            "plugin": create_plugin_api,
        }
    )


@pytest.fixture
def api(servers: dict[str, LiveServer]) -> LiveServer:
    return servers["api"]


# --- simple and preflighted requests -------------------------------------------------


def test_simple_get_is_readable_without_preflight(page: Any, api: LiveServer) -> None:
    outcome = browser_fetch(page, api.origin + "/api/data")
    assert outcome.allowed, outcome
    assert outcome.json()["method"] == "GET"
    assert api.requests == [("GET", "/api/data")]


@pytest.mark.parametrize("method", ["POST", "PUT"])
def test_json_request_is_preflighted_then_sent(page: Any, api: LiveServer, method: str) -> None:
    outcome = browser_fetch(
        page, api.origin + "/api/data", method=method, headers=JSON_HEADERS, body='{"n": 1}'
    )
    assert outcome.allowed, outcome
    assert outcome.json() == {"method": method, "json": {"n": 1}, "x_allowed": None}
    assert api.requests == [("OPTIONS", "/api/data"), (method, "/api/data")]


def test_allowed_custom_request_header_reaches_the_view(page: Any, api: LiveServer) -> None:
    outcome = browser_fetch(page, api.origin + "/api/data", headers={"X-Allowed": "yes"})
    assert outcome.allowed, outcome
    assert outcome.json()["x_allowed"] == "yes"
    assert api.requests == [("OPTIONS", "/api/data"), ("GET", "/api/data")]


def test_refused_custom_request_header_stops_the_request(page: Any, api: LiveServer) -> None:
    outcome = browser_fetch(page, api.origin + "/api/data", headers={"X-Refused": "yes"})
    assert not outcome.allowed
    assert "Failed to fetch" in (outcome.error or "")
    # The preflight said no, so the browser never sent the request itself.
    assert api.requests == [("OPTIONS", "/api/data")]


def test_only_exposed_response_headers_are_readable(page: Any, api: LiveServer) -> None:
    outcome = browser_fetch(
        page, api.origin + "/api/data", read_headers=("X-Exposed", "X-Hidden", "Content-Type")
    )
    assert outcome.allowed, outcome
    assert outcome.headers == {
        "X-Exposed": "visible",
        "X-Hidden": None,
        "Content-Type": "application/json",
    }


# --- credentials -----------------------------------------------------------------------


def test_credentialed_requests_carry_the_cookie(page: Any, api: LiveServer) -> None:
    url = api.origin + "/session/visit"
    first = browser_fetch(page, url, credentials="include")
    assert first.allowed, first
    assert first.json() == {"cookie": None}
    second = browser_fetch(page, url, method="POST", credentials="include")
    assert second.allowed, second
    assert second.json() == {"cookie": "s3cr3t"}


def test_cookie_is_not_sent_without_credentials_include(page: Any, api: LiveServer) -> None:
    url = api.origin + "/session/visit"
    assert browser_fetch(page, url, credentials="include").allowed
    outcome = browser_fetch(page, url)
    assert outcome.allowed, outcome
    assert outcome.json() == {"cookie": None}


def test_credentialed_request_is_blocked_without_supports_credentials(
    page: Any, api: LiveServer
) -> None:
    outcome = browser_fetch(page, api.origin + "/api/data", credentials="include")
    assert not outcome.allowed
    assert api.requests == [("GET", "/api/data")]


# --- denied origins ----------------------------------------------------------------------


def test_denied_origin_cannot_read_a_simple_response(page: Any, api: LiveServer) -> None:
    outcome = browser_fetch(page, api.origin + "/private/data")
    assert not outcome.allowed
    # A simple request is sent anyway: CORS protects the response, not the server.
    assert api.requests == [("GET", "/private/data")]


def test_denied_origin_never_sends_a_preflighted_request(page: Any, api: LiveServer) -> None:
    outcome = browser_fetch(
        page, api.origin + "/private/data", method="PUT", headers=JSON_HEADERS, body="{}"
    )
    assert not outcome.allowed
    assert api.requests == [("OPTIONS", "/private/data")]


# --- preflight caching -----------------------------------------------------------------


def test_max_age_lets_the_browser_reuse_the_preflight(page: Any, api: LiveServer) -> None:
    for _ in range(3):
        outcome = browser_fetch(
            page, api.origin + "/cached/thing", method="PUT", headers=JSON_HEADERS, body="{}"
        )
        assert outcome.allowed, outcome
    assert api.count("OPTIONS", "/cached/thing") == 1
    assert api.count("PUT", "/cached/thing") == 3


def test_max_age_zero_makes_every_request_preflight(page: Any, api: LiveServer) -> None:
    for _ in range(3):
        outcome = browser_fetch(
            page, api.origin + "/uncached/thing", method="PUT", headers=JSON_HEADERS, body="{}"
        )
        assert outcome.allowed, outcome
    assert api.count("OPTIONS", "/uncached/thing") == 3
    assert api.count("PUT", "/uncached/thing") == 3


# --- error responses ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "status"), [("/api/missing", 404), ("/api/broken", 500), ("/api/crash", 500)]
)
def test_error_responses_are_readable_cross_origin(
    page: Any, api: LiveServer, path: str, status: int
) -> None:
    outcome = browser_fetch(page, api.origin + path, read_headers=("X-Exposed",))
    assert outcome.allowed, outcome
    assert outcome.status == status


# --- the decorator, blueprints, a plugin ----------------------------------------------------


def test_decorated_view_allows_the_page(page: Any, servers: dict[str, LiveServer]) -> None:
    server = servers["decorated"]
    got = browser_fetch(page, server.origin + "/decorated", read_headers=("X-Exposed",))
    assert got.allowed, got
    assert got.headers == {"X-Exposed": "from the decorator"}
    put = browser_fetch(
        page, server.origin + "/decorated", method="PUT", headers=JSON_HEADERS, body="{}"
    )
    assert put.allowed, put
    assert put.json() == {"method": "PUT"}
    assert server.requests == [
        ("GET", "/decorated"),
        ("OPTIONS", "/decorated"),
        ("PUT", "/decorated"),
    ]


def test_undecorated_view_stays_closed(page: Any, servers: dict[str, LiveServer]) -> None:
    server = servers["decorated"]
    assert not browser_fetch(page, server.origin + "/plain").allowed
    put = browser_fetch(page, server.origin + "/plain", method="PUT", headers=JSON_HEADERS)
    assert not put.allowed
    assert ("PUT", "/plain") not in server.requests


def test_blueprint_with_cors_is_open_and_others_are_not(
    page: Any, servers: dict[str, LiveServer]
) -> None:
    server = servers["blueprints"]
    public = browser_fetch(page, server.origin + "/public/items")
    assert public.allowed, public
    assert public.json() == {"blueprint": "public", "method": "GET"}
    put = browser_fetch(
        page, server.origin + "/public/items", method="PUT", headers=JSON_HEADERS, body="{}"
    )
    assert put.allowed, put
    internal = browser_fetch(page, server.origin + "/internal/items")
    assert not internal.allowed


def test_match_origin_plugin_decides_at_run_time(page: Any, servers: dict[str, LiveServer]) -> None:
    server = servers["plugin"]
    plugin = server.app.extensions["cors"].pm.get_plugin("allow-list")
    url = server.origin + "/tenant/data"
    assert not browser_fetch(page, url).allowed
    plugin.allowed.add(servers["page"].origin)
    try:
        got = browser_fetch(page, url)
        assert got.allowed, got
        assert got.json() == {"tenant": "data"}
        put = browser_fetch(page, url, method="PUT", headers=JSON_HEADERS, body="{}")
        assert put.allowed, put
    finally:
        plugin.allowed.clear()
    assert not browser_fetch(page, url + "?after").allowed
