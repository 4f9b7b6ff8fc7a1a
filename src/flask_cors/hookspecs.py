"""The hook reference: every step of a CORS decision, as a pluggy hook.

A request that reaches a CORS-enabled application goes through these steps, in order:

1. :func:`resolve_options` decides which options apply to the request (or that CORS is
   off for it).
2. :func:`match_origin` decides whether the request's ``Origin`` is allowed.
3. For an allowed preflight, :func:`build_preflight` returns the preflight headers; for
   an allowed actual request (or a request without ``Origin`` when ``always_send`` is on),
   :func:`build_response` returns the response headers.
4. :func:`vary` names the request headers the response varies on; the names of all
   plugins are merged into the response's ``Vary`` header.
5. :func:`observe_decision` receives the finished decision record (for audit logs).

**Decisions and contributions.** Steps 1 to 3 are *decisions*: they are
``firstresult`` hooks, so the first implementation that returns something other than
``None`` decides, and the rest are not called. ``None`` always means "no opinion, ask the
next plugin"; ``False`` is an answer. Step 4 collects *contributions*: every
implementation is called and all their names are used.

**Order.** pluggy calls the most recently registered implementation first. The default
implementations (one module each under ``flask_cors.defaults``) are marked
``trylast=True``, so any plugin answers before them; use ``tryfirst=True`` to run before
other third-party plugins, or ``wrapper=True`` to see and change another step's result.

**Arguments.** Hooks are called with keyword arguments. An implementation may accept
only the arguments it needs; new arguments may be added to a spec in later releases,
and existing ones are never renamed.

Implement hooks with the :data:`flask_cors.hookimpl` marker.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Literal

import pluggy

if TYPE_CHECKING:
    from flask import Flask, Request
    from flask.wrappers import Response

    from .decision import Decision
    from .options import CorsOptions

PROJECT_NAME = "flask_cors"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
#: Marker for hook implementations in plugins: ``@flask_cors.hookimpl``.
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec(historic=True)
def configure(app: Flask) -> None:
    """Set up a plugin for one app, once, when the app's CORS pipeline is created.

    Called at ``CORS(app)`` / ``init_app`` time, after all plugins are loaded; a plugin
    registered later on the app's plugin manager is called at registration (the hook is
    *historic*). Read your settings from ``app.config`` here (use a prefix of your own:
    ``CORS_*`` keys are reserved for the options and an unknown one is an error) and keep
    per-app state in ``app.extensions``, not on the plugin object, if the plugin may serve
    several apps. An exception raised here fails the set-up.

    Every implementation is called; results are ignored.

    :param app: The Flask app being set up.
    """


@hookspec(firstresult=True)
def resolve_options(request: Request) -> CorsOptions | Literal[False] | None:
    """Decide which CORS options apply to ``request``, or that CORS is off for it.

    Called for every request the application handles: for a preflight with a valid
    ``Origin``, before the application's ``before_request`` handlers, to decide whether
    the pipeline answers it itself (when it does, that answer is reused); otherwise, and
    for every other request, when its response is finished. (An app
    that only uses ``cross_origin`` calls it for the decorated views alone.) The default
    implementation returns the options of the ``cross_origin`` decorator of the matched
    view, or else those of the most specific resource pattern that matches
    ``request.path``. Options are built with :func:`flask_cors.options.build_options`;
    build them once, at start-up, not per request.

    Stops at the first non-``None`` result.

    :param request: The Flask request, already routed (``request.url_rule`` and
        ``request.endpoint`` are set when a route matched).
    :returns: The :class:`~flask_cors.options.CorsOptions` to apply; ``False`` to leave
        this request without any CORS handling; ``None`` for no opinion.
    """


@hookspec(firstresult=True)
def match_origin(origin: str, options: CorsOptions, request: Request) -> bool | None:
    """Decide whether ``origin`` may read responses of this resource.

    Called for every request that has a valid ``Origin`` header and resolved to options
    (except error responses when ``intercept_exceptions`` is off); for a preflight, also
    before the app's ``before_request`` handlers. The ``origin`` has already been checked
    to be printable ASCII without spaces or commas, and at most 1,024 characters long, so
    it is safe to copy into a response header. The default implementation compares it
    with ``options.origins``: literals case-insensitively, regular expressions against the
    whole origin.

    Stops at the first non-``None`` result.

    :param origin: The ``Origin`` request header, exactly as the browser sent it.
    :param options: The options chosen by :func:`resolve_options`.
    :param request: The Flask request.
    :returns: ``True`` to allow the origin, ``False`` to deny it, ``None`` for no opinion.
        When every implementation returns ``None`` the origin is denied.
    """


@hookspec(firstresult=True)
def build_preflight(
    origin: str,
    options: CorsOptions,
    request: Request,
    request_method: str,
    request_headers: tuple[str, ...],
) -> Mapping[str, str] | None:
    """Build the CORS headers of the answer to an allowed preflight request.

    Called for an ``OPTIONS`` request with ``Access-Control-Request-Method`` whose origin
    :func:`match_origin` allowed. The default implementation sends
    ``Access-Control-Allow-Origin`` and, when credentials are supported,
    ``Access-Control-Allow-Credentials``; when the requested method is in
    ``options.methods`` also ``Access-Control-Allow-Methods``, the allowed subset of the
    requested headers in ``Access-Control-Allow-Headers``, ``Access-Control-Max-Age`` and,
    when asked for and enabled, ``Access-Control-Allow-Private-Network``.

    Stops at the first non-``None`` result.

    :param origin: The allowed ``Origin``, as the browser sent it.
    :param options: The options chosen by :func:`resolve_options`.
    :param request: The Flask request.
    :param request_method: ``Access-Control-Request-Method``, checked to be a token.
    :param request_headers: The names in ``Access-Control-Request-Headers``, lower-cased,
        checked to be tokens, without duplicates (empty when the header is absent).
    :returns: The headers to set on the preflight response (an empty mapping sets none);
        ``None`` for no opinion.
    """


@hookspec(firstresult=True)
def build_response(
    origin: str | None, options: CorsOptions, request: Request, response: Response
) -> Mapping[str, str] | None:
    """Build the CORS headers of an allowed actual (non-preflight) response.

    Called when :func:`match_origin` allowed the origin, and with ``origin=None`` for
    requests without ``Origin`` when ``options.always_send`` is on, and for requests with
    a malformed ``Origin`` to a resource that answers ``*`` to everyone. The
    default implementation sends ``Access-Control-Allow-Origin`` (the origin itself, or
    ``*`` for any origin with ``send_wildcard``), ``Access-Control-Allow-Credentials`` and
    ``Access-Control-Expose-Headers`` as configured.

    Stops at the first non-``None`` result.

    :param origin: The allowed ``Origin`` as sent, or ``None`` when the request had none.
    :param options: The options chosen by :func:`resolve_options`.
    :param request: The Flask request.
    :param response: The response the view (or an error handler) produced; read it, do
        not change it here.
    :returns: The headers to set (an empty mapping sets none); ``None`` for no opinion.
    """


@hookspec
def vary(
    options: CorsOptions,
    request: Request,
    response: Response,
    preflight: bool,
    origin_dependent: bool,
) -> Iterable[str] | None:
    """Name the request headers this response's CORS headers depend on.

    Called for every response of a resource whose ``vary_header`` option is on: allowed,
    denied and requests without ``Origin`` alike, so that shared caches never serve one
    origin's answer to another (not for error responses when ``intercept_exceptions`` is
    off; when a plugin fails, the pipeline adds ``Origin`` itself). All names from all
    implementations are merged into the response's ``Vary`` header, case-insensitively and
    without duplicates. The default
    implementation names ``Origin`` whenever ``origin_dependent`` is true and on every
    preflight response, where it adds ``Access-Control-Request-Method`` and
    ``Access-Control-Request-Headers`` (and ``Access-Control-Request-Private-Network``
    when ``allow_private_network`` is on).

    Every implementation is called; the results are combined.

    :param options: The options chosen by :func:`resolve_options`.
    :param request: The Flask request.
    :param response: The response being finished.
    :param preflight: True when the request is a CORS preflight.
    :param origin_dependent: True unless the CORS headers of this resource are the same
        for every request (``*`` sent to everyone) and no third-party plugin decides
        origins.
    :returns: Header names to add to ``Vary``; ``None`` or an empty iterable adds none.
    """


@hookspec
def observe_decision(decision: Decision, request: Request) -> None:
    """Observe the CORS decision made for one request; for audit logs and metrics.

    Called once for every request that reaches the pipeline, after its response headers
    are final: allowed, denied, not a CORS request, or failed. Observation can never change
    the response: the return value is ignored, and an exception raised here is logged and
    swallowed (unless the app sets ``raise_plugin_errors``). When no plugin implements this
    hook, no record is built at all.

    Every implementation is called; results are ignored.

    :param decision: The frozen :class:`~flask_cors.decision.Decision` record; its
        request-derived text is already escaped.
    :param request: The Flask request, for anything else an observer wants to note; do not
        change it.
    """
