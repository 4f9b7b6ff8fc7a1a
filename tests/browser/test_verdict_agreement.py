"""flask_cors.testing agrees with Chromium on every scenario of the browser suite.

Each scenario is run twice against the same app: by ``fetch`` in a page on another
origin (the page on ``http://127.0.0.1``, the APIs on ``http://localhost``) and by
:func:`flask_cors.testing.simulate_fetch` through the app's test client. Both must allow
or block alike, send the same requests (a preflight or not, the request itself or not)
and let the page read the same response headers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask, Response, request

from flask_cors.testing import FetchResult, simulate_fetch

from .helpers import LiveServer, browser_fetch, serve_apps
from .test_browser_cors import (
    create_api,
    create_blueprint_api,
    create_decorated_api,
    create_plugin_api,
)

JSON = {"Content-Type": "application/json"}


def create_literal_api(page_origin: str) -> Flask:
    """No flask_cors: views that send fixed CORS headers, for the rules flask_cors avoids."""
    app = Flask("browser_literal")
    answers: dict[str, list[tuple[str, str]]] = {
        "star-headers": [
            ("Access-Control-Allow-Origin", "*"),
            ("Access-Control-Allow-Headers", "*"),
        ],
        "two-origins": [
            ("Access-Control-Allow-Origin", page_origin),
            ("Access-Control-Allow-Origin", page_origin),
        ],
        "star-credentials": [
            ("Access-Control-Allow-Origin", "*"),
            ("Access-Control-Allow-Credentials", "true"),
        ],
        "wrong-credentials": [
            ("Access-Control-Allow-Origin", page_origin),
            ("Access-Control-Allow-Credentials", "True"),
        ],
        "star-methods": [
            ("Access-Control-Allow-Origin", page_origin),
            ("Access-Control-Allow-Credentials", "true"),
            ("Access-Control-Allow-Methods", "*"),
        ],
        "upper-patch": [
            ("Access-Control-Allow-Origin", page_origin),
            ("Access-Control-Allow-Methods", "PATCH"),
        ],
        "trailing-slash": [("Access-Control-Allow-Origin", page_origin + "/")],
        "expose-star": [
            ("Access-Control-Allow-Origin", page_origin),
            ("Access-Control-Allow-Credentials", "true"),
            ("Access-Control-Expose-Headers", "*"),
        ],
        "preflight-401": [
            ("Access-Control-Allow-Origin", page_origin),
            ("Access-Control-Allow-Methods", "PUT"),
        ],
    }

    @app.route("/literal/<case>", methods=["GET", "POST", "PUT", "PATCH", "patch", "OPTIONS"])
    def literal(case: str) -> Response:
        status = 401 if case == "preflight-401" and request.method == "OPTIONS" else 200
        response = Response("literal", status=status)
        response.headers["X-Custom"] = "custom"
        for name, value in answers[case]:
            response.headers.add(name, value)
        return response

    return app


FACTORIES: dict[str, Callable[[str], Flask]] = {
    "api": create_api,
    "decorated": create_decorated_api,
    "blueprints": create_blueprint_api,
    "plugin": create_plugin_api,
    "literal": create_literal_api,
}


@dataclass(frozen=True)
class Scenario:
    server: str
    path: str
    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None
    credentials: bool = False
    #: Response headers whose readability is compared.
    read: tuple[str, ...] = ()
    #: What both must conclude.
    allowed: bool = True
    #: Set where Chromium is knowingly laxer than the Fetch standard that the checks
    #: follow: Chromium allows what the standard (and Firefox) refuse.
    chromium_laxer: bool = False


SCENARIOS = {
    "simple GET allowed": Scenario("api", "/api/data", read=("Content-Type", "X-Exposed")),
    "preflighted JSON POST": Scenario("api", "/api/data", "POST", JSON, '{"n": 1}'),
    "preflighted JSON PUT": Scenario("api", "/api/data", "PUT", JSON, '{"n": 1}'),
    "text POST without preflight": Scenario("api", "/api/data", "POST", body="plain"),
    "allowed custom header": Scenario("api", "/api/data", headers={"X-Allowed": "yes"}),
    "refused custom header": Scenario(
        "api", "/api/data", headers={"X-Refused": "yes"}, allowed=False
    ),
    "exposed and hidden headers": Scenario(
        "api", "/api/data", read=("X-Exposed", "X-Hidden", "Content-Type", "Content-Length")
    ),
    "credentials without supports_credentials": Scenario(
        "api", "/api/data", credentials=True, allowed=False
    ),
    "credentialed GET": Scenario("api", "/session/visit", credentials=True),
    "credentialed JSON PUT to a GET/POST view": Scenario(
        "api", "/session/visit", "PUT", JSON, "{}", credentials=True
    ),
    "denied origin, simple request": Scenario("api", "/private/data", allowed=False),
    "denied origin, preflighted request": Scenario(
        "api", "/private/data", "PUT", JSON, "{}", allowed=False
    ),
    "404 readable": Scenario("api", "/api/missing", read=("Content-Type",)),
    "500 readable": Scenario("api", "/api/broken"),
    "exception readable": Scenario("api", "/api/crash"),
    "unmatched path": Scenario("api", "/nowhere", allowed=False),
    "decorated GET": Scenario("decorated", "/decorated", read=("X-Exposed",)),
    "decorated PUT": Scenario("decorated", "/decorated", "PUT", JSON, "{}"),
    "undecorated view": Scenario("decorated", "/plain", allowed=False),
    "undecorated PUT": Scenario("decorated", "/plain", "PUT", JSON, "{}", allowed=False),
    "blueprint with CORS": Scenario("blueprints", "/public/items"),
    "Authorization with allow_headers '*'": Scenario(
        "blueprints", "/public/items", headers={"Authorization": "Bearer t"}
    ),
    "blueprint without CORS": Scenario("blueprints", "/internal/items", allowed=False),
    "plugin denies unknown origin": Scenario("plugin", "/tenant/data", allowed=False),
    "literal '*' headers with a custom header": Scenario(
        "literal", "/literal/star-headers", headers={"X-Any": "1"}, read=("X-Custom",)
    ),
    # Chromium still lets `*` cover Authorization, with only a console deprecation warning;
    # the Fetch standard and Firefox refuse it, and so does the check.
    "literal '*' headers and Authorization": Scenario(
        "literal",
        "/literal/star-headers",
        headers={"Authorization": "Bearer t"},
        allowed=False,
        chromium_laxer=True,
    ),
    "two Allow-Origin values": Scenario("literal", "/literal/two-origins", allowed=False),
    "'*' origin with credentials": Scenario(
        "literal", "/literal/star-credentials", credentials=True, allowed=False
    ),
    "'*' origin without credentials": Scenario("literal", "/literal/star-credentials"),
    "Allow-Credentials 'True'": Scenario(
        "literal", "/literal/wrong-credentials", credentials=True, allowed=False
    ),
    "'*' methods with credentials": Scenario(
        "literal", "/literal/star-methods", "PATCH", credentials=True, allowed=False
    ),
    "'*' methods without credentials": Scenario("literal", "/literal/star-methods", "PATCH"),
    "PATCH listed, PATCH sent": Scenario("literal", "/literal/upper-patch", "PATCH"),
    "PATCH listed, patch sent": Scenario("literal", "/literal/upper-patch", "patch", allowed=False),
    "Allow-Origin with a trailing slash": Scenario(
        "literal", "/literal/trailing-slash", allowed=False
    ),
    "expose '*' with credentials": Scenario(
        "literal", "/literal/expose-star", credentials=True, read=("X-Custom", "Content-Type")
    ),
    "expose '*' without credentials": Scenario(
        "literal", "/literal/expose-star", read=("X-Custom", "Content-Type")
    ),
    "preflight answered 401": Scenario(
        "literal", "/literal/preflight-401", "PUT", JSON, "{}", allowed=False
    ),
}


@pytest.fixture(scope="module")
def servers(chromium: Any) -> Iterator[dict[str, LiveServer]]:
    with pytest.MonkeyPatch.context() as patch:
        # The apps get only flask_cors's own plugins, whatever else is installed.
        patch.setenv("FLASK_CORS_DISABLE_PLUGIN_AUTOLOAD", "1")
        yield from serve_apps(FACTORIES)


def in_browser(page: Any, server: LiveServer, scenario: Scenario) -> Any:
    init: dict[str, Any] = {"method": scenario.method, "headers": scenario.headers}
    if scenario.body is not None:
        init["body"] = scenario.body
    if scenario.credentials:
        init["credentials"] = "include"
    return browser_fetch(page, server.origin + scenario.path, scenario.read, **init)


def simulated(app: Flask, origin: str, scenario: Scenario, client: Any = None) -> FetchResult:
    return simulate_fetch(
        client or app.test_client(),
        scenario.path,
        origin=origin,
        method=scenario.method,
        headers=scenario.headers,
        credentials=scenario.credentials,
        data=scenario.body,
    )


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_simulated_fetch_agrees_with_chromium(
    name: str, page: Any, servers: dict[str, LiveServer]
) -> None:
    scenario = SCENARIOS[name]
    server = servers[scenario.server]
    origin = servers["page"].origin

    seen = in_browser(page, server, scenario)
    result = simulated(server.app, origin, scenario)

    assert result.allowed is scenario.allowed, result.reason
    if scenario.chromium_laxer:
        # When Chromium starts to enforce the standard, this scenario joins the others.
        assert seen.allowed, "Chromium now refuses it too: drop chromium_laxer"
        assert result.preflight is not None
        assert server.requests[:1] == [("OPTIONS", scenario.path)]
        return
    assert seen.allowed is result.allowed, (seen, result.reason)
    sent = [(exchange.method, scenario.path) for exchange in result.exchanges]
    assert server.requests == sent
    if result.allowed:
        assert seen.status == result.response.status_code
        readable = result.readable_headers
        assert seen.headers == {name: readable.get(name.lower()) for name in scenario.read}


def test_credentialed_cookie_round_trip_agrees(page: Any, servers: dict[str, LiveServer]) -> None:
    server = servers["api"]
    origin = servers["page"].origin
    scenario = Scenario("api", "/session/visit", "POST", credentials=True)
    client = server.app.test_client()
    for expected in (None, "s3cr3t"):
        seen = in_browser(page, server, scenario)
        result = simulated(server.app, origin, scenario, client)
        assert seen.allowed, seen
        assert result.allowed, result.reason
        assert seen.json() == result.response.json == {"cookie": expected}
    anonymous = Scenario("api", "/session/visit")
    seen = in_browser(page, server, anonymous)
    result = simulated(server.app, origin, anonymous, client)
    assert seen.json() == result.response.json == {"cookie": None}
