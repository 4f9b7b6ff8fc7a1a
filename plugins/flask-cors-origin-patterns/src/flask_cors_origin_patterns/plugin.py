"""The ``flask_cors`` plugin (entry point ``origin_patterns``): its hook implementations.

Patterns come from two places: the app config ``CORS_ORIGIN_PATTERNS`` (for every
resource without credentials that gives no settings of its own) and a resource's own
settings, ``resources={"/api/*": {"plugins": {"origin_patterns": [...]}}}`` (for that
resource, credentials or not; ``False`` or ``[]`` turns the plugin off there).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Flask

from flask_cors import CORSConfigError, hookimpl

from .patterns import (
    CONFIG_EXTRA_SUFFIXES,
    CONFIG_PATTERNS,
    EXTENSION_KEY,
    OriginPatterns,
    patterns_from_config,
)

if TYPE_CHECKING:
    from flask_cors.options import CorsOptions

__all__ = [
    "CONFIG_KEYS",
    "NAME",
    "OFF",
    "config_keys",
    "configure",
    "match_origin",
    "plugin_settings",
]

#: The name of the plugin, and of its per-resource settings.
NAME = "origin_patterns"
#: A resource's settings that turn the patterns off there.
OFF = "off"
#: The app-level scope key of earlier development versions.
_REPLACED_KEY = "FLASK_CORS_ORIGIN_PATTERNS_RESOURCES"


#: The app config keys of the plugin (declared to flask_cors's lint).
CONFIG_KEYS = (CONFIG_PATTERNS, CONFIG_EXTRA_SUFFIXES)


@hookimpl
def config_keys() -> tuple[str, ...]:
    """``CORS_ORIGIN_PATTERNS`` and ``CORS_ORIGIN_PATTERNS_PUBLIC_SUFFIXES``."""
    return CONFIG_KEYS


@hookimpl
def configure(app: Flask) -> bool:
    """Compile ``CORS_ORIGIN_PATTERNS`` once; refuse unsafe patterns at start-up.

    Without patterns the plugin stays inert (``False``) for the app until a resource gives
    it patterns of its own.
    """
    if _REPLACED_KEY in app.config:
        raise CORSConfigError(
            _REPLACED_KEY,
            f"app config {_REPLACED_KEY}",
            "resources are no longer named in a list: give the patterns to the resources "
            "themselves, resources={'/api/*': {'plugins': {'origin_patterns': [...]}}}, or "
            "turn them off on one with {'plugins': {'origin_patterns': False}}",
        )
    for key in CONFIG_KEYS:
        old = f"FLASK_{key}"  # the key of development versions, now the variable's name
        if old in app.config:
            raise CORSConfigError(
                old,
                f"app config {old}",
                f"renamed {key}: set {key} in the app config (the environment variable "
                f"{old} becomes {key} through app.config.from_prefixed_env())",
            )
    patterns = patterns_from_config(app.config)
    if patterns is None:
        app.extensions.pop(EXTENSION_KEY, None)
        return False
    app.extensions[EXTENSION_KEY] = patterns
    return True


@hookimpl
def plugin_settings(
    app: Flask, plugin: str, settings: object, resource: str
) -> OriginPatterns | str | None:
    """Compile one resource's patterns; ``False`` or an empty list turns the plugin off."""
    if plugin != NAME:
        return None
    if settings is False or settings == [] or settings == ():
        return OFF
    config = {
        CONFIG_PATTERNS: settings,
        CONFIG_EXTRA_SUFFIXES: app.config.get(CONFIG_EXTRA_SUFFIXES, ()),
    }
    try:
        patterns = patterns_from_config(config)
    except CORSConfigError as error:
        raise CORSConfigError("plugins", resource, f"{NAME}: {error.problem}") from None
    return OFF if patterns is None else patterns


@hookimpl
def match_origin(app: Flask, origin: str, options: CorsOptions) -> bool | None:
    """True when ``origin`` matches the patterns that apply to this resource.

    Otherwise None (no opinion), and the next plugin decides: by default the resource's
    ``origins``. A resource with credentials gets the app-wide patterns only when it
    names the plugin in its own settings.
    """
    patterns = options.plugins.get(NAME)
    if patterns is None and not options.supports_credentials:
        patterns = app.extensions.get(EXTENSION_KEY)
    if not isinstance(patterns, OriginPatterns):
        return None
    return True if patterns.matches(origin) else None
