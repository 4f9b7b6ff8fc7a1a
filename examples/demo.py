"""A small API with CORS, served on loopback.

Run it with ``make demo``. It serves an API at http://localhost:5001 that allows
cross-origin calls from http://127.0.0.1:5000 only, and prints curl commands to try.
"""

from __future__ import annotations

import os

from flask import Flask, jsonify

from flask_cors import CORS

ALLOWED_ORIGIN = "http://127.0.0.1:5000"


def create_app() -> Flask:
    app = Flask(__name__)
    CORS(
        app,
        resources={r"/api/*": {"origins": [ALLOWED_ORIGIN], "expose_headers": ["X-Request-Id"]}},
        max_age=600,
    )

    @app.get("/api/hello")
    def hello():  # type: ignore[no-untyped-def]
        response = jsonify(message="Hello, cross-origin world!")
        response.headers["X-Request-Id"] = "demo-1"
        return response

    @app.post("/api/echo")
    def echo():  # type: ignore[no-untyped-def]
        return jsonify(ok=True)

    return app


def main() -> None:
    port = int(os.environ.get("DEMO_PORT", "5001"))
    print(f"API on http://localhost:{port}/api/hello (allowed origin: {ALLOWED_ORIGIN})")
    print(f"  curl -i -H 'Origin: {ALLOWED_ORIGIN}' http://localhost:{port}/api/hello")
    print(
        f"  curl -i -X OPTIONS -H 'Origin: {ALLOWED_ORIGIN}' "
        f"-H 'Access-Control-Request-Method: POST' "
        f"-H 'Access-Control-Request-Headers: content-type' http://localhost:{port}/api/echo"
    )
    print(f"  curl -i -H 'Origin: https://evil.example' http://localhost:{port}/api/hello")
    create_app().run(host="127.0.0.1", port=port)


if __name__ == "__main__":
    main()
