"""Blueprints and application factories.

``cors`` is created once, without an app, and attached to each app the factory builds
(``init_app``); a blueprint gets its own CORS settings when it is passed to ``CORS``.
"""

from __future__ import annotations

from flask import Blueprint, Flask, jsonify
from flask.wrappers import Response

from flask_cors import CORS

cors = CORS(expose_headers=["X-Request-Id"])

api = Blueprint("api", __name__, url_prefix="/api")
CORS(api, origins=["https://app.example.com"], supports_credentials=True)


@api.get("/profile")
def profile() -> Response:
    return jsonify(name="Ada")


public = Blueprint("public", __name__, url_prefix="/public")


@public.get("/news")
def news() -> Response:
    return jsonify(news=[])


def create_app(config: dict[str, object] | None = None) -> Flask:
    app = Flask(__name__)
    app.config.update(config or {})
    # App-wide CORS for /public only; the api blueprint has settings of its own.
    cors.init_app(app, resources={r"/public/*": {"origins": "*"}})
    app.register_blueprint(api)
    app.register_blueprint(public)

    @app.get("/health")
    def health() -> str:
        return "ok"

    return app
