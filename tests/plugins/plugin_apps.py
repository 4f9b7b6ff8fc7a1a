"""The app and requests the plugin-failure and plugin-answer tests share."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from flask_cors import CORS, hookimpl
from flask_cors.decision import Decision

ALLOWED = "https://app.example.com"
PREFLIGHT = {"Origin": ALLOWED, "Access-Control-Request-Method": "PUT"}


class Recorder:
    """An observer that keeps every decision record."""

    def __init__(self) -> None:
        self.decisions: list[Decision] = []

    @hookimpl
    def observe_decision(self, decision: Decision) -> None:
        self.decisions.append(decision)


def make_app(*plugins: object, **cors: Any) -> Flask:
    app = Flask("failures")
    app.testing = True
    cors.setdefault("plugin_discovery", False)
    cors.setdefault("origins", [ALLOWED])
    CORS(app, plugins=list(plugins), **cors)

    @app.route("/", methods=["GET", "PUT"])
    def index() -> str:
        return "body"

    return app


def request_for(client: FlaskClient, hook: str) -> Any:
    if hook == "build_preflight":
        return client.options("/", headers=PREFLIGHT)
    return client.get("/", headers={"Origin": ALLOWED})


def cors_headers(response: Any) -> dict[str, str]:
    return {k: v for k, v in response.headers.items() if k.lower().startswith("access-control")}
