"""The one module that calls the hooks: the CORS pipeline of an application.

A request meets the pipeline through one of Flask's documented seams:

* :meth:`Pipeline.wrap_wsgi_app` wraps ``app.wsgi_app`` and answers an allowed preflight
  itself, before any handler of the app runs (an authentication check never sees the
  cookieless preflight);
* :meth:`Pipeline.after_request` adds the CORS headers to every other response, error
  responses included (Flask runs ``after_request`` for those too).

Both resolve the request's options (a preflight's from the route that serves the method
it asks for), hand them to :func:`decide` and give the result to :meth:`Pipeline.write`,
which calls the header writer (:mod:`flask_cors.headers`). :class:`Pipeline` is the typed facade in
front of the plugin manager: one method per hook. A hook whose only implementation is
its default plugin is called directly, otherwise through pluggy; both with keywords.
The choice is made again whenever a plugin is registered or unregistered, or hook
tracing is switched on or off.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar

from flask import request as flask_request

from . import headers as header_writer
from ._text import escape, is_safe_origin, is_token, parse_request_headers
from .decision import Decision, Outcome
from .errors import CORSPluginUnavailable
from .headers import CORSPluginError
from .manager import CorsPluginManager
from .options import ALLOW_METHODS, ALLOW_ORIGIN, CorsOptions
from .routing import (
    ORIGIN,
    REQUEST_HEADERS,
    REQUEST_METHOD,
    has_dot_segment,
    is_preflight,
    route_for_method,
    route_for_path,
    routed_to_own_options_view,
)

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment
    from flask import Flask, Request
    from flask.wrappers import Response
    from werkzeug.routing import MapAdapter

__all__ = ["HOOK_NAMES", "Answer", "CORSPluginError", "Pipeline", "decide"]

log = logging.getLogger("flask_cors")

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

_SIMPLE_METHODS = frozenset({"GET", "HEAD", "POST"})


@dataclass(frozen=True, slots=True)
class _Steps:
    """How each hook is called right now: its default directly, or pluggy's caller."""

    calls: Mapping[str, Any]
    direct: frozenset[str]
    #: Both builders are the defaults, whose headers need no check.
    trusted: bool
    #: A plugin decides origins too.
    own_matcher: bool


