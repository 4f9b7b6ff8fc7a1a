"""The decision: what one request gets, given its options and the steps of the pipeline.

:func:`decide` is a plain function of the request, its options and a :class:`Steps`
snapshot (how each hook is called right now, chosen by the pipeline). It touches no
response: it returns an :class:`Answer` (outcome, reason, headers, ``Vary`` names) that
the pipeline hands to the header writer. :func:`protect` is the verdict of
``cross_origin_protection`` on a request, in the same terms.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from ._text import is_safe_origin, is_token, parse_request_headers
from .headers import CORSPluginError
from .options import ALLOW_METHODS, ALLOW_ORIGIN, CorsOptions
from .routing import FETCH_SITE, ORIGIN, REQUEST_HEADERS, REQUEST_METHOD, has_dot_segment

if TYPE_CHECKING:
    from flask import Flask, Request

    from .decision import Outcome

__all__ = [
    "SAFE_METHODS",
    "Answer",
    "Steps",
    "decide",
    "failed",
    "headers_let_through",
    "protect",
]

_SIMPLE_METHODS = frozenset({"GET", "HEAD", "POST"})
#: The methods cross-origin protection never refuses: they must not change anything.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: ``Sec-Fetch-Site`` values of a request the user made on the site itself (``none``: typed
#: in the address bar, a bookmark).
_OWN_SITE = frozenset({"same-origin", "none"})


@dataclass(frozen=True, slots=True)
class Steps:
    """How each request-time hook is called right now (built by ``Pipeline.bind``).

    Each step is called with the hook's arguments as keywords and returns what the hook's
    default returns: a default implementation itself when it is the hook's only one,
    otherwise the implementations (or pluggy's hook caller) behind a check of what the
    plugins returned.
    """

    resolve_options: Callable[..., Any]
    match_origin: Callable[..., Any]
    build_preflight: Callable[..., Mapping[str, str]]
    build_response: Callable[..., Mapping[str, str]]
    #: ``None`` when no plugin adds headers.
    add_headers: Callable[..., Mapping[str, str]] | None
    vary: Callable[..., Iterable[str]]
    #: The ``observe_decision`` implementations, each called on its own with the keywords
    #: it accepts (pluggy's caller, with all three, when tracing or a wrapper is on).
    observers: tuple[tuple[Callable[..., object], tuple[str, ...]], ...]
    #: The hooks whose default is called directly.
    direct: frozenset[str]
    #: A plugin decides origins too: every answer then depends on the ``Origin``.
    own_matcher: bool


class Answer(NamedTuple):
    """What :func:`decide` concluded for one request."""

    outcome: Outcome
    reason: str
    headers: Mapping[str, str]
    vary: tuple[str, ...]
    options: CorsOptions | None
    #: Whether a ``match_origin`` step allowed the request's ``Origin``.
    origin_allowed: bool = False


#: Builds an :class:`Answer` without the named tuple's own ``__new__``: one Python call
#: less on every request.
_new_answer = tuple.__new__


def decide(request: Request, options: CorsOptions | None, app: Flask, steps: Steps) -> Answer:
    """The CORS answer to ``request`` under ``options``, asking ``steps`` for each step."""
    if options is None:
        return Answer("not_cors", "no resource matches the path", {}, (), None)
    environ = request.environ
    path = request.path
    if ("." in path or "%2" in path) and has_dot_segment(path):
        # Browsers resolve dot segments before they fetch: only a hand-made request has
        # one, and its path may not mean what the resource patterns think.
        dots_vary = ("Origin",) if options.vary_header else ()
        return Answer("denied", "the path has a '.' or '..' segment", {}, dots_vary, options)
    origin: str | None = environ.get(ORIGIN)
    preflight = request.method == "OPTIONS" and REQUEST_METHOD in environ  # is_preflight()
    # Whether the headers depend on the Origin; a preflight's answer always varies on it.
    per_origin = options.origin_dependent or steps.own_matcher
    outcome: Outcome
    headers: Mapping[str, str] = {}
    matched = False
    if origin is None:
        outcome, reason = "not_cors", "the request has no Origin"
        if options.always_send:
            headers = steps.build_response(app=app, origin=None, options=options, request=request)
            reason += "; always_send is on"
    elif not is_safe_origin(origin):
        if per_origin:
            outcome, reason = "denied", "the Origin is not a valid serialized origin"
        else:
            # Everyone gets the same "*": so must the sender of a malformed Origin, or a
            # shared cache could keep this refusal and serve it to every browser.
            outcome, reason = "allowed", "the same answer for every origin"
            headers = steps.build_response(app=app, origin=None, options=options, request=request)
            origin = None
    elif steps.match_origin(app=app, origin=origin, options=options, request=request) is not True:
        outcome, reason = "denied", "origin not allowed"
    elif preflight:
        matched = True
        outcome, reason, headers = _preflight(app, origin, options, request, steps)
    else:
        matched = True
        outcome, reason = "allowed", "origin allowed"
        headers = steps.build_response(app=app, origin=origin, options=options, request=request)
    if headers and steps.add_headers is not None and outcome != "denied":
        added = steps.add_headers(
            app=app, origin=origin, options=options, request=request, preflight=preflight
        )
        if added:
            headers = _with_added(headers, added)
    vary: tuple[str, ...] = ()
    if options.vary_header:
        names = steps.vary(app=app, options=options, request=request, preflight=preflight)
        vary = ("Origin", *names) if per_origin or preflight else tuple(names)
    return _new_answer(Answer, (outcome, reason, headers, vary, options, matched))


def protect(
    request: Request, options: CorsOptions, app: Flask, steps: Steps
) -> tuple[str | None, Exception | None]:
    """The verdict of cross-origin protection on ``request`` under ``options``: why it is
    refused (``None``: let through), and the error ``match_origin`` raised, if it did.

    Let through when (the rules of Go 1.25's ``CrossOriginProtection``) the method is GET,
    HEAD or OPTIONS; or its headers let it through whatever the policy
    (:func:`headers_let_through`); or, asked last, the ``Origin`` is allowed by ``options``
    (the ``match_origin`` step; a failure counts as "not allowed"). The reasons are fixed
    text: no request value is copied into them.
    """
    if request.method in SAFE_METHODS:
        return None, None
    environ = request.environ
    if headers_let_through(environ, lambda: request.host):
        return None, None
    origin: str | None = environ.get(ORIGIN)
    error: Exception | None = None
    if origin is not None and is_safe_origin(origin):
        try:
            matched = steps.match_origin(app=app, origin=origin, options=options, request=request)
        except Exception as failure:
            matched, error = None, failure
        if matched is True:
            return None, None
    site: str | None = environ.get(FETCH_SITE)
    if site is not None:
        what = site if site in ("same-site", "cross-site") else "an unknown value"
        if origin is None:
            return f"Sec-Fetch-Site is {what} and the request has no Origin", error
        return f"Sec-Fetch-Site is {what} and the Origin is not allowed by the CORS policy", error
    return (
        "no Sec-Fetch-Site, and the Origin is neither allowed by the CORS policy nor the "
        "request's own host"
    ), error


def headers_let_through(environ: Mapping[str, Any], host: Callable[[], str]) -> bool:
    """Whether cross-origin protection lets an unsafe request through by its headers alone,
    whatever its policy: ``Sec-Fetch-Site`` is ``same-origin`` or ``none``; neither
    ``Sec-Fetch-Site`` nor ``Origin`` is sent; or, without ``Sec-Fetch-Site``, the
    ``Origin``'s host and port are ``host()`` (compared case-insensitively, the scheme
    left out)."""
    site = environ.get(FETCH_SITE)
    if site is not None:
        return site in _OWN_SITE
    origin = environ.get(ORIGIN)
    if origin is None:
        return True
    _scheme, sep, authority = origin.partition("://")
    if not sep:
        return False
    own = host()
    return bool(own) and authority.lower() == own.lower()


def failed(error: Exception, options: CorsOptions | None) -> Answer:
    """The answer of a failed pipeline: no CORS headers; ``Vary: Origin`` unless turned off."""
    vary = ("Origin",) if options is None or options.vary_header else ()
    return Answer("error", f"plugin error: {type(error).__name__}", {}, vary, options)


def _preflight(
    app: Flask, origin: str, options: CorsOptions, request: Request, steps: Steps
) -> tuple[Outcome, str, Mapping[str, str]]:
    environ = request.environ
    method = environ[REQUEST_METHOD]
    if not is_token(method):
        return "denied", "Access-Control-Request-Method is not a method name", {}
    raw_headers = environ.get(REQUEST_HEADERS)
    names = parse_request_headers(raw_headers) if raw_headers else ()
    if names is None:
        return "denied", "Access-Control-Request-Headers is malformed or too long", {}
    headers = steps.build_preflight(
        app=app,
        origin=origin,
        options=options,
        request=request,
        request_method=method,
        request_headers=names,
    )
    if ALLOW_ORIGIN not in headers:
        return "denied", "preflight refused", headers
    if ALLOW_METHODS not in headers and method not in _SIMPLE_METHODS:
        return "denied", "preflight method not allowed", headers
    return "allowed", "preflight allowed", headers


def _with_added(headers: Mapping[str, str], added: Mapping[str, str]) -> Mapping[str, str]:
    """``headers`` with what ``add_headers`` plugins contribute; they may not change one."""
    clash = set(map(str.lower, headers)).intersection(map(str.lower, added))
    if clash:
        raise CORSPluginError(
            f"add_headers may not change {', '.join(sorted(clash))}: "
            "implement build_preflight or build_response for that"
        )
    return {**headers, **added}
