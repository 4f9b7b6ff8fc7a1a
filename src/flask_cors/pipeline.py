"""The one module that calls the hooks: the CORS pipeline of an application.

A request meets the pipeline through one of Flask's documented seams:

* :meth:`Pipeline.wrap_wsgi_app` wraps ``app.wsgi_app`` and answers an allowed preflight
  itself, before any handler of the app runs (an authentication check never sees the
  cookieless preflight), and refuses the unsafe requests that ``cross_origin_protection``
  refuses, before any handler runs too; only when ``app.wsgi_app`` is still Flask's own
  dispatch, the one place where the wrapper sees every request exactly as Flask will route
  it (otherwise protection runs as the app's first ``before_request`` function);
* :meth:`Pipeline.after_request` adds the CORS headers to every other response, error
  responses included (Flask runs ``after_request`` for those too).

Both resolve the request's options (a preflight's from the route that serves the method
it asks for), hand them to :func:`~flask_cors.decide.decide` with the current
:class:`~flask_cors.decide.Steps` and give the answer to :meth:`Pipeline.write`, which
calls the header writer (:mod:`flask_cors.headers`) and the observers.

:meth:`Pipeline.bind` chooses how each hook is called: a hook whose only implementation
is its default plugin is called directly; the implementations of a hook without wrappers
one by one, in pluggy's order; any other hook through pluggy's caller; all with keywords.
The choice is made again whenever a plugin is registered or unregistered, or hook
tracing is switched on or off.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar

from flask import request as flask_request
from werkzeug.wsgi import get_host

from . import headers as header_writer
from ._text import escape, is_safe_origin, is_token
from .decide import SAFE_METHODS, Answer, Steps, decide, failed, headers_let_through, protect
from .decision import Decision
from .errors import CORSPluginUnavailable
from .headers import CORSPluginError, checked, shown
from .manager import CorsPluginManager
from .options import CorsOptions, OriginRule
from .routing import (
    ORIGIN,
    REQUEST_METHOD,
    is_preflight,
    own_options_rule,
    route_for_method,
    route_for_path,
    route_for_request,
)
from .views import answers_options, view_spec

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment
    from flask import Flask, Request
    from flask.wrappers import Response
    from pluggy import HookCaller, HookImpl
    from werkzeug.routing import MapAdapter

__all__ = ["HOOK_NAMES", "PROTECTION_CHECKED", "CORSPluginError", "Pipeline"]

log = logging.getLogger("flask_cors")

#: Builds a named tuple without its own ``__new__``: one Python call less per record.
_new_record = tuple.__new__

#: Methods that need no escaping in a decision record.
_COMMON_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

#: Set in the WSGI environ of a request whose cross-origin protection was judged (its
#: value: whether it was refused), so that no later seam judges it again.
PROTECTION_CHECKED = "flask_cors.protection_checked"

#: The request-time hooks, in the order a request meets them.
HOOK_NAMES = (
    "resolve_options",
    "match_origin",
    "build_preflight",
    "build_response",
    "add_headers",
    "vary",
    "observe_decision",
)


class Pipeline:
    """Runs the CORS hooks for the requests of one Flask app."""

    #: Call a hook's default implementation directly when it is the only one. Switched off
    #: by the test suite to run everything through pluggy as well.
    direct_calls: ClassVar[bool] = True

    def __init__(
        self,
        app: Flask,
        pm: CorsPluginManager,
        defaults: Mapping[str, object],
        *,
        raise_errors: bool = False,
    ) -> None:
        self.app = app
        self.pm = pm
        self.raise_errors = raise_errors
        self._defaults = dict(defaults)
        self._second_layer_reported = False
        self._on_second_layer = self._report_second_layer
        #: Some resource or view of the app has cross_origin_protection on (or report-only).
        self._protecting = False
        #: A plugin resolves options: its options may protect, so every unsafe request is
        #: judged.
        self._other_resolvers = False
        #: The origins of every protected policy of the app (a request whose ``Origin`` all
        #: of them list needs no routing).
        self._protected_origins: tuple[OriginRule, ...] = ()
        #: (scopes, view functions) when ``_protecting`` was last worked out.
        self._protection_key = (-1, -1)
        #: A refusal was answered from inside the app: ``after_request`` must skip it.
        self._refusals_inside = False
        pm.on_change(self.bind)
        self.bind()

    def bind(self) -> None:
        """Choose how every hook is called: its default directly when that is its only
        implementation, the implementations one by one in pluggy's order when none is a
        wrapper, pluggy's hook caller otherwise (or with tracing on)."""
        calls: dict[str, Any] = {}
        direct: set[str] = set()
        for name in HOOK_NAMES:
            caller = self.pm.request_caller(name)  # without the plugins inert for this app
            impls = caller.get_hookimpls()
            plain = not self.pm.tracing and not any(i.wrapper or i.hookwrapper for i in impls)
            if name == "observe_decision":
                # Each observer on its own, so that one that fails does not keep the record
                # from the others; with a wrapper or tracing, pluggy's caller in one call.
                calls[name] = _ordered(impls) if plain else ((caller, _ALL_OBSERVER_ARGS),)
            elif not impls:  # a plugin unregistered at run time
                calls[name] = _UNIMPLEMENTED[name]
            elif not (self.direct_calls and plain):
                plugins = tuple(self._plugin_name(impl.plugin) for impl in reversed(impls))
                calls[name] = partial(_via_pluggy, caller, plugins)
            elif len(impls) == 1 and impls[0].plugin is self._defaults.get(name):
                calls[name] = impls[0].function  # a default's answers need no check
                direct.add(name)
            else:
                calls[name] = self._each(name, impls)
        matcher = self._defaults.get("match_origin")
        self._matcher_name = self._plugin_name(matcher)
        resolver = self._defaults.get("resolve_options")
        self._other_resolvers = any(
            impl.plugin is not resolver
            for impl in self.pm.request_caller("resolve_options").get_hookimpls()
        )
        # One assignment, so that a request never sees half of a change made by another
        # thread registering a plugin.
        self._steps = Steps(
            resolve_options=calls["resolve_options"],
            match_origin=calls["match_origin"],
            build_preflight=calls["build_preflight"],
            build_response=calls["build_response"],
            add_headers=calls["add_headers"],
            vary=calls["vary"],
            observers=calls["observe_decision"],
            direct=frozenset(direct),
            own_matcher=any(
                impl.plugin is not matcher
                for impl in self.pm.request_caller("match_origin").get_hookimpls()
            ),
        )

    def _plugin_name(self, plugin: object) -> str:
        """The name ``plugin`` is registered under; for an object registered without one
        (pluggy names it by its ``id``), its class's qualified name."""
        name = self.pm.get_name(plugin) or "?"
        if name == str(id(plugin)):
            kind = type(plugin)
            return f"{kind.__module__}.{kind.__qualname__}"
        return name

    def _each(self, hook: str, impls: Sequence[HookImpl]) -> Callable[..., Any]:
        """The step that calls ``impls`` one by one and checks each plugin's answers (a
        default plugin's answers are used as they are)."""
        default = self._defaults.get(hook)
        check = _FIRST[hook][0] if hook in _FIRST else _CHECKS.get(hook)
        ordered: _Checked = tuple(
            (
                impl.function,
                tuple(impl.argnames),
                None if impl.plugin is default else check,
                self._plugin_name(impl.plugin),
            )
            for impl in reversed(impls)
        )
        if hook == "match_origin":
            return partial(_match_each, ordered)
        if hook in _FIRST:
            return partial(_first_each, hook, ordered, _FIRST[hook][1])
        return partial(_collect_each, hook, ordered, _COMBINE[hook])

    # --- the hooks that are not part of a request ----------------------------------------

    def configure(self) -> None:
        """Let every plugin, present and future, set itself up for this app (or decline it:
        see :meth:`CorsPluginManager.configure_plugins`)."""
        self.pm.configure_plugins(self.app)

    def plugin_settings(self, plugin: str, settings: object, resource: str) -> object | None:
        """The validated settings ``resource`` gives to ``plugin``; ``None``: no such plugin."""
        return self.pm.plugin_settings(self.app, plugin, settings, resource)

    def first_answer(
        self, hook: str, given: Mapping[str, Any]
    ) -> tuple[str | None, object, object] | None:
        """For diagnostics: the first implementation of decision ``hook`` that answers.

        Calls the implementations one by one in pluggy's call order (wrappers skipped)
        with the arguments in ``given`` (``app`` added), and returns the plugin's name,
        the plugin and its answer (or the exception it raised); ``None`` when none
        answers. Not used on the request path: it calls plugins again, side effects
        included.
        """
        arguments = {"app": self.app, **given}
        for impl in reversed(self.pm.request_caller(hook).get_hookimpls()):
            if impl.wrapper or impl.hookwrapper:
                continue
            try:
                answer = impl.function(**{name: arguments[name] for name in impl.argnames})
            except Exception as error:
                return self.pm.get_name(impl.plugin), impl.plugin, error
            if answer is not None:
                return self.pm.get_name(impl.plugin), impl.plugin, answer
        return None

    # --- Flask's seams: the WSGI app (preflights) and after_request (the rest) -----------

    def wrap_wsgi_app(self, wsgi_app: WSGIApplication) -> WSGIApplication:
        """The app's WSGI callable with allowed preflights answered in front of it.

        Installed as ``app.wsgi_app`` (Flask's documented place for middleware). A
        preflight from an allowed origin to a CORS-enabled route is answered here, before
        any of the app's ``before_request``, ``after_request`` or error handlers run: an
        authentication check never sees the cookieless preflight, and an ``after_request``
        handler that needs what a ``before_request`` handler sets never runs for it.
        Everything else (and every preflight this method declines) goes to the app.

        An unsafe request (any method but GET, HEAD and OPTIONS) that cross-origin
        protection refuses is answered here with 403 (:meth:`guard`); only when some
        resource or view of the app has ``cross_origin_protection`` on or report-only,
        or a plugin resolves options: other apps pay nothing for it.

        Only when ``wsgi_app`` is Flask's own dispatch of this app: a middleware already
        wrapped around it (``ProxyFix``, a ``DispatcherMiddleware`` mounting other apps)
        may change or send elsewhere what it is given, so routing it here could judge a
        request by a route that never serves it. Then ``wsgi_app`` is returned as it is,
        preflights go through the app like any request (logged once, at start-up), and
        cross-origin protection runs as the app's first ``before_request`` function.
        """
        app = self.app
        if not _is_flask_dispatch(app, wsgi_app):
            log.warning(
                "app %r: app.wsgi_app was already wrapped (by %s) when CORS(app) ran; "
                "flask_cors cannot see where that middleware sends a request, so preflights "
                "go through the app and its handlers like any other request, and "
                "cross-origin protection runs as the app's first before_request function. "
                "Call CORS(app) before wrapping app.wsgi_app to have allowed preflights "
                "answered, and cross-origin requests refused, in front of the app.",
                app.name,
                escape(_qualified_name(wsgi_app)),
            )
            app.before_request_funcs.setdefault(None, []).insert(0, self._guard_in_app)
            return wsgi_app

        def cors_preflights(environ: WSGIEnvironment, start_response: StartResponse) -> Any:
            method = environ.get("REQUEST_METHOD")
            if method == "OPTIONS":
                if REQUEST_METHOD in environ and ORIGIN in environ:
                    response = self.answer_preflight(environ)
                    if response is not None:
                        return response(environ, start_response)
            elif method != "GET" and method != "HEAD" and self.protects():
                response = self.guard(environ)
                if response is not None:
                    return response(environ, start_response)
            return wsgi_app(environ, start_response)

        # Where other tools (the lint's second-layer check) find the wrapped app.
        cors_preflights.wsgi_app = wsgi_app  # type: ignore[attr-defined]
        return cors_preflights

    def answer_preflight(self, environ: WSGIEnvironment) -> Response | None:
        """The answer to an allowed preflight, or ``None`` to let the app handle it.

        Declined: a route that answers ``OPTIONS`` itself (one that lists ``OPTIONS``
        without Flask's automatic answer, or a ``cross_origin`` view with
        ``automatic_options`` off), whatever route serves the method asked for; a resource
        with ``automatic_options`` off, a path and method no route serves, an origin the
        resource does not allow, or any failure (the app then answers, and
        :meth:`after_request` fails closed).
        """
        app = self.app
        try:
            with app.app_context():
                request = app.request_class(environ)
                adapter = app.create_url_adapter(request)
                if adapter is None or self._options_view_answers(adapter):
                    return None
                match = route_for_method(app, request, adapter)
                if match is None:
                    return None  # no route serves the method asked for: the app answers
                options = self._resolve_routed(request, match)
                if options is None or not options.automatic_options:
                    return None
                answer = decide(request, options, app, self._steps)
                if not answer.origin_allowed:
                    return None
                response = app.response_class(status=200)
                self.write(request, response, answer)
                return response
        except Exception:
            if self.raise_errors:
                raise
            log.debug("preflight left to the app after an error", exc_info=True)
            return None

    def _options_view_answers(self, adapter: MapAdapter) -> bool:
        """Whether the route that ``OPTIONS`` is routed to here hands it to its view."""
        rule = own_options_rule(adapter)
        if rule is None:
            return False
        spec = view_spec(self.app.view_functions.get(rule.endpoint))
        state = self.app.extensions["cors"]  # this pipeline's CorsState
        return spec is None or not answers_options(state, spec, rule.endpoint)

    # --- cross-origin protection ------------------------------------------------------------

    def protects(self) -> bool:
        """Whether unsafe requests must be judged: some resource or view of the app has
        ``cross_origin_protection`` on or report-only (worked out again when scopes or
        view functions are added), or a plugin resolves options."""
        state = self.app.extensions.get("cors")
        if state is not None:
            key = (len(state.scopes), len(self.app.view_functions))
            if key != self._protection_key:
                rules = _protected_origins(state, self.app)
                self._protected_origins = rules
                self._protecting = bool(rules)
                self._protection_key = key
        return self._protecting or self._other_resolvers

    def _trusted_everywhere(self, environ: WSGIEnvironment) -> bool:
        """Whether the request's ``Origin`` is a literal origin of every protected policy
        of the app: then no route refuses it (unless a plugin decides origins or options)."""
        origin = environ.get(ORIGIN)
        if origin is None or self._other_resolvers or self._steps.own_matcher:
            return False
        if not is_safe_origin(origin):
            return False
        lowered = origin.lower()
        for rule in self._protected_origins:  # noqa: SIM110 (a generator costs more)
            if not (rule.any or lowered in rule.literals):
                return False
        return True

    def guard(self, environ: WSGIEnvironment) -> Response | None:
        """The 403 answer to an unsafe request that cross-origin protection refuses, or
        ``None`` to let the app handle it.

        The request is routed as Flask routes it (its own method) and judged by the policy
        of the route that serves it; a path and method no route serves (404, 405, a
        redirect) is left to the app, which answers it without running a view. A request
        that its headers let through whatever the policy (same-origin, no browser) is left
        to the app before any of that.
        """
        app = self.app
        routed = False
        try:
            if headers_let_through(environ, partial(self._host, environ)):
                return None
            if self._trusted_everywhere(environ):
                return None
            with app.app_context():
                request = app.request_class(environ)
                adapter = app.create_url_adapter(request)
                if adapter is None:
                    return None
                match = route_for_request(adapter)
                if match is None:
                    return None  # the app answers 404 / 405 / a redirect, no view runs
                routed = True
                options = self._resolve_routed(request, match)
                return self._protect(request, options)
        except Exception:
            if self.raise_errors:
                raise
            return self._guard_failed(environ, routed)

    def protection_verdict(
        self, request: Request, options: CorsOptions
    ) -> tuple[str | None, Exception | None]:
        """For diagnostics: why cross-origin protection refuses ``request`` under
        ``options`` (``None``: let through), and the error ``match_origin`` raised; whatever
        the option's mode. Calls ``match_origin``, side effects included."""
        return protect(request, options, self.app, self._steps)

    def _host(self, environ: WSGIEnvironment) -> str:
        """The request's host as Flask's ``request.host`` gives it (``TRUSTED_HOSTS`` too:
        an untrusted host raises, as it makes the app answer 400)."""
        trusted = self.app.config.get("TRUSTED_HOSTS") or self.app.request_class.trusted_hosts
        return get_host(environ, trusted)

    def guard_view(self, request: Request, options: CorsOptions | None) -> Response | None:
        """:meth:`guard` for a request already inside the app (the ``before_request``
        fallback, or a ``cross_origin`` view that no seam in front judged)."""
        if (
            options is not None
            and options.cross_origin_protection != "off"
            and options.origins not in self._protected_origins
        ):
            # Options the seam in front did not know of (a view replaced in place): work
            # the protected policies out again before the next request.
            self._protecting = True
            self._protected_origins = (*self._protected_origins, options.origins)
            self._protection_key = (-1, -1)
        response = self._protect(request, options)
        if response is not None:
            self._refusals_inside = True
        return response

    def _guard_in_app(self) -> Response | None:
        """The ``before_request`` function that stands in for :meth:`guard` when
        ``app.wsgi_app`` was wrapped before ``CORS(app)``."""
        request: Request = flask_request._get_current_object()  # type: ignore[attr-defined]
        if (
            request.method in SAFE_METHODS
            or PROTECTION_CHECKED in request.environ
            or not self.protects()
            or request.url_rule is None  # the app answers 404 / 405 / a redirect
        ):
            return None
        try:
            options = self.resolve_options(request)
        except Exception:
            if self.raise_errors:
                raise
            response = self._guard_failed(request.environ, routed=True)
        else:
            response = self.guard_view(request, options)
        if response is not None:
            self._refusals_inside = True
        return response

    def _protect(self, request: Request, options: CorsOptions | None) -> Response | None:
        """Judge ``request`` under ``options``: the 403 answer, or ``None`` to let it on."""
        environ = request.environ
        environ[PROTECTION_CHECKED] = False
        if options is None or options.cross_origin_protection == "off":
            return None
        reason, error = protect(request, options, self.app, self._steps)
        if error is not None:
            if self.raise_errors:
                raise error
            log.error(
                "match_origin failed while cross-origin protection judged %s %s; the origin "
                "counts as not allowed",
                escape(request.method),
                escape(request.path),
                exc_info=error,
            )
        if reason is None:
            return None
        origin = environ.get(ORIGIN)
        origin_text = "(none)" if origin is None else escape(origin)
        if options.cross_origin_protection == "report-only":
            log.warning(
                "cross-origin protection (report-only) would refuse %s %s from origin %s: %s",
                escape(request.method),
                escape(request.path),
                origin_text,
                reason,
            )
            answer = Answer("would_refuse_cross_origin", reason, {}, (), options)
            observers = self._steps.observers
            debug = log.isEnabledFor(logging.DEBUG)
            if observers or debug:
                self._report(request, answer, None, observers, debug)
            return None
        environ[PROTECTION_CHECKED] = True
        log.info(
            "cross-origin protection refused %s %s from origin %s: %s",
            escape(request.method),
            escape(request.path),
            origin_text,
            reason,
        )
        response = self.app.response_class(
            f"Cross-origin request refused: {reason}.\n", status=403, mimetype="text/plain"
        )
        self.write(request, response, Answer("refused_cross_origin", reason, {}, (), options))
        return response

    def _guard_failed(self, environ: WSGIEnvironment, routed: bool) -> Response | None:
        """After a failure while judging: routing failed, so the app answers (and fails)
        the same way, or, when the app protects some URL, refuse (fail closed)."""
        if not routed or not self._protecting:
            log.debug("cross-origin protection left the request to the app", exc_info=True)
            return None
        log.error("cross-origin protection could not judge a request; it is refused", exc_info=True)
        environ[PROTECTION_CHECKED] = True
        return self.app.response_class(
            "Cross-origin request refused: it could not be checked.\n",
            status=403,
            mimetype="text/plain",
        )

    def after_request(self, response: Response) -> Response:
        """Add the CORS headers (and ``Vary``) that the current request deserves."""
        current: Request = flask_request._get_current_object()  # type: ignore[attr-defined]
        if self._refusals_inside and current.environ.get(PROTECTION_CHECKED) is True:
            return response  # refused from inside the app: written and reported already
        self.finish(current, response)
        return response

    def finish(self, request: Request, response: Response) -> None:
        """Decide for ``request`` and write the answer to ``response``; never raises
        (unless the app sets ``raise_plugin_errors``)."""
        options: CorsOptions | None = None
        try:
            options = self.options_for(request)
            answer = decide(request, options, self.app, self._steps)
        except Exception as error:
            if self.raise_errors:
                raise
            # An outage, or an answer refused by the checks (its message names the plugin
            # and the hook): one line, since a traceback would show only the pipeline.
            plain = isinstance(error, CORSPluginUnavailable | CORSPluginError)
            log.error(
                "CORS pipeline failed for %s %s; the response goes out without CORS headers%s",
                escape(request.method),
                escape(request.path),
                f": {escape(error, limit=1000)}" if plain else "",
                exc_info=None if plain else True,
            )
            answer = failed(error, options)
        self.write(request, response, answer)

    def options_for(
        self, request: Request, adapter: MapAdapter | None = None
    ) -> CorsOptions | None:
        """The options of ``request``; a preflight's are those of the route that serves the
        method it asks for.

        When no route serves that method here (the actual request could only get a 405),
        or routing refused the request's own method, the route that serves its path with
        another method decides: its blueprint or view, never the app at large because
        routing failed. A path nothing routes gets the resources that match it.
        """
        match = None
        if request.method == "OPTIONS" and REQUEST_METHOD in request.environ:  # is_preflight()
            match = route_for_method(self.app, request, adapter)
        if match is None and request.url_rule is None:
            # A refused method (405) belongs to the blueprint or view of its path, never
            # to the app at large because routing failed.
            match = route_for_path(self.app, request, adapter)
        if match is None:
            options: CorsOptions | None = (
                self._steps.resolve_options(app=self.app, request=request) or None
            )  # what self.resolve_options(request) does, inlined: one call less per request
            return options
        return self._resolve_routed(request, match)

    def resolve_options(self, request: Request) -> CorsOptions | None:
        """The options for ``request``, or ``None`` when CORS is off for it."""
        options: CorsOptions | None = (
            self._steps.resolve_options(app=self.app, request=request) or None
        )
        return options

    def _resolve_routed(
        self, request: Request, match: tuple[Any, dict[str, Any]]
    ) -> CorsOptions | None:
        """The options of ``request`` as if routed to ``match`` (a rule and its arguments)."""
        saved = request.url_rule, request.view_args
        request.url_rule, request.view_args = match
        try:
            return self.resolve_options(request)
        finally:
            request.url_rule, request.view_args = saved

    def write(self, request: Request, response: Response, answer: Answer) -> None:
        """Write ``answer`` to ``response``, then log and observe it; a failure to write
        sends the response without CORS headers."""
        try:
            vary_value = header_writer.write(
                response, answer.headers, answer.vary, self._on_second_layer
            )
        except Exception as error:
            if self.raise_errors:
                raise
            log.error("could not write the CORS headers to the response", exc_info=True)
            answer = failed(error, answer.options)
            vary_value = None
        observers = self._steps.observers
        debug = log.isEnabledFor(logging.DEBUG)
        if observers or debug:
            self._report(request, answer, vary_value, observers, debug)

    def _report(
        self,
        request: Request,
        answer: Answer,
        vary_value: str | None,
        observers: tuple[tuple[Callable[..., object], tuple[str, ...]], ...],
        debug: bool,
    ) -> None:
        """Log the decision at DEBUG and hand its record to the observers; their failures
        never reach the response."""
        origin = request.environ.get(ORIGIN)
        method = request.method
        written = {} if answer.outcome == "error" else answer.headers
        written = dict(written) if vary_value is None else {**written, "Vary": vary_value}
        options = answer.options
        decision = _new_record(
            Decision,
            (
                answer.outcome,
                answer.reason,
                method if method in _COMMON_METHODS else escape(method, quote=False),
                escape(request.path, quote=False),
                None if origin is None else escape(origin, quote=False),
                None if options is None else options.resource,
                is_preflight(request),
                MappingProxyType(written),
                # The plugin that allowed the Origin: noted by the match_origin step, or
                # the default, called directly (it notes nothing).
                request.environ.get(ALLOWED_BY, self._matcher_name)
                if answer.origin_allowed
                else None,
            ),
        )
        if debug:
            log.debug(
                "CORS %s for %s %s from origin %s: %s",
                answer.outcome,
                escape(request.method),
                escape(request.path),
                "(none)" if origin is None else escape(origin),
                answer.reason,
            )
        given = {"app": self.app, "decision": decision, "request": request}
        for observe, argnames in observers:
            try:
                observe(*map(given.__getitem__, argnames))
            except Exception:
                if self.raise_errors:
                    raise
                log.error("a CORS decision observer failed", exc_info=True)

    def _report_second_layer(self, replaced: str) -> None:
        """Warn, once per app, that something else already set Access-Control-Allow-Origin."""
        if self._second_layer_reported:
            return
        self._second_layer_reported = True
        log.warning(
            "app %r: the response already had Access-Control-Allow-Origin %s before "
            "flask_cors added its own (a second CORS layer: a view, an after_request handler "
            "registered after CORS(app), or another extension); flask_cors replaced it. "
            "Browsers fail responses that carry two values. Reported once per app.",
            self.app.name,
            escape(replaced),
        )