@dataclass(frozen=True, slots=True)
class Answer:
    """What :func:`decide` concluded for one request."""

    outcome: Outcome
    reason: str
    headers: Mapping[str, str]
    vary: tuple[str, ...]
    options: CorsOptions | None
    #: Whether a ``match_origin`` step allowed the request's ``Origin``.
    origin_allowed: bool = False


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
        pm.on_change(self.bind)
        self.bind()

    def bind(self) -> None:
        """Choose, for every hook, a direct call of its default or pluggy's hook caller."""
        steps: dict[str, Any] = {}
        direct: set[str] = set()
        for name in HOOK_NAMES:
            caller = getattr(self.pm.hook, name)
            impls = caller.get_hookimpls()
            if (
                self.direct_calls
                and not self.pm.tracing
                and len(impls) == 1
                and impls[0].plugin is self._defaults.get(name)
                and not (impls[0].wrapper or impls[0].hookwrapper)
            ):
                steps[name] = impls[0].function
                direct.add(name)
            else:
                steps[name] = caller if impls else None
        matcher = self._defaults.get("match_origin")
        # One assignment, so that a request never sees half of a change made by another
        # thread registering a plugin.
        self._steps = _Steps(
            calls=MappingProxyType(steps),
            direct=frozenset(direct),
            trusted={"build_preflight", "build_response"} <= direct,
            own_matcher=any(
                impl.plugin is not matcher for impl in self.pm.hook.match_origin.get_hookimpls()
            ),
        )

    @property
    def trusted_builders(self) -> bool:
        """Whether both builders are the defaults: their headers need no check."""
        return self._steps.trusted

    @property
    def own_origin_matcher(self) -> bool:
        """Whether a plugin decides origins too: every answer then depends on the Origin."""
        return self._steps.own_matcher

    # --- one typed method per hook -----------------------------------------------------

    def configure(self) -> None:
        """Let every plugin, present and future, set itself up for this app."""
        self.pm.hook.configure.call_historic(kwargs={"app": self.app})

    def plugin_settings(self, plugin: str, settings: object, resource: str) -> object | None:
        """The validated settings ``resource`` gives to ``plugin``; ``None``: no such plugin."""
        answer: object | None = self.pm.hook.plugin_settings(
            app=self.app, plugin=plugin, settings=settings, resource=resource
        )
        return answer

    def resolve_options(self, request: Request) -> CorsOptions | None:
        """The options for ``request``, or ``None`` when CORS is off for it."""
        options = self._steps.calls["resolve_options"](app=self.app, request=request)
        if not options:
            return None
        if not isinstance(options, CorsOptions):
            raise CORSPluginError(
                f"resolve_options returned {type(options).__name__}, not CorsOptions"
            )
        return options

    def match_origin(self, origin: str, options: CorsOptions, request: Request) -> bool:
        """Whether ``origin`` is allowed; no opinion from any plugin denies."""
        match = self._steps.calls["match_origin"]
        if match is None:
            return False
        answer = match(app=self.app, origin=origin, options=options, request=request)
        return answer is True

    def build_preflight(
        self,
        origin: str,
        options: CorsOptions,
        request: Request,
        request_method: str,
        request_headers: tuple[str, ...],
    ) -> Mapping[str, str]:
        """Headers for an allowed preflight."""
        steps = self._steps
        build = steps.calls["build_preflight"]
        if build is None:
            return {}
        built = build(
            app=self.app,
            origin=origin,
            options=options,
            request=request,
            request_method=request_method,
            request_headers=request_headers,
        )
        return self._checked(built, "build_preflight")

    def build_response(
        self, origin: str | None, options: CorsOptions, request: Request
    ) -> Mapping[str, str]:
        """Headers for an allowed actual response."""
        steps = self._steps
        build = steps.calls["build_response"]
        if build is None:
            return {}
        built = build(app=self.app, origin=origin, options=options, request=request)
        return self._checked(built, "build_response")

    def add_headers(
        self, origin: str | None, options: CorsOptions, request: Request, preflight: bool
    ) -> dict[str, str]:
        """Every header that plugins add to an allowed answer."""
        added: dict[str, str] = {}
        steps = self._steps
        add = steps.calls["add_headers"]
        if add is None:
            return added
        results = add(
            app=self.app, origin=origin, options=options, request=request, preflight=preflight
        )
        for result in results if "add_headers" not in steps.direct else [results]:
            added.update(self._checked(result, "add_headers", trusted=False))
        return added

    def vary(self, options: CorsOptions, request: Request, preflight: bool) -> list[str]:
        """Every valid header name that plugins say the response varies on."""
        steps = self._steps
        vary = steps.calls["vary"]
        if vary is None:
            return []
        results = vary(app=self.app, options=options, request=request, preflight=preflight)
        names: list[str] = []
        for result in [results] if "vary" in steps.direct else results:
            for name in result or ():
                if isinstance(name, str) and is_token(name):
                    names.append(name)
        return names

    def observe_decision(self, decision: Decision, request: Request) -> None:
        """Hand ``decision`` to every observer; their failures never reach the response.

        Each observer is called on its own, in pluggy's order, so that one that fails does
        not keep the record from the others (with tracing on, or when an observer is a
        wrapper, through pluggy as one call).
        """
        observe = self._steps.calls["observe_decision"]
        if observe is None:
            return
        impls = self.pm.hook.observe_decision.get_hookimpls()
        if self.pm.tracing or any(impl.wrapper or impl.hookwrapper for impl in impls):
            calls = [observe]
        else:
            calls = [_keywords_for(impl) for impl in reversed(impls)]
        for call in calls:
            try:
                call(app=self.app, decision=decision, request=request)
            except Exception:
                if self.raise_errors:
                    raise
                log.error("a CORS decision observer failed", exc_info=True)

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
        for impl in reversed(getattr(self.pm.hook, hook).get_hookimpls()):
            if impl.wrapper or impl.hookwrapper:
                continue
            try:
                answer = impl.function(**{name: arguments[name] for name in impl.argnames})
            except Exception as error:
                return self.pm.get_name(impl.plugin), impl.plugin, error
            if answer is not None:
                return self.pm.get_name(impl.plugin), impl.plugin, answer
        return None

    def _checked(
        self, built: object, hook: str, *, trusted: bool | None = None
    ) -> Mapping[str, str]:
        """What a hook returned, checked unless it comes from a trusted default."""
        trust = self.trusted_builders if trusted is None else trusted
        return header_writer.checked(built, hook, trust)

    # --- Flask's seams: the WSGI app (preflights) and after_request (the rest) -----------

    def wrap_wsgi_app(self, wsgi_app: WSGIApplication) -> WSGIApplication:
        """The app's WSGI callable with allowed preflights answered in front of it.

        Installed as ``app.wsgi_app`` (Flask's documented place for middleware). A
        preflight from an allowed origin to a CORS-enabled route is answered here, before
        any of the app's ``before_request``, ``after_request`` or error handlers run: an
        authentication check never sees the cookieless preflight, and an ``after_request``
        handler that needs what a ``before_request`` handler sets never runs for it.
        Everything else (and every preflight this method declines) goes to the app.
        """

        def cors_preflights(environ: WSGIEnvironment, start_response: StartResponse) -> Any:
            if (
                environ.get("REQUEST_METHOD") == "OPTIONS"
                and REQUEST_METHOD in environ
                and ORIGIN in environ
            ):
                response = self.answer_preflight(environ)
                if response is not None:
                    return response(environ, start_response)
            return wsgi_app(environ, start_response)

        # Where other tools (the lint's second-layer check) find the wrapped app.
        cors_preflights.wsgi_app = wsgi_app  # type: ignore[attr-defined]
        return cors_preflights

    def answer_preflight(self, environ: WSGIEnvironment) -> Response | None:
        """The answer to an allowed preflight, or ``None`` to let the app handle it.

        Declined: a route that handles ``OPTIONS`` itself, a resource with
        ``automatic_options`` off, a path and method no route serves, an origin the
        resource does not allow, or any failure (the app then answers, and
        :meth:`after_request` fails closed).
        """
        app = self.app
        try:
            with app.app_context():
                request = app.request_class(environ)
                adapter = app.create_url_adapter(request)
                if adapter is None or routed_to_own_options_view(app, adapter):
                    return None
                match = route_for_method(app, request, adapter)
                if match is None:
                    return None  # no route serves the method asked for: the app answers
                options = self._resolve_routed(request, match)
                if options is None or not options.automatic_options:
                    return None
                answer = decide(request, options, self)
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
        if is_preflight(request):
            match = route_for_method(self.app, request, adapter)
        if match is None and request.url_rule is None:
            # A refused method (405) belongs to the blueprint or view of its path, never
            # to the app at large because routing failed.
            match = route_for_path(self.app, request, adapter)
        if match is None:
            return self.resolve_options(request)
        return self._resolve_routed(request, match)

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

    def after_request(self, response: Response) -> Response:
        """Add the CORS headers (and ``Vary``) that the current request deserves."""
        current: Request = flask_request._get_current_object()  # type: ignore[attr-defined]
        self.finish(current, response)
        return response

    def finish(self, request: Request, response: Response) -> None:
        """Decide for ``request`` and write the answer to ``response``; never raises
        (unless the app sets ``raise_plugin_errors``)."""
        options: CorsOptions | None = None
        try:
            options = self.options_for(request)
            answer = decide(request, options, self)
        except Exception as error:
            if self.raise_errors:
                raise
            outage = isinstance(error, CORSPluginUnavailable)
            log.error(
                "CORS pipeline failed for %s %s; the response goes out without CORS headers%s",
                escape(request.method),
                escape(request.path),
                f": {escape(error, limit=1000)}" if outage else "",
                exc_info=None if outage else True,
            )
            answer = _failed(error, options)
        self.write(request, response, answer)

    def write(self, request: Request, response: Response, answer: Answer) -> None:
        """Write ``answer`` to ``response``, then log and observe it; a failure to write
        sends the response without CORS headers."""
        try:
            vary_value = header_writer.write(
                response, answer.headers, answer.vary, self._report_second_layer
            )
        except Exception as error:
            if self.raise_errors:
                raise
            log.error("could not write the CORS headers to the response", exc_info=True)
            answer = _failed(error, answer.options)
            vary_value = None
        if self._steps.calls["observe_decision"] is not None or log.isEnabledFor(logging.DEBUG):
            self._report(request, answer, vary_value)

    def _report(self, request: Request, answer: Answer, vary_value: str | None) -> None:
        """Log the decision at DEBUG and hand its record to the observers."""
        origin = request.environ.get(ORIGIN)
        added = dict(answer.headers) if answer.outcome != "error" else {}
        if vary_value is not None:
            added["Vary"] = vary_value
        decision = Decision(
            answer.outcome,
            answer.reason,
            escape(request.method, quote=False),
            escape(request.path, quote=False),
            None if origin is None else escape(origin, quote=False),
            None if answer.options is None else answer.options.resource,
            is_preflight(request),
            MappingProxyType(added),
        )
        log.debug(
            "CORS %s for %s %s from origin %s: %s",
            answer.outcome,
            escape(request.method),
            escape(request.path),
            "(none)" if origin is None else escape(origin),
            answer.reason,
        )
        self.observe_decision(decision, request)

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


