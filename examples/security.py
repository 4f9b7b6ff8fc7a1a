"""Credentials done carefully: listed origins only, plus a CSRF check on writes."""

from __future__ import annotations

import secrets

from flask import Flask, abort, jsonify, request, session
from flask.wrappers import Response

from flask_cors import CORS

TRUSTED_ORIGINS = ["https://app.example.com", "https://admin.example.com"]
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def create_app(secret_key: str) -> Flask:
    app = Flask(__name__)
    app.secret_key = secret_key
    app.config.update(SESSION_COOKIE_SAMESITE="None", SESSION_COOKIE_SECURE=True)
    CORS(
        app,
        resources={r"/api/*": {"origins": TRUSTED_ORIGINS}},
        supports_credentials=True,  # never together with origins="*"
        allow_headers=["Content-Type", "X-CSRF-Token"],
    )

    @app.before_request
    def check_csrf() -> None:
        # CORS decides who may *read* responses; it does not stop a hostile page from
        # *sending* a form post with the user's cookies. Refuse unsafe requests that do
        # not carry the session's token in a header (a header needs a CORS preflight).
        if request.method in UNSAFE_METHODS and request.path.startswith("/api/"):
            token = session.get("csrf")
            if not token or request.headers.get("X-CSRF-Token") != token:
                abort(403)

    @app.get("/api/session")
    def start_session() -> Response:
        session.setdefault("csrf", secrets.token_urlsafe(32))
        return jsonify(csrf=session["csrf"])

    @app.post("/api/transfer")
    def transfer() -> Response:
        return jsonify(done=True)

    return app