def _is_flask_dispatch(app: Flask, wsgi_app: object) -> bool:
    """Whether ``wsgi_app`` is ``app``'s own ``wsgi_app`` method (no middleware around it)."""
    return getattr(wsgi_app, "__self__", None) is app and getattr(
        wsgi_app, "__func__", None
    ) is getattr(type(app), "wsgi_app", None)


def _protected_origins(state: Any, app: Flask) -> tuple[OriginRule, ...]:
    """The origins of every resource and ``cross_origin`` view of ``app`` (CORS state
    ``state``) whose cross-origin protection is on or report-only; builds the options of
    views not built yet (as their first request would)."""
    found: list[OriginRule] = []
    for scope in state.scopes:
        for resource in scope.table.resources:
            if resource.options.cross_origin_protection != "off":
                found.append(resource.options.origins)
    for endpoint, view in list(app.view_functions.items()):
        spec = view_spec(view)
        if spec is None:
            continue
        try:
            options = state.view_options(spec, endpoint)
        except Exception:
            continue  # refused options: the view's requests get no CORS
        if options.cross_origin_protection != "off":
            found.append(options.origins)
    return tuple(found)


def _qualified_name(obj: object) -> str:
    kind = obj if callable(obj) and hasattr(obj, "__qualname__") else type(obj)
    return f"{getattr(kind, '__module__', '?')}.{getattr(kind, '__qualname__', '?')}"


