"""Which CORS resources the registry answers for: ``FLASK_CORS_REGISTRY_RESOURCES``."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flask_cors import CORSConfigError

if TYPE_CHECKING:
    from flask_cors.options import CorsOptions

__all__ = [
    "CONFIG_RESOURCES",
    "SCOPE_KEY",
    "UNSCOPED",
    "ResourceScope",
    "scope_from_config",
]

CONFIG_RESOURCES = "FLASK_CORS_REGISTRY_RESOURCES"
#: Key of the per-app :class:`ResourceScope` in ``app.extensions``.
SCOPE_KEY = "flask_cors_origin_registry_scope"

#: The unscoped warning goes to the logger of flask_cors itself, where operators look.
cors_log = logging.getLogger("flask_cors")


@dataclass(frozen=True, slots=True)
class ResourceScope:
    """The resources of one app the registry may answer ``True`` for.

    ``resources`` holds resource labels exactly as ``CorsOptions.resource`` shows them
    (``"/api/*"``, ``"cross_origin() on view 'name'"``); ``None`` means the setting is
    absent: every resource except those that support credentials.
    """

    resources: frozenset[str] | None

    def answers_for(self, options: CorsOptions) -> bool:
        """Whether the registry may give an opinion on a request to this resource."""
        if self.resources is None:
            return not options.supports_credentials
        return options.resource in self.resources


#: The scope of an app that does not set ``FLASK_CORS_REGISTRY_RESOURCES``.
UNSCOPED = ResourceScope(None)


def scope_from_config(config: Mapping[str, Any]) -> ResourceScope:
    """Read ``FLASK_CORS_REGISTRY_RESOURCES``: a list of resource labels, or absent.

    Raises :class:`flask_cors.CORSConfigError` naming the key for anything but a list
    (or tuple, or set) of non-empty strings. A single string is refused rather than
    split: resource patterns may themselves contain commas.
    """
    raw = config.get(CONFIG_RESOURCES)
    if raw is None:
        return UNSCOPED
    if isinstance(raw, list | tuple | set | frozenset) and all(
        isinstance(item, str) and item for item in raw
    ):
        return ResourceScope(frozenset(raw))
    hint = " (write a list even for one resource: ['/api/*'])" if isinstance(raw, str) else ""
    raise CORSConfigError(
        CONFIG_RESOURCES,
        f"app config {CONFIG_RESOURCES}",
        "expected a list of resource labels as options.resource shows them, such as "
        f"['/api/*', \"cross_origin() on view 'name'\"], got {raw!r}{hint}",
    )
