"""Error responses: CORS headers whenever the path matches, as Flask-Cors 6 sends them.

Flask runs ``after_request`` for the responses of error handlers and of unhandled
exceptions alike, so ``intercept_exceptions`` is accepted and changes nothing.
"""

from __future__ import annotations

import pytest
from flask import Flask, abort

from flask_cors import CORS

pytestmark = pytest.mark.usefixtures("without_installed_plugins")

ORIGIN = {"Origin": "https://client.example"}


class Teapot(Exception):
    pass


def error_app(**cors_kwargs: object) -> Flask:
    app = Flask("errors")

    @app.route("/abort")
    def aborts():
        abort(403)

    @app.route("/handled")
    def handled():
        raise Teapot

    @app.errorhandler(Teapot)
    def on_teapot(error: Teapot):
        return "short and stout", 418

    @app.route("/crash")
    def crash():
        raise RuntimeError("unhandled")

    @app.route("/fine")
    def fine() -> str:
        return "fine"

    CORS(app, **cors_kwargs)
    return app


@pytest.mark.parametrize(
    ("path", "status"),
    [("/abort", 403), ("/handled", 418), ("/crash", 500), ("/missing", 404)],
)
def test_error_responses_get_cors_headers_by_default(path, status):
    client = error_app(expose_headers="X-Total").test_client()

    response = client.get(path, headers=ORIGIN)

    assert response.status_code == status
    assert response.headers["Access-Control-Allow-Origin"] == "https://client.example"
    assert response.headers["Access-Control-Expose-Headers"] == "X-Total"
    assert response.headers["Vary"] == "Origin"


@pytest.mark.parametrize(
    ("path", "status"),
    [("/abort", 403), ("/handled", 418), ("/crash", 500), ("/missing", 404)],
)
def test_error_responses_get_cors_headers_even_with_intercept_exceptions_off(path, status):
    client = error_app(intercept_exceptions=False).test_client()

    response = client.get(path, headers=ORIGIN)

    assert response.status_code == status
    assert response.headers["Access-Control-Allow-Origin"] == "https://client.example"
    assert response.headers["Vary"] == "Origin"


def test_not_intercepting_still_handles_successful_responses():
    client = error_app(intercept_exceptions=False).test_client()

    response = client.get("/fine", headers=ORIGIN)

    assert response.headers["Access-Control-Allow-Origin"] == "https://client.example"


def test_preflight_of_a_missing_route_is_the_apps_404_with_cors_headers(preflight):
    client = error_app(intercept_exceptions=False).test_client()

    response = preflight(client, "/missing")

    assert response.status_code == 404
    assert response.headers["Access-Control-Allow-Origin"] == "https://client.example"


def test_error_responses_of_a_resource_with_intercept_exceptions_off_get_cors_headers():
    client = error_app(
        resources={"/abort": {"intercept_exceptions": False}, "/*": {}}
    ).test_client()

    aborted = client.get("/abort", headers=ORIGIN)
    crashed = client.get("/crash", headers=ORIGIN)

    assert aborted.headers["Access-Control-Allow-Origin"] == "https://client.example"
    assert crashed.headers["Access-Control-Allow-Origin"] == "https://client.example"


def test_flask_exception_handlers_are_not_wrapped():
    app = error_app()

    assert "handle_exception" not in vars(app)
    assert "handle_user_exception" not in vars(app)
