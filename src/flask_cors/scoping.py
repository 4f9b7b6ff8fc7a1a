"""Resource scopes for plugins that widen what a resource allows.

A plugin that allows origins beyond a resource's own ``origins`` (a registry, wildcard
patterns) should not do so everywhere: a credentialed resource may want nothing of it.
Resources are named by ``CorsOptions.resource``: the pattern text (the same for an app
resource and a blueprint resource with the same pattern), or ``cross_origin() on view
'qualname'`` (the same for two views with the same qualified name in different modules).
:class:`ResourceScope` holds the resources such a plugin answers for, read from an app
config key of the plugin's own with :func:`read_resource_scope`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import CORSConfigError

if TYPE_CHECKING:
    from flask import Flask

    from .options import CorsOptions

__all__ = [
    "UNSCOPED",
    "ResourceScope",
    "install_resource_scope",
    "read_resource_scope",
    "scope_allows",
]

#: Where an unscoped plugin is reported: the logger of flask_cors, where operators look.
log = logging.getLogger("flask_cors")


@dataclass(frozen=True, slots=True)
class ResourceScope:
    """The resources of one app a plugin may answer for.

    ``resources`` holds resource labels exactly as ``CorsOptions.resource`` shows them
    (``"/api/*"``, ``"cross_origin() on view 'name'"``); ``None`` means the app set no
    scope: every resource except those that support credentials.
    """

    resources: frozenset[str] | None

    def answers_for(self, options: CorsOptions) -> bool:
        """Whether the plugin may give an opinion on a request to this resource."""
        if self.resources is None:
            return not options.supports_credentials
        return options.resource in self.resources


#: The scope of an app that sets none.
UNSCOPED = ResourceScope(None)


def read_resource_scope(config: Mapping[str, Any], key: str) -> ResourceScope:
    """Read the app config ``key``: a list of resource labels, or absent (:data:`UNSCOPED`).

    Raises :class:`~flask_cors.CORSConfigError` naming the key for anything but a list
    (or tuple, or set) of non-empty strings. A single string is refused rather than
    split: resource patterns may themselves contain commas.
    """
    raw = config.get(key)
    if raw is None:
        return UNSCOPED
    if isinstance(raw, list | tuple | set | frozenset) and all(
        isinstance(item, str) and item for item in raw
    ):
        return ResourceScope(frozenset(raw))
    hint = " (write a list even for one resource: ['/api/*'])" if isinstance(raw, str) else ""
    raise CORSConfigError(
        key,
        f"app config {key}",
        "expected a list of resource labels as options.resource shows them, such as "
        f"['/api/*', \"cross_origin() on view 'name'\"], got {raw!r}{hint}",
    )


def install_resource_scope(
    app: Flask, extension_key: str, scope: ResourceScope, *, plugin: str, config_key: str
) -> None:
    """Keep ``scope`` in ``app.extensions[extension_key]``; warn once per app if unscoped."""
    if scope.resources is None and app.extensions.get(extension_key) is not UNSCOPED:
        log.warning(
            "the %s plugin is unscoped on app %r: it answers on every resource without "
            "credentials (and on none with credentials); set %s to the resources it may "
            "answer for",
            plugin,
            app.name,
            config_key,
        )
    app.extensions[extension_key] = scope


def scope_allows(
    extensions: MutableMapping[str, Any], extension_key: str, options: CorsOptions
) -> bool:
    """Whether the scope kept under ``extension_key`` lets the plugin answer for ``options``."""
    scope = extensions.get(extension_key, UNSCOPED)
    return isinstance(scope, ResourceScope) and scope.answers_for(options)
