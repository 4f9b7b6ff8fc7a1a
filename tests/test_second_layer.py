"""A second CORS layer on one app is replaced, never doubled, and reported once."""

from __future__ import annotations

import logging

import pytest
from flask import Flask, Response

from flask_cors import CORS

pytestmark = pytest.mark.usefixtures("without_installed_plugins")


def app_whose_view_sets(name: str, header: str, value: str) -> Flask:
    """An app with CORS for one origin whose only view sets a CORS header itself."""
    app = Flask(name)
    CORS(app, origins=["https://client.example"])

    @app.get("/")
    def index() -> Response:
        response = Response("x")
        response.headers[header] = value
        return response

    return app


def test_view_that_sets_allow_origin_is_replaced_and_reported_once(caplog):
    app = app_whose_view_sets("layers", "Access-Control-Allow-Origin", "*")
    client = app.test_client()
    with caplog.at_level(logging.WARNING, logger="flask_cors"):
        first = client.get("/", headers={"Origin": "https://client.example"})
        second = client.get("/", headers={"Origin": "https://client.example"})

    for response in (first, second):
        assert response.headers.getlist("Access-Control-Allow-Origin") == ["https://client.example"]
    reports = [r for r in caplog.records if "second CORS layer" in r.getMessage()]
    assert len(reports) == 1
    assert "'layers'" in reports[0].getMessage()


def test_view_that_sets_only_expose_headers_is_not_reported(caplog):
    app = app_whose_view_sets("expose", "Access-Control-Expose-Headers", "X-Own")

    with caplog.at_level(logging.WARNING, logger="flask_cors"):
        response = app.test_client().get("/", headers={"Origin": "https://client.example"})

    assert response.headers["Access-Control-Allow-Origin"] == "https://client.example"
    assert response.headers["Access-Control-Expose-Headers"] == "X-Own"
    assert not [r for r in caplog.records if "second CORS layer" in r.getMessage()]