# --- the decision ------------------------------------------------------------------------


def decide(request: Request, options: CorsOptions | None, steps: Pipeline) -> Answer:
    """The CORS answer to ``request`` under ``options``, asking ``steps`` for each step.

    Pure apart from what the plugins behind ``steps`` do: the outcome, its reason, the
    headers to set and the ``Vary`` names to add.
    """
    if options is None:
        return Answer("not_cors", "no resource matches the path", {}, (), None)
    if has_dot_segment(request.path):
        # Browsers resolve dot segments before they fetch: only a hand-made request has
        # one, and its path may not mean what the resource patterns think.
        dots_vary = ("Origin",) if options.vary_header else ()
        return Answer("denied", "the path has a '.' or '..' segment", {}, dots_vary, options)
    origin: str | None = request.environ.get(ORIGIN)
    preflight = is_preflight(request)
    # Whether the headers depend on the Origin; a preflight's answer always varies on it.
    per_origin = options.origin_dependent or steps.own_origin_matcher
    outcome: Outcome
    headers: Mapping[str, str] = {}
    built = True
    matched = False
    if origin is None:
        outcome, reason = "not_cors", "the request has no Origin"
        built = options.always_send
        if built:
            headers = steps.build_response(None, options, request)
            reason += "; always_send is on"
    elif not is_safe_origin(origin):
        if per_origin:
            outcome, reason, built = "denied", "the Origin is not a valid serialized origin", False
        else:
            # Everyone gets the same "*": so must the sender of a malformed Origin, or a
            # shared cache could keep this refusal and serve it to every browser.
            outcome, reason = "allowed", "the same answer for every origin"
            headers = steps.build_response(None, options, request)
            origin = None
    elif not steps.match_origin(origin, options, request):
        outcome, reason, built = "denied", "origin not allowed", False
    elif preflight:
        matched = True
        outcome, reason, headers = _preflight(origin, options, request, steps)
        built = outcome == "allowed"
    else:
        matched = True
        outcome, reason = "allowed", "origin allowed"
        headers = steps.build_response(origin, options, request)
    if built and headers:
        added = steps.add_headers(origin, options, request, preflight)
        if added:
            clash = {name.lower() for name in headers} & {name.lower() for name in added}
            if clash:
                raise CORSPluginError(
                    f"add_headers may not change {', '.join(sorted(clash))}: "
                    "implement build_preflight or build_response for that"
                )
            headers = {**headers, **added}
    vary: tuple[str, ...] = ()
    if options.vary_header:
        names = steps.vary(options, request, preflight)
        vary = ("Origin", *names) if per_origin or preflight else tuple(names)
    return Answer(outcome, reason, headers, vary, options, matched)


