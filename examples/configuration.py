"""Configuration: the four places an option can be set, and which one wins."""

from __future__ import annotations

import re
from datetime import timedelta

from flask import Flask, jsonify
from flask.wrappers import Response

from flask_cors import CORS


def create_app() -> Flask:
    app = Flask(__name__)
    # App config: lowest precedence after the defaults.
    app.config["CORS_ORIGINS"] = ["https://config.example"]
    app.config["CORS_MAX_AGE"] = timedelta(minutes=10)
    CORS(
        app,
        # Keyword arguments: override the CORS_* config for every resource.
        origins=["https://app.example.com", re.compile(r"https://[a-z0-9-]+\.preview\.example")],
        expose_headers=["X-Total-Count"],
        # Resource dictionaries: override everything else for the paths they match.
        resources={
            r"/api/public/*": {"origins": "*", "max_age": 86400},
            r"/api/admin/*": {
                "origins": ["https://admin.example.com"],
                "supports_credentials": True,
                "methods": ["GET", "POST"],
                "allow_headers": ["Content-Type", "X-CSRF-Token"],
            },
            r"/api/*": {},
        },
    )

    @app.get("/api/public/status")
    def status() -> Response:
        return jsonify(status="ok")

    @app.route("/api/admin/users", methods=["GET", "POST"])
    def admin_users() -> Response:
        return jsonify(users=[])

    @app.get("/api/items")
    def items() -> Response:
        response = jsonify(items=[1, 2, 3])
        response.headers["X-Total-Count"] = "3"
        return response

    return app


#: The sites of the app's tenants, as the app keeps them (a table, a settings service...).
TENANT_ORIGINS = {"https://shop.tenant-one.example", "https://tenant-two.example"}


def tenant_origin(origin: str) -> bool:
    """``origin`` is the request's Origin, exactly as sent; True allows it."""
    return origin in TENANT_ORIGINS


def create_tenant_app() -> Flask:
    app = Flask(__name__)
    CORS(
        app,
        resources={
            # The literal is tried first; the function decides for every other origin.
            r"/api/*": {
                "origins": ["https://app.example.com", tenant_origin],
                "supports_credentials": True,
            },
        },
    )

    @app.get("/api/account")
    def account() -> Response:
        return jsonify(plan="pro")

    return app
