"""The plugin manager of one app, and the one place plugins are loaded.

Load order, for every app (this is the order the documentation promises):

1. **Blocked names.** Every name in ``blocked_plugins`` is blocked before anything is
   imported or registered; blocking an essential default is a configuration error.
2. **Entry points** of the group ``flask_cors`` in every installed distribution,
   registered under the entry point's name, unless discovery is switched off for the app
   (``plugin_discovery=False``) or for the process (environment variable
   ``FLASK_CORS_DISABLE_PLUGIN_AUTOLOAD`` set to a non-empty value). A blocked name is
   never imported.
3. **Explicit plugins** from the ``plugins`` option: objects are registered as they are,
   strings are imported as ``package.module`` or ``package.module:attribute`` and
   registered under that string; a plugin object already registered through its entry
   point is not registered twice.
4. **Default plugins**, one per pipeline step, under their short names (``resolve``,
   ``origins``, ``preflight``, ``response``, ``vary``), unless blocked. Each is marked
   ``trylast``; pluggy puts every new ``trylast`` implementation at the far end of the
   call order, so the defaults, registered last of all, are called after every other
   implementation, third-party ``trylast`` ones included.
5. **Check.** Every hook implementation must name a known hook
   (``check_pending``), and every decision hook must have at least one implementation;
   otherwise set-up fails.
6. **Config keys.** The ``CORS_*`` app config keys that plugins declare (their
   ``config_keys`` hook) are known to the lint: not reported as unknown options.
7. **Configure.** Once the app's state exists, every plugin's ``configure`` is called
   (and later that of each plugin registered at run time). A plugin whose ``configure``
   returns ``False`` has no settings for this app: it stays registered, but *inert*, left
   out of every request-time hook, until a resource gives it settings (its
   ``plugin_settings`` answers); from then on it takes part.

A name in ``blocked_plugins`` must name something: an installed entry point (whether or
not discovery is on), a default plugin or one of the app's ``plugins``; anything else is a
misspelling and fails the set-up with the closest name suggested.

Call order, which pluggy derives from registration order and markers: ``tryfirst``
implementations, then plain ones (within both, the most recently registered first, so
the app's explicit plugins before installed entry-point plugins), then ``trylast`` ones
(the first registered first), the defaults last.
"""

from __future__ import annotations

import difflib
import importlib
import importlib.metadata
import os
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pluggy

from . import hookspecs
from .errors import CORSConfigError

if TYPE_CHECKING:
    from flask import Flask
    from pluggy import HookCaller

__all__ = [
    "CONFIG_PREFIX",
    "DISABLE_AUTOLOAD_ENV",
    "ENTRY_POINT_GROUP",
    "ESSENTIAL_PLUGINS",
    "CorsPluginManager",
    "PluginInfo",
    "load_plugins",
]

ENTRY_POINT_GROUP = "flask_cors"
DISABLE_AUTOLOAD_ENV = "FLASK_CORS_DISABLE_PLUGIN_AUTOLOAD"
#: The prefix of flask_cors's app config keys, and of those a plugin declares.
CONFIG_PREFIX = "CORS_"
#: Default plugins that cannot be blocked: without ``resolve`` no request would get
#: options (answer ``resolve_options`` first from a plugin of your own instead). ``vary``
#: may be blocked: ``Vary: Origin`` is the pipeline's own invariant.
ESSENTIAL_PLUGINS = frozenset({"resolve"})
#: Hooks that must keep at least one implementation.
DECISION_HOOKS = ("resolve_options", "match_origin", "build_preflight", "build_response")


@dataclass(frozen=True, slots=True)
class PluginInfo:
    """What ``flask cors plugins`` shows about one registered plugin."""

    name: str
    distribution: str | None
    version: str | None
    hooks: tuple[str, ...]
    kind: str
    #: False while the plugin is inert for the app: its ``configure`` returned ``False``
    #: and no resource has given it settings, so no request-time hook of it is called.
    takes_part: bool = True


