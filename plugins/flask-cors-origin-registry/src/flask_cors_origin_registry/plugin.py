"""The ``flask_cors`` plugin (entry point ``origin_registry``): its two hook implementations."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from flask import Flask, current_app

from flask_cors import hookimpl
from flask_cors.scoping import install_resource_scope, scope_allows

from .registry import (
    EXTENSION_KEY,
    OriginRegistry,
    RegistryReadOnly,
    RegistryUnavailable,
    registry_from_config,
)
from .scope import CONFIG_RESOURCES, SCOPE_KEY, scope_from_config

if TYPE_CHECKING:
    from flask import Request

    from flask_cors.options import CorsOptions

__all__ = ["configure", "match_origin"]

log = logging.getLogger("flask_cors.origin_registry")


class _OutageLine(logging.Filter):
    """One line with the reason, no stack trace, for a request that met a registry outage.

    The pipeline logs an exception raised by a plugin with its traceback. An unavailable
    registry is an expected condition that can last for thousands of requests: its
    record keeps the pipeline's message and level (the decision outcome is still
    ``error``) and gains the reason, without the traceback.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        info = record.exc_info
        if info and isinstance(info[1], RegistryUnavailable):
            record.msg = f"{record.msg}: %s"
            record.args = (*(record.args or ()), str(info[1]))
            record.exc_info = None
            record.exc_text = None
        return True


_OUTAGE_LINE = _OutageLine()


def _install_outage_line() -> None:
    pipeline_log = logging.getLogger("flask_cors")
    if _OUTAGE_LINE not in pipeline_log.filters:
        pipeline_log.addFilter(_OUTAGE_LINE)


@hookimpl
def configure(app: Flask) -> None:
    """Read ``FLASK_CORS_REGISTRY_*`` and keep the app's registry in ``app.extensions``."""
    # Every setting is checked before the database file is touched.
    scope = scope_from_config(app.config)
    registry = registry_from_config(app.config, app)
    previous = app.extensions.pop(EXTENSION_KEY, None)
    if isinstance(previous, OriginRegistry) and previous is not registry:
        previous.close()
    if registry is None:
        app.extensions.pop(SCOPE_KEY, None)
        return
    _install_outage_line()
    if not registry.read_only:
        try:
            registry.create_schema()
        except RegistryUnavailable as exc:
            # The app still starts; origin-registry lookups fail closed until the
            # database can be opened, and the first successful add() creates the table.
            log.warning("origin registry not ready at start-up: %s", exc)
        except RegistryReadOnly:  # pragma: no cover - read_only checked above
            pass
    install_resource_scope(
        app, SCOPE_KEY, scope, plugin="origin_registry", config_key=CONFIG_RESOURCES
    )
    app.extensions[EXTENSION_KEY] = registry


@hookimpl
def match_origin(origin: str, options: CorsOptions, request: Request) -> bool | None:
    """True for a registered origin on a resource in scope; None (no opinion) otherwise.

    Resources outside the app's scope, and origins the resource's own ``origins`` option
    allows, are left to the default plugin without touching the database. A database
    error propagates: the pipeline then sends no CORS headers for this request (fail
    closed) and logs the error.
    """
    extensions = current_app.extensions
    registry = extensions.get(EXTENSION_KEY)
    if not isinstance(registry, OriginRegistry):
        return None
    if not scope_allows(extensions, SCOPE_KEY, options):
        return None
    if options.origins.allows(origin):
        return None
    return True if registry.allows(origin) else None
