"""Allowed CORS origins kept in SQLite or PostgreSQL, changeable while the app runs.

Install the distribution and set ``FLASK_CORS_REGISTRY_URL`` in the app config; the
``flask_cors`` plugin manager finds the plugin through its entry point. Then::

    from flask_cors_origin_registry import registry_for

    registry_for(app).add("https://tenant.example")

Set ``FLASK_CORS_REGISTRY_RESOURCES`` to the resources the registry may answer for.
See ``README.md`` for the settings and the failure behaviour.
"""

from __future__ import annotations

from .registry import (
    EXTENSION_KEY,
    OriginRegistry,
    RegistryReadOnly,
    RegistryUnavailable,
    normalize_origin,
    registry_for,
)
from .scope import CONFIG_RESOURCES, SCOPE_KEY, ResourceScope

__version__ = "0.1.0"

__all__ = [
    "CONFIG_RESOURCES",
    "EXTENSION_KEY",
    "SCOPE_KEY",
    "OriginRegistry",
    "RegistryReadOnly",
    "RegistryUnavailable",
    "ResourceScope",
    "__version__",
    "normalize_origin",
    "registry_for",
]
