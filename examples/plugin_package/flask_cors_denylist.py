"""A plugin distribution: the module itself is the plugin.

Origins listed in the app config ``DENYLIST_ORIGINS`` are always refused, even where
the CORS options would allow them. (``CORS_*`` keys are reserved for flask_cors options.)
"""

from __future__ import annotations

from flask import Flask, Request, current_app

import flask_cors

CONFIG_KEY = "DENYLIST_ORIGINS"
EXTENSION_KEY = "flask_cors_denylist"


@flask_cors.hookimpl
def configure(app: Flask) -> bool:
    """Keep the app's denylist; stay inert (``False``) for an app that sets none."""
    denied = app.config.get(CONFIG_KEY)
    if not denied:
        return False
    app.extensions[EXTENSION_KEY] = frozenset(origin.lower() for origin in denied)
    return True


@flask_cors.hookimpl(tryfirst=True)
def match_origin(origin: str, request: Request) -> bool | None:
    denied: frozenset[str] = current_app.extensions.get(EXTENSION_KEY, frozenset())
    return False if origin.lower() in denied else None