# --- calling the implementations, and checking what they return ----------------------------

_ALL_OBSERVER_ARGS = ("app", "decision", "request")
_Impls = tuple[tuple[Callable[..., Any], tuple[str, ...]], ...]
#: Each implementation's function, the arguments it takes, the check its answers go
#: through (``None``: a default plugin's, used as they are) and its plugin's name.
_Checked = tuple[tuple[Callable[..., Any], tuple[str, ...], Callable[[Any], Any] | None, str], ...]

#: Set in the WSGI environ when a ``match_origin`` step allows the request's ``Origin``: the
#: name of the plugin that did (read for the decision record, ``origin_allowed_by``).
ALLOWED_BY = "flask_cors.origin_allowed_by"


def _ordered(impls: Sequence[HookImpl]) -> _Impls:
    """Each implementation's function and the arguments it takes, in pluggy's call order."""
    return tuple((impl.function, tuple(impl.argnames)) for impl in reversed(impls))


def _named(error: CORSPluginError, hook: str, plugin: str) -> CORSPluginError:
    return CORSPluginError(f"plugin {plugin!r}: {error}", hook=hook, plugin=plugin)


def _first_each(hook: str, impls: _Checked, none: Any, **given: Any) -> Any:
    """What pluggy's caller returns for a ``firstresult`` hook without wrappers (the first
    answer that is not ``None``), checked; ``none`` when no implementation answers."""
    for function, argnames, check, plugin in impls:
        answer = function(*map(given.__getitem__, argnames))
        if answer is not None:
            if check is None:
                return answer
            try:
                return check(answer)
            except CORSPluginError as error:
                raise _named(error, hook, plugin) from None
    return none


