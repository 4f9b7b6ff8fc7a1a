"""Default ``resolve_options``: the decorator of the view, then the resource patterns."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from ..hookspecs import hookimpl
from ..resources import Resource, ResourceTable

if TYPE_CHECKING:
    from flask import Request

    from ..decorator import ViewSpec
    from ..options import CorsOptions

#: The attribute ``cross_origin`` sets on the view functions it wraps.
VIEW_ATTRIBUTE = "__flask_cors__"


@dataclass(frozen=True, slots=True)
class Scope:
    """The resources one ``CORS(...)`` call enabled: app-wide, or one blueprint's."""

    table: ResourceTable
    #: Full dotted name of the blueprint, or ``None`` for the whole app.
    blueprint: str | None = None

    def covers(self, blueprint: str | None) -> bool:
        """True when a request routed to ``blueprint`` belongs to this scope."""
        name = self.blueprint
        if name is None:
            return True
        return blueprint is not None and (blueprint == name or blueprint.startswith(name + "."))


class ResolveOptions:
    """Finds the options of a request: decorated view first, then blueprint and app scopes."""

    def __init__(
        self,
        view_functions: Mapping[str, Callable[..., object]],
        scopes: Sequence[Scope],
        view_options: Callable[[ViewSpec], CorsOptions],
    ) -> None:
        self._views = view_functions
        self._scopes = scopes
        self._view_options = view_options

    @hookimpl(trylast=True)
    def resolve_options(self, request: Request) -> CorsOptions | Literal[False]:
        rule = request.url_rule
        if rule is None:
            options = self.options_for(None, None, request.path)
        else:
            endpoint = rule.endpoint
            options = self.options_for(self._views.get(endpoint), endpoint, request.path)
        return False if options is None else options

    def options_for(self, view: object, endpoint: str | None, path: str) -> CorsOptions | None:
        """The options of a request at ``path`` routed to ``endpoint``, served by ``view``.

        ``None`` when CORS is off for it. Depends on nothing else: the pipeline relies on
        that when it remembers answers per endpoint, path and view function.
        """
        spec = getattr(view, VIEW_ATTRIBUTE, None)
        if spec is not None:
            return self._view_options(spec)
        resource = find_resource(self._scopes, path, endpoint)
        return None if resource is None else resource.options


def find_resource(scopes: Sequence[Scope], path: str, endpoint: str | None) -> Resource | None:
    """The resource whose options apply to ``path``, routed to ``endpoint``; or ``None``.

    Scopes are tried in order (blueprint scopes first); a blueprint scope only for the
    endpoints of its blueprint (and of the blueprints nested in it). This is the lookup
    behind the default ``resolve_options``, also used by ``flask cors routes``.
    """
    for scope in scopes:
        if scope.blueprint is not None and not scope.covers(
            endpoint.rpartition(".")[0] if endpoint is not None and "." in endpoint else None
        ):
            continue
        resource = scope.table.match(path)
        if resource is not None:
            return resource
    return None
