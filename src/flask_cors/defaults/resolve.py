"""Default ``resolve_options``: the decorator of the view, then the resource patterns."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Literal

from ..hookspecs import hookimpl
from ..resources import Scope, find_resource
from ..views import ViewSpec, view_spec

if TYPE_CHECKING:
    from flask import Flask, Request

    from ..options import CorsOptions


class ResolveOptions:
    """Finds the options of a request: decorated view first, then blueprint and app scopes."""

    def __init__(
        self,
        scopes: Sequence[Scope],
        view_options: Callable[[ViewSpec, str | None], CorsOptions],
    ) -> None:
        self._scopes = scopes
        self._view_options = view_options

    @hookimpl(trylast=True)
    def resolve_options(self, app: Flask, request: Request) -> CorsOptions | Literal[False]:
        rule = request.url_rule
        endpoint = None if rule is None else rule.endpoint
        # The app's current mapping: an app may replace a view function, or the whole dict.
        spec = None if endpoint is None else view_spec(app.view_functions.get(endpoint))
        if spec is not None:
            return self._view_options(spec, endpoint)
        resource = find_resource(self._scopes, request.path, endpoint)
        return False if resource is None else resource.options
