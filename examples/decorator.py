"""The ``cross_origin`` decorator: CORS configured on the view itself."""

from __future__ import annotations

from flask import Flask, jsonify, request
from flask.wrappers import Response

from flask_cors import cross_origin


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["CORS_EXPOSE_HEADERS"] = ["X-Version"]  # the decorator reads CORS_* too

    @app.get("/open")
    @cross_origin()  # below the route decorator
    def open_view() -> Response:
        return jsonify(anyone="may read this")

    @app.route("/orders", methods=["GET", "POST"])
    @cross_origin(
        origins=["https://shop.example"],
        allow_headers=["Content-Type"],
        supports_credentials=True,
        max_age=600,
    )
    def orders() -> Response:
        response = jsonify(method=request.method)
        response.headers["X-Version"] = "2"
        return response

    @app.route("/manual", methods=["GET", "OPTIONS"])
    @cross_origin(origins=["https://shop.example"], automatic_options=False)
    def manual() -> Response:
        # With automatic_options=False the view answers OPTIONS itself; the CORS headers
        # are still added to whatever it returns.
        if request.method == "OPTIONS":
            return Response(status=204)
        return jsonify(handled="by the view")

    @app.get("/closed")
    def closed() -> Response:
        return jsonify(cors=False)

    return app
