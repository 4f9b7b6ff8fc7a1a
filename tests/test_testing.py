"""flask_cors.testing: the browser's checks, rule by rule, and fetches through a test client."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, Response, abort, jsonify, request

from flask_cors import CORS
from flask_cors.testing import (
    FetchResult,
    Verdict,
    browser_method,
    cors_check,
    needs_preflight,
    preflight_check,
    preflight_request_headers,
    readable_headers,
    simulate_fetch,
    unsafe_request_headers,
)

pytestmark = pytest.mark.usefixtures("without_installed_plugins")

A = "https://a.example"
B = "https://b.example"


def answer(status: int = 200, *headers: tuple[str, str]) -> Response:
    """A response carrying exactly these headers (repeats allowed)."""
    response = Response(status=status)
    response.headers.clear()
    for name, value in headers:
        response.headers.add(name, value)
    return response


# --- the CORS check --------------------------------------------------------------------

ACAO = "Access-Control-Allow-Origin"
ACAC = "Access-Control-Allow-Credentials"


@pytest.mark.parametrize(
    ("headers", "credentials", "allowed", "reason"),
    [
        ((), False, False, "no Access-Control-Allow-Origin header"),
        (((ACAO, "*"),), False, True, "Access-Control-Allow-Origin: * allows any origin"),
        (
            ((ACAO, "*"),),
            True,
            False,
            "credentials forbid Access-Control-Allow-Origin: *",
        ),
        (
            ((ACAO, "*"), (ACAC, "true")),
            True,
            False,
            "credentials forbid Access-Control-Allow-Origin: *",
        ),
        (((ACAO, A),), False, True, f"Access-Control-Allow-Origin matches origin {A!r}"),
        (
            ((ACAO, B),),
            False,
            False,
            f"Access-Control-Allow-Origin {B!r} does not match origin {A!r}",
        ),
        (
            ((ACAO, A + "/"),),
            False,
            False,
            f"Access-Control-Allow-Origin {A + '/'!r} does not match origin {A!r}",
        ),
        (
            ((ACAO, A.upper()),),
            False,
            False,
            f"Access-Control-Allow-Origin {A.upper()!r} does not match origin {A!r}",
        ),
        (((ACAO, A), (ACAO, A)), False, False, "two Access-Control-Allow-Origin values"),
        (((ACAO, f"{A}, {B}"),), False, False, "two Access-Control-Allow-Origin values"),
        (
            ((ACAO, "*"), (ACAO, A), (ACAO, B)),
            False,
            False,
            "three Access-Control-Allow-Origin values",
        ),
        (((ACAO, A),), True, False, "credentials need Access-Control-Allow-Credentials: true"),
        (
            ((ACAO, A), (ACAC, "True")),
            True,
            False,
            "credentials need Access-Control-Allow-Credentials: true",
        ),
        (
            ((ACAO, A), (ACAC, "true")),
            True,
            True,
            f"Access-Control-Allow-Origin matches origin {A!r} "
            "and Access-Control-Allow-Credentials is true",
        ),
        (
            ((ACAO, A), (ACAC, "false")),
            False,
            True,
            f"Access-Control-Allow-Origin matches origin {A!r}",
        ),
    ],
)
def test_cors_check_rules(
    headers: tuple[tuple[str, str], ...], credentials: bool, allowed: bool, reason: str
) -> None:
    verdict = cors_check(answer(200, *headers), A, credentials=credentials)

    assert (verdict.allowed, verdict.reason) == (allowed, reason)
    assert bool(verdict) is allowed


@pytest.mark.parametrize("status", [200, 204, 301, 404, 500])
def test_cors_check_ignores_the_status(status: int) -> None:
    assert cors_check(answer(status, (ACAO, A)), A).allowed


def test_null_origin_matches_only_null() -> None:
    assert cors_check(answer(200, (ACAO, "null")), "null").allowed
    assert not cors_check(answer(200, (ACAO, "null")), A).allowed


# --- exposed headers -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expose", "credentials", "readable"),
    [
        (None, False, {"content-type", "content-length", "cache-control"}),
        ("X-Total", False, {"content-type", "content-length", "cache-control", "x-total"}),
        (
            "x-total, X-Missing",
            False,
            {"content-type", "content-length", "cache-control", "x-total"},
        ),
        (
            "*",
            False,
            {
                "access-control-allow-origin",
                "access-control-expose-headers",
                "cache-control",
                "content-length",
                "content-type",
                "x-hidden",
                "x-total",
            },
        ),
        ("*", True, {"content-type", "content-length", "cache-control"}),
        ("*, X-Total", True, {"content-type", "content-length", "cache-control", "x-total"}),
        ("Set-Cookie", False, {"content-type", "content-length", "cache-control"}),
    ],
)
def test_readable_headers(expose: str | None, credentials: bool, readable: set[str]) -> None:
    headers = [
        (ACAO, A),
        ("Content-Type", "text/plain"),
        ("Content-Length", "0"),
        ("Cache-Control", "no-store"),
        ("X-Total", "3"),
        ("X-Hidden", "1"),
        ("Set-Cookie", "sid=1"),
    ]
    if expose is not None:
        headers.append(("Access-Control-Expose-Headers", expose))
    if credentials:
        headers.append((ACAC, "true"))
    response = answer(200, *headers)

    assert readable_headers(response, credentials) == readable
    assert cors_check(response, A, credentials).exposed_headers == readable


def test_refused_verdict_exposes_nothing() -> None:
    verdict = cors_check(answer(200, ("Content-Type", "text/plain")), A)
    assert verdict.exposed_headers == frozenset()


# --- which requests are preflighted ------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "sent"),
    [
        ("get", "GET"),
        ("Post", "POST"),
        ("put", "PUT"),
        ("delete", "DELETE"),
        ("options", "OPTIONS"),
        ("head", "HEAD"),
        ("patch", "patch"),
        ("PATCH", "PATCH"),
        ("purge", "purge"),
    ],
)
def test_browser_method_upper_cases_only_the_standard_methods(method: str, sent: str) -> None:
    assert browser_method(method) == sent


@pytest.mark.parametrize("method", ["CONNECT", "trace", "TRACK", "GET POST", ""])
def test_browser_method_refuses_what_a_page_cannot_send(method: str) -> None:
    with pytest.raises(ValueError, match=r"method|cannot send"):
        browser_method(method)


LONG = "a" * 129


@pytest.mark.parametrize(
    ("method", "headers", "content_type", "preflight"),
    [
        ("GET", {}, None, False),
        ("HEAD", {}, None, False),
        ("POST", {}, None, False),
        ("get", {}, None, False),
        ("PUT", {}, None, True),
        ("DELETE", {}, None, True),
        ("PATCH", {}, None, True),
        ("patch", {}, None, True),
        ("POST", {}, "text/plain", False),
        ("POST", {}, "text/plain;charset=UTF-8", False),
        ("POST", {}, "Multipart/Form-Data; boundary=x", False),
        ("POST", {}, "application/x-www-form-urlencoded", False),
        ("POST", {}, "application/json", True),
        ("POST", {}, "text/html", True),
        ("POST", {}, 'text/plain; x="quoted"', True),
        ("POST", {}, "text", True),
        ("GET", {"Accept": "application/json"}, None, False),
        ("GET", {"Accept": "text/<html>"}, None, True),
        ("GET", {"Accept": LONG}, None, True),
        ("GET", {"Accept-Language": "en-US, fr;q=0.5"}, None, False),
        ("GET", {"Accept-Language": "en_US"}, None, True),
        ("GET", {"Content-Language": "de"}, None, False),
        ("GET", {"Range": "bytes=0-"}, None, False),
        ("GET", {"Range": "bytes=10-20"}, None, False),
        ("GET", {"Range": "bytes=20-10"}, None, True),
        ("GET", {"Range": "bytes=-20"}, None, True),
        ("GET", {"Range": "bytes=0-1,5-6"}, None, True),
        ("GET", {"X-Requested-With": "XMLHttpRequest"}, None, True),
        ("GET", {"Authorization": "Bearer t"}, None, True),
        ("GET", {"Cache-Control": "no-cache"}, None, True),
    ],
)
def test_needs_preflight(
    method: str, headers: dict[str, str], content_type: str | None, preflight: bool
) -> None:
    assert needs_preflight(method, headers, content_type) is preflight


def test_safelisted_values_over_1024_bytes_need_a_preflight() -> None:
    value = "a" * 120
    headers = [("Accept", value)] * 8 + [("Accept-Language", "en")]
    assert unsafe_request_headers(headers[:8]) == ()
    assert unsafe_request_headers([*headers, ("Content-Language", "a" * 100)]) == (
        "accept",
        "accept-language",
        "content-language",
    )


def test_preflight_request_headers_are_built_like_a_browser() -> None:
    built = preflight_request_headers(
        A,
        "patch",
        {"X-B": "1", "Content-Type": "application/json", "x-a": "2", "Accept": "*/*", "X-b": "3"},
    )
    assert built == {
        "Accept": "*/*",
        "Origin": A,
        "Access-Control-Request-Method": "patch",
        "Access-Control-Request-Headers": "content-type,x-a,x-b",
    }
    assert "Access-Control-Request-Headers" not in preflight_request_headers(A, "PUT")


# --- the preflight check -------------------------------------------------------------------

ACAM = "Access-Control-Allow-Methods"
ACAH = "Access-Control-Allow-Headers"


@pytest.mark.parametrize(
    ("status", "headers", "method", "names", "credentials", "allowed", "reason"),
    [
        (200, ((ACAO, A), (ACAM, "PUT")), "PUT", (), False, True, "preflight allows PUT"),
        (204, ((ACAO, A), (ACAM, "PUT")), "PUT", (), False, True, "preflight allows PUT"),
        (401, ((ACAO, A), (ACAM, "PUT")), "PUT", (), False, False, "preflight answered 401"),
        (404, (), "PUT", (), False, False, "preflight answered 404"),
        (302, ((ACAO, A), (ACAM, "PUT")), "PUT", (), False, False, "preflight answered 302"),
        (200, ((ACAM, "PUT"),), "PUT", (), False, False, "no Access-Control-Allow-Origin header"),
        (
            200,
            ((ACAO, B), (ACAM, "PUT")),
            "PUT",
            (),
            False,
            False,
            f"Access-Control-Allow-Origin {B!r} does not match origin {A!r}",
        ),
        (
            200,
            ((ACAO, A), (ACAO, A), (ACAM, "PUT")),
            "PUT",
            (),
            False,
            False,
            "two Access-Control-Allow-Origin values",
        ),
        (
            200,
            ((ACAO, A), (ACAM, "PUT")),
            "PUT",
            (),
            True,
            False,
            "credentials need Access-Control-Allow-Credentials: true",
        ),
        (
            200,
            ((ACAO, A), (ACAC, "true"), (ACAM, "PUT")),
            "PUT",
            (),
            True,
            True,
            "preflight allows PUT",
        ),
        # methods
        (
            200,
            ((ACAO, A),),
            "PATCH",
            (),
            False,
            False,
            "method PATCH not in Access-Control-Allow-Methods",
        ),
        (
            200,
            ((ACAO, A), (ACAM, "GET, PUT")),
            "PATCH",
            (),
            False,
            False,
            "method PATCH not in Access-Control-Allow-Methods",
        ),
        (
            200,
            ((ACAO, A), (ACAM, "PATCH")),
            "patch",
            (),
            False,
            False,
            "method patch not in Access-Control-Allow-Methods",
        ),
        (
            200,
            ((ACAO, A), (ACAM, "patch")),
            "PUT",
            (),
            False,
            False,
            "method PUT not in Access-Control-Allow-Methods",
        ),
        (
            200,
            ((ACAO, A), (ACAM, "GET"), (ACAM, "PATCH")),
            "PATCH",
            (),
            False,
            True,
            "preflight allows PATCH",
        ),
        (200, ((ACAO, A), (ACAM, "*")), "PATCH", (), False, True, "preflight allows PATCH"),
        (
            200,
            ((ACAO, A), (ACAC, "true"), (ACAM, "*")),
            "PATCH",
            (),
            True,
            False,
            "method PATCH not in Access-Control-Allow-Methods "
            "(`*` does not count with credentials)",
        ),
        (
            200,
            ((ACAO, A),),
            "POST",
            ("x-a",),
            False,
            False,
            "header x-a not in Access-Control-Allow-Headers",
        ),
        (
            200,
            ((ACAO, A), (ACAH, "x-a")),
            "POST",
            ("x-a",),
            False,
            True,
            "preflight allows POST with x-a",
        ),
        (
            200,
            ((ACAO, A), (ACAM, "GET PUT")),
            "PUT",
            (),
            False,
            False,
            "Access-Control-Allow-Methods 'GET PUT' is not a list of methods",
        ),
        # headers
        (
            200,
            ((ACAO, A), (ACAH, "X-A, x-b")),
            "GET",
            ("x-a", "X-B"),
            False,
            True,
            "preflight allows GET with x-a, x-b",
        ),
        (
            200,
            ((ACAO, A), (ACAH, "x-a")),
            "GET",
            ("x-a", "x-b"),
            False,
            False,
            "header x-b not in Access-Control-Allow-Headers",
        ),
        (
            200,
            ((ACAO, A), (ACAH, "*")),
            "GET",
            ("x-a", "x-b"),
            False,
            True,
            "preflight allows GET with x-a, x-b",
        ),
        (
            200,
            ((ACAO, A), (ACAC, "true"), (ACAH, "*")),
            "GET",
            ("x-a",),
            True,
            False,
            "header x-a not in Access-Control-Allow-Headers (`*` does not count with credentials)",
        ),
        (
            200,
            ((ACAO, A), (ACAH, "*")),
            "GET",
            ("authorization",),
            False,
            False,
            "`Authorization` is not covered by `*`",
        ),
        (
            200,
            ((ACAO, A), (ACAH, "*, Authorization")),
            "GET",
            ("authorization",),
            False,
            True,
            "preflight allows GET with authorization",
        ),
        (
            200,
            ((ACAO, A), (ACAH, "x-a")),
            "GET",
            ("authorization",),
            False,
            False,
            "header authorization not in Access-Control-Allow-Headers",
        ),
        (
            200,
            ((ACAO, A), (ACAH, "x-a;x-b")),
            "GET",
            ("x-a",),
            False,
            False,
            "Access-Control-Allow-Headers 'x-a;x-b' is not a list of names",
        ),
        (
            200,
            ((ACAO, A), (ACAH, "x-a,, ,x-b")),
            "GET",
            ("x-b",),
            False,
            True,
            "preflight allows GET with x-b",
        ),
    ],
)
def test_preflight_check_rules(
    status: int,
    headers: tuple[tuple[str, str], ...],
    method: str,
    names: tuple[str, ...],
    credentials: bool,
    allowed: bool,
    reason: str,
) -> None:
    verdict = preflight_check(answer(status, *headers), A, method, names, credentials)

    assert verdict == Verdict(allowed, reason)


def test_preflight_check_takes_the_request_headers_as_a_mapping() -> None:
    response = answer(200, (ACAO, A), (ACAH, "x-a"))
    safelisted = {"Content-Type": "text/plain", "Accept": "*/*", "X-A": "1"}
    assert preflight_check(response, A, "POST", safelisted) == Verdict(
        True, "preflight allows POST with x-a"
    )
    json_body = {"Content-Type": "application/json"}
    assert preflight_check(response, A, "POST", json_body) == Verdict(
        False, "header content-type not in Access-Control-Allow-Headers"
    )


# --- simulate_fetch through a test client ---------------------------------------------------


@pytest.fixture
def app() -> Flask:
    app = Flask("testing_app")
    CORS(
        app,
        resources={
            "/api/*": {
                "origins": [A],
                "allow_headers": ["Content-Type", "X-Allowed"],
                "expose_headers": ["X-Exposed"],
            },
            "/session/*": {"origins": [A], "supports_credentials": True},
            "/open/*": {"origins": "*", "allow_headers": "*"},
        },
    )

    @app.route("/api/data", methods=["GET", "POST", "PUT", "PATCH"])
    def data() -> Response:
        response = jsonify(
            method=request.method,
            json=request.get_json(silent=True),
            body=request.get_data(as_text=True),
            content_type=request.content_type,
            accept=request.headers.get("Accept"),
        )
        response.headers["X-Exposed"] = "yes"
        response.headers["X-Hidden"] = "no"
        return response

    @app.get("/api/missing")
    def missing() -> Response:
        abort(404)

    @app.route("/session/visit", methods=["GET", "POST"])
    def visit() -> Response:
        response = jsonify(cookie=request.cookies.get("sid"))
        response.set_cookie("sid", "s3cr3t")
        return response

    @app.route("/open/data", methods=["GET", "PUT"])
    def open_data() -> Response:
        return jsonify(authorization=request.headers.get("Authorization"))

    @app.before_request
    def guard() -> Response | None:
        if request.path.startswith("/guarded"):
            abort(401)
        return None

    @app.route("/guarded/data", methods=["PUT"])
    def guarded() -> str:
        return "never"

    return app


def kinds(result: FetchResult) -> list[tuple[str, str]]:
    return [(exchange.kind, exchange.method) for exchange in result.exchanges]


def test_simple_get_is_one_exchange(app: Flask) -> None:
    result = simulate_fetch(app.test_client(), "/api/data", origin=A)

    assert result.allowed
    assert bool(result)
    assert kinds(result) == [("actual", "GET")]
    assert result.preflight is None
    assert result.actual is result.exchanges[0]
    assert result.blocked_at is None
    assert result.preflight_because == ()
    assert result.response.json is not None
    assert result.response.json["accept"] == "*/*"
    assert result.readable_headers == {
        "content-length": result.response.headers["Content-Length"],
        "content-type": "application/json",
        "x-exposed": "yes",
    }
    assert dict(result.exchanges[0].request_headers) == {"Accept": "*/*", "Origin": A}


def test_denied_simple_request_reaches_the_server_but_is_blocked(app: Flask) -> None:
    result = simulate_fetch(app.test_client(), "/api/data", origin=B)

    assert not result.allowed
    assert result.reason == "no Access-Control-Allow-Origin header"
    assert result.blocked_at == "actual"
    assert result.response.status_code == 200
    assert result.readable_headers == {}


def test_json_put_is_preflighted_then_sent(app: Flask) -> None:
    result = simulate_fetch(app.test_client(), "/api/data", origin=A, method="put", json={"n": 1})

    assert result.allowed, result.reason
    assert kinds(result) == [("preflight", "OPTIONS"), ("actual", "PUT")]
    assert result.preflight_because == ("PUT", "content-type")
    assert result.preflight is not None
    assert dict(result.preflight.request_headers) == {
        "Accept": "*/*",
        "Origin": A,
        "Access-Control-Request-Method": "PUT",
        "Access-Control-Request-Headers": "content-type",
    }
    assert result.preflight.verdict.reason == "preflight allows PUT with content-type"
    assert result.response.json == {
        "method": "PUT",
        "json": {"n": 1},
        "body": '{"n": 1}',
        "content_type": "application/json",
        "accept": "*/*",
    }
    assert ("Access-Control-Allow-Origin", A) in result.preflight.cors_headers()


def test_text_body_is_sent_as_text_plain_without_preflight(app: Flask) -> None:
    result = simulate_fetch(app.test_client(), "/api/data", origin=A, method="POST", data="hi")

    assert kinds(result) == [("actual", "POST")]
    assert result.response.json is not None
    assert result.response.json["content_type"] == "text/plain;charset=UTF-8"
    assert result.response.json["body"] == "hi"


def test_refused_header_stops_at_the_preflight(app: Flask) -> None:
    result = simulate_fetch(app.test_client(), "/api/data", origin=A, headers={"X-Refused": "1"})

    assert not result.allowed
    assert result.reason == "header x-refused not in Access-Control-Allow-Headers"
    assert result.blocked_at == "preflight"
    assert kinds(result) == [("preflight", "OPTIONS")]
    assert result.actual is None


def test_lower_case_patch_is_refused_like_a_browser_does(app: Flask) -> None:
    result = simulate_fetch(app.test_client(), "/api/data", origin=A, method="patch")

    assert not result.allowed
    assert result.reason == "method patch not in Access-Control-Allow-Methods"
    upper = simulate_fetch(app.test_client(), "/api/data", origin=A, method="PATCH")
    assert upper.allowed, upper.reason


def test_error_response_is_readable(app: Flask) -> None:
    result = simulate_fetch(app.test_client(), "/api/missing", origin=A)

    assert result.allowed
    assert result.response.status_code == 404


def test_preflight_rejected_by_authentication(app: Flask) -> None:
    # flask_cors answers preflights before before_request, so the guard never sees them;
    # an app without CORS for the path gets the guard's 401.
    result = simulate_fetch(app.test_client(), "/guarded/data", origin=A, method="PUT")

    assert not result.allowed
    assert result.reason == "preflight answered 401"


def test_allow_headers_wildcard_echoes_authorization(app: Flask) -> None:
    headers = {"Authorization": "Bearer t"}
    result = simulate_fetch(app.test_client(), "/open/data", origin=A, headers=headers)

    # flask_cors answers a wildcard with the requested names, which covers Authorization.
    assert result.allowed, result.reason
    assert result.preflight is not None
    assert result.preflight.response.headers["Access-Control-Allow-Headers"] == "authorization"
    assert result.response.json == {"authorization": "Bearer t"}


def test_a_literal_wildcard_does_not_cover_authorization() -> None:
    app = Flask("literal_wildcard")

    @app.route("/", methods=["GET", "OPTIONS"])
    def index() -> Response:
        response = Response("index")
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Allow-Headers"] = "*"
        return response

    client = app.test_client()
    assert simulate_fetch(client, "/", origin=A, headers={"X-Any": "1"}).allowed
    result = simulate_fetch(client, "/", origin=A, headers={"Authorization": "Bearer t"})
    assert not result.allowed
    assert result.reason == "`Authorization` is not covered by `*`"


def test_credentials_send_the_cookie_jar_and_keep_cookies(app: Flask) -> None:
    client = app.test_client()
    first = simulate_fetch(client, "/session/visit", origin=A, credentials=True)
    assert first.allowed, first.reason
    assert first.response.json == {"cookie": None}
    second = simulate_fetch(client, "/session/visit", origin=A, credentials=True)
    assert second.response.json == {"cookie": "s3cr3t"}
    anonymous = simulate_fetch(client, "/session/visit", origin=A)
    assert anonymous.response.json == {"cookie": None}


def test_credentials_fail_without_supports_credentials(app: Flask) -> None:
    result = simulate_fetch(app.test_client(), "/api/data", origin=A, credentials=True)

    assert not result.allowed
    assert result.reason == "credentials need Access-Control-Allow-Credentials: true"


def test_preflight_never_carries_cookies(app: Flask) -> None:
    client = app.test_client()
    client.set_cookie("sid", "x")
    seen: list[tuple[str, str | None]] = []
    inner = app.wsgi_app

    def record(environ: dict[str, Any], start_response: Any) -> Any:
        seen.append((environ["REQUEST_METHOD"], environ.get("HTTP_COOKIE")))
        return inner(environ, start_response)

    app.wsgi_app = record  # type: ignore[method-assign]
    result = simulate_fetch(
        client, "/session/visit", origin=A, method="POST", json={}, credentials=True
    )
    assert result.allowed, result.reason
    assert seen == [("OPTIONS", None), ("POST", "sid=x")]


@pytest.mark.parametrize(
    "name", ["Cookie", "Origin", "Sec-Fetch-Mode", "Proxy-Auth", "Host", "X Bad"]
)
def test_headers_a_page_cannot_set_are_refused(app: Flask, name: str) -> None:
    with pytest.raises(ValueError, match="cannot set the request header"):
        simulate_fetch(app.test_client(), "/api/data", origin=A, headers={name: "1"})


def test_body_rules(app: Flask) -> None:
    client = app.test_client()
    with pytest.raises(ValueError, match="cannot have a body"):
        simulate_fetch(client, "/api/data", origin=A, data="x")
    with pytest.raises(ValueError, match="data or json"):
        simulate_fetch(client, "/api/data", origin=A, method="POST", data="x", json=1)


def test_own_accept_and_content_type_are_kept(app: Flask) -> None:
    result = simulate_fetch(
        app.test_client(),
        "/api/data",
        origin=A,
        method="POST",
        headers={"Accept": "application/json", "Content-Type": "text/plain"},
        json=[1],
    )
    assert kinds(result) == [("actual", "POST")]
    assert result.response.json is not None
    assert result.response.json["accept"] == "application/json"
    assert result.response.json["content_type"] == "text/plain"


# --- the pytest plugin --------------------------------------------------------------------

PLUGIN_CONFTEST = """
import pytest
from flask import Flask
from flask_cors import CORS

