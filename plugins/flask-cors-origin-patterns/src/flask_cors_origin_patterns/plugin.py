"""The ``flask_cors`` plugin (entry point ``origin_patterns``): its two hook implementations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Flask, current_app

from flask_cors import hookimpl

from .patterns import EXTENSION_KEY, OriginPatterns, patterns_from_config

if TYPE_CHECKING:
    from flask import Request

    from flask_cors.options import CorsOptions

__all__ = ["configure", "match_origin"]


@hookimpl
def configure(app: Flask) -> None:
    """Compile ``FLASK_CORS_ORIGIN_PATTERNS`` once; refuse unsafe patterns at start-up."""
    patterns = patterns_from_config(app.config)
    if patterns is None:
        app.extensions.pop(EXTENSION_KEY, None)
    else:
        app.extensions[EXTENSION_KEY] = patterns


@hookimpl
def match_origin(origin: str, options: CorsOptions, request: Request) -> bool | None:
    """True when ``origin`` matches one of the app's patterns; None (no opinion) otherwise.

    With no opinion, the next plugin decides: by default the resource's ``origins``.
    """
    patterns = current_app.extensions.get(EXTENSION_KEY)
    if isinstance(patterns, OriginPatterns) and patterns.matches(origin):
        return True
    return None
