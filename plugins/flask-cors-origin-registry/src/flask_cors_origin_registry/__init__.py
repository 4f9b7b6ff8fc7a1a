"""Allowed CORS origins kept in SQLite or PostgreSQL, changeable while the app runs.

Install the distribution and set ``CORS_REGISTRY_URL`` in the app config; the
``flask_cors`` plugin manager finds the plugin through its entry point. Then::

    from flask_cors_origin_registry import registry_for

    registry_for(app).add("https://tenant.example")

The registry answers on every resource without credentials; a resource's own settings
turn it on (``{"plugins": {"origin_registry": True}}``, credentials or not) or off
(``False``). See ``README.md`` for the settings and the failure behaviour.
"""

from __future__ import annotations

from .plugin import NAME
from .registry import (
    EXTENSION_KEY,
    OriginRegistry,
    RegistryReadOnly,
    RegistryUnavailable,
    normalize_origin,
    registry_for,
)

__version__ = "0.1.0"

__all__ = [
    "EXTENSION_KEY",
    "NAME",
    "OriginRegistry",
    "RegistryReadOnly",
    "RegistryUnavailable",
    "__version__",
    "normalize_origin",
    "registry_for",
]
