"""The typed, frozen CORS options of one resource, and how they are built and checked.

Options come from four places, highest precedence first: a resource's own dictionary (or
the ``cross_origin`` keyword arguments of a view), the keyword arguments of ``CORS`` /
``init_app``, ``CORS_*`` keys of the Flask app config, and the defaults below. They are
merged, validated and compiled once, at start-up; a request only ever reads the result.
"""

from __future__ import annotations

import functools
import inspect
import logging
import math
import re
import threading
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from types import MappingProxyType
from typing import Any, Literal

from ._regex import Matcher, compile_bounded
from ._text import escape, is_token, looks_like_regex
from .errors import CORSConfigError
from .grammar import is_serialized_origin, read_origin

__all__ = [
    "DEFAULTS",
    "OPTION_NAMES",
    "PROTECTION_MODES",
    "CorsOptions",
    "HeaderRule",
    "Layer",
    "OriginFunction",
    "OriginRule",
    "build_options",
    "check_option_names",
    "parse_bool",
    "parse_duration",
]

ALLOW_ORIGIN = "Access-Control-Allow-Origin"
ALLOW_CREDENTIALS = "Access-Control-Allow-Credentials"
ALLOW_METHODS = "Access-Control-Allow-Methods"
ALLOW_HEADERS = "Access-Control-Allow-Headers"
EXPOSE_HEADERS = "Access-Control-Expose-Headers"
MAX_AGE = "Access-Control-Max-Age"
ALLOW_PRIVATE_NETWORK = "Access-Control-Allow-Private-Network"

#: Default value of every option, in documentation order.
DEFAULTS: Mapping[str, object] = MappingProxyType(
    {
        "origins": "*",
        "methods": ("GET", "HEAD", "POST", "OPTIONS", "PUT", "PATCH", "DELETE"),
        "allow_headers": "*",
        "expose_headers": None,
        "supports_credentials": False,
        "max_age": None,
        "send_wildcard": False,
        "vary_header": True,
        "automatic_options": True,
        "intercept_exceptions": True,
        "always_send": True,
        "allow_private_network": False,
        "cross_origin_protection": False,
    }
)

#: The per-resource option that carries settings for plugins, by plugin name. Only a
#: resource's own dictionary or a ``cross_origin`` call may give it (at app level,
#: ``plugins`` lists the plugins to load).
PLUGINS_OPTION = "plugins"

#: Names of the per-resource options.
OPTION_NAMES: frozenset[str] = frozenset({*DEFAULTS, PLUGINS_OPTION})

#: One configuration location: a label for messages and the options it sets.
Layer = tuple[str, Mapping[str, object]]

#: The values of ``cross_origin_protection`` once read: off, on (refuse), report-only (log).
Protection = Literal["off", "on", "report-only"]
PROTECTION_MODES: tuple[Protection, ...] = ("off", "on", "report-only")


log = logging.getLogger("flask_cors")

#: Whether a request's ``Origin`` is a serialized origin as browsers send it, remembered
#: for the last origins seen (the check costs a regular expression; most requests repeat
#: a few origins).
_serialized = functools.lru_cache(maxsize=256)(is_serialized_origin)


