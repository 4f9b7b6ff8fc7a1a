"""Default ``resolve_options``: the decorator of the view, then the resource patterns."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Literal

from ..hookspecs import hookimpl
from ..resources import Scope, find_resource
from ..routing import rule_path, spelled_once
from ..views import ViewSpec, view_spec

if TYPE_CHECKING:
    from flask import Flask, Request
    from werkzeug.routing import Rule

    from ..options import CorsOptions


class ResolveOptions:
    """Finds the options of a request: decorated view first, then blueprint and app scopes.

    The resource patterns are matched against the path as the routed rule spells it, so
    that every spelling the router serves with one rule gets that rule's policy: a rule
    without arguments is its own path (``/users/`` routed to ``/users`` with
    ``strict_slashes`` off is ``/users``); a rule whose converters or trailing slash accept
    several spellings (``/items/007`` for ``/items/<int:n>``) is rebuilt from its
    arguments; any other rule matches only its one spelling, ``request.path`` itself.
    """

    def __init__(
        self,
        scopes: Sequence[Scope],
        view_options: Callable[[ViewSpec, str | None], CorsOptions | Literal[False]],
    ) -> None:
        self._scopes = scopes
        self._view_options = view_options
        #: Per rule (by identity): whether its paths have one spelling. Rules are not
        #: hashable; the rule is kept with the answer so that a reused ``id`` is noticed.
        self._spelled_once: dict[int, tuple[Rule, bool]] = {}

    @hookimpl(trylast=True)
    def resolve_options(self, app: Flask, request: Request) -> CorsOptions | Literal[False]:
        rule = request.url_rule
        if rule is None:
            resource = find_resource(self._scopes, request.path, None)
        else:
            endpoint = rule.endpoint
            # The app's current mapping: an app may replace a view function, or the dict.
            spec = view_spec(app.view_functions.get(endpoint))
            if spec is not None:
                return self._view_options(spec, endpoint)
            if not rule.arguments:
                path = rule.rule
            else:
                known = self._spelled_once.get(id(rule))
                if known is None or known[0] is not rule:
                    known = self._spelled_once[id(rule)] = (rule, spelled_once(rule))
                path = request.path if known[1] else rule_path(rule, request)
            resource = find_resource(self._scopes, path, endpoint)
        return False if resource is None else resource.options
