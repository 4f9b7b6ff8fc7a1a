"""What the pipeline asks of a request before any plugin: is it a preflight, which route
serves the method a preflight asks for (or the request's own method, for cross-origin
protection), which route answers ``OPTIONS`` itself, how the routed rule spells the
request's path, does its path hide a dot segment."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.routing import AnyConverter, PathConverter, RequestRedirect, UnicodeConverter

from ._text import is_token

if TYPE_CHECKING:
    from flask import Flask, Request
    from werkzeug.routing import MapAdapter, Rule

__all__ = [
    "FETCH_SITE",
    "ORIGIN",
    "REQUEST_HEADERS",
    "REQUEST_METHOD",
    "has_dot_segment",
    "is_preflight",
    "own_options_rule",
    "route_for_method",
    "route_for_path",
    "route_for_request",
    "rule_path",
    "spelled_once",
]

ORIGIN = "HTTP_ORIGIN"
REQUEST_METHOD = "HTTP_ACCESS_CONTROL_REQUEST_METHOD"
REQUEST_HEADERS = "HTTP_ACCESS_CONTROL_REQUEST_HEADERS"
FETCH_SITE = "HTTP_SEC_FETCH_SITE"

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


def route_for_request(adapter: MapAdapter) -> tuple[Rule, dict[str, Any]] | None:
    """The rule (and its arguments) that serves the request ``adapter`` was bound to, with
    its own method, as Flask routes it; ``None`` when routing answers instead (404, 405, a
    redirect to the path with a slash)."""
    try:
        rule, view_args = adapter.match(return_rule=True)
    except (HTTPException, RequestRedirect):
        return None
    return rule, dict(view_args)


def own_options_rule(adapter: MapAdapter) -> Rule | None:
    """The rule that serves ``OPTIONS`` here when it is no automatic answer of Flask's: it
    lists ``OPTIONS`` and Flask's automatic answer is off. Its view answers ``OPTIONS``
    itself, unless it is a ``cross_origin`` view whose ``automatic_options`` is on (the
    pipeline asks the decorator about those)."""
    try:
        rule, _args = adapter.match(method="OPTIONS", return_rule=True)
    except (HTTPException, RequestRedirect):
        return None
    if getattr(rule, "provide_automatic_options", True) or "OPTIONS" not in (rule.methods or ()):
        return None
    return rule


#: Converters whose value has one spelling in a path: the text of the segment itself.
#: Others (``int``, ``float``, ``uuid``, an app's own) may turn several spellings into one
#: value: ``7``, ``007`` and ``%D9%A7`` (an Arabic-Indic seven) for ``int``.
_ONE_SPELLING = frozenset({UnicodeConverter, PathConverter, AnyConverter})


def spelled_once(rule: Rule) -> bool:
    """Whether ``rule`` (with arguments) matches each of its paths in one spelling only:
    its trailing slash is strict and every converter takes a segment as it is written."""
    if not getattr(rule, "strict_slashes", False):
        return False  # "/users" and "/users/" (or "/users/" and "/users") are one rule
    converters = getattr(rule, "_converters", None)  # Werkzeug's argument -> converter
    if not isinstance(converters, dict):
        return False
    return all(type(converter) in _ONE_SPELLING for converter in converters.values())


def rule_path(rule: Rule, request: Request) -> str:
    """The path of ``request``, routed to ``rule``, as the rule builds it from the request's
    arguments, percent-decoded once as ``request.path`` is: the one spelling of every path
    the router serves with this rule and these arguments (``request.path`` itself when the
    rule cannot build them)."""
    built = rule.build(request.view_args or {}, append_unknown=False)
    if built is None:
        return request.path
    path = built[1]
    return unquote(path) if "%" in path else path


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
