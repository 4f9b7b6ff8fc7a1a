"""Default ``resolve_options``: the decorator of the view, then the resource patterns."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from ..hookspecs import hookimpl
from ..resources import ResourceTable

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
        if rule is not None:
            spec = getattr(self._views.get(rule.endpoint), VIEW_ATTRIBUTE, None)
            if spec is not None:
                return self._view_options(spec)
        path = request.path
        for scope in self._scopes:
            if scope.blueprint is not None and not scope.covers(
                request.blueprint if rule is not None else None
            ):
                continue
            resource = scope.table.match(path)
            if resource is not None:
                return resource.options
        return False