@pytest.fixture
def app():
    app = Flask("plugin_app")
    CORS(app, origins=["https://client.example"], allow_headers=["content-type"])

    @app.route("/items", methods=["GET", "PUT"])
    def items():
        return "items"

    return app
"""

PLUGIN_TESTS = """
def test_fetch_uses_the_app_fixture(cors_fetch):
    result = cors_fetch("/items", method="PUT", json={"a": 1})
    assert result.allowed, result.reason
    assert [e.kind for e in result.exchanges] == ["preflight", "actual"]

def test_other_origin(cors_fetch):
    assert cors_fetch("/items", origin="https://evil.example").reason == (
        "no Access-Control-Allow-Origin header"
    )

def test_check(cors_check, app):
    response = app.test_client().get("/items", headers={"Origin": "https://client.example"})
    assert cors_check(response, "https://client.example")
"""

CLIENT_CONFTEST = """
import pytest
from flask import Flask
from flask_cors import CORS

@pytest.fixture
def cors_origin():
    return "https://mine.example"

@pytest.fixture
def client():
    app = Flask("client_app")
    CORS(app, origins=["https://mine.example"])
    app.get("/")(lambda: "index")
    return app.test_client()
"""

CLIENT_TESTS = """
def test_fetch_uses_the_client_fixture_and_the_origin(cors_fetch):
    result = cors_fetch("/")
    assert result.allowed, result.reason
    assert result.exchanges[0].request_headers[-1] == ("Origin", "https://mine.example")
