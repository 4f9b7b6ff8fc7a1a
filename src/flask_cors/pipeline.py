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

from ._text import escape, is_safe_origin, is_token, parse_request_headers
from .decision import Decision, Outcome
from .manager import CorsPluginManager
from .options import ALLOW_METHODS, ALLOW_ORIGIN

if TYPE_CHECKING:
    from flask import Flask, Request
    from flask.wrappers import Response

    from .options import CorsOptions

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

_ORIGIN = "HTTP_ORIGIN"
_REQUEST_METHOD = "HTTP_ACCESS_CONTROL_REQUEST_METHOD"
_REQUEST_HEADERS = "HTTP_ACCESS_CONTROL_REQUEST_HEADERS"
_UNSAFE_VALUE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_VARY_ON_ERROR = ("Origin",)


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
        self._calls: dict[str, Callable[..., Any]] = {}
        self._custom_origin_matcher = False
        self._observed = False
        pm.on_change(self._rebind)
        self._rebind()

    # --- wiring ----------------------------------------------------------------------

    def _rebind(self) -> None:
        """Choose, for every hook, a direct call of its default or the pluggy hook caller."""
        for name in HOOK_NAMES:
            caller = getattr(self.pm.hook, name)
            impls = caller.get_hookimpls()
            spec = caller.spec
            direct = (
                not self.pm.tracing
                and len(impls) == 1
                and impls[0].plugin is self._defaults.get(name)
                and not (impls[0].wrapper or impls[0].hookwrapper)
                and spec is not None
                and impls[0].argnames == spec.argnames
            )
            if not direct:
                self._calls[name] = caller
            elif name == "vary":
                function = impls[0].function
                self._calls[name] = lambda function=function, **kw: [function(**kw)]
            else:
                self._calls[name] = impls[0].function
        default_matcher = self._defaults.get("match_origin")
        self._custom_origin_matcher = any(
            impl.plugin is not default_matcher for impl in self.pm.hook.match_origin.get_hookimpls()
        )
        self._observed = bool(self.pm.hook.observe_decision.get_hookimpls())

    # --- one typed method per hook ---------------------------------------------------

    def resolve_options(self, request: Request) -> CorsOptions | None:
        """The options for ``request``, or ``None`` when CORS is off for it."""
        return self._calls["resolve_options"](request=request) or None

    def match_origin(self, origin: str, options: CorsOptions, request: Request) -> bool:
        """Whether ``origin`` is allowed; no opinion from any plugin denies."""
        return self._calls["match_origin"](origin=origin, options=options, request=request) is True

    def build_preflight(
        self,
        origin: str,
        options: CorsOptions,
        request: Request,
        request_method: str,
        request_headers: tuple[str, ...],
    ) -> Mapping[str, str]:
        """Headers for an allowed preflight."""
        headers = self._calls["build_preflight"](
            origin=origin,
            options=options,
            request=request,
            request_method=request_method,
            request_headers=request_headers,
        )
        return headers or {}

    def build_response(
        self, origin: str | None, options: CorsOptions, request: Request, response: Response
    ) -> Mapping[str, str]:
        """Headers for an allowed actual response."""
        headers = self._calls["build_response"](
            origin=origin, options=options, request=request, response=response
        )
        return headers or {}

    def vary(
        self, options: CorsOptions, request: Request, response: Response, preflight: bool
    ) -> list[str]:
        """Every header name that some plugin says the response varies on."""
        results: Iterable[Iterable[str] | None] = self._calls["vary"](
            options=options,
            request=request,
            response=response,
            preflight=preflight,
            origin_dependent=options.origin_dependent or self._custom_origin_matcher,
        )
        names: list[str] = []
        for result in results:
            if result:
                names.extend(result)
        return names

    def observe_decision(self, decision: Decision, request: Request) -> None:
        """Hand ``decision`` to the observers; their failures never reach the response."""
        try:
            self._calls["observe_decision"](decision=decision, request=request)
        except Exception:
            if self.raise_errors:
                raise
            log.error("a CORS decision observer failed", exc_info=True)

    def configure(self) -> None:
        """Let every plugin, present and future, set itself up for this app."""
        self.pm.hook.configure.call_historic(kwargs={"app": self.app})

    # --- request-time entry points ---------------------------------------------------

    def preflight(self, request: Request) -> Response | None:
        """Answer a CORS preflight before the app's ``before_request`` handlers run.

        Returns an empty ``200`` response (its CORS headers are added by :meth:`finish`)
        when ``request`` is a preflight for a CORS-enabled resource whose view does not
        handle ``OPTIONS`` itself; otherwise ``None``, and Flask goes on as usual. When a
        plugin fails here, Flask goes on as usual too, and :meth:`finish` fails closed.
        """
        if request.method != "OPTIONS" or _REQUEST_METHOD not in request.environ:
            return None
        try:
            options = self.resolve_options(request)
        except Exception:
            if self.raise_errors:
                raise
            return None
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
        return self.app.response_class(status=200)

    def finish(self, request: Request, response: Response) -> Response:
        """Add the CORS headers (and ``Vary``) that ``request`` deserves to ``response``."""
        environ = request.environ
        origin: str | None = environ.get(_ORIGIN)
        preflight = request.method == "OPTIONS" and _REQUEST_METHOD in environ
        options: CorsOptions | None = None
        try:
            options = self.resolve_options(request)
            outcome, reason, headers, vary = self._decide(
                request, response, options, origin, preflight
            )
            if headers:
                _check_headers(headers)
        except Exception as error:
            if self.raise_errors:
                raise
            log.error(
                "CORS pipeline failed for %s %s; the response goes out without CORS headers",
                escape(request.method),
                escape(request.path),
                exc_info=True,
            )
            outcome, reason = "error", f"plugin error: {type(error).__name__}"
            headers, vary = {}, _VARY_ON_ERROR
        if headers:
            target = response.headers
            for name, value in headers.items():
                target[name] = value
        vary_value = _merge_vary(response, vary) if vary else None
        if self._observed or log.isEnabledFor(logging.DEBUG):
            added = dict(headers)
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

    def _decide(
        self,
        request: Request,
        response: Response,
        options: CorsOptions | None,
        origin: str | None,
        preflight: bool,
    ) -> tuple[Outcome, str, Mapping[str, str], Iterable[str] | None]:
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
            outcome, reason = "denied", "the Origin is not a valid serialized origin"
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


def _check_headers(headers: Mapping[str, str]) -> None:
    """Refuse header names or values that would corrupt the response."""
    for name, value in headers.items():
        if not isinstance(name, str) or not is_token(name):
            raise CORSPluginError(f"invalid response header name {escape(name)}")
        if not isinstance(value, str) or _UNSAFE_VALUE.search(value):
            raise CORSPluginError(f"invalid value for response header {name}: {escape(value)}")


def _merge_vary(response: Response, names: Iterable[str]) -> str | None:
    """Add ``names`` to the response's ``Vary`` header, case-insensitively, once each.

    Returns the new header value, or ``None`` when nothing changed.
    """
    current = response.headers.get("Vary")
    present: set[str] = set()
    parts: list[str] = []
    if current:
        present = {part.strip().lower() for part in current.split(",")}
        if "*" in present:
            return None
        parts.append(current)
    for name in names:
        key = name.lower()
        if key not in present and is_token(name):
            present.add(key)
            parts.append(name)
    if len(parts) == (1 if current else 0):
        return None
    value = ", ".join(parts)
    response.headers["Vary"] = value
    return value