class OriginFunction:
    """A function listed in ``origins``, and what has been logged about it.

    The function is called with a request's ``Origin`` (a serialized origin, exactly as
    sent) and allows it only by returning ``True``. An exception, or an answer that is not
    a bool, denies the request; the first of each kind is logged as an error naming the
    function (the origin escaped), later ones at ``DEBUG`` with a count. One object per
    function (:meth:`of`), so that a function listed by several resources is reported once.
    """

    __slots__ = ("__weakref__", "_lock", "_reported", "failures", "function", "name")

    def __init__(self, function: Callable[[str], object]) -> None:
        self.function = function
        #: ``module.qualname``, as logs, the lint and the ``flask cors`` commands name it.
        self.name = qualified_name(function)
        #: How many calls raised or gave no bool so far.
        self.failures = 0
        self._reported: set[str] = set()
        self._lock = threading.Lock()

    @classmethod
    def of(cls, function: Callable[[str], object]) -> OriginFunction:
        """The one :class:`OriginFunction` of ``function`` while any options hold it."""
        entry = _FUNCTIONS.get(id(function))
        if entry is None or entry.function is not function:
            entry = _FUNCTIONS[id(function)] = cls(function)
        return entry

    def failed(
        self, origin: str, error: BaseException | None = None, answer: object = None
    ) -> None:
        """Log that the call for ``origin`` raised ``error`` or returned ``answer``."""
        kind = "raised" if error is not None else "answer"
        with self._lock:
            self.failures += 1
            failures = self.failures
            first = kind not in self._reported
            self._reported.add(kind)
        if not first:
            log.debug(
                "the origins function %s failed again for the origin %s (%d failures so far); "
                "the request got no CORS headers",
                self.name,
                escape(origin),
                failures,
            )
        elif error is not None:
            log.error(
                "the origins function %s raised %s for the origin %s: the request got no CORS "
                "headers (fail closed). Logged once; later failures are logged at DEBUG.",
                self.name,
                escape(f"{type(error).__name__}: {error}"),
                escape(origin),
                exc_info=error,
            )
        else:
            log.error(
                "the origins function %s returned %s for the origin %s, not True or False: "
                "the origin is denied (only True allows). Logged once; later failures are "
                "logged at DEBUG.",
                self.name,
                escape(f"{type(answer).__name__} {answer!r}", limit=80),
                escape(origin),
            )

    def __repr__(self) -> str:
        return f"<origins function {self.name}>"


#: The :class:`OriginFunction` of each function, while options hold it.
_FUNCTIONS: weakref.WeakValueDictionary[int, OriginFunction] = weakref.WeakValueDictionary()


def qualified_name(function: object) -> str:
    """``module.qualname`` of a function, a method or a callable object's class."""
    if isinstance(function, functools.partial):
        return f"functools.partial({qualified_name(function.func)})"
    target = function if hasattr(function, "__qualname__") else type(function)
    module = getattr(target, "__module__", None)
    name = str(getattr(target, "__qualname__", "?"))
    return f"{module}.{name}" if module else name


@dataclass(frozen=True, slots=True)
class OriginRule:
    """Which request origins a resource allows.

    Built from the configured strings by the one origin grammar (:mod:`flask_cors.grammar`).
    ``literals`` are compared after lower-casing both sides (scheme and host are
    case-insensitive) and hold internationalised host names in their ASCII (punycode)
    form, the one browsers send; ``patterns`` (globs and regexes) must match the whole
    origin (``fullmatch``). ``functions`` are asked last, and only about an origin that is
    serialized as browsers send it (never ``null``).
    """

    any: bool
    literals: frozenset[str]
    patterns: tuple[Matcher, ...]
    #: The origin to send when the request has no ``Origin`` and ``always_send`` is on:
    #: the first literal origin in sorted order (``None`` with "any" or no literal).
    single: str | None
    #: The literal origins as configured (spelling kept, before punycode), for the lint.
    written: tuple[str, ...] = field(default=(), compare=False)
    #: The origins written as globs (``https://*.example.com``, ``http://localhost:*``).
    globs: tuple[str, ...] = field(default=(), compare=False)
    #: Strings that match nothing, with the reason: broken globs, globs on a public suffix.
    broken: tuple[tuple[str, str], ...] = field(default=(), compare=False)
    #: Regexes whose final ``:*`` is read as "any port or none".
    any_port: tuple[str, ...] = field(default=(), compare=False)
    #: Comma-separated strings read as the lists they spell.
    split: tuple[str, ...] = field(default=(), compare=False)
    #: The functions listed, in order: each is called with the origin and allows it by
    #: returning ``True``.
    functions: tuple[OriginFunction, ...] = ()

    def allows(self, origin: str) -> bool:
        """True when ``origin`` (as the browser sent it) is allowed."""
        if self.any or origin.lower() in self.literals:
            return True
        for pattern in self.patterns:  # a loop, not any(): a generator costs 3 k instructions
            if pattern.fullmatch(origin):
                return True
        if not self.functions or not _serialized(origin):
            return False  # "null", upper case, a default port...: never passed to a function
        for entry in self.functions:
            try:
                answer = entry.function(origin)
            except Exception as error:
                entry.failed(origin, error)
                return False  # fail closed: no other function can allow it
            if answer is True:
                return True
            if answer is not False:
                entry.failed(origin, answer=answer)
                return False
        return False


