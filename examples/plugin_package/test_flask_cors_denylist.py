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


def test_an_app_without_a_denylist_gets_the_plugin_inert() -> None:
    app = make_app([])
    infos = {info.name: info for info in app.extensions["cors"].pm.plugin_infos()}
    assert infos["flask_cors_denylist"].takes_part is False
    response = app.test_client().get("/data", headers={"Origin": "https://evil.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "https://evil.example"
