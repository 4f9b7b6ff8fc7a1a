"""Troubleshooting: see every CORS decision in the ``flask_cors`` logger."""

from __future__ import annotations

import logging

from flask import Flask

from flask_cors import CORS


def enable_cors_debug_logging() -> logging.Logger:
    logger = logging.getLogger("flask_cors")
    logger.setLevel(logging.DEBUG)
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        logger.addHandler(handler)
    return logger


def create_app() -> Flask:
    app = Flask(__name__)
    CORS(app, resources={r"/api/*": {"origins": ["https://app.example.com"]}})

    @app.get("/api/data")
    def data() -> str:
        return "data"

    return app