@dataclass(frozen=True, slots=True)
class HeaderRule:
    """Which request header names a resource accepts; names compare case-insensitively."""

    any: bool
    literals: frozenset[str]
    patterns: tuple[Matcher, ...]

    def allows(self, name: str) -> bool:
        """True when the lower-cased header ``name`` is accepted."""
        if self.any or name in self.literals:
            return True
        for pattern in self.patterns:  # noqa: SIM110 (as above)
            if pattern.fullmatch(name):
                return True
        return False


@dataclass(frozen=True, slots=True)
class CorsOptions:
    """The complete, validated CORS policy of one resource or decorated view.

    Built once at start-up by :func:`build_options`; never changed afterwards. The fields
    after ``sources`` are derived from the others and precomputed so that a request only
    copies ready-made header values.
    """

    origins: OriginRule
    methods: frozenset[str]
    allow_headers: HeaderRule
    expose_headers: tuple[str, ...]
    supports_credentials: bool
    max_age: int | None
    send_wildcard: bool
    vary_header: bool
    automatic_options: bool
    intercept_exceptions: bool
    always_send: bool
    allow_private_network: bool
    #: ``"off"``, ``"on"`` (refuse cross-origin unsafe requests the policy does not allow)
    #: or ``"report-only"`` (decide and log them, refuse nothing).
    cross_origin_protection: Protection
    #: A label for the resource pattern or view these options belong to.
    resource: str = ""
    #: True when the options come from ``cross_origin`` on a view.
    decorated: bool = False
    #: Settings for plugins, by plugin name, each validated by its plugin at start-up
    #: (see the ``plugin_settings`` hook); read them as ``options.plugins.get(name)``.
    plugins: Mapping[str, object] = field(
        default_factory=lambda: MappingProxyType({}), compare=False
    )
    #: For every option, the configuration location its value came from.
    sources: Mapping[str, str] = field(default_factory=dict, compare=False)

    #: Value of ``Access-Control-Allow-Methods``.
    allow_methods_value: str = field(init=False, compare=False)
    #: Headers every allowed response gets, besides the origin (exposed headers, sorted
    #: as Flask-Cors sorts them, and credentials).
    response_headers: Mapping[str, str] = field(init=False, compare=False)
    #: Headers every allowed preflight with an allowed method gets, besides the origin and
    #: the allowed request headers.
    preflight_headers: Mapping[str, str] = field(init=False, compare=False)
    #: False only when every response carries the same CORS headers whatever ``Origin`` the
    #: request has (or lacks): then no ``Vary: Origin`` is needed.
    origin_dependent: bool = field(init=False, compare=False)

    def __post_init__(self) -> None:
        methods_value = ", ".join(sorted(self.methods))
        common: dict[str, str] = {}
        if self.expose_headers:
            common[EXPOSE_HEADERS] = ", ".join(sorted(self.expose_headers))
        if self.supports_credentials:
            common[ALLOW_CREDENTIALS] = "true"
        preflight = dict(common)
        preflight[ALLOW_METHODS] = methods_value
        if self.max_age is not None:
            preflight[MAX_AGE] = str(self.max_age)
        static = self.origins.any and self.send_wildcard and self.always_send
        object.__setattr__(self, "allow_methods_value", methods_value)
        object.__setattr__(self, "response_headers", MappingProxyType(common))
        object.__setattr__(self, "preflight_headers", MappingProxyType(preflight))
        object.__setattr__(self, "origin_dependent", not static)

    def allow_origin_value(self, origin: str | None) -> str | None:
        """The ``Access-Control-Allow-Origin`` value for an allowed ``origin``.

        ``origin`` is ``None`` for a request without ``Origin`` (``always_send``): the
        answer is then ``*`` for "any origin" (``None`` with credentials, where ``*`` is
        refused), the first configured literal origin in sorted order (what Flask-Cors
        sends: its "most likely to be correct" value), and ``None`` (no header) when
        only regular expressions and functions are configured.
        """
        if self.origins.any:
            if origin is None:
                return None if self.supports_credentials else "*"
            return "*" if self.send_wildcard else origin
        if origin is None:
            return self.origins.single
        return origin


# --- validation -------------------------------------------------------------------------


