"""The ``flask_cors`` plugin (entry point ``origin_patterns``): its two hook implementations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Flask, current_app

from flask_cors import hookimpl

from .patterns import EXTENSION_KEY, OriginPatterns, patterns_from_config
from .scope import CONFIG_RESOURCES, SCOPE_KEY, UNSCOPED, ResourceScope, cors_log, scope_from_config

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
    # Warn once per app: a repeated configure of the same app finds UNSCOPED stored.
    if scope.resources is None and app.extensions.get(SCOPE_KEY) is not UNSCOPED:
        cors_log.warning(
            "the origin_patterns plugin is unscoped on app %r: matching origins are "
            "allowed on every resource without credentials (and on none with "
            "credentials); set %s to the resources it may answer for",
            app.name,
            CONFIG_RESOURCES,
        )
    app.extensions[SCOPE_KEY] = scope
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
    scope = extensions.get(SCOPE_KEY, UNSCOPED)
    if not isinstance(scope, ResourceScope) or not scope.answers_for(options):
        return None
    return True if patterns.matches(origin) else None
