"""The ``CORS`` extension and the per-app state it keeps in ``app.extensions['cors']``."""

from __future__ import annotations

import difflib
import logging
import os
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

from flask import Blueprint, Flask
from flask.blueprints import BlueprintSetupState

from ._text import escape
from .arguments import CORSArguments
from .defaults import DEFAULT_PLUGIN_NAMES, origins, preflight, response, vary
from .defaults.resolve import ResolveOptions
from .errors import CORSConfigError
from .lint import CHECKS, Linter
from .manager import DISABLE_AUTOLOAD_ENV, CorsPluginManager, PluginSettings, load_plugins
from .options import (
    OPTION_NAMES,
    PLUGINS_OPTION,
    CorsOptions,
    Layer,
    build_options,
    parse_bool,
)
from .pipeline import Pipeline
from .resources import ResourceTable, Scope, compile_resource
from .views import ViewSpec, view_spec

if sys.version_info >= (3, 11):
    from typing import Unpack
elif TYPE_CHECKING:  # pragma: no cover
    from typing_extensions import Unpack

__all__ = ["CORS", "CorsState", "state_for"]

log = logging.getLogger("flask_cors")

EXTENSION_KEY = "cors"
CONFIG_PREFIX = "CORS_"
#: App-level settings (keyword arguments of ``CORS`` / ``init_app`` and ``CORS_*`` config
#: keys) that are not per-resource options, with their defaults.
APP_SETTINGS: Mapping[str, object] = {
    "plugins": (),
    "plugin_discovery": True,
    "blocked_plugins": (),
    "trace_hooks": False,
    "raise_plugin_errors": False,
    "lint_strict": False,
    "lint_ignore": (),
}
EXTENSION_ARGUMENTS = frozenset({"resources", *APP_SETTINGS})
#: Every name ``CORS(...)`` and the ``CORS_*`` config understand.
KNOWN_NAMES = OPTION_NAMES | EXTENSION_ARGUMENTS
DEFAULT_RESOURCES = r"/*"
#: The config keys of the options and settings: no plugin may declare one.
_CORE_KEYS = frozenset(f"{CONFIG_PREFIX}{name.upper()}" for name in KNOWN_NAMES)
#: ``FLASK_CORS_DISABLE_PLUGIN_AUTOLOAD`` as ``from_prefixed_env()`` copies it into the config.
_AUTOLOAD_KEY = DISABLE_AUTOLOAD_ENV.removeprefix("FLASK_")
_KWARGS_SOURCE = "keyword arguments to CORS()"


