"""Which CORS resources the origin patterns answer for: ``FLASK_CORS_ORIGIN_PATTERNS_RESOURCES``.

The scope itself is :class:`flask_cors.scoping.ResourceScope`; this module names the
plugin's config key and where the per-app scope is kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_cors.scoping import UNSCOPED, ResourceScope, read_resource_scope

__all__ = [
    "CONFIG_RESOURCES",
    "SCOPE_KEY",
    "UNSCOPED",
    "ResourceScope",
    "scope_from_config",
]

CONFIG_RESOURCES = "FLASK_CORS_ORIGIN_PATTERNS_RESOURCES"
#: Key of the per-app :class:`ResourceScope` in ``app.extensions``.
SCOPE_KEY = "flask_cors_origin_patterns_scope"


def scope_from_config(config: Mapping[str, Any]) -> ResourceScope:
    """Read ``FLASK_CORS_ORIGIN_PATTERNS_RESOURCES``: a list of resource labels, or absent."""
    return read_resource_scope(config, CONFIG_RESOURCES)
