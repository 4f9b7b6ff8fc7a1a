"""Quickstart: CORS for a whole app, then for the API paths only."""

from __future__ import annotations

from flask import Flask, jsonify
from flask.wrappers import Response

from flask_cors import CORS


def create_open_app() -> Flask:
    app = Flask(__name__)
    CORS(app)  # every path, every origin, no credentials

    @app.get("/")
    def hello() -> str:
        return "Hello, cross-origin world!"

    return app


def create_app() -> Flask:
    app = Flask(__name__)
    CORS(app, resources={r"/api/*": {"origins": ["https://app.example.com"]}})

    @app.get("/api/users")
    def list_users() -> Response:
        return jsonify(users=["ada", "grace"])

    @app.post("/api/users")
    def create_user() -> tuple[Response, int]:
        return jsonify(created=True), 201

    @app.get("/")
    def home() -> str:
        return "No CORS headers here: / is not under /api/"

    return app
