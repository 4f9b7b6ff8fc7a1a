"""The ``CORS`` extension and the per-app state it keeps in ``app.extensions['cors']``."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from flask import Blueprint, Flask, request
from flask.blueprints import BlueprintSetupState
from flask.wrappers import Response

from .decorator import ViewSpec
from .defaults import DEFAULT_PLUGIN_NAMES, origins, preflight, response, vary
from .defaults.resolve import ResolveOptions, Scope
from .errors import CORSConfigError
from .options import CorsOptions, Layer, build_options, check_option_names
from .pipeline import ERROR_ENVIRON_KEY, CorsPluginManager, Pipeline
from .resources import ResourceTable, compile_resource

__all__ = ["CORS", "CorsState", "state_for"]

EXTENSION_KEY = "cors"
CONFIG_PREFIX = "CORS_"
#: Keyword arguments of ``CORS`` / ``init_app`` that are not per-resource options.
EXTENSION_ARGUMENTS = frozenset({"resources"})
DEFAULT_RESOURCES = r"/*"
_KWARGS_SOURCE = "keyword arguments to CORS()"


class CorsState:
    """What flask_cors keeps for one Flask app: its plugin manager, pipeline and scopes."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.config_layers, self.config_resources = _read_config(app.config)
        self.scopes: list[Scope] = []
        self.extension_installed = False
        self._view_options: dict[ViewSpec, CorsOptions] = {}
        self.pm = CorsPluginManager()
        resolver = ResolveOptions(app.view_functions, self.scopes, self.view_options)
        plugins: dict[str, object] = {
            "resolve_options": resolver,
            "match_origin": origins,
            "build_preflight": preflight,
            "build_response": response,
            "vary": vary,
        }
        for hook, plugin in plugins.items():
            self.pm.register(plugin, name=DEFAULT_PLUGIN_NAMES[hook])
        self.pipeline = Pipeline(app, self.pm, plugins)

    def view_options(self, spec: ViewSpec) -> CorsOptions:
        """The options of a ``cross_origin`` view in this app, built on first use."""
        options = self._view_options.get(spec)
        if options is None:
            layers = [*self.config_layers, (spec.source, spec.kwargs)]
            options = build_options(layers, resource=spec.source, decorated=True)
            self._view_options[spec] = options
        return options

    def add_scope(self, kwargs: Mapping[str, Any], blueprint: str | None) -> None:
        """Compile the resources of one ``CORS(...)`` call and install the request hooks."""
        if blueprint is None and any(scope.blueprint is None for scope in self.scopes):
            raise RuntimeError(
                f"CORS is already initialised on app {self.app.name!r}; call CORS(app) once "
                "and use the resources option for per-path settings"
            )
        option_kwargs = {k: v for k, v in kwargs.items() if k not in EXTENSION_ARGUMENTS}
        base: list[Layer] = [*self.config_layers, (_KWARGS_SOURCE, option_kwargs)]
        if "resources" in kwargs:
            resources, source = kwargs["resources"], "keyword argument resources"
        else:
            resources, source = self.config_resources
        table = ResourceTable(_compile_resources(resources, source, base))
        scope = Scope(table, blueprint)
        if blueprint is None:
            self.scopes.append(scope)
        else:
            self.scopes.insert(0, scope)
        if not self.extension_installed:
            self._install_hooks()

    def _install_hooks(self) -> None:
        app, pipeline = self.app, self.pipeline

        def answer_preflight() -> Response | None:
            return pipeline.preflight(request)

        def add_cors_headers(response: Response) -> Response:
            return pipeline.finish(request, response)

        # The preflight must be answered before any before_request handler of the app
        # (an authentication check would reject the cookieless preflight), so it goes first.
        app.before_request_funcs.setdefault(None, []).insert(0, answer_preflight)
        app.after_request(add_cors_headers)
        _mark_exception_responses(app)
        self.extension_installed = True