class CorsPluginManager(pluggy.PluginManager):
    """The plugin manager of one app; it reports every change of its plugin set."""

    def __init__(self) -> None:
        super().__init__(hookspecs.PROJECT_NAME)
        self.add_hookspecs(hookspecs)
        self._listeners: list[Callable[[], None]] = []
        self._kinds: dict[str, str] = {}
        self._dists: dict[str, tuple[str, str]] = {}
        self.tracing = False
        #: Names of the plugins that declined this app (``configure`` returned ``False``)
        #: and were given no settings since; replaced, never changed in place, so that a
        #: request thread rebinding the pipeline never sees it change under it.
        self._inert: frozenset[str] = frozenset()
        #: The app, once :meth:`configure_plugins` ran: later registrations are configured
        #: at once.
        self._app: Flask | None = None
        #: Why installed entry points were not loaded (``None``: discovery was on).
        self.discovery_off: str | None = None

    def on_change(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` after every register, unregister or tracing change."""
        self._listeners.append(listener)

    def _changed(self) -> None:
        for listener in self._listeners:
            listener()

    def register(self, plugin: Any, name: str | None = None) -> str | None:
        result = super().register(plugin, name)
        try:
            if result is not None and self._app is not None:
                for impl in reversed(self.hook.configure.get_hookimpls()):
                    if impl.plugin is plugin:
                        self._configure(impl, self._app)
        finally:
            self._changed()
        return result

    def unregister(self, plugin: Any | None = None, name: str | None = None) -> Any | None:
        if name is None and plugin is not None:
            name = self.get_name(plugin)
        result = super().unregister(plugin, name)
        self._inert = self._inert - {name or ""}
        self._changed()
        return result

    # --- taking part ---------------------------------------------------------------------

    def configure_plugins(self, app: Flask) -> None:
        """Call every plugin's ``configure`` for ``app``, in pluggy's call order, and note
        the plugins that decline it (return ``False``); later registrations are
        configured when they are registered."""
        self._app = app
        for impl in reversed(self.hook.configure.get_hookimpls()):
            self._configure(impl, app)
        self._changed()

    def _configure(self, impl: pluggy.HookImpl, app: Flask) -> None:
        results = self._hookexec("configure", [impl], {"app": app}, False)
        if isinstance(results, list) and any(result is False for result in results):
            self._inert = self._inert | {self.get_name(impl.plugin) or ""}

    def config_keys(self, reserved: Collection[str], source: str) -> dict[str, str]:
        """The app config keys the registered plugins declare (their ``config_keys``
        hook, inert plugins included), each with the name of a plugin that declares it.

        Raises :class:`CORSConfigError` for a declaration that is not a list of strings,
        a key that does not start with ``CORS_``, or one in ``reserved`` (a flask_cors
        option's own key).
        """
        declared: dict[str, str] = {}
        for impl in reversed(self.hook.config_keys.get_hookimpls()):
            name = self.get_name(impl.plugin) or "?"
            results = self._hookexec("config_keys", [impl], {}, False)
            for keys in results if isinstance(results, list) else ():
                if isinstance(keys, str | bytes) or not isinstance(keys, Iterable):
                    raise CORSConfigError(
                        "plugins",
                        source,
                        f"plugin {name!r}: config_keys returned {keys!r}; expected a list "
                        "of app config keys",
                    )
                for key in keys:
                    problem = None
                    if not isinstance(key, str) or not key.startswith(CONFIG_PREFIX):
                        problem = f"does not start with {CONFIG_PREFIX!r}"
                    elif key in reserved:
                        problem = "is a flask_cors option's own key"
                    if problem is not None:
                        raise CORSConfigError(
                            "plugins",
                            source,
                            f"plugin {name!r} declares the app config key {key!r}, which "
                            f"{problem}; declare keys of its own, {CONFIG_PREFIX}<PLUGIN>_*",
                        )
                    declared.setdefault(key, name)
        return declared

    def takes_part(self, name: str) -> bool:
        """Whether the plugin registered as ``name`` is called on requests of the app."""
        return name not in self._inert

    def request_caller(self, hook: str) -> HookCaller:
        """The caller of ``hook`` without the inert plugins (pluggy's own when none is)."""
        names = self._inert
        if not names:
            return getattr(self.hook, hook)  # type: ignore[no-any-return]
        inert = [self.get_plugin(name) for name in names]
        return self.subset_hook_caller(hook, [plugin for plugin in inert if plugin is not None])

    def plugin_settings(
        self, app: Flask, plugin: str, settings: object, resource: str
    ) -> object | None:
        """The first answer of the ``plugin_settings`` hook; the plugin that gives it takes
        part in the app's requests from now on, if it was inert."""
        kwargs = {"app": app, "plugin": plugin, "settings": settings, "resource": resource}
        caller = self.hook.plugin_settings
        impls = caller.get_hookimpls()
        if any(impl.wrapper or impl.hookwrapper for impl in impls):
            # A wrapper runs around every answer: no one implementation to credit but the
            # plugin registered under the settings' name.
            answer: object | None = caller(**kwargs)
            if answer is not None:
                self._wake(plugin)
            return answer
        for impl in reversed(impls):
            answer = self._hookexec("plugin_settings", [impl], kwargs, True)
            if answer is not None:
                self._wake(self.get_name(impl.plugin) or "")
                return answer
        return None

    def _wake(self, name: str) -> None:
        if name in self._inert:
            self._inert = self._inert - {name}
            self._changed()

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

    def plugin_infos(self) -> list[PluginInfo]:
        """Every registered plugin with its distribution and the hooks it implements."""
        infos = []
        for name, plugin in self.list_name_plugin():
            if plugin is None:
                continue
            hooks = tuple(
                caller.name for caller in self.get_hookcallers(plugin) or () if caller.name
            )
            dist, version = self._dists.get(name, (None, None))
            kind = self._kinds.get(name, "runtime")
            infos.append(PluginInfo(name, dist, version, hooks, kind, self.takes_part(name)))
        return infos

    def blocked_names(self) -> list[str]:
        """The names blocked for the app, sorted."""
        return sorted(name for name, plugin in self.list_name_plugin() if plugin is None)

    def not_loaded(self) -> list[str]:
        """Installed entry points that discovery did not load for the app, sorted."""
        if self.discovery_off is None:
            return []
        return [ep.name for ep in _entry_points() if not self.has_plugin(ep.name)]


@dataclass(frozen=True, slots=True)
class PluginSettings:
    """The app-level options that decide which plugins an app gets."""

    plugins: tuple[object, ...] = ()
    plugin_discovery: bool = True
    blocked_plugins: frozenset[str] = frozenset()
    source: str = "the defaults"


def load_plugins(
    pm: CorsPluginManager, defaults: Mapping[str, object], settings: PluginSettings
) -> None:
    """Fill ``pm`` in the documented load order; raise :class:`CORSConfigError` on trouble."""
    if settings.blocked_plugins:
        _check_blocked_names(pm, defaults, settings)
    for name in sorted(settings.blocked_plugins):
        if name in ESSENTIAL_PLUGINS:
            raise CORSConfigError(
                "blocked_plugins",
                settings.source,
                f"{name!r} is essential and cannot be blocked; precede it from a plugin of "
                "your own instead (answer resolve_options first, or add vary names)",
            )
        pm.set_blocked(name)
    if not settings.plugin_discovery:
        pm.discovery_off = "plugin_discovery is False"
    elif os.environ.get(DISABLE_AUTOLOAD_ENV):
        pm.discovery_off = f"{DISABLE_AUTOLOAD_ENV} is set"
    else:
        _load_entry_points(pm, settings.source, reserved=frozenset(defaults))
    for item in settings.plugins:
        if isinstance(item, str):
            if pm.is_blocked(item):
                continue
            plugin = _import(item, settings.source)
        else:
            plugin = item
        if pm.is_registered(plugin) and pm._kinds.get(pm.get_name(plugin) or "") == "entry point":
            continue  # also installed: registered once, under its entry-point name
        _register(pm, plugin, item if isinstance(item, str) else None, "explicit", settings.source)
    for name, plugin in defaults.items():
        if not pm.is_blocked(name):
            _register(pm, plugin, name, "default", settings.source)
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise CORSConfigError("plugins", settings.source, str(exc)) from None
    for hook in DECISION_HOOKS:
        if not getattr(pm.hook, hook).get_hookimpls():
            raise CORSConfigError(
                "blocked_plugins",
                settings.source,
                f"no plugin implements {hook}: its default is blocked and nothing replaces it",
            )


def _check_blocked_names(
    pm: CorsPluginManager, defaults: Mapping[str, object], settings: PluginSettings
) -> None:
    """Refuse a blocked name that names nothing: it would block nothing, silently."""
    known = {entry_point.name for entry_point in _entry_points()}
    known.update(defaults)
    known.update(_explicit_names(pm, settings.plugins))
    for name in sorted(settings.blocked_plugins - known):
        close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
        hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(sorted(known))}"
        raise CORSConfigError(
            "blocked_plugins",
            settings.source,
            f"{name!r} names no plugin (not an installed flask_cors entry point, a default "
            f"plugin or one of the app's plugins), so it would block nothing; {hint}",
        )


def _explicit_names(pm: CorsPluginManager, plugins: Iterable[object]) -> Iterable[str]:
    for item in plugins:
        if isinstance(item, str):
            yield item
        else:
            yield pm.get_canonical_name(item)


def _register(
    pm: CorsPluginManager, plugin: object, name: str | None, kind: str, source: str
) -> None:
    try:
        registered = pm.register(plugin, name=name)
    except (ValueError, pluggy.PluginValidationError) as exc:
        raise CORSConfigError(
            "plugins", source, f"cannot register {name or plugin!r}: {exc}"
        ) from None
    if registered is not None:
        pm._kinds[registered] = kind


def _import(dotted: str, source: str) -> object:
    module_name, _, attribute = dotted.partition(":")
    try:
        module = importlib.import_module(module_name)
        return getattr(module, attribute) if attribute else module
    except (ImportError, AttributeError, ValueError) as exc:
        raise CORSConfigError(
            "plugins", source, f"cannot import plugin {dotted!r}: {exc}"
        ) from None


def _load_entry_points(pm: CorsPluginManager, source: str, reserved: frozenset[str]) -> None:
    for entry_point in _entry_points():
        name = entry_point.name
        if name in reserved:
            raise CORSConfigError(
                "plugins",
                source,
                f"entry point {name!r} uses the name of a default plugin; block the default "
                "with blocked_plugins and give the replacement a name of its own",
            )
        if pm.is_blocked(name) or pm.has_plugin(name):
            continue
        dist = entry_point.dist
        where = f"entry point {name!r}" + (f" of distribution {dist.name!r}" if dist else "")
        try:
            plugin = entry_point.load()
        except Exception as exc:
            raise CORSConfigError("plugins", source, f"cannot load {where}: {exc!r}") from exc
        _register(pm, plugin, name, "entry point", source)
        if dist is not None:
            pm._dists[name] = (dist.name, dist.version)


def _entry_points() -> Sequence[importlib.metadata.EntryPoint]:
    found: dict[str, importlib.metadata.EntryPoint] = {}
    for entry_point in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        found.setdefault(entry_point.name, entry_point)
    return sorted(found.values(), key=lambda ep: ep.name)