def _match_each(impls: _Checked, **given: Any) -> bool | None:
    """:func:`_first_each` for ``match_origin``: ``True``, ``False`` or ``None``, and the
    name of the plugin that allowed the ``Origin`` noted in the request's environ."""
    for function, argnames, _check, plugin in impls:
        answer = function(*map(given.__getitem__, argnames))
        if answer is True:
            given["request"].environ[ALLOWED_BY] = plugin
            return True
        if answer is False:
            return False
        if answer is not None:
            raise _named(_not_a_verdict(answer), "match_origin", plugin)
    return None


def _collect_each(
    hook: str, impls: _Checked, combine: Callable[[list[Any]], Any], **given: Any
) -> Any:
    """What pluggy's caller returns for a hook that collects answers (every answer that is
    not ``None``, in order), each checked, then combined."""
    answers = []
    for function, argnames, check, plugin in impls:
        answer = function(*map(given.__getitem__, argnames))
        if answer is not None:
            if check is not None:
                try:
                    answer = check(answer)
                except CORSPluginError as error:
                    raise _named(error, hook, plugin) from None
            answers.append(answer)
    return combine(answers)


def _via_pluggy(caller: HookCaller, plugins: tuple[str, ...], **given: Any) -> Any:
    """Pluggy's caller (with a wrapper or hook tracing), its result checked as the
    implementations' answers are one by one. Pluggy does not tell which implementation
    gave the result: a refused one names every plugin that implements the hook, and so
    does ``origin_allowed_by`` when more than one does."""
    hook = caller.name
    answer = caller(**given)
    try:
        if hook == "match_origin":
            if answer is True:
                given["request"].environ[ALLOWED_BY] = " or ".join(plugins)
            elif not (answer is None or answer is False):
                raise _not_a_verdict(answer)
            return answer
        if hook in _FIRST:
            check, none = _FIRST[hook]
            return none if answer is None else check(answer)
        if not isinstance(answer, list):
            raise CORSPluginError(f"{hook}: pluggy's caller returned {shown(answer)}")
        check = _CHECKS[hook]
        return _COMBINE[hook]([check(one) for one in answer])
    except CORSPluginError as error:
        raise CORSPluginError(
            f"one of the plugins {', '.join(map(repr, plugins))} (through pluggy's caller, "
            f"which does not tell which): {error}",
            hook=hook,
        ) from None


