"""Tests of the plugin, with Flask's test client: no server, no browser."""

from __future__ import annotations

import flask_cors_denylist
from flask import Flask

from flask_cors import CORS


def make_app(denied: list[str]) -> Flask:
    app = Flask(__name__)
    app.config["DENYLIST_ORIGINS"] = denied
    CORS(app, plugins=[flask_cors_denylist], plugin_discovery=False)

    @app.get("/data")
    def data() -> str:
        return "data"

    return app


def test_listed_origin_is_refused_although_any_origin_is_allowed() -> None:
    client = make_app(["https://evil.example"]).test_client()
    response = client.get("/data", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in response.headers
    assert response.headers["Vary"] == "Origin"


def test_other_origins_are_left_to_the_configuration() -> None:
    client = make_app(["https://evil.example"]).test_client()
    response = client.get("/data", headers={"Origin": "https://good.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "https://good.example"
