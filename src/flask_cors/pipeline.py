"""The one module that calls the hooks: the CORS pipeline of an application.

:class:`Pipeline` is a typed facade with one method per hook, plus the two request-time
entry points :meth:`Pipeline.preflight` and :meth:`Pipeline.finish`.

When a hook has no implementation besides its default one, the pipeline calls that
implementation directly instead of going through pluggy's hook machinery; the result is
identical, the cost is a plain method call. Registering or unregistering any plugin, or
switching on hook-call tracing, recomputes these shortcuts.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import flask
from werkzeug.datastructures import Headers

from ._text import escape, is_safe_origin, is_token, parse_request_headers
from .decision import Decision, Outcome
from .defaults.resolve import ResolveOptions
from .manager import CorsPluginManager
from .options import ALLOW_METHODS, ALLOW_ORIGIN, CorsOptions

if TYPE_CHECKING:
    from flask import Flask, Request
    from flask.wrappers import Response

__all__ = ["HOOK_NAMES", "CORSPluginError", "Pipeline"]

log = logging.getLogger("flask_cors")

#: The pipeline's steps, in the order a request meets them.
HOOK_NAMES = (
    "resolve_options",
    "match_origin",
    "build_preflight",
    "build_response",
    "vary",
    "observe_decision",
)

#: Environ key set while Flask handles an exception raised by this request.
ERROR_ENVIRON_KEY = "flask_cors.exception"
#: Environ key under which :meth:`Pipeline.preflight` leaves the options it resolved.
_RESOLVED_ENVIRON_KEY = "flask_cors.options"

_DEBUG = logging.DEBUG
_ORIGIN = "HTTP_ORIGIN"
_REQUEST_METHOD = "HTTP_ACCESS_CONTROL_REQUEST_METHOD"
_REQUEST_HEADERS = "HTTP_ACCESS_CONTROL_REQUEST_HEADERS"
_UNSAFE_VALUE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_VARY_ON_ERROR = (("Origin",), "Origin")
_REQUEST_PRIVATE_NETWORK = "HTTP_ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK"
#: How many (options, origin) answers of the default pipeline are remembered.
DECISION_CACHE_SIZE = 2048
#: Requests whose Origin or Access-Control-Request-Headers are longer are not cached.
_CACHE_TEXT_LIMIT = 256
#: Header names that :func:`_apply` need not look at twice (the usual ones of a response).
_PLAIN_HEADER_NAMES = frozenset({"Content-Type", "Content-Length"})
_KNOWN_VARY_NAMES = frozenset(
    {"Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers"}
)


#: What the pipeline decided: outcome, reason, CORS headers, ``Vary`` names.
_Decided = tuple[Outcome, str, Mapping[str, str], "Iterable[str] | None"]
#: The same, ready to write: outcome, reason, header pairs, ``Vary`` names (checked and
#: unique) and those names joined into one ``Vary`` value.
_Answer = tuple[Outcome, str, tuple[tuple[str, str], ...], tuple[str, ...], str]
#: An actual request's endpoint, path and Origin.
_RouteKey = tuple["str | None", str, "str | None"]
#: What is remembered for a route key: the endpoint's view function; the header pairs, the
#: ``Vary`` names and the joined ``Vary`` value of the answer; and the header lines to add
#: to a response that has no ``Vary`` and no CORS header yet (the pairs, then ``Vary``).
_Remembered = tuple[
    object,
    tuple[tuple[str, str], ...],
    tuple[str, ...],
    str,
    tuple[tuple[str, str], ...],
]
#: Where and under what to remember an answer: the dict of remembered answers, the route
#: key and the endpoint's view function.
_Memo = tuple[dict[_RouteKey, _Remembered], _RouteKey, object]


class CORSPluginError(RuntimeError):
    """A plugin returned something the pipeline cannot send (bad header name or value)."""


class Pipeline:
    """Runs the CORS hooks for the requests of one Flask app."""

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
        resolver = self._defaults.get("resolve_options")
        #: The default ``resolve_options`` plugin; answers are only remembered with it.
        self._resolver = resolver if isinstance(resolver, ResolveOptions) else None
        self._custom_origin_matcher = False
        self._observed = False
        self._observers: list[Callable[[Decision, Request], None]] = []
        self._second_layer_reported = False
        self._cache: dict[tuple[object, ...], tuple[CorsOptions | None, _Answer]] = {}
        self._views: Mapping[Any, object] = app.view_functions
        self._routes: dict[_RouteKey, _Remembered] = {}
        pm.on_change(self._rebind)
        self._rebind()
        #: The app's ``before_request`` and ``after_request`` functions for this pipeline.
        self.before_request, self.after_request = self._request_functions()

    # --- wiring ----------------------------------------------------------------------

    def _rebind(self) -> None:
        """Choose, for every hook, a direct call of its default or the pluggy hook caller.

        Every hook is then called positionally, in the order of its spec's arguments: a
        default implementation takes exactly those arguments; a pluggy hook caller gets
        them as keywords through a small adapter.
        """
        calls: dict[str, Callable[..., Any]] = {}
        direct: set[str] = set()
        for name in HOOK_NAMES:
            caller = getattr(self.pm.hook, name)
            impls = caller.get_hookimpls()
            argnames: tuple[str, ...] = caller.spec.argnames if caller.spec else ()
            if (
                not self.pm.tracing
                and len(impls) == 1
                and impls[0].plugin is self._defaults.get(name)
                and not (impls[0].wrapper or impls[0].hookwrapper)
                and impls[0].argnames == argnames
            ):
                calls[name] = impls[0].function
                direct.add(name)
            else:
                calls[name] = _keyword_adapter(caller, argnames)
        self._resolve = calls["resolve_options"]
        self._match = calls["match_origin"]
        self._build_preflight = calls["build_preflight"]
        self._build_response = calls["build_response"]
        self._vary = calls["vary"]
        self._observe = calls["observe_decision"]
        self._vary_direct = "vary" in direct
        #: Headers from plugins are checked before they are sent; the defaults' are safe.
        self._trusted_builders = {"build_preflight", "build_response"} <= direct
        default_matcher = self._defaults.get("match_origin")
        self._custom_origin_matcher = any(
            impl.plugin is not default_matcher for impl in self.pm.hook.match_origin.get_hookimpls()
        )
        observers = self.pm.hook.observe_decision.get_hookimpls()
        self._observed = bool(observers)
        if any(impl.wrapper or impl.hookwrapper for impl in observers):
            self._observers = [self._observe]
        else:
            self._observers = [_impl_caller(impl) for impl in reversed(observers)]
        # With nothing but the defaults, the answer to an actual request is a pure
        # function of its options object (long-lived: built at start-up), its Origin and
        # whether it is an error response; such answers are remembered.
        self._cacheable = {"resolve_options", "match_origin", "build_response", "vary"} <= direct
        self._preflight_cacheable = self._cacheable and "build_preflight" in direct
        self._routes_enabled = self._cacheable and not self._observed and self._resolver is not None
        # Last, once every caller and flag above is in place.
        self.forget_answers()

    def forget_answers(self) -> None:
        """Drop every cached and remembered answer: the plugins or the resources changed.

        New, empty dicts replace the old ones rather than the old ones being emptied: a
        request that was being answered meanwhile stores what it worked out in a dict
        that nothing reads any more, so no answer from before the change survives it.
        """
        self._cache = {}
        self._routes = {}

    # --- one typed method per hook ---------------------------------------------------

    def resolve_options(self, request: Request) -> CorsOptions | None:
        """The options for ``request``, or ``None`` when CORS is off for it."""
        options = self._resolve(request)
        if not options:
            return None
        if not isinstance(options, CorsOptions):
            raise CORSPluginError(
                f"resolve_options returned {type(options).__name__}, not CorsOptions"
            )
        return options

    def match_origin(self, origin: str, options: CorsOptions, request: Request) -> bool:
        """Whether ``origin`` is allowed; no opinion from any plugin denies."""
        return self._match(origin, options, request) is True

    def build_preflight(
        self,
        origin: str,
        options: CorsOptions,
        request: Request,
        request_method: str,
        request_headers: tuple[str, ...],
    ) -> Mapping[str, str]:
        """Headers for an allowed preflight."""
        headers = self._build_preflight(origin, options, request, request_method, request_headers)
        return headers or {}

    def build_response(
        self, origin: str | None, options: CorsOptions, request: Request, response: Response
    ) -> Mapping[str, str]:
        """Headers for an allowed actual response."""
        return self._build_response(origin, options, request, response) or {}

    def vary(
        self, options: CorsOptions, request: Request, response: Response, preflight: bool
    ) -> Iterable[str]:
        """Every header name that some plugin says the response varies on."""
        dependent = options.origin_dependent or self._custom_origin_matcher
        results = self._vary(options, request, response, preflight, dependent)
        if self._vary_direct:
            return results or ()
        names: list[str] = []
        for result in results:
            if result:
                names.extend(result)
        return names

    def observe_decision(self, decision: Decision, request: Request) -> None:
        """Hand ``decision`` to every observer; their failures never reach the response.

        Each observer is called on its own, in pluggy's order, so that one that fails does
        not keep the record from the others (with tracing on, or when an observer is a
        wrapper, through pluggy as one call).
        """
        observers = [self._observe] if self.pm.tracing else self._observers
        for observe in observers:
            try:
                observe(decision, request)
            except Exception:
                if self.raise_errors:
                    raise
                log.error("a CORS decision observer failed", exc_info=True)

    def first_answer(
        self, hook: str, given: Mapping[str, Any]
    ) -> tuple[str | None, object, object] | None:
        """For diagnostics: the first implementation of decision ``hook`` that answers.

        Calls the implementations one by one in pluggy's call order (wrappers skipped)
        with the arguments in ``given``, and returns the plugin's name, the plugin and its
        answer (or the exception it raised); ``None`` when none answers. Not used on the
        request path: it calls plugins again, side effects included.
        """
        for impl in reversed(getattr(self.pm.hook, hook).get_hookimpls()):
            if impl.wrapper or impl.hookwrapper:
                continue
            try:
                answer = impl.function(*[given[arg] for arg in impl.argnames])
            except Exception as error:
                return self.pm.get_name(impl.plugin), impl.plugin, error
            if answer is not None:
                return self.pm.get_name(impl.plugin), impl.plugin, answer
        return None

    def configure(self) -> None:
        """Let every plugin, present and future, set itself up for this app."""
        self.pm.hook.configure.call_historic(kwargs={"app": self.app})

    # --- request-time entry points ---------------------------------------------------

    def preflight(self, request: Request) -> Response | None:
        """Answer a CORS preflight before the app's ``before_request`` handlers run.

        Returns an empty ``200`` response (its CORS headers are added by :meth:`finish`)
        when ``request`` is a preflight from an allowed origin to a CORS-enabled resource
        whose view does not handle ``OPTIONS`` itself. Otherwise ``None``, and Flask goes
        on as usual: a request without a valid, allowed ``Origin`` never skips the app's
        own handlers. When a plugin fails here, Flask goes on as usual too, and
        :meth:`finish` fails closed.
        """
        environ = request.environ
        if request.method != "OPTIONS" or _REQUEST_METHOD not in environ:
            return None
        origin = environ.get(_ORIGIN)
        if origin is None or not is_safe_origin(origin):
            return None
        try:
            options = self.resolve_options(request)
            if options is None or not options.automatic_options:
                return None
            rule = request.url_rule
            if (
                not options.decorated
                and rule is not None
                and not getattr(rule, "provide_automatic_options", True)
                and "OPTIONS" in (rule.methods or ())
            ):
                return None
            if not self.match_origin(origin, options, request):
                return None
        except Exception:
            if self.raise_errors:
                raise
            return None
        # Tied to this pipeline: an app that serves another app in-process with the same
        # environ must not hand its options over.
        environ[_RESOLVED_ENVIRON_KEY] = (self, options)
        return self.app.response_class(status=200)

    def _request_functions(
        self,
    ) -> tuple[Callable[[], Response | None], Callable[[Response], Response]]:
        """Make :attr:`before_request` and :attr:`after_request`.

        The first answers preflights (see :meth:`preflight`); the second adds the CORS
        headers to every response, from the remembered answers (see
        :func:`_remember`) without any further call when it can, through
        :meth:`finish` otherwise. Plain functions rather than bound methods: Flask checks
        every request function for being a coroutine function on every request, and a
        plain function is the quickest to check.
        """
        # The request object itself, out of Flask's context-local proxy: the pipeline's
        # many reads of it are then plain attribute lookups.
        get_request: Callable[[], Request] = flask.request._get_current_object  # type: ignore[attr-defined]
        preflight, finish, views = self.preflight, self.finish, self._views

        def answer_preflight() -> Response | None:
            current = get_request()
            return None if current.method != "OPTIONS" else preflight(current)

        def add_cors_headers(response: Response) -> Response:
            current = get_request()
            environ = current.environ
            if (
                not self._routes_enabled
                or current.method == "OPTIONS"
                or ERROR_ENVIRON_KEY in environ
                or log.isEnabledFor(_DEBUG)
            ):
                return finish(current, response)
            routes = self._routes
            rule = current.url_rule
            endpoint = None if rule is None else rule.endpoint
            key = (endpoint, current.path, environ.get(_ORIGIN))
            # Read before the answer is worked out; finish() keeps the answer only if
            # it was worked out for this very view function.
            view = views.get(endpoint)
            remembered = routes.get(key)
            if remembered is None or remembered[0] is not view:
                return finish(current, response, (routes, key, view))
            headers = response.headers
            if type(headers) is _RAW_HEADERS_CLASS:
                raw = headers._list
                for name, _value in raw:
                    if name not in _PLAIN_HEADER_NAMES:
                        break
                else:
                    # Nothing to merge with or to replace: append the ready-made lines.
                    raw.extend(remembered[4])
                    return response
            _apply(response, *remembered[1:4], self._report_second_layer)
            return response

        return answer_preflight, add_cors_headers

    def finish(self, request: Request, response: Response, memo: _Memo | None = None) -> Response:
        """Add the CORS headers (and ``Vary``) that ``request`` deserves to ``response``.

        With ``memo`` (from :attr:`after_request`: the dict of remembered answers it
        read, the request's endpoint, path and ``Origin``, and the endpoint's view
        function), the answer is remembered there.
        """
        cache = self._cache  # read first, like the memo's dict (see forget_answers)
        environ = request.environ
        origin: str | None = environ.get(_ORIGIN)
        preflight = request.method == "OPTIONS" and _REQUEST_METHOD in environ
        options: CorsOptions | None = None
        try:
            resolved = environ.pop(_RESOLVED_ENVIRON_KEY, None)
            if resolved is not None and resolved[0] is self:
                options = resolved[1]
            else:
                options = self.resolve_options(request)
            key = self._cache_key(options, environ, origin, preflight)
            if key is None:
                answer = self._prepare(*self._decide(request, response, options, origin, preflight))
            else:
                cached = cache.get(key)
                if cached is not None and cached[0] is options:
                    answer = cached[1]
                else:
                    answer = self._prepare(
                        *self._decide(request, response, options, origin, preflight)
                    )
                    if len(cache) >= DECISION_CACHE_SIZE:
                        cache.clear()
                    # The entry holds on to its options, so their id cannot be reused
                    # for other options while the entry exists.
                    cache[key] = (options, answer)
            if memo is not None and self._worked_out_for(memo, options):
                _remember(memo, answer)
        except Exception as error:
            if self.raise_errors:
                raise
            log.error(
                "CORS pipeline failed for %s %s; the response goes out without CORS headers",
                escape(request.method),
                escape(request.path),
                exc_info=True,
            )
            vary_on_error = _VARY_ON_ERROR if options is None or options.vary_header else ((), "")
            answer = ("error", f"plugin error: {type(error).__name__}", (), *vary_on_error)
        outcome, reason, pairs, vary, joined = answer
        vary_value = _apply(response, pairs, vary, joined, self._report_second_layer)
        if self._observed or log.isEnabledFor(logging.DEBUG):
            added = dict(pairs)
            if vary_value is not None:
                added["Vary"] = vary_value
            decision = Decision(
                outcome,
                reason,
                escape(request.method, quote=False),
                escape(request.path, quote=False),
                None if origin is None else escape(origin, quote=False),
                None if options is None else options.resource,
                preflight,
                MappingProxyType(added),
            )
            log.debug(
                "CORS %s for %s %s from origin %s: %s",  # the fields are escaped
                outcome,
                decision.method,
                decision.path,
                decision.origin,
                reason,
            )
            if self._observed:
                self.observe_decision(decision, request)
        return response

    def _worked_out_for(self, memo: _Memo, options: CorsOptions | None) -> bool:
        """Whether ``options`` are those of the memo's view function, endpoint and path.

        The app's view functions may change while a request is answered (another thread
        replacing one, and perhaps back): an answer is only remembered under the view
        function it was really worked out for.
        """
        _routes, (endpoint, path, _origin), view = memo
        resolver = self._resolver
        return resolver is not None and resolver.options_for(view, endpoint, path) is options

    def _report_second_layer(self, response: Response) -> None:
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
            escape(response.headers.get(ALLOW_ORIGIN, "")),
        )

    def _cache_key(
        self,
        options: CorsOptions | None,
        environ: Mapping[str, Any],
        origin: str | None,
        preflight: bool,
    ) -> tuple[object, ...] | None:
        """The key under which this request's answer is remembered, or ``None``.

        Only with nothing but the default plugins: then the answer is a pure function of
        the options object (long-lived: built at start-up), the ``Origin``, whether the
        response comes from an exception, and for a preflight its three request headers.
        """
        if not self._cacheable or options is None:
            return None
        if origin is not None and len(origin) > _CACHE_TEXT_LIMIT:
            return None
        key: tuple[object, ...] = (id(options), origin, ERROR_ENVIRON_KEY in environ)
        if preflight:
            requested = environ.get(_REQUEST_HEADERS)
            if not self._preflight_cacheable or (
                requested is not None and len(requested) > _CACHE_TEXT_LIMIT
            ):
                return None
            method = environ[_REQUEST_METHOD]
            if len(method) > _CACHE_TEXT_LIMIT:
                return None
            key += (method, requested, environ.get(_REQUEST_PRIVATE_NETWORK))
        return key

    def _prepare(
        self,
        outcome: Outcome,
        reason: str,
        headers: Mapping[str, str],
        vary: Iterable[str] | None,
    ) -> _Answer:
        """Check what plugins produced and put it in the form :func:`_apply` writes."""
        if headers and not self._trusted_builders:
            _check_headers(headers)
        names = tuple(_unique_names(vary)) if vary else ()
        return outcome, reason, tuple(headers.items()), names, ", ".join(names)

    def _decide(
        self,
        request: Request,
        response: Response,
        options: CorsOptions | None,
        origin: str | None,
        preflight: bool,
    ) -> _Decided:
        """The outcome, its reason, the CORS headers and the ``Vary`` names to add."""
        if options is None:
            return "not_cors", "no resource matches the path", {}, None
        if not options.intercept_exceptions and request.environ.get(ERROR_ENVIRON_KEY):
            return "not_cors", "error response and intercept_exceptions is off", {}, None
        outcome: Outcome
        headers: Mapping[str, str] = {}
        if origin is None:
            outcome, reason = "not_cors", "the request has no Origin"
            if options.always_send:
                headers = self.build_response(None, options, request, response)
                reason += "; always_send is on"
        elif not is_safe_origin(origin):
            if options.origin_dependent or self._custom_origin_matcher:
                outcome, reason = "denied", "the Origin is not a valid serialized origin"
            else:
                # Everyone gets the same "*": so must the sender of a malformed Origin, or a
                # shared cache could keep this refusal and serve it to every browser.
                outcome, reason = "allowed", "the same answer for every origin"
                headers = self.build_response(None, options, request, response)
        elif not self.match_origin(origin, options, request):
            outcome, reason = "denied", "origin not allowed"
        elif preflight:
            outcome, reason, headers = self._preflight_headers(origin, options, request)
        else:
            outcome, reason = "allowed", "origin allowed"
            headers = self.build_response(origin, options, request, response)
        vary = self.vary(options, request, response, preflight) if options.vary_header else None
        return outcome, reason, headers, vary

    def _preflight_headers(
        self, origin: str, options: CorsOptions, request: Request
    ) -> tuple[Outcome, str, Mapping[str, str]]:
        environ = request.environ
        method = environ[_REQUEST_METHOD]
        if not is_token(method):
            return "denied", "Access-Control-Request-Method is not a method name", {}
        raw_headers = environ.get(_REQUEST_HEADERS)
        names = parse_request_headers(raw_headers) if raw_headers else ()
        if names is None:
            return "denied", "Access-Control-Request-Headers is malformed or too long", {}
        headers = self.build_preflight(origin, options, request, method, names)
        if ALLOW_ORIGIN not in headers:
            return "denied", "preflight refused", headers
        if ALLOW_METHODS not in headers and method not in ("GET", "HEAD", "POST"):
            return "denied", "preflight method not allowed", headers
        return "allowed", "preflight allowed", headers


def _remember(memo: _Memo, answer: _Answer) -> None:
    """Remember ``answer`` for the actual requests with this endpoint, path and Origin.

    Only with nothing but the default plugins and no observer: the default
    ``resolve_options`` picks the options from the endpoint's view function and the path
    alone, and the rest of the answer is a pure function of those options and the
    ``Origin``. The view function is kept with the answer and compared on every use, so
    that an endpoint given another view function is resolved afresh.
    """
    routes, key, view = memo
    _endpoint, path, origin = key
    if len(path) > _CACHE_TEXT_LIMIT or (origin is not None and len(origin) > _CACHE_TEXT_LIMIT):
        return
    if len(routes) >= DECISION_CACHE_SIZE:
        routes.clear()
    _outcome, _reason, pairs, vary, joined = answer
    lines = (*pairs, ("Vary", joined)) if vary else pairs
    routes[key] = (view, pairs, vary, joined, lines)


def _impl_caller(impl: Any) -> Callable[[Decision, Request], None]:
    """Call one ``observe_decision`` implementation with the arguments it accepts."""
    function, argnames = impl.function, impl.argnames

    def call(decision: Decision, request: Request) -> None:
        given = {"decision": decision, "request": request}
        function(*[given[name] for name in argnames])

    return call


def _keyword_adapter(caller: Any, argnames: tuple[str, ...]) -> Callable[..., Any]:
    def call(*args: Any) -> Any:
        return caller(**dict(zip(argnames, args, strict=True)))

    return call


def _check_headers(headers: Mapping[str, str]) -> None:
    """Refuse header names or values that would corrupt the response."""
    for name, value in headers.items():
        if not isinstance(name, str) or not is_token(name):
            raise CORSPluginError(f"invalid response header name {escape(name)}")
        if not isinstance(value, str) or not value.isascii() or _UNSAFE_VALUE.search(value):
            raise CORSPluginError(f"invalid value for response header {name}: {escape(value)}")


def _apply(
    response: Response,
    pairs: tuple[tuple[str, str], ...],
    vary: tuple[str, ...],
    joined: str,
    on_second_layer: Callable[[Response], None],
) -> str | None:
    """Write the CORS header ``pairs`` to ``response`` and merge ``vary`` into ``Vary``.

    One pass over the response's headers finds its ``Vary`` lines and any CORS header the
    view set itself. In the common case (neither) the ready-made pairs are appended as they
    are: their values were checked when they were built, so Werkzeug's per-value check is
    not repeated on every request. A CORS header the view set is replaced instead (there
    must never be two ``Access-Control-Allow-Origin`` lines). ``Vary`` names are merged
    case-insensitively, never duplicated, and ``Vary: *`` is left alone. Returns the new
    ``Vary`` value, or ``None`` when ``Vary`` did not change.
    """
    target = response.headers
    vary_lines: list[str] | None = None
    clash = False
    for key, value in target:
        if key in _PLAIN_HEADER_NAMES:
            continue
        lowered = key.lower()
        if lowered == "vary":
            vary_lines = [*(vary_lines or ()), value]
        elif lowered.startswith("access-control-"):
            clash = True
    raw = target._list if type(target) is _RAW_HEADERS_CLASS else None
    if clash:
        if any(name == ALLOW_ORIGIN for name, _value in pairs) and ALLOW_ORIGIN in target:
            on_second_layer(response)
        for name, value in pairs:
            target.set(name, value)
    elif raw is not None:
        raw.extend(pairs)
    else:
        for name, value in pairs:
            target.add(name, value)
    if not vary:
        return None
    if vary_lines is None:
        if raw is not None:
            raw.append(("Vary", joined))
        else:
            target.add("Vary", joined)
        return joined
    present = {part.strip().lower() for line in vary_lines for part in line.split(",")}
    if "*" in present:
        return None
    added = [name for name in vary if name.lower() not in present]
    if not added:
        return None
    value = ", ".join([*vary_lines, *added])
    target.set("Vary", value)
    return value


def _raw_header_list_works() -> bool:
    """Whether Werkzeug's ``Headers`` keeps its items in a plain ``_list`` of pairs."""
    probe = Headers([("A", "1")])
    raw = getattr(probe, "_list", None)
    if not isinstance(raw, list):
        return False
    raw.append(("B", "2"))
    return probe.get("B") == "2" and list(probe) == [("A", "1"), ("B", "2")]


#: Checked once at import: appending to the raw list is only used where it is the same as
#: ``Headers.add`` minus the value check, and only on Werkzeug's own ``Headers`` (not on a
#: subclass or look-alike a custom response class may use); ``None`` turns it off.
_RAW_HEADERS_CLASS: type | None = Headers if _raw_header_list_works() else None


def _unique_names(names: Iterable[str]) -> list[str]:
    """Valid header names from ``names``, first spelling of each, case-insensitively."""
    unique: dict[str, str] = {}
    for name in names:
        if isinstance(name, str) and (name in _KNOWN_VARY_NAMES or is_token(name)):
            unique.setdefault(name.lower(), name)
    return list(unique.values())
