"""The one module that calls the plugin manager: the CORS pipeline of an application.

:class:`CorsPluginManager` is the pluggy plugin manager of one Flask app; it tells the
pipeline whenever its set of plugins changes. :class:`Pipeline` is the typed facade:
one method per hook, plus the two request-time entry points :meth:`Pipeline.preflight`
and :meth:`Pipeline.finish`.

When a hook has no implementation besides its default one, the pipeline calls that
implementation directly instead of going through pluggy's hook machinery; the result is
identical, the cost is a plain method call. Registering or unregistering any plugin, or
switching on hook-call tracing, recomputes these shortcuts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

import pluggy

from . import hookspecs
from ._text import escape, is_safe_origin, is_token, parse_request_headers

if TYPE_CHECKING:
    from flask import Flask, Request
    from flask.wrappers import Response

    from .options import CorsOptions

__all__ = ["HOOK_NAMES", "CorsPluginManager", "Pipeline"]

log = logging.getLogger("flask_cors")

#: The pipeline's steps, in the order a request meets them.
HOOK_NAMES = ("resolve_options", "match_origin", "build_preflight", "build_response", "vary")

#: Environ key set while Flask handles an exception raised by this request.
ERROR_ENVIRON_KEY = "flask_cors.exception"

_ORIGIN = "HTTP_ORIGIN"
_REQUEST_METHOD = "HTTP_ACCESS_CONTROL_REQUEST_METHOD"
_REQUEST_HEADERS = "HTTP_ACCESS_CONTROL_REQUEST_HEADERS"


class CorsPluginManager(pluggy.PluginManager):
    """The plugin manager of one app; it reports every change of its plugin set."""

    def __init__(self) -> None:
        super().__init__(hookspecs.PROJECT_NAME)
        self.add_hookspecs(hookspecs)
        self._listeners: list[Callable[[], None]] = []
        self.tracing = False

    def on_change(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` after every register, unregister or tracing change."""
        self._listeners.append(listener)

    def _changed(self) -> None:
        for listener in self._listeners:
            listener()

    def register(self, plugin: Any, name: str | None = None) -> str | None:
        result = super().register(plugin, name)
        self._changed()
        return result

    def unregister(self, plugin: Any | None = None, name: str | None = None) -> Any | None:
        result = super().unregister(plugin, name)
        self._changed()
        return result

    def add_hookcall_monitoring(
        self,
        before: Callable[[str, Any, Mapping[str, Any]], None],
        after: Callable[[Any, str, Any, Mapping[str, Any]], None],
    ) -> Callable[[], None]:
        undo_monitoring = super().add_hookcall_monitoring(before, after)
        self.tracing = True
        self._changed()

        def undo() -> None:
            undo_monitoring()
            self.tracing = False
            self._changed()

        return undo


