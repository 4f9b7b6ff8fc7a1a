"""Cross-origin protection: a cookie-authenticated API that refuses writes from other sites."""

from __future__ import annotations

from flask import Flask, jsonify, session
from flask.wrappers import Response

from flask_cors import CORS, cross_origin

FRONT_END = "https://app.example.com"


def create_app(secret_key: str) -> Flask:
    app = Flask(__name__)
    app.secret_key = secret_key
    # On for every resource and every cross_origin view of the app.
    app.config["CORS_CROSS_ORIGIN_PROTECTION"] = True
    CORS(
        app,
        resources={
            # A payment provider may send the user's browser here with a form post.
            "/hooks/payment": {"origins": [FRONT_END], "cross_origin_protection": False},
            r"/api/*": {"origins": [FRONT_END], "supports_credentials": True},
        },
    )

    @app.post("/api/transfer")
    def transfer() -> Response:
        # Reached from the front end (an allowed origin), from the API's own pages, and
        # by clients that are no browser; never from a page on another site.
        return jsonify(done=True, user=session.get("user"))

    @app.post("/hooks/payment")
    def payment_hook() -> Response:
        return jsonify(received=True)

    @app.post("/oauth/callback")
    @cross_origin(origins=[FRONT_END], cross_origin_protection=False)
    def oauth_callback() -> Response:
        # The identity provider's page posts the user back here.
        return jsonify(signed_in=True)

    return app


def create_rollout_app() -> Flask:
    """The same protection rolled out first: report-only refuses nothing, logs each
    request it would refuse."""
    app = Flask(__name__)
    CORS(
        app,
        resources={r"/api/*": {"origins": [FRONT_END]}},
        cross_origin_protection="report-only",
    )

    @app.post("/api/transfer")
    def transfer() -> Response:
        return jsonify(done=True)

    return app