def _preflight(
    origin: str, options: CorsOptions, request: Request, steps: Pipeline
) -> tuple[Outcome, str, Mapping[str, str]]:
    environ = request.environ
    method = environ[REQUEST_METHOD]
    if not is_token(method):
        return "denied", "Access-Control-Request-Method is not a method name", {}
    raw_headers = environ.get(REQUEST_HEADERS)
    names = parse_request_headers(raw_headers) if raw_headers else ()
    if names is None:
        return "denied", "Access-Control-Request-Headers is malformed or too long", {}
    headers = steps.build_preflight(origin, options, request, method, names)
    if ALLOW_ORIGIN not in headers:
        return "denied", "preflight refused", headers
    if ALLOW_METHODS not in headers and method not in _SIMPLE_METHODS:
        return "denied", "preflight method not allowed", headers
    return "allowed", "preflight allowed", headers


def _failed(error: Exception, options: CorsOptions | None) -> Answer:
    """The answer of a failed pipeline: no CORS headers; ``Vary: Origin`` unless turned off."""
    vary = ("Origin",) if options is None or options.vary_header else ()
    return Answer("error", f"plugin error: {type(error).__name__}", {}, vary, options)


def _keywords_for(impl: Any) -> Callable[..., None]:
    """Call one ``observe_decision`` implementation with the keywords it accepts."""
    function, argnames = impl.function, impl.argnames

    def call(**given: Any) -> None:
        function(**{name: given[name] for name in argnames})

    return call