def _mark_exception_responses(app: Flask) -> None:
    """Note in the WSGI environ when a response comes from Flask's exception handling.

    ``intercept_exceptions=False`` needs to tell such responses apart, and Flask offers no
    hook for exceptions that its handlers turn into responses; so the app's two handler
    methods are wrapped on this app instance only. The wrappers change nothing else.
    """
    for name in ("handle_user_exception", "handle_exception"):
        original = getattr(app, name)

        def marked(error: Exception, _original: Any = original) -> Any:
            request.environ[ERROR_ENVIRON_KEY] = True
            return _original(error)

        setattr(app, name, marked)


def _read_config(config: Mapping[str, Any]) -> tuple[list[Layer], tuple[object, str]]:
    """Read every ``CORS_*`` key of an app config: option layers and the resources value."""
    layers: list[Layer] = []
    resources: tuple[object, str] = (DEFAULT_RESOURCES, "the defaults")
    for key, value in config.items():
        if not isinstance(key, str) or not key.startswith(CONFIG_PREFIX):
            continue
        name = key[len(CONFIG_PREFIX) :].lower()
        source = f"app config {key}"
        check_option_names(source, [name], extra=EXTENSION_ARGUMENTS)
        if name == "resources":
            resources = (value, source)
        else:
            layers.append((source, {name: value}))
    return layers, resources


def _compile_resources(resources: object, source: str, base: list[Layer]) -> Iterable[Any]:
    entries: list[tuple[object, Mapping[str, Any], str]]
    if isinstance(resources, Mapping):
        entries = []
        for pattern, options in resources.items():
            label = f"resources[{_pattern_text(pattern)!r}]"
            if not isinstance(options, Mapping):
                raise CORSConfigError(
                    "resources",
                    source,
                    f"the options of {label} must be a dict, got {type(options).__name__}",
                )
            check_option_names(label, options)
            entries.append((pattern, options, label))
    elif isinstance(resources, str | re.Pattern):
        entries = [(resources, {}, source)]
    elif isinstance(resources, Iterable):
        entries = [(pattern, {}, source) for pattern in resources]
    else:
        raise CORSConfigError(
            "resources",
            source,
            f"expected a dict, a list or a string, got {type(resources).__name__}",
        )
    for order, (pattern, options, label) in enumerate(entries):
        if not isinstance(pattern, str | re.Pattern):
            raise CORSConfigError(
                "resources",
                source,
                f"a resource pattern must be a string, got {type(pattern).__name__}",
            )
        text = _pattern_text(pattern)
        built = build_options([*base, (label, options)], resource=text)
        yield compile_resource(pattern, built, order, label)


def _pattern_text(pattern: object) -> str:
    return pattern.pattern if isinstance(pattern, re.Pattern) else str(pattern)


def state_for(app: Flask) -> CorsState:
    """The CORS state of ``app``, created on first use."""
    state = app.extensions.get(EXTENSION_KEY)
    if state is None:
        state = app.extensions.setdefault(EXTENSION_KEY, CorsState(app))
    return state  # type: ignore[no-any-return]


class CORS:
    """Cross-Origin Resource Sharing for a Flask app or blueprint.

    ``CORS(app, **options)`` or ``cors = CORS(**options)`` then ``cors.init_app(app)``.
    Options given here apply to every resource; the ``resources`` option maps path patterns
    to options of their own. Values come, highest precedence first, from a resource's
    dictionary, these keyword arguments, the app's ``CORS_*`` config, then the defaults.
    """

    def __init__(self, app: Flask | Blueprint | None = None, **kwargs: Any) -> None:
        check_option_names(_KWARGS_SOURCE, kwargs, extra=EXTENSION_ARGUMENTS)
        self._kwargs = kwargs
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask | Blueprint, **kwargs: Any) -> None:
        """Enable CORS on ``app`` (a Flask app or a blueprint) with these extra options."""
        check_option_names(_KWARGS_SOURCE, kwargs, extra=EXTENSION_ARGUMENTS)
        merged = {**self._kwargs, **kwargs}
        if isinstance(app, Blueprint):

            def on_register(setup: BlueprintSetupState) -> None:
                name = f"{setup.name_prefix}.{setup.name}".lstrip(".")
                state_for(setup.app).add_scope(merged, blueprint=name)  # type: ignore[arg-type]

            app.record(on_register)
            return
        state_for(app).add_scope(merged, blueprint=None)
