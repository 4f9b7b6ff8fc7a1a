"""The ``flask_cors`` plugin (entry point ``origin_patterns``): its two hook implementations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Flask, current_app

from flask_cors import hookimpl
from flask_cors.scoping import install_resource_scope, scope_allows

from .patterns import EXTENSION_KEY, OriginPatterns, patterns_from_config
from .scope import CONFIG_RESOURCES, SCOPE_KEY, scope_from_config

if TYPE_CHECKING:
    from flask import Request

    from flask_cors.options import CorsOptions

__all__ = ["configure", "match_origin"]


@hookimpl
def configure(app: Flask) -> None:
    """Compile ``FLASK_CORS_ORIGIN_PATTERNS`` once; refuse unsafe patterns at start-up."""
    scope = scope_from_config(app.config)
    patterns = patterns_from_config(app.config)
    if patterns is None:
        app.extensions.pop(EXTENSION_KEY, None)
        app.extensions.pop(SCOPE_KEY, None)
        return
    install_resource_scope(
        app, SCOPE_KEY, scope, plugin="origin_patterns", config_key=CONFIG_RESOURCES
    )
    app.extensions[EXTENSION_KEY] = patterns


@hookimpl
def match_origin(origin: str, options: CorsOptions, request: Request) -> bool | None:
    """True when ``origin`` matches one of the app's patterns on a resource in scope.

    Otherwise None (no opinion), and the next plugin decides: by default the resource's
    ``origins``.
    """
    extensions = current_app.extensions
    patterns = extensions.get(EXTENSION_KEY)
    if not isinstance(patterns, OriginPatterns):
        return None
    if not scope_allows(extensions, SCOPE_KEY, options):
        return None
    return True if patterns.matches(origin) else None
