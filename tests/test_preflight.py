"""Preflight handling: answered by the pipeline, ahead of the app's own request hooks."""

from __future__ import annotations

import pytest
from flask import Flask, abort, request

from flask_cors import CORS

pytestmark = pytest.mark.usefixtures("without_installed_plugins")

ORIGIN = "https://client.example"


def guarded_app(**cors_kwargs: object) -> tuple[Flask, list[str]]:
    """An app whose before_request rejects everything with 401; records view calls."""
    app = Flask("guarded")
    calls: list[str] = []

    @app.before_request
    def require_login():
        abort(401)

    @app.route("/get-only")
    def get_only() -> str:
        calls.append(request.method)
        return "get"

    @app.route("/post-only", methods=["POST"])
    def post_only() -> str:
        calls.append(request.method)
        return "post"

    def no_options() -> str:
        calls.append(request.method)
        return "no options"

    app.add_url_rule(
        "/no-options", view_func=no_options, methods=["PUT"], provide_automatic_options=False
    )
    CORS(app, **cors_kwargs)
    return app, calls


@pytest.mark.parametrize(
    ("path", "method"), [("/get-only", "GET"), ("/post-only", "POST"), ("/no-options", "PUT")]
)
def test_preflight_answered_before_before_request_handlers(preflight, path, method):
    app, calls = guarded_app()

    response = preflight(app.test_client(), path, method=method, request_headers="x-token")

    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert response.headers["Access-Control-Allow-Methods"]
    assert response.headers["Access-Control-Allow-Headers"] == "x-token"
    assert response.data == b""
    assert calls == []


@pytest.mark.parametrize(("path", "method"), [("/get-only", "PUT"), ("/does-not-exist", "GET")])
def test_preflight_for_a_method_no_route_serves_is_left_to_the_app(preflight, path, method):
    app, calls = guarded_app()

    response = preflight(app.test_client(), path, method=method)

    assert response.status_code == 401
    assert calls == []


def test_preflight_from_denied_origin_goes_through_the_app_and_gets_no_cors_headers(
    preflight, cors_headers
):
    app, calls = guarded_app(origins="https://trusted.example")

    response = preflight(app.test_client(), "/get-only")

    # Only an allowed origin skips the app's own handlers; this one meets require_login.
    assert response.status_code == 401
    assert cors_headers(response) == {}
    assert calls == []


def test_plain_options_without_request_method_goes_through_the_app():
    app, _ = guarded_app()

    response = app.test_client().options("/get-only", headers={"Origin": ORIGIN})

    assert response.status_code == 401


def test_actual_request_still_meets_before_request_handlers():
    app, calls = guarded_app()

    response = app.test_client().get("/get-only", headers={"Origin": ORIGIN})

    assert response.status_code == 401
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert calls == []


def test_preflight_outside_cors_resources_is_left_to_the_app(preflight, cors_headers):
    app, _ = guarded_app(resources="/api/*")

    response = preflight(app.test_client(), "/get-only")

    assert response.status_code == 401
    assert cors_headers(response) == {}


def test_preflight_with_automatic_options_off_is_left_to_the_app(preflight):
    app, _ = guarded_app(automatic_options=False)

    response = preflight(app.test_client(), "/get-only")

    assert response.status_code == 401


def test_preflight_with_automatic_options_off_gets_flasks_options_answer(preflight):
    app = Flask("auto-off")

    @app.route("/r", methods=["GET", "PUT"])
    def r() -> str:
        return "r"

    CORS(app, automatic_options=False)

    response = preflight(app.test_client(), "/r")

    assert response.status_code == 200
    assert "PUT" in response.headers["Allow"]
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert response.headers["Access-Control-Allow-Methods"]


@pytest.mark.parametrize("automatic_options", [True, False])
def test_view_that_declares_options_receives_the_preflight(preflight, automatic_options):
    app = Flask("own-options")
    calls: list[str] = []

    @app.route("/own", methods=["GET", "OPTIONS"])
    def own() -> tuple[str, int]:
        calls.append(request.method)
        return "handled by the view", 204 if request.method == "OPTIONS" else 200

    CORS(app, automatic_options=automatic_options)

    response = preflight(app.test_client(), "/own", method="GET")

    assert calls == ["OPTIONS"]
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert response.headers["Access-Control-Allow-Methods"]


@pytest.mark.parametrize("origin", [None, "https://a.example\r\nX: 1", "not an origin"])
def test_preflight_without_a_valid_origin_goes_through_the_app(origin):
    app, _ = guarded_app(origins=["https://a.example", "https://b.example"])
    headers = {"Access-Control-Request-Method": "PUT"}
    environ = {} if origin is None else {"HTTP_ORIGIN": origin}

    response = app.test_client().options("/get-only", headers=headers, environ_overrides=environ)

    assert response.status_code == 401
    # Without Origin it is no CORS request: always_send may add the "most likely" origin.
    assert response.headers.get("Access-Control-Allow-Origin") in (
        None if origin else "https://a.example",
        None,
    )
    assert "Access-Control-Allow-Methods" not in response.headers


def test_preflight_for_a_post_of_json(preflight):
    app, _ = guarded_app(allow_headers=["Content-Type"], methods=["GET", "POST"])

    response = preflight(
        app.test_client(), "/post-only", method="POST", request_headers="content-type"
    )

    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert response.headers["Access-Control-Allow-Methods"] == "GET, POST"
    assert response.headers["Access-Control-Allow-Headers"] == "content-type"


def test_early_answer_of_one_app_is_not_used_by_another_app_sharing_the_environ():
    inner = Flask("inner")
    CORS(inner)  # any origin

    @inner.route("/x", methods=["PUT"])
    def inner_x() -> str:
        return "inner"

    outer = Flask("outer")
    CORS(outer, origins=["https://b.example"], supports_credentials=True)

    @outer.route("/x", methods=["GET", "PUT", "OPTIONS"])
    def outer_x() -> object:
        # Serves the request through the inner app in-process, with the same environ.
        from werkzeug.test import run_wsgi_app

        run_wsgi_app(inner.wsgi_app, request.environ)
        return "outer"

    response = outer.test_client().options(
        "/x",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "PUT"},
    )

    assert "Access-Control-Allow-Origin" not in response.headers
    assert "Access-Control-Allow-Methods" not in response.headers
