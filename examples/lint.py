"""The configuration lint: an app with typical mistakes, and the same app fixed.

Inspect either with ``flask --app examples/lint.py:create_app cors check`` (or
``... cors routes``); the fixed app is ``create_fixed_app``.
"""

from __future__ import annotations

from flask import Flask, jsonify
from flask.wrappers import Response

from flask_cors import CORS, cross_origin


def add_routes(app: Flask, partner: str, widget_max_age: int) -> None:
    @app.get("/api/account")
    def account() -> Response:
        return jsonify(user="ada")

    @app.get("/api/items/<int:item_id>")
    def item(item_id: int) -> Response:
        return jsonify(id=item_id)

    @app.get("/files/report.txt")
    def report() -> Response:
        return jsonify(text="...")

    @app.get("/widget")
    @cross_origin(origins=partner, max_age=widget_max_age)
    def widget() -> Response:
        return jsonify(widget=True)


def create_app() -> Flask:
    """Works, but the lint finds something wrong with almost every line."""
    app = Flask(__name__)
    app.config["CORS_SUPPORTS_CREDENTIALS"] = True
    CORS(
        app,
        resources={
            r"/api/*": {"origins": [r"https://.*.example.com", "null"]},
            r"/files/*.txt": {"origins": "*"},
        },
        expose_headers="*",
    )
    add_routes(app, partner="https://partner.example/", widget_max_age=86400)
    return app


def create_fixed_app() -> Flask:
    """The same app, clean: strict, so that a new mistake fails at start-up."""
    app = Flask(__name__)
    app.config["CORS_SUPPORTS_CREDENTIALS"] = True
    CORS(
        app,
        resources={
            r"/api/*": {"origins": [r"https://[a-z0-9-]+\.example\.com"]},
            r"/files/.*\.txt": {"origins": "*", "supports_credentials": False},
        },
        expose_headers=["X-Total-Count"],
        lint_strict=True,
    )
    add_routes(app, partner="https://partner.example", widget_max_age=7200)
    return app


def create_app_with_accepted_findings() -> Flask:
    """Strict, with two findings accepted on purpose, one id at a time."""
    app = Flask(__name__)
    app.config["CORS_LINT_STRICT"] = True
    app.config["CORS_LINT_IGNORE"] = ["max-age-capped", "private-network"]
    CORS(app, origins=["https://intranet.example.com"], allow_private_network=True, max_age=86400)
    return app
