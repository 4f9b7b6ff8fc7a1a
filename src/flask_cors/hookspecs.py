"""The hook reference: every step of a CORS decision, as a pluggy hook.

A request that reaches a CORS-enabled application goes through these steps, in order:

1. :func:`resolve_options` decides which options apply to the request (or that CORS is
   off for it).
2. :func:`match_origin` decides whether the request's ``Origin`` is allowed.
3. For an allowed preflight, :func:`build_preflight` returns the preflight headers; for
   an allowed actual request (or a request without ``Origin`` when ``always_send`` is on),
   :func:`build_response` returns the response headers.
4. :func:`add_headers` lets every plugin add headers of its own to an allowed answer.
5. :func:`vary` names further request headers the response varies on.
6. :func:`observe_decision` receives the finished decision record (for audit logs).

Three more hooks run at start-up: :func:`config_keys` and :func:`configure` once per
app, and :func:`plugin_settings` for every resource that carries settings for a plugin.

**Decisions and contributions.** :func:`resolve_options`, :func:`match_origin`,
:func:`build_preflight`, :func:`build_response` and :func:`plugin_settings` are
*decisions*: ``firstresult`` hooks, so the first implementation that returns something
other than ``None`` decides, and the rest are not called. ``None`` always means "no
opinion, ask the next plugin"; ``False`` is an answer. :func:`add_headers`, :func:`vary`
and :func:`observe_decision` collect *contributions*: every implementation is called.

**Vary is an invariant, not a plugin's duty.** Whenever the answer depended on the
``Origin`` header (any resource that does not send the same headers to everyone, any
third-party ``match_origin`` implementation, every preflight), the pipeline itself adds
``Origin`` to ``Vary``, whatever the plugins return and whichever defaults are blocked;
the ``vary`` hook only adds names.

**Answers are checked.** What a plugin returns from a request-time hook must have the
type the hook documents (a ``match_origin`` answer ``True``, ``False`` or ``None``; a
``vary`` answer a list of header names, never one string). Any other answer fails the
request closed: the response goes out without CORS headers, and a
:class:`~flask_cors.pipeline.CORSPluginError` naming the plugin and the hook is logged on
the ``flask_cors`` logger (raised with ``raise_plugin_errors``). With a wrapper or hook
tracing on, pluggy's caller combines the answers and the error names every plugin that
implements the hook. The default implementations' answers are used unchecked.

**Order.** pluggy calls ``tryfirst`` implementations first, then plain ones, then
``trylast`` ones; within each group the most recently registered first. The default
implementations (one module each under ``flask_cors.defaults``) are marked
``trylast=True`` and registered last of all, so every other plugin answers before them.

**Arguments.** Hooks are called with keyword arguments. An implementation may accept
only the arguments it needs (``app`` included); new arguments may be added to a spec in
later releases, and existing ones are never renamed.

Implement hooks with the :data:`flask_cors.hookimpl` marker.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Literal

import pluggy

if TYPE_CHECKING:
    from flask import Flask, Request

    from .decision import Decision
    from .options import CorsOptions

PROJECT_NAME = "flask_cors"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
#: Marker for hook implementations in plugins: ``@flask_cors.hookimpl``.
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec(historic=True)
def configure(app: Flask) -> bool | None:
    """Set up a plugin for one app, once, when the app's CORS pipeline is created.

    Called at ``CORS(app)`` / ``init_app`` time, after all plugins are loaded; a plugin
    registered later on the app's plugin manager is called at registration (the hook is
    *historic*). Read app-wide settings from ``app.config`` here (keys ``CORS_<PLUGIN>_*``
    that :func:`config_keys` declares, or keys of a prefix of your own) and keep per-app
    state in ``app.extensions``, not on the plugin object, if the plugin may serve several
    apps. Parse booleans and durations with :func:`flask_cors.options.parse_bool` and
    :func:`flask_cors.options.parse_duration`, as the options are.
    Per-resource settings arrive through :func:`plugin_settings` instead. An exception
    raised here fails the set-up.

    **Return** ``False`` **when the app gives the plugin no settings.** An installed
    plugin must change no app that has not asked for it: returning ``False`` leaves the
    plugin registered but *inert* for this app (none of its request-time hooks is called,
    so it adds no cost and no ``Vary``) until a resource gives it settings, that is until
    its :func:`plugin_settings` answers for one; from then on it takes part.

    Every implementation is called, each on its own.

    :param app: The Flask app being set up.
    :returns: ``False`` to stay inert for this app; anything else takes part.
    """


@hookspec
def config_keys() -> Iterable[str] | None:
    """Name the ``CORS_*`` app config keys the plugin reads.

    A plugin's app-wide settings may sit next to flask_cors's own, as ``CORS_<PLUGIN>_*``
    keys (``CORS_AUDIT_FILE``), so that ``app.config.from_prefixed_env()`` reads them from
    the environment the way Flask documents: the variable ``FLASK_CORS_AUDIT_FILE``
    becomes the key ``CORS_AUDIT_FILE``. The lint reports every ``CORS_*`` key that names
    no option as ``unknown-option``, unless a registered plugin (inert or not) declares it
    here. Called once per app, at ``CORS(app)``, after the plugins are loaded.

    Every implementation is called, each on its own.

    :returns: The keys, each starting with ``CORS_`` and none a flask_cors option's own
        key (``CORS_ORIGINS``); anything else fails the set-up with
        :class:`~flask_cors.CORSConfigError` naming the plugin.
    """


@hookspec(firstresult=True)
def plugin_settings(app: Flask, plugin: str, settings: object, resource: str) -> object | None:
    """Validate the settings one resource gives to the plugin named ``plugin``.

    A resource (or a ``cross_origin`` view) may carry settings for plugins:
    ``resources={"/api/*": {"plugins": {"origin_registry": {"tenant_header": "X-T"}}}}``.
    Called at start-up, once per resource and plugin name, when the resource's options
    are built. Answer only for your own name; return the settings in the frozen, typed
    form your other hooks will read from ``options.plugins[plugin]``, or raise
    :class:`~flask_cors.CORSConfigError` (or ``ValueError``) with what is wrong: the
    set-up then fails with a message naming the resource. When no plugin answers for a
    name, the set-up fails too (a misspelt plugin name never passes silently).

    Stops at the first non-``None`` result.

    :param app: The Flask app being set up.
    :param plugin: The name the settings are given under.
    :param settings: The value given, as written in the configuration.
    :param resource: The label of the resource (``"/api/*"``, or ``cross_origin() on
        endpoint 'name'``), for messages.
    :returns: The validated settings (never ``None``); ``None`` when the name is not yours.
    """


@hookspec(firstresult=True)
def resolve_options(app: Flask, request: Request) -> CorsOptions | Literal[False] | None:
    """Decide which CORS options apply to ``request``, or that CORS is off for it.

    Called once for every request the application handles (for a preflight with an
    ``Origin``, in front of the application, before any of its handlers). A preflight is
    routed for the method it asks for: ``request.url_rule`` is then the rule that serves
    that method. The default implementation returns the options of the ``cross_origin``
    decorator of the matched view, or else those of the most specific resource pattern
    that matches the path as the routed rule spells it (``request.path``, or for a rule
    that takes several spellings, such as ``strict_slashes=False`` or ``<int:n>``, the
    rule's own spelling), so that one routed rule gets one policy. Build options at start-up
    (:func:`flask_cors.options.build_options`), not per request.

    Stops at the first non-``None`` result.

    :param app: The Flask app serving the request.
    :param request: The Flask request, already routed (``request.url_rule`` and
        ``request.endpoint`` are set when a route matched).
    :returns: The :class:`~flask_cors.options.CorsOptions` to apply; ``False`` to leave
        this request without any CORS handling; ``None`` for no opinion. Anything else is
        a plugin error: the request fails closed.
    """


@hookspec(firstresult=True)
def match_origin(app: Flask, origin: str, options: CorsOptions, request: Request) -> bool | None:
    """Decide whether ``origin`` may read responses of this resource.

    Called for every request that has a valid ``Origin`` header and resolved to options.
    The ``origin`` has already been checked to be printable ASCII without spaces or
    commas, and at most 1,024 characters long, so it is safe to copy into a response
    header. The default implementation compares it with ``options.origins``: literals
    case-insensitively, regular expressions against the whole origin, then asks the
    functions listed there (only about an origin serialized as browsers send it; an
    exception or an answer other than a bool denies it). While any plugin
    other than the default implements this hook, every response varies on ``Origin``; if
    your answer depends on another request header too, name it from :func:`vary`.

    Stops at the first non-``None`` result.

    :param app: The Flask app serving the request.
    :param origin: The ``Origin`` request header, exactly as the browser sent it.
    :param options: The options chosen by :func:`resolve_options`.
    :param request: The Flask request.
    :returns: ``True`` to allow the origin, ``False`` to deny it, ``None`` for no opinion.
        When every implementation returns ``None`` the origin is denied. Anything else
        (``"yes"``, ``1``) is a plugin error: the request fails closed. The plugin that
        allowed the origin is named in the decision record (``origin_allowed_by``).
    """


@hookspec(firstresult=True)
def build_preflight(
    app: Flask,
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
    when asked for and enabled, ``Access-Control-Allow-Private-Network``. The preflight is
    allowed when the result has ``Access-Control-Allow-Origin`` and, for a method other
    than GET, HEAD and POST, ``Access-Control-Allow-Methods``.

    Stops at the first non-``None`` result.

    :param app: The Flask app serving the request.
    :param origin: The allowed ``Origin``, as the browser sent it.
    :param options: The options chosen by :func:`resolve_options`.
    :param request: The Flask request.
    :param request_method: ``Access-Control-Request-Method``, checked to be a token.
    :param request_headers: The names in ``Access-Control-Request-Headers``, as sent,
        checked to be tokens, without case-insensitive duplicates (empty when absent).
    :returns: The headers to set on the preflight response (an empty mapping sets none);
        ``None`` for no opinion.
    """


@hookspec(firstresult=True)
def build_response(
    app: Flask, origin: str | None, options: CorsOptions, request: Request
) -> Mapping[str, str] | None:
    """Build the CORS headers of an allowed actual (non-preflight) response.

    Called when :func:`match_origin` allowed the origin, and with ``origin=None`` for
    requests without ``Origin`` when ``options.always_send`` is on, and for requests with
    a malformed ``Origin`` to a resource that answers ``*`` to everyone. The default
    implementation sends ``Access-Control-Allow-Origin`` (the origin itself, or ``*`` for
    any origin with ``send_wildcard``), ``Access-Control-Allow-Credentials`` and
    ``Access-Control-Expose-Headers`` as configured. To add a header of your own, use
    :func:`add_headers` rather than replacing this step.

    Stops at the first non-``None`` result.

    :param app: The Flask app serving the request.
    :param origin: The allowed ``Origin`` as sent, or ``None`` when the request had none.
    :param options: The options chosen by :func:`resolve_options`.
    :param request: The Flask request.
    :returns: The headers to set (an empty mapping sets none); ``None`` for no opinion.
    """


@hookspec
def add_headers(
    app: Flask, origin: str | None, options: CorsOptions, request: Request, preflight: bool
) -> Mapping[str, str] | None:
    """Add response headers of your own to an allowed CORS answer.

    Called after :func:`build_preflight` or :func:`build_response` produced an allowed
    answer (with ``origin=None`` where :func:`build_response` was called without one). The
    mappings of all implementations are added to the answer. A plugin cannot change a
    header the answer already has here (that would be a second opinion on the decision:
    implement :func:`build_preflight` or :func:`build_response` instead); naming one is a
    plugin error and the response goes out without CORS headers. Names and values are
    checked before they are sent.

    Every implementation is called; the results are combined.

    :param app: The Flask app serving the request.
    :param origin: The allowed ``Origin`` as sent, or ``None``.
    :param options: The options chosen by :func:`resolve_options`.
    :param request: The Flask request.
    :param preflight: True for the answer to a preflight.
    :returns: Headers to add; ``None`` or an empty mapping adds none.
    """


@hookspec
def vary(
    app: Flask, options: CorsOptions, request: Request, preflight: bool
) -> Iterable[str] | None:
    """Name request headers, besides ``Origin``, that this response's CORS headers depend on.

    Called for every response of a resource whose ``vary_header`` option is on: allowed,
    denied and requests without ``Origin`` alike. ``Origin`` itself is the pipeline's
    business (see the module documentation). All names from all implementations are
    merged into the response's ``Vary`` header, case-insensitively and without
    duplicates. The default implementation names ``Access-Control-Request-Method`` and
    ``Access-Control-Request-Headers`` on preflight responses (and
    ``Access-Control-Request-Private-Network`` when ``allow_private_network`` is on).

    Every implementation is called; the results are combined.

    :param app: The Flask app serving the request.
    :param options: The options chosen by :func:`resolve_options`.
    :param request: The Flask request.
    :param preflight: True when the request is a CORS preflight.
    :returns: Header names to add to ``Vary`` (a list, a tuple or another iterable of
        strings, never one string: ``"X-Tenant"`` would be read letter by letter, so it
        is a plugin error, as is a name that is not a header name); ``None`` or an empty
        iterable adds none.
    """


@hookspec
def observe_decision(app: Flask, decision: Decision, request: Request) -> None:
    """Observe the CORS decision made for one request; for audit logs and metrics.

    Called once for every request that reaches the pipeline, after its response headers
    are final: allowed, denied, not a CORS request, or failed. A request that
    ``cross_origin_protection`` refuses gets one record instead, outcome
    ``refused_cross_origin`` (its 403 answer: the app never saw it); one it would refuse
    under ``"report-only"`` gets a record with outcome ``would_refuse_cross_origin`` before
    the app handles it, then its usual one. Observation can never change
    the response: the return value is ignored, and an exception raised here is logged and
    swallowed (unless the app sets ``raise_plugin_errors``). When no plugin implements this
    hook, no record is built at all.

    Every implementation is called; results are ignored.

    :param app: The Flask app serving the request.
    :param decision: The frozen :class:`~flask_cors.decision.Decision` record; its
        request-derived text is already escaped.
    :param request: The Flask request, for anything else an observer wants to note; do not
        change it.
    """