def _strings(
    option: str, source: str, value: object, *, split: bool
) -> list[str | re.Pattern[str]]:
    """Normalise a "string or list" option value into a list of strings and patterns."""
    if isinstance(value, str):
        items: list[object] = list(value.split(",")) if split else [value]
    elif isinstance(value, re.Pattern):
        items = [value]
    elif isinstance(value, Iterable) and not isinstance(value, bytes | Mapping):
        items = list(value)
    else:
        raise CORSConfigError(
            option, source, f"expected a string or a list of strings, got {type(value).__name__}"
        )
    result: list[str | re.Pattern[str]] = []
    for item in items:
        if isinstance(item, re.Pattern):
            if not isinstance(item.pattern, str):
                raise CORSConfigError(option, source, "compiled patterns must be str patterns")
            result.append(item)
        elif isinstance(item, str):
            text = item.strip()
            if split and not text:
                continue
            if not text:
                raise CORSConfigError(option, source, "empty string in the list")
            result.append(text)
        else:
            raise CORSConfigError(
                option, source, f"list items must be strings, got {type(item).__name__}"
            )
    return result


def _compile(option: str, source: str, text: str, flags: int) -> Matcher:
    """A configured regex, compiled so that no match costs more than about linear time
    (see :mod:`flask_cors._regex`)."""
    return compile_bounded(option, source, text, flags)


def _origins(option: str, source: str, value: object) -> OriginRule:
    """Read an ``origins`` value with the one origin grammar (:mod:`flask_cors.grammar`)."""
    literals: list[str] = []
    sent: list[str] = []
    written: list[str] = []
    globs: list[str] = []
    broken: list[tuple[str, str]] = []
    any_port: list[str] = []
    patterns: list[Matcher] = []
    any_origin = False
    value, functions = _origin_functions(option, source, value)
    items = _strings(option, source, value, split=False)
    split = tuple(
        item
        for item in items
        if isinstance(item, str) and "," in item and not looks_like_regex(item)
    )
    for item in items:
        if isinstance(item, re.Pattern):
            patterns.append(_compile(option, source, item.pattern, item.flags))
            continue
        # "https://a.example,https://b.example": the list its writer meant (the lint says so).
        for text in item.split(",") if item in split else (item,):
            text = text.strip()
            if not text:
                continue
            try:
                setting = read_origin(text)
            except ValueError as error:
                raise CORSConfigError(option, source, str(error)) from None
            if setting.kind == "any":
                any_origin = True
            elif setting.kind == "literal":
                written.append(text)
                literals.append(setting.value)
                # Sent as written to requests without Origin (the lint notes upper case).
                sent.append(text if text.isascii() else setting.value)
            elif setting.kind == "broken":
                broken.append((text, setting.value))
            elif setting.kind == "glob":
                globs.append(text)
                # The grammar writes a glob's regex: each repeated host label ends at a dot
                # it cannot contain, so re matches it in linear time (RE2 is not needed).
                patterns.append(re.compile(setting.value, re.IGNORECASE))
            else:
                if setting.any_port:
                    any_port.append(text)
                patterns.append(_compile(option, source, setting.value, re.IGNORECASE))
    if any_origin and functions:
        raise CORSConfigError(
            option,
            source,
            f"'*' allows every origin, so the function {functions[0].name} would never be "
            "called: list the origins and the function without '*'",
        )
    single = min(sent) if sent and not any_origin else None
    return OriginRule(
        any_origin,
        frozenset(literals),
        tuple(patterns),
        single,
        tuple(written),
        tuple(globs),
        tuple(broken),
        tuple(any_port),
        split,
        functions,
    )


def _origin_functions(
    option: str, source: str, value: object
) -> tuple[object, tuple[OriginFunction, ...]]:
    """Take the functions out of an ``origins`` value: the rest, and the functions."""
    if callable(value):
        found: list[Callable[..., object]] = [value]
        value = ()
    elif isinstance(value, Iterable) and not isinstance(value, str | bytes | Mapping):
        items = list(value)
        found = [item for item in items if callable(item)]
        value = [item for item in items if not callable(item)] if found else items
    else:
        return value, ()
    functions: list[OriginFunction] = []
    for function in found:
        name = qualified_name(function)
        if inspect.iscoroutinefunction(function):
            raise CORSConfigError(
                option,
                source,
                f"{name} is a coroutine function: an origins function is called while the "
                "response is built and cannot be awaited; make it a plain function",
            )
        try:
            signature = inspect.signature(function)
        except (TypeError, ValueError):  # some built-ins have none: they are called as given
            signature = None
        if signature is not None:
            try:
                signature.bind("https://app.example")
            except TypeError:
                raise CORSConfigError(
                    option,
                    source,
                    f"the function {name}{signature} cannot be called with one argument, "
                    "the origin",
                ) from None
        functions.append(OriginFunction.of(function))
    return value, tuple(functions)