class CorsState:
    """What flask_cors keeps for one Flask app: its plugin manager, pipeline and scopes."""

    def __init__(self, app: Flask, kwargs: Mapping[str, Any]) -> None:
        self.app = app
        self.config_layers, self.config_resources, config_settings, unknown = _read_config(
            app.config
        )
        settings = _app_settings(kwargs, config_settings)
        self.scopes: list[Scope] = []
        self.extension_installed = False
        #: Options of ``cross_origin`` views per endpoint, or the error building them gave.
        self._view_options: dict[tuple[ViewSpec, str | None], CorsOptions | Exception] = {}
        #: Views whose refused options were logged (once per view, not per request).
        self._refusals_logged: dict[tuple[ViewSpec, str | None], object] = {}
        #: The configuration lint of this app (see :mod:`flask_cors.lint`).
        self.linter = Linter(strict=settings["lint_strict"], ignore=settings["lint_ignore"])
        self.where = f"app {app.name!r}"
        self.pm = CorsPluginManager()
        resolver = ResolveOptions(self.scopes, self.request_view_options)
        plugins: dict[str, object] = {
            "resolve_options": resolver,
            "match_origin": origins,
            "build_preflight": preflight,
            "build_response": response,
            "vary": vary,
        }
        load_plugins(
            self.pm,
            {DEFAULT_PLUGIN_NAMES[hook]: plugin for hook, plugin in plugins.items()},
            PluginSettings(
                plugins=settings["plugins"],
                plugin_discovery=settings["plugin_discovery"],
                blocked_plugins=frozenset(settings["blocked_plugins"]),
                source=settings["source"],
            ),
        )
        # Keys that name no option, unless a plugin declares them (its config_keys hook).
        declared = self.pm.config_keys(_CORE_KEYS, settings["source"])
        for key in unknown:
            if key not in declared:
                self.linter.names_given([key], f"app config {key}", KNOWN_NAMES, self.where)
        self.pipeline = Pipeline(
            app, self.pm, plugins, raise_errors=settings["raise_plugin_errors"]
        )
        if settings["trace_hooks"]:
            self.pm.trace.root.setwriter(_trace_writer)
            self.pm.enable_tracing()

    def view_options(self, spec: ViewSpec, endpoint: str | None = None) -> CorsOptions:
        """The options of a ``cross_origin`` view served under ``endpoint`` in this app.

        Built and linted once; a view whose options cannot be built (a strict lint
        finding, say) raises the same error on every use, so its requests fail closed.
        """
        key = (spec, endpoint)
        found = self._view_options.get(key)
        if found is None:
            try:
                source = spec.source_for(endpoint)
                self.linter.names_given(spec.unknown, source, OPTION_NAMES, self.where)
                found = self.build(
                    [*self.config_layers, (spec.source_for(endpoint), spec.kwargs)],
                    resource=spec.source_for(endpoint),
                    decorated=True,
                )
            except Exception as error:
                found = error
            # Two first requests may build them at once: both then use the one kept.
            found = self._view_options.setdefault(key, found)
        if isinstance(found, Exception):
            raise found
        return found

    def request_view_options(
        self, spec: ViewSpec, endpoint: str | None = None
    ) -> CorsOptions | Literal[False]:
        """:meth:`view_options` for a request: a view whose options cannot be built gets no
        CORS headers (``False``), and the error is logged once per view, not per request
        (raised instead with ``raise_plugin_errors``)."""
        try:
            return self.view_options(spec, endpoint)
        except Exception as error:
            if self.pipeline.raise_errors:
                raise
            token = object()
            if self._refusals_logged.setdefault((spec, endpoint), token) is token:
                log.error(
                    "CORS is off for %s: %s; its responses go out without CORS headers",
                    spec.source_for(endpoint),
                    escape(error, limit=1000, quote=False),
                    exc_info=not isinstance(error, CORSConfigError),
                )
            return False

    def build(self, layers: list[Layer], *, resource: str, decorated: bool = False) -> CorsOptions:
        """Build the options of one resource: validate, lint, and let plugins check their
        settings."""
        options = build_options(layers, resource=resource, decorated=decorated)
        self.linter.options_built(options)
        if not options.plugins:
            return options
        checked: dict[str, object] = {}
        source = options.sources[PLUGINS_OPTION]
        for name, given in options.plugins.items():
            try:
                value = self.pipeline.plugin_settings(name, given, resource)
            except CORSConfigError:
                raise
            except (ValueError, TypeError) as error:
                raise CORSConfigError(
                    PLUGINS_OPTION, source, f"settings for plugin {name!r}: {error}"
                ) from None
            if value is None:
                known = sorted(n for n, p in self.pm.list_name_plugin() if p is not None)
                raise CORSConfigError(
                    PLUGINS_OPTION,
                    source,
                    f"no registered plugin takes settings named {name!r} "
                    f"(registered: {', '.join(known)})",
                )
            checked[name] = value
        return replace(options, plugins=MappingProxyType(checked))

    def add_scope(self, kwargs: Mapping[str, Any], blueprint: str | None) -> None:
        """Compile the resources of one ``CORS(...)`` call and install the request hooks.

        A later call's resources come before the earlier ones of the same kind (blueprint
        scopes before app-wide ones).
        """
        given = [name for name in kwargs if name not in EXTENSION_ARGUMENTS]
        known = self.linter.names_given(given, _KWARGS_SOURCE, KNOWN_NAMES, self.where)
        option_kwargs = {name: kwargs[name] for name in known}
        base: list[Layer] = [*self.config_layers, (_KWARGS_SOURCE, option_kwargs)]
        if "resources" in kwargs:
            resources, source = kwargs["resources"], "keyword argument resources"
        else:
            resources, source = self.config_resources
        with self.linter.within(None if blueprint is None else f"blueprint {blueprint!r}"):
            table = ResourceTable(_compile_resources(resources, source, base, self))
            self.linter.resources_compiled(table.resources, source)
        scope = Scope(table, blueprint)
        if blueprint is None:
            first_app_scope = next(
                (i for i, s in enumerate(self.scopes) if s.blueprint is None), len(self.scopes)
            )
            self.scopes.insert(first_app_scope, scope)
        else:
            self.scopes.insert(0, scope)
        if not self.extension_installed:
            self._install_hooks()
        self.linter.app_ready(self.app)
        # Views decorated with cross_origin and registered by now get their options
        # checked at start-up too; later ones on first use.
        for endpoint, view in list(self.app.view_functions.items()):
            spec = view_spec(view)
            if spec is not None:
                self.view_options(spec, endpoint)

    def _install_hooks(self) -> None:
        app = self.app
        # Allowed preflights are answered in front of the app, before any of its handlers
        # (an authentication check would reject the cookieless preflight).
        app.wsgi_app = self.pipeline.wrap_wsgi_app(app.wsgi_app)  # type: ignore[method-assign,assignment]
        app.after_request(self.pipeline.after_request)
        self.extension_installed = True