"""

NO_APP_TESTS = """
def test_without_app(cors_fetch):
    pass

def test_unrelated():
    pass
"""


def run_pytest(tmp_path: Path, conftest: str, tests: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "conftest.py").write_text(textwrap.dedent(conftest))
    (tmp_path / "test_it.py").write_text(textwrap.dedent(tests))
    env = {**os.environ, "FLASK_CORS_DISABLE_PLUGIN_AUTOLOAD": "1"}
    env.pop("PYTEST_ADDOPTS", None)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "error", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_pytest_plugin_fixtures_with_an_app_fixture(tmp_path: Path) -> None:
    result = run_pytest(tmp_path, PLUGIN_CONFTEST, PLUGIN_TESTS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 passed" in result.stdout


def test_pytest_plugin_fixtures_with_a_client_fixture(tmp_path: Path) -> None:
    result = run_pytest(tmp_path, CLIENT_CONFTEST, CLIENT_TESTS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout


def test_pytest_plugin_explains_a_missing_app(tmp_path: Path) -> None:
    result = run_pytest(tmp_path, "", NO_APP_TESTS)
    assert result.returncode != 0
    assert "needs a `client` fixture" in result.stdout
    assert "1 passed" in result.stdout


def test_cors_fetch_fixture_uses_the_app_fixture(cors_fetch: Any, cors_origin: str) -> None:
    assert cors_origin == "https://client.example"
    refused = cors_fetch("/api/data")
    assert refused.reason == "no Access-Control-Allow-Origin header"
    result = cors_fetch("/api/data", origin=A, method="PUT", json={"n": 2})
    assert result.allowed, result.reason
    assert result.response.json["json"] == {"n": 2}


def test_cors_check_fixture_is_the_function(cors_check: Any) -> None:
    assert cors_check is globals()["cors_check"]


class TestWithAClientFixture:
    @pytest.fixture
    def client(self, app: Flask) -> Any:
        client = app.test_client()
        client.set_cookie("sid", "from-the-client-fixture")
        return client

    def test_cors_fetch_prefers_the_client_fixture(self, cors_fetch: Any) -> None:
        result = cors_fetch("/session/visit", origin=A, credentials=True)
        assert result.response.json == {"cookie": "from-the-client-fixture"}


def test_a_plain_werkzeug_client_works_too(app: Flask) -> None:
    from werkzeug.test import Client

    result = simulate_fetch(Client(app), "/api/data", origin=A, method="PUT", json={})
    assert result.allowed, result.reason
