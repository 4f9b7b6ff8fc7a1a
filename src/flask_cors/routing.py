"""What the pipeline asks of a request before any plugin: is it a preflight, which route
serves the method a preflight asks for, does its path hide a dot segment."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.routing import RequestRedirect

from ._text import is_token
from .views import view_spec

if TYPE_CHECKING:
    from flask import Flask, Request
    from werkzeug.routing import MapAdapter, Rule

__all__ = [
    "ORIGIN",
    "REQUEST_HEADERS",
    "REQUEST_METHOD",
    "has_dot_segment",
    "is_preflight",
    "route_for_method",
    "route_for_path",
    "routed_to_own_options_view",
]

ORIGIN = "HTTP_ORIGIN"
REQUEST_METHOD = "HTTP_ACCESS_CONTROL_REQUEST_METHOD"
REQUEST_HEADERS = "HTTP_ACCESS_CONTROL_REQUEST_HEADERS"

_DOT_SEGMENTS = frozenset({".", "..", "%2e", "%2e%2e", ".%2e", "%2e."})


def has_dot_segment(path: str) -> bool:
    """Whether ``path`` has a ``.`` or ``..`` segment, raw or percent-encoded."""
    if "." not in path and "%2" not in path:
        return False
    return any(segment.lower() in _DOT_SEGMENTS for segment in path.split("/"))


def is_preflight(request: Request) -> bool:
    return request.method == "OPTIONS" and REQUEST_METHOD in request.environ


def route_for_method(
    app: Flask, request: Request, adapter: MapAdapter | None
) -> tuple[Rule, dict[str, Any]] | None:
    """The rule (and its arguments) that serves the method a preflight asks for."""
    method = request.environ[REQUEST_METHOD]
    if not is_token(method):
        return None  # Werkzeug would read an empty method as GET
    if adapter is None:
        adapter = app.create_url_adapter(request)
    if adapter is None:
        return None
    try:
        rule, view_args = adapter.match(method=method, return_rule=True)
    except (HTTPException, RequestRedirect):
        return None
    return rule, dict(view_args)


def routed_to_own_options_view(app: Flask, adapter: MapAdapter) -> bool:
    """Whether the route that serves ``OPTIONS`` here answers it itself: it lists
    ``OPTIONS``, Flask's automatic answer is off, and it is no ``cross_origin`` view (whose
    ``automatic_options`` option decides instead)."""
    try:
        rule, _args = adapter.match(method="OPTIONS", return_rule=True)
    except (HTTPException, RequestRedirect):
        return False
    if view_spec(app.view_functions.get(rule.endpoint)) is not None:
        return False
    return not getattr(rule, "provide_automatic_options", True) and "OPTIONS" in (
        rule.methods or ()
    )


def route_for_path(
    app: Flask, request: Request, adapter: MapAdapter | None = None
) -> tuple[Rule, dict[str, Any]] | None:
    """For a request routing failed for (405), the rule that serves its path with another
    method: which blueprint or view the path belongs to."""
    if adapter is None:
        adapter = app.create_url_adapter(request)
    if adapter is None:
        return None
    try:
        rule, view_args = adapter.match(return_rule=True)
    except MethodNotAllowed as refused:
        methods = sorted(refused.valid_methods or ())
        if not methods:
            return None
        try:
            rule, view_args = adapter.match(method=methods[0], return_rule=True)
        except (HTTPException, RequestRedirect):
            return None
    except (HTTPException, RequestRedirect):
        return None
    return rule, dict(view_args)
