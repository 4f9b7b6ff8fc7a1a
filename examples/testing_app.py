"""The API that the testing examples test and ``flask cors explain`` explains."""

from __future__ import annotations

from flask import Flask, Response, jsonify, request

from flask_cors import CORS

PAGE_ORIGIN = "https://app.example.com"


def create_app() -> Flask:
    app = Flask(__name__)
    CORS(
        app,
        resources={
            r"/api/*": {
                "origins": [PAGE_ORIGIN],
                "allow_headers": ["Content-Type"],
                "expose_headers": ["X-Total-Count"],
            },
            r"/account/*": {"origins": [PAGE_ORIGIN], "supports_credentials": True},
        },
    )

    @app.route("/api/items", methods=["GET", "PUT"])
    def items() -> Response:
        response = jsonify(items=[], saved=request.get_json(silent=True))
        response.headers["X-Total-Count"] = "0"
        return response

    @app.get("/account/me")
    def me() -> Response:
        return jsonify(user=request.cookies.get("session"))

    return app
