"""The types of the keyword arguments of ``CORS``, ``init_app`` and ``cross_origin``.

Each is a :class:`~typing.TypedDict` with every key optional, used as
``**kwargs: Unpack[...]``, so that a type checker (mypy, pyright) flags a misspelt name
or a value of the wrong type where the call is written. A value's type is what the
parser of that option accepts; whether the value itself is usable (a method name, a
non-negative ``max_age``, a known lint id) is checked when ``CORS(app)`` runs.

At run time the calls still take any keyword: a name that is no option is a lint finding,
as in Flask-Cors 6, not a :class:`TypeError`.

Annotate a resources dict kept in a variable with :class:`ResourceOptions`, so that its
option dicts are checked where they are written::

    RESOURCES: dict[str, ResourceOptions] = {"/api/*": {"origins": ["https://app.example"]}}
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from datetime import timedelta
from typing import Any, TypedDict

__all__ = ["AppSettings", "CORSArguments", "ResourceOptions"]

# The types are written out in full (no aliases), so that a type checker's message says
# what is accepted. "Several" is a sequence or a set rather than any iterable: a dict is an
# iterable of its keys, which the run time refuses; where order counts (resources, plugins)
# only a sequence. A boolean is ``True``/``False`` or a string as an environment variable
# spells one (``"true"``, ``"off"``...).


class _Options(TypedDict, total=False):
    """The per-resource options that every place takes alike."""

    #: Origin strings, compiled patterns and functions of the origin (``True`` allows it).
    origins: (
        str
        | re.Pattern[str]
        | Callable[[str], bool]
        | Sequence[str | re.Pattern[str] | Callable[[str], bool]]
        | AbstractSet[str | re.Pattern[str] | Callable[[str], bool]]
    )
    methods: str | Sequence[str] | AbstractSet[str]
    allow_headers: (
        str | re.Pattern[str] | Sequence[str | re.Pattern[str]] | AbstractSet[str | re.Pattern[str]]
    )
    expose_headers: str | Sequence[str] | AbstractSet[str] | None
    supports_credentials: bool | str
    #: Seconds as an ``int`` or a string of digits, or a ``timedelta`` of whole seconds.
    max_age: int | str | timedelta | None
    send_wildcard: bool | str
    vary_header: bool | str
    automatic_options: bool | str
    intercept_exceptions: bool | str
    always_send: bool | str
    allow_private_network: bool | str
    #: ``True``, ``False`` or ``"report-only"`` (booleans also as strings: ``"on"``...).
    cross_origin_protection: bool | str


class ResourceOptions(_Options, total=False):
    """The options of one resource (a value of the ``resources`` dict) or of one view
    (the keyword arguments of ``cross_origin``)."""

    #: Settings for plugins, by plugin name (each plugin checks its own at start-up).
    plugins: Mapping[str, object]


class AppSettings(TypedDict, total=False):
    """The settings of a whole app, taken by its first ``CORS(...)`` / ``init_app`` call."""

    #: Plugin objects, or ``"package.module[:attribute]"`` strings to import.
    plugins: Sequence[object]
    plugin_discovery: bool | str
    #: Plugin names, as a list or one comma-separated string.
    blocked_plugins: str | Sequence[str] | AbstractSet[str]
    trace_hooks: bool | str
    raise_plugin_errors: bool | str
    lint_strict: bool | str
    #: Lint ids, as a list or one comma-separated string.
    lint_ignore: str | Sequence[str] | AbstractSet[str]


class CORSArguments(_Options, AppSettings, total=False):
    """The keyword arguments of ``CORS(...)`` and ``CORS.init_app(...)``: the options of
    every resource of the call, the app settings, and ``resources``."""

    #: One path pattern, a list of them, or a dict from path pattern (a string or a
    #: compiled pattern, checked at start-up) to that resource's options.
    resources: (
        str | re.Pattern[str] | Sequence[str | re.Pattern[str]] | Mapping[Any, ResourceOptions]
    )
