"""The ``supports_credentials`` option, and its lint finding with "any origin"."""

from __future__ import annotations

import warnings

import pytest
from flask import Flask

from flask_cors import CORS
from flask_cors.lint import CORSLintError

pytestmark = pytest.mark.usefixtures("without_installed_plugins")

ORIGIN = "https://client.example"


def test_credentials_off_by_default(cors_client, preflight):
    client = cors_client()

    actual = client.get("/", headers={"Origin": ORIGIN})
    answer = preflight(client)

    assert "Access-Control-Allow-Credentials" not in actual.headers
    assert "Access-Control-Allow-Credentials" not in answer.headers


def test_credentials_sent_on_actual_and_preflight_responses(cors_client, preflight):
    client = cors_client(origins=[ORIGIN], supports_credentials=True)

    actual = client.get("/", headers={"Origin": ORIGIN})
    answer = preflight(client)

    assert actual.headers["Access-Control-Allow-Credentials"] == "true"
    assert actual.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert answer.headers["Access-Control-Allow-Credentials"] == "true"
    assert answer.headers["Access-Control-Allow-Origin"] == ORIGIN


def test_credentials_sent_on_preflight_even_for_disallowed_method(cors_client, preflight):
    client = cors_client(origins=[ORIGIN], supports_credentials=True, methods=["GET"])

    answer = preflight(client, method="DELETE")

    assert answer.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert answer.headers["Access-Control-Allow-Credentials"] == "true"
    assert "Access-Control-Allow-Methods" not in answer.headers


def test_credentials_not_sent_to_denied_origin(cors_client):
    client = cors_client(origins=[ORIGIN], supports_credentials=True)

    response = client.get("/", headers={"Origin": "https://evil.example"})

    assert "Access-Control-Allow-Credentials" not in response.headers
    assert "Access-Control-Allow-Origin" not in response.headers


def test_credentials_with_literal_origins_are_no_finding(make_app, logged_findings):
    app = make_app()
    CORS(app, origins=[ORIGIN], supports_credentials=True)

    assert logged_findings() == []


def test_credentials_with_any_origin_are_logged_once_and_reflect_the_origin(
    make_app, logged_findings
):
    app = make_app()

    CORS(app, supports_credentials=True)
    response = app.test_client().get("/", headers={"Origin": "https://whoever.example"})

    (finding,) = logged_findings()
    assert (finding.id, finding.severity) == ("credentials-any-origin", "error")
    assert "supports_credentials" in finding.message
    assert response.headers["Access-Control-Allow-Origin"] == "https://whoever.example"
    assert response.headers["Access-Control-Allow-Credentials"] == "true"


def test_credentials_with_any_origin_finding_names_the_origins_source(make_app, logged_findings):
    app = make_app()
    app.config["CORS_SUPPORTS_CREDENTIALS"] = True

    CORS(app)

    (finding,) = logged_findings()
    assert "origins from the defaults" in finding.message
    assert "app config CORS_SUPPORTS_CREDENTIALS" in finding.message


def test_credentials_with_any_origin_is_no_python_warning(make_app):
    app = make_app()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        CORS(app, supports_credentials=True)


def test_credentials_with_any_origin_is_refused_under_lint_strict(make_app):
    app = make_app()
    with pytest.raises(CORSLintError, match="credentials-any-origin"):
        CORS(app, supports_credentials=True, lint_strict=True)


def test_credentials_on_request_without_origin_with_always_send(cors_client):
    client = cors_client(origins=[ORIGIN], supports_credentials=True)

    response = client.get("/")

    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert response.headers["Access-Control-Allow-Credentials"] == "true"


def test_credentials_finding_per_resource(make_app, logged_findings):
    app = Flask("creds")

    @app.route("/a")
    def a() -> str:
        return "a"

    CORS(
        app,
        origins=[ORIGIN],
        supports_credentials=True,
        resources={"/closed/*": {}, "/open/*": {"origins": "*"}},
    )

    (finding,) = logged_findings()
    assert finding.where == "resource '/open/*'"
