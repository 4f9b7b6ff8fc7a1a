"""Apps of ``benchmarks/registry.py``: 1,000 tenant origins, listed statically or registered.

registry_app:make_app("static")       # CORS(app, origins=[...1,000 origins...])
registry_app:make_app("registry")     # the same origins in the origin registry
                                      # (FLASK_CORS_REGISTRY_URL from the environment,
                                      # read by app.config.from_prefixed_env())
"""

from __future__ import annotations

from flask import Flask

from flask_cors import CORS

TENANTS = [f"https://tenant{number}.example" for number in range(1000)]
UNKNOWN = [f"https://unknown{number}.example" for number in range(100)]
ROUTE = "/api/items"
#: The other plugins of the repository stay out of both apps.
OTHERS = ["audit_log", "origin_patterns"]


def make_app(kind: str) -> Flask:
    app = Flask(f"registry_bench_{kind}")
    if kind == "static":
        CORS(app, origins=TENANTS, blocked_plugins=[*OTHERS, "origin_registry"])
    else:
        # FLASK_CORS_REGISTRY_URL (and _CACHE_TTL) become CORS_REGISTRY_URL (_CACHE_TTL).
        app.config.from_prefixed_env()
        CORS(app, origins=["https://static.example.org"], blocked_plugins=OTHERS)

    @app.get(ROUTE)
    def items() -> str:
        return "items"

    return app