def _methods(option: str, source: str, value: object) -> frozenset[str]:
    methods: set[str] = set()
    for item in _strings(option, source, value, split=True):
        if isinstance(item, re.Pattern) or not is_token(item) or item == "*":
            raise CORSConfigError(
                option, source, f"{item!r} is not an HTTP method name (list the methods)"
            )
        methods.add(item.upper())
    return frozenset(methods)


def _allow_headers(option: str, source: str, value: object) -> HeaderRule:
    literals: set[str] = set()
    patterns: list[Matcher] = []
    any_header = False
    # "Content-Type, X-Token" lists two names; a string with regex characters is one pattern.
    split = isinstance(value, str) and not looks_like_regex(value)
    for item in _strings(option, source, value, split=split):
        if isinstance(item, re.Pattern):
            # Header names arrive lower-cased; a compiled pattern must not depend on case.
            patterns.append(_compile(option, source, item.pattern, item.flags | re.IGNORECASE))
        elif item == "*":
            any_header = True
        elif looks_like_regex(item):
            patterns.append(_compile(option, source, item, re.IGNORECASE))
        elif is_token(item):
            literals.add(item.lower())
        else:
            raise CORSConfigError(option, source, f"{item!r} is not a header name")
    return HeaderRule(any_header, frozenset(literals), tuple(patterns))