def _no_answer(**given: Any) -> None:
    return None


def _no_headers(**given: Any) -> Mapping[str, str]:
    return {}


#: What a hook that no plugin implements stands for.
_UNIMPLEMENTED: dict[str, Callable[..., Any] | None] = {
    "resolve_options": _no_answer,
    "match_origin": _no_answer,
    "build_preflight": _no_headers,
    "build_response": _no_headers,
    "add_headers": None,
    "vary": _no_headers,
}


def _not_a_verdict(answer: object) -> CORSPluginError:
    return CORSPluginError(
        f"match_origin returned {shown(answer)}; expected True, False or None",
        hook="match_origin",
    )


def _checked_options(answer: object) -> CorsOptions | None:
    if answer is False:
        return None
    if not isinstance(answer, CorsOptions):
        raise CORSPluginError(
            f"resolve_options returned {shown(answer)}; expected CorsOptions, False or None",
            hook="resolve_options",
        )
    return answer


def _checked_preflight(built: object) -> Mapping[str, str]:
    return checked(built, "build_preflight")


def _checked_response(built: object) -> Mapping[str, str]:
    return checked(built, "build_response")


def _checked_added(built: object) -> Mapping[str, str]:
    return checked(built, "add_headers")


def _checked_vary(names: object) -> tuple[str, ...]:
    if isinstance(names, str | bytes | Mapping) or not isinstance(names, Iterable):
        raise CORSPluginError(
            f"vary returned {shown(names)}; expected an iterable of header names "
            "(a list or tuple, never one string)",
            hook="vary",
        )
    result = tuple(names)
    for name in result:
        if not isinstance(name, str) or not is_token(name):
            raise CORSPluginError(f"vary: {shown(name)} is not a header name", hook="vary")
    return result


def _merged_headers(answers: list[Mapping[str, str]]) -> dict[str, str]:
    added: dict[str, str] = {}
    for answer in answers:
        added.update(answer)
    return added


def _vary_names(answers: list[Iterable[str]]) -> list[str]:
    return [name for answer in answers for name in answer]


#: What the answer of each ``firstresult`` hook goes through before it is used, and what
#: the step returns when no implementation answers. (``match_origin``: see
#: :func:`_match_each`.)
_FIRST: dict[str, tuple[Callable[[Any], Any], Any]] = {
    "resolve_options": (_checked_options, None),
    "build_preflight": (_checked_preflight, {}),
    "build_response": (_checked_response, {}),
}
#: What each answer of a hook that collects answers goes through ...
_CHECKS: dict[str, Callable[[Any], Any]] = {"add_headers": _checked_added, "vary": _checked_vary}
#: ... and how the checked answers become the step's result.
_COMBINE: dict[str, Callable[[list[Any]], Any]] = {
    "add_headers": _merged_headers,
    "vary": _vary_names,
}
