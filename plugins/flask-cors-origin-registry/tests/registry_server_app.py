"""The app the multi-instance tests serve with gunicorn: ``registry_server_app:create_app()``.

Settings come from the environment (``FLASK_CORS_REGISTRY_*``, read by Flask's
``from_prefixed_env``). ``POST /admin/add`` and
``POST /admin/remove`` (``?origin=...``) change the registry through this instance.
"""

from __future__ import annotations

from flask import Flask, request
from flask_cors_origin_registry import registry_for

from flask_cors import CORS


def create_app() -> Flask:
    app = Flask("registry_server")
    # As Flask documents: FLASK_CORS_REGISTRY_URL becomes CORS_REGISTRY_URL, and
    # FLASK_CORS_REGISTRY_CACHE_TTL=3600 the number 3600.
    app.config.from_prefixed_env()
    CORS(
        app,
        resources={
            "/api/*": {
                "origins": ["https://static.example.org"],
                "plugins": {"origin_registry": True},
            }
        },
    )

    @app.get("/api/items")
    def items() -> str:
        return "items"

    @app.post("/admin/<action>")
    def admin(action: str) -> str:
        registry = registry_for(app)
        origin = request.args["origin"]
        done = registry.add(origin) if action == "add" else registry.remove(origin)
        return "done" if done else "unchanged"

    return app
