"""The ``flask_cors`` plugin (entry point ``origin_registry``): its two hook implementations."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from flask import Flask

from flask_cors import CORSConfigError, hookimpl
from flask_cors.options import parse_bool

from .registry import (
    CONFIG_KEYS,
    CONFIG_SOURCE,
    CONFIG_URL,
    EXTENSION_KEY,
    OriginRegistry,
    RegistryReadOnly,
    RegistryUnavailable,
    registry_from_config,
)

if TYPE_CHECKING:
    from flask_cors.options import CorsOptions

__all__ = ["NAME", "config_keys", "configure", "match_origin", "plugin_settings"]

#: The name of the plugin, and of its per-resource settings.
NAME = "origin_registry"
#: The app-level scope key of earlier development versions.
_REPLACED_KEY = "FLASK_CORS_REGISTRY_RESOURCES"

log = logging.getLogger("flask_cors.origin_registry")


@hookimpl
def config_keys() -> tuple[str, ...]:
    """The ``CORS_REGISTRY_*`` keys."""
    return CONFIG_KEYS


@hookimpl
def configure(app: Flask) -> bool:
    """Read ``CORS_REGISTRY_*`` and keep the app's registry in ``app.extensions``;
    stay inert (``False``) for an app that names no store."""
    # Every setting is checked before the database file is touched.
    if _REPLACED_KEY in app.config:
        raise CORSConfigError(
            _REPLACED_KEY,
            f"app config {_REPLACED_KEY}",
            "resources are no longer named in a list: turn the registry on or off on a "
            "resource itself, resources={'/account/*': {'plugins': {'origin_registry': "
            "True}}} (it answers on every resource without credentials unless told False)",
        )
    registry = registry_from_config(app.config, app)
    previous = app.extensions.pop(EXTENSION_KEY, None)
    if isinstance(previous, OriginRegistry) and previous is not registry:
        previous.close()
    if registry is None:
        return False
    if not registry.read_only:
        try:
            registry.create_schema()
        except RegistryUnavailable as exc:
            # The app still starts; origin-registry lookups fail closed until the
            # database can be opened, and the first successful add() creates the table.
            log.warning("origin registry not ready at start-up: %s", exc)
        except RegistryReadOnly:  # pragma: no cover - read_only checked above
            pass
    app.extensions[EXTENSION_KEY] = registry
    return True


@hookimpl
def plugin_settings(app: Flask, plugin: str, settings: object, resource: str) -> bool | None:
    """A resource's registry setting: ``True`` (answer here, credentials or not) or
    ``False`` (never answer here). ``True`` needs a store."""
    if plugin != NAME:
        return None
    try:  # read as flask_cors reads a boolean option ("yes", "off"...)
        settings = parse_bool(NAME, resource, settings)
    except CORSConfigError as error:
        raise ValueError(error.problem) from None
    if settings and not isinstance(app.extensions.get(EXTENSION_KEY), OriginRegistry):
        raise ValueError(
            f"True, but app {app.name!r} names no origin registry store: set "
            f"{CONFIG_URL} (or {CONFIG_SOURCE}) in its config"
        )
    return settings


@hookimpl
def match_origin(app: Flask, origin: str, options: CorsOptions) -> bool | None:
    """True for a registered origin on a resource the registry answers for; None (no
    opinion) otherwise.

    The registry answers on every resource without credentials, and on a resource whose
    settings say ``{"origin_registry": True}``; never on one that says ``False``. Origins
    the resource's own ``origins`` option allows are left to the default plugin without
    touching the database. A database error propagates as
    :class:`~flask_cors.CORSPluginUnavailable`: the pipeline sends no CORS headers for
    this request (fail closed) and logs one line with the reason.
    """
    registry = app.extensions.get(EXTENSION_KEY)
    if not isinstance(registry, OriginRegistry):
        return None
    enabled = options.plugins.get(NAME)
    if enabled is False or (enabled is None and options.supports_credentials):
        return None
    if options.origins.allows(origin):
        return None
    return True if registry.allows(origin) else None