def _trace_writer(message: str) -> None:
    log.debug("hook trace: %s", escape(message.rstrip("\n"), limit=2000))


def _read_config(
    config: Mapping[str, Any],
) -> tuple[list[Layer], tuple[object, str], dict[str, tuple[object, str]], list[str]]:
    """Read every ``CORS_*`` key of an app config: option layers, resources, app settings,
    and the keys that name nothing (reported once the app's linter exists)."""
    layers: list[Layer] = []
    resources: tuple[object, str] = (DEFAULT_RESOURCES, "the defaults")
    settings: dict[str, tuple[object, str]] = {}
    unknown: list[str] = []
    for key, value in config.items():
        if not isinstance(key, str) or not key.startswith(CONFIG_PREFIX):
            continue
        name = key[len(CONFIG_PREFIX) :].lower()
        source = f"app config {key}"
        if key == _AUTOLOAD_KEY and DISABLE_AUTOLOAD_ENV in os.environ:
            continue  # the process switch, copied here by app.config.from_prefixed_env()
        if name not in KNOWN_NAMES or (name == PLUGINS_OPTION and name not in APP_SETTINGS):
            unknown.append(key)
        elif name == "resources":
            resources = (value, source)
        elif name in APP_SETTINGS:
            settings[name] = (value, source)
        else:
            layers.append((source, {name: value}))
    return layers, resources, settings, unknown


def _app_settings(
    kwargs: Mapping[str, Any], config: Mapping[str, tuple[object, str]]
) -> dict[str, Any]:
    """Validate the app-level settings: keyword arguments over config over defaults."""
    result: dict[str, Any] = {}
    sources: list[str] = []
    for name, default in APP_SETTINGS.items():
        if name in kwargs:
            value, source = kwargs[name], f"keyword argument {name}"
        elif name in config:
            value, source = config[name]
        else:
            value, source = default, "the defaults"
        if isinstance(default, bool):
            value = parse_bool(name, source, value)
        else:
            if isinstance(value, str) and name in ("blocked_plugins", "lint_ignore"):
                value = [part.strip() for part in value.split(",") if part.strip()]
            elif isinstance(value, Mapping) and name == "plugins":
                raise CORSConfigError(
                    name,
                    source,
                    "expected a list of plugins; settings for plugins go on the resources, "
                    "resources={'/*': {'plugins': {name: settings}}}",
                )
            elif isinstance(value, str | bytes) or not isinstance(value, Iterable):
                raise CORSConfigError(name, source, f"expected a list, got {value!r}")
            value = tuple(value)
            if name == "blocked_plugins" and not all(isinstance(v, str) for v in value):
                raise CORSConfigError(name, source, "plugin names must be strings")
            if name == "lint_ignore":
                _check_lint_ids(value, source)
            elif source != "the defaults":
                sources.append(source)
        result[name] = value
    result["source"] = " and ".join(sources) or "the defaults"
    return result


