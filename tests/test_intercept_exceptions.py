"""The ``intercept_exceptions`` option: CORS headers on error responses."""

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
def test_error_responses_left_alone_when_not_intercepting(path, status, cors_headers):
    client = error_app(intercept_exceptions=False).test_client()

    response = client.get(path, headers=ORIGIN)

    assert response.status_code == status
    assert cors_headers(response) == {}
    assert "Vary" not in response.headers


def test_not_intercepting_still_handles_successful_responses():
    client = error_app(intercept_exceptions=False).test_client()

    response = client.get("/fine", headers=ORIGIN)

    assert response.headers["Access-Control-Allow-Origin"] == "https://client.example"


def test_not_intercepting_does_not_leak_between_requests():
    client = error_app(intercept_exceptions=False).test_client()

    client.get("/abort", headers=ORIGIN)
    response = client.get("/fine", headers=ORIGIN)

    assert response.headers["Access-Control-Allow-Origin"] == "https://client.example"


def test_not_intercepting_still_answers_preflight_of_missing_route(preflight):
    client = error_app(intercept_exceptions=False).test_client()

    response = preflight(client, "/missing")

    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "https://client.example"


def test_intercept_per_resource():
    client = error_app(
        resources={"/abort": {"intercept_exceptions": False}, "/*": {}}
    ).test_client()

    quiet = client.get("/abort", headers=ORIGIN)
    loud = client.get("/crash", headers=ORIGIN)

    assert "Access-Control-Allow-Origin" not in quiet.headers
    assert loud.headers["Access-Control-Allow-Origin"] == "https://client.example"