def _expose_headers(option: str, source: str, value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    names: list[str] = []
    for item in _strings(option, source, value, split=True):
        if isinstance(item, re.Pattern) or not is_token(item):
            raise CORSConfigError(option, source, f"{item!r} is not a header name")
        if item.lower() not in (n.lower() for n in names):
            names.append(item)
    return tuple(names)


_TRUE = frozenset({"true", "1", "yes", "on"})
_FALSE = frozenset({"false", "0", "no", "off"})


def parse_bool(option: str, source: str, value: object) -> bool:
    """``True``/``False``, or a string as people write one in an environment variable
    (``"true"``/``"false"``, ``"1"``/``"0"``, ``"yes"``/``"no"``, ``"on"``/``"off"``, any
    case); anything else raises :class:`CORSConfigError` naming the option."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    raise CORSConfigError(
        option,
        source,
        f"expected True or False (or 'true'/'false', 'yes'/'no', 'on'/'off', '1'/'0'), "
        f"got {value!r}",
    )


_DECIMAL = re.compile(r"[0-9]+(?:\.[0-9]+)?")


def parse_duration(option: str, source: str, value: object, *, whole: bool = False) -> float:
    """A number of seconds, not negative: an ``int``, a ``float`` (unless ``whole``), a
    ``datetime.timedelta``, or a string of ASCII digits (with a decimal point unless
    ``whole``), as an environment variable spells one (``"600"``, ``"0.25"``); anything
    else raises :class:`CORSConfigError` naming the option. With ``whole`` the result is
    an ``int`` and a fraction of a second is refused."""
    kinds = "an int, a digit string" if whole else "a number, a decimal string"
    result: float
    if isinstance(value, timedelta):
        seconds = value.total_seconds()
        if whole and seconds != int(seconds):
            raise CORSConfigError(option, source, f"{value!r} is not a whole number of seconds")
        result = int(seconds) if whole else seconds
    elif (isinstance(value, int) and not isinstance(value, bool)) or (
        isinstance(value, float) and not whole and math.isfinite(value)
    ):
        result = value
    elif (
        isinstance(value, str)
        and _DECIMAL.fullmatch(value.strip())
        and not (whole and not value.strip().isdigit())
    ):
        text = value.strip()
        result = int(text) if whole else float(text)
    else:
        raise CORSConfigError(
            option, source, f"expected seconds as {kinds} or a timedelta, got {value!r}"
        )
    if result < 0:
        raise CORSConfigError(option, source, f"must not be negative, got {result}")
    return result


def _max_age(option: str, source: str, value: object) -> int | None:
    if value is None:
        return None
    return int(parse_duration(option, source, value, whole=True))


_REPORT_ONLY = frozenset({"report-only", "report_only"})


def _protection(option: str, source: str, value: object) -> Protection:
    """``cross_origin_protection``: a boolean (as :func:`parse_bool` reads one) or
    ``"report-only"`` (also ``"report_only"``, any case)."""
    if isinstance(value, str) and value.strip().lower() in _REPORT_ONLY:
        return "report-only"
    if isinstance(value, bool) or (
        isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE
    ):
        return "on" if parse_bool(option, source, value) else "off"
    raise CORSConfigError(
        option,
        source,
        "expected True, False or 'report-only' (or 'true'/'false', 'yes'/'no', 'on'/'off', "
        f"'1'/'0'), got {value!r}",
    )


_VALIDATORS: Mapping[str, Callable[[str, str, object], Any]] = {
    "origins": _origins,
    "methods": _methods,
    "allow_headers": _allow_headers,
    "expose_headers": _expose_headers,
    "supports_credentials": parse_bool,
    "max_age": _max_age,
    "send_wildcard": parse_bool,
    "vary_header": parse_bool,
    "automatic_options": parse_bool,
    "intercept_exceptions": parse_bool,
    "always_send": parse_bool,
    "allow_private_network": parse_bool,
    "cross_origin_protection": _protection,
}


def plugin_settings_of(source: str, value: object) -> dict[str, object]:
    """Check the shape of a ``plugins`` option: a dict from plugin names to settings."""
    if not isinstance(value, Mapping):
        raise CORSConfigError(
            PLUGINS_OPTION,
            source,
            "per-resource plugin settings are a dict from plugin name to settings, such as "
            f"{{'origin_registry': True}}, got {type(value).__name__}",
        )
    for name in value:
        if not isinstance(name, str) or not name:
            raise CORSConfigError(PLUGINS_OPTION, source, f"{name!r} is not a plugin name")
    return dict(value)


def check_option_names(source: str, names: Iterable[str], extra: Iterable[str] = ()) -> None:
    """Raise :class:`CORSConfigError` for the first name that is not a known option."""
    known = OPTION_NAMES | frozenset(extra)
    for name in names:
        if name not in known:
            close = _closest(name, known)
            hint = f"; did you mean {close!r}?" if close else ""
            raise CORSConfigError(name, source, f"not a known option{hint}")


def _closest(name: str, known: Iterable[str]) -> str | None:
    import difflib

    matches = difflib.get_close_matches(name, sorted(known), n=1)
    return matches[0] if matches else None


def build_options(
    layers: Sequence[Layer],
    *,
    resource: str = "",
    decorated: bool = False,
) -> CorsOptions:
    """Merge configuration ``layers`` (lowest precedence first) into validated options.

    Every option takes its value from the last layer that sets it. Raises
    :class:`CORSConfigError` naming the option and its layer when a value is unusable.
    Options are data: the configuration lint (:mod:`flask_cors.lint`) is run on them by
    the app's CORS state, not here.
    """
    chosen: dict[str, tuple[str, object]] = {}
    for source, values in layers:
        check_option_names(source, values)
        for name, value in values.items():
            chosen[name] = (source, value)
    plugin_source, plugin_value = chosen.pop(PLUGINS_OPTION, ("the defaults", {}))
    for name, default in DEFAULTS.items():
        chosen.setdefault(name, ("the defaults", default))
    parsed = {name: _VALIDATORS[name](name, src, value) for name, (src, value) in chosen.items()}
    sources = MappingProxyType(
        {PLUGINS_OPTION: plugin_source, **{name: src for name, (src, _v) in chosen.items()}}
    )
    options = CorsOptions(
        **parsed,
        resource=resource,
        decorated=decorated,
        plugins=MappingProxyType(plugin_settings_of(plugin_source, plugin_value)),
        sources=sources,
    )
    if options.supports_credentials and options.send_wildcard and options.origins.any:
        raise CORSConfigError(
            "send_wildcard",
            sources["send_wildcard"],
            "cannot be combined with supports_credentials=True (from "
            f"{sources['supports_credentials']}) and any origin: browsers refuse '*' on "
            "credentialed requests",
        )
    return options