def _check_lint_ids(ids: Iterable[object], source: str) -> None:
    for check in ids:
        if check not in CHECKS:
            close = difflib.get_close_matches(str(check), sorted(CHECKS), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise CORSConfigError("lint_ignore", source, f"{check!r} is not a lint id{hint}")


def _compile_resources(
    resources: object, source: str, base: list[Layer], state: CorsState
) -> Iterable[Any]:
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
            names = state.linter.names_given(options, label, OPTION_NAMES, state.where)
            entries.append((pattern, {name: options[name] for name in names}, label))
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
        built = state.build([*base, (label, options)], resource=text)
        yield compile_resource(pattern, built, order, label)


def _pattern_text(pattern: object) -> str:
    return pattern.pattern if isinstance(pattern, re.Pattern) else str(pattern)


def state_for(app: Flask, kwargs: Mapping[str, Any] | None = None) -> CorsState:
    """The CORS state of ``app``, created on first use.

    ``kwargs`` are the keyword arguments of the ``CORS`` call that creates it; its
    app-level settings (plugins and the like) may only be given to the first such call.
    """
    state = app.extensions.get(EXTENSION_KEY)
    if state is None:
        created = CorsState(app, kwargs or {})
        state = app.extensions.setdefault(EXTENSION_KEY, created)
        if state is created:
            # Plugins set themselves up with app.extensions["cors"] already in place.
            created.pipeline.configure()
    elif kwargs and any(name in kwargs for name in APP_SETTINGS):
        given = sorted(name for name in kwargs if name in APP_SETTINGS)
        raise CORSConfigError(
            given[0],
            _KWARGS_SOURCE,
            f"app-level settings ({', '.join(given)}) must be given to the first CORS "
            f"call on app {app.name!r}; its plugin manager already exists (note that "
            "registering a blueprint set up with CORS(blueprint) is such a call: call "
            "CORS(app, ...) before app.register_blueprint(...))",
        )
    return state


class CORS:
    """Cross-Origin Resource Sharing for a Flask app or blueprint.

    ``CORS(app, **options)`` or ``cors = CORS(**options)`` then ``cors.init_app(app)``.
    Options given here apply to every resource; the ``resources`` option maps path patterns
    to options of their own. Values come, highest precedence first, from a resource's
    dictionary, these keyword arguments, the app's ``CORS_*`` config, then the defaults.
    The keyword arguments are typed by :class:`~flask_cors.CORSArguments`.
    """

    def __init__(
        self, app: Flask | Blueprint | None = None, **kwargs: Unpack[CORSArguments]
    ) -> None:
        self._kwargs: dict[str, Any] = dict(kwargs)
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask | Blueprint, **kwargs: Unpack[CORSArguments]) -> None:
        """Enable CORS on ``app`` (a Flask app or a blueprint) with these extra options."""
        merged: dict[str, Any] = {**self._kwargs, **kwargs}
        if isinstance(app, Blueprint):
            app_level = sorted(name for name in merged if name in APP_SETTINGS)
            if app_level:
                raise CORSConfigError(
                    app_level[0],
                    _KWARGS_SOURCE,
                    f"{', '.join(app_level)} apply to a whole app and cannot be given to "
                    f"CORS(blueprint) for blueprint {app.name!r}: pass them to CORS(app, ...) "
                    "(or the CORS_* config); to give a plugin settings for this blueprint's "
                    "resources only, use resources={'/*': {'plugins': {name: settings}}}",
                )

            def on_register(setup: BlueprintSetupState) -> None:
                name = f"{setup.name_prefix}.{setup.name}".lstrip(".")
                state_for(setup.app, merged).add_scope(merged, blueprint=name)  # type: ignore[arg-type]

            app.record(on_register)
            return
        state_for(app, merged).add_scope(merged, blueprint=None)