class Pipeline:
    """Runs the CORS hooks for the requests of one Flask app."""

    def __init__(self, app: Flask, pm: CorsPluginManager, defaults: Mapping[str, object]) -> None:
        self.app = app
        self.pm = pm
        self._defaults = dict(defaults)
        self._calls: dict[str, Callable[..., Any]] = {}
        self._custom_origin_matcher = False
        pm.on_change(self._rebind)
        self._rebind()

    # --- wiring ----------------------------------------------------------------------

    def _rebind(self) -> None:
        """Choose, for every hook, a direct call of its default or the pluggy hook caller."""
        for name in HOOK_NAMES:
            caller = getattr(self.pm.hook, name)
            impls = caller.get_hookimpls()
            default = self._defaults.get(name)
            spec = caller.spec
            direct = (
                not self.pm.tracing
                and len(impls) == 1
                and impls[0].plugin is default
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
        matchers = self.pm.hook.match_origin.get_hookimpls()
        self._custom_origin_matcher = any(
            impl.plugin is not self._defaults.get("match_origin") for impl in matchers
        )

    # --- one typed method per hook ---------------------------------------------------

    def resolve_options(self, request: Request) -> CorsOptions | None:
        """The options for ``request``, or ``None`` when CORS is off for it."""
        return self._calls["resolve_options"](request=request) or None

    def match_origin(self, origin: str, options: CorsOptions, request: Request) -> bool:
        """Whether ``origin`` is allowed; no opinion from any plugin denies."""
        return bool(self._calls["match_origin"](origin=origin, options=options, request=request))

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

    # --- request-time entry points ---------------------------------------------------

    def preflight(self, request: Request) -> Response | None:
        """Answer a CORS preflight before the app's ``before_request`` handlers run.

        Returns an empty ``200`` response (its CORS headers are added by :meth:`finish`)
        when ``request`` is a preflight for a CORS-enabled resource whose view does not
        handle ``OPTIONS`` itself; otherwise ``None``, and Flask goes on as usual.
        """
        if request.method != "OPTIONS" or _REQUEST_METHOD not in request.environ:
            return None
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
            if log.isEnabledFor(logging.DEBUG):
                log.debug(
                    "preflight for %s left to its view, which handles OPTIONS", escape(request.path)
                )
            return None
        return self.app.response_class(status=200)

    def finish(self, request: Request, response: Response) -> Response:
        """Add the CORS headers (and ``Vary``) that ``request`` deserves to ``response``."""
        options = self.resolve_options(request)
        debug = log.isEnabledFor(logging.DEBUG)
        if options is None:
            if debug:
                log.debug("no CORS for %s: no resource matches", escape(request.path))
            return response
        environ = request.environ
        if not options.intercept_exceptions and environ.get(ERROR_ENVIRON_KEY):
            if debug:
                log.debug(
                    "no CORS for %s: error response and intercept_exceptions is off",
                    escape(request.path),
                )
            return response
        origin: str | None = environ.get(_ORIGIN)
        preflight = request.method == "OPTIONS" and _REQUEST_METHOD in environ
        headers: Mapping[str, str] | None = None
        if origin is None:
            if options.always_send:
                headers = self.build_response(None, options, request, response)
                if debug:
                    log.debug(
                        "request to %s has no Origin; always_send is on", escape(request.path)
                    )
            elif debug:
                log.debug("no CORS headers for %s: the request has no Origin", escape(request.path))
        elif not is_safe_origin(origin):
            if debug:
                log.debug("origin %s refused: not a valid serialized origin", escape(origin))
        elif not self.match_origin(origin, options, request):
            if debug:
                log.debug(
                    "origin %s refused for %s (resource %s)",
                    escape(origin),
                    escape(request.path),
                    escape(options.resource),
                )
        elif preflight:
            headers = self._preflight_headers(origin, options, request, environ, debug)
        else:
            headers = self.build_response(origin, options, request, response)
            if debug:
                log.debug(
                    "origin %s allowed for %s (resource %s)",
                    escape(origin),
                    escape(request.path),
                    escape(options.resource),
                )
        if headers:
            _set_headers(response, headers)
        if options.vary_header:
            names = self.vary(options, request, response, preflight)
            if names:
                _merge_vary(response, names)
        return response

    def _preflight_headers(
        self,
        origin: str,
        options: CorsOptions,
        request: Request,
        environ: Mapping[str, Any],
        debug: bool,
    ) -> Mapping[str, str] | None:
        method = environ[_REQUEST_METHOD]
        if not is_token(method):
            if debug:
                log.debug(
                    "preflight refused: Access-Control-Request-Method %s is not a method",
                    escape(method),
                )
            return None
        raw_headers = environ.get(_REQUEST_HEADERS)
        names = parse_request_headers(raw_headers) if raw_headers else ()
        if names is None:
            if debug:
                log.debug(
                    "preflight refused: Access-Control-Request-Headers %s is malformed",
                    escape(raw_headers),
                )
            return None
        if debug:
            log.debug(
                "preflight from origin %s for %s %s (resource %s)",
                escape(origin),
                escape(method),
                escape(request.path),
                escape(options.resource),
            )
        return self.build_preflight(origin, options, request, method, names)


def _set_headers(response: Response, headers: Mapping[str, str]) -> None:
    target = response.headers
    for name, value in headers.items():
        target[name] = value


def _merge_vary(response: Response, names: Iterable[str]) -> None:
    """Add ``names`` to the response's ``Vary`` header, case-insensitively, once each."""
    current = response.headers.get("Vary")
    if not current:
        unique: dict[str, str] = {}
        for name in names:
            unique.setdefault(name.lower(), name)
        response.headers["Vary"] = ", ".join(unique.values())
        return
    present = {part.strip().lower() for part in current.split(",")}
    if "*" in present:
        return
    added = []
    for name in names:
        key = name.lower()
        if key not in present:
            present.add(key)
            added.append(name)
    if added:
        response.headers["Vary"] = ", ".join([current, *added])
