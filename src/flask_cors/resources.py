"""Resource patterns: which request paths a set of CORS options applies to.

A resource string without regular-expression characters (``* \\ ] ? $ ^ [ ( )``) is a
literal path and matches that path exactly: ``/api/v1.0`` matches only ``/api/v1.0``. A
string whose only special character is a final ``*`` right after other characters
(``/api*``, ``/test_acl*``) covers every path that starts with those characters. Any
other string, and any compiled pattern, is a regular expression matched from the start of
the request path, and the match must end on a path-segment boundary: at the end of the
path or before a ``/`` (anywhere, for a pattern that itself ends with ``/``). So
``/api/*`` and ``/api/.*`` cover ``/api`` and everything below it, never ``/apiary``.
Matching is case-sensitive and runs on the path as the routed rule spells it (see
:mod:`flask_cors.defaults.resolve`): ``request.path``, the string Flask's router matched
(percent-decoded once, ``+`` kept as ``+``), for a rule that takes one spelling only.

Where several patterns match, the most specific wins: the longer literal prefix first,
read from the parsed pattern (``^``, ``(?i)``, escapes such as ``\\/`` and groups such as
``(?:/api)`` neither add to it nor cut it short; ``\\/`` means ``/`` everywhere); at equal
prefix a
literal path before a pattern, and a pattern before a ``prefix*`` one; then the order of
declaration.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from threading import Lock
from typing import Any

from ._regex import Matcher, compile_bounded
from .errors import CORSConfigError
from .options import CorsOptions

try:  # Python 3.11 and later
    from re import _parser as _sre  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse as _sre

__all__ = [
    "Resource",
    "ResourceTable",
    "Scope",
    "compile_resource",
    "find_resource",
    "path_matcher",
]

#: A resource string without any of these characters is a literal path, matched exactly
#: (the set Flask-Cors uses, so ``/api/v1.0`` and ``/a+b`` stay literal).
LITERAL_PATH_CHARS = frozenset("*\\]?$^[()")
_LEADING_FLAGS = re.compile(r"^\(\?[aiLmsux]+\)")
_ESCAPED_SLASH = re.compile(r"(?<!\\)((?:\\\\)*)\\/")

#: How many distinct request paths a table remembers the answer for.
PATH_CACHE_SIZE = 4096
#: Paths longer than this are matched without the cache.
PATH_CACHE_MAX_LENGTH = 512


@dataclass(frozen=True, slots=True)
class Resource:
    """One resource pattern with the options that apply to the paths it matches."""

    pattern: str
    matcher: Matcher
    options: CorsOptions
    literal_prefix: str
    is_literal: bool
    order: int
    #: Written as ``prefix*``: every path starting with the prefix (ranks after the rest).
    starts_with: bool = False

    @property
    def sort_key(self) -> tuple[int, int, int, int]:
        literal = 0 if self.is_literal else 1
        return (-len(self.literal_prefix), literal, int(self.starts_with), self.order)


def _literal_prefix(body: str, flags: int) -> str:
    """The text every match of the regex ``body`` starts with, read from its parsed form:
    escapes (``\\/``), groups (``(?:/api)``) and flags (``(?i)``) do not shorten it, and a
    repeated atom ends it."""
    try:
        parsed = _sre.parse(body, flags)
    except (re.error, RecursionError):
        return ""
    prefix: list[str] = []
    _take_literals(parsed, prefix)
    return "".join(prefix)


def _take_literals(items: Any, prefix: list[str]) -> bool:
    """Append the leading literal characters of ``items``; True when all of them were."""
    for op, av in items:
        kind = str(op)
        if kind == "LITERAL":
            prefix.append(chr(av))
        elif kind == "AT" and str(av) in ("AT_BEGINNING", "AT_BEGINNING_STRING"):
            continue
        elif kind == "SUBPATTERN":
            if not _take_literals(av[-1], prefix):
                return False
        elif kind in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and av[0] >= 1:
            _take_literals(av[2], prefix)  # "a+" starts with "a", and then anything may
            return False
        else:
            return False
    return True


def _plain_slashes(text: str) -> str:
    """``text`` with every escaped slash written plainly: ``\\/`` is ``/`` in a regex, so
    ``/api\\/admin\\/.*`` means, matches and ranks as ``/api/admin/.*``."""
    return _ESCAPED_SLASH.sub(r"\1/", text) if "\\/" in text else text


def starts_with_prefix(pattern: object, text: str) -> str | None:
    """The prefix of a resource string written as ``prefix*``, or ``None``.

    Only a string whose one special character is that final ``*``, right after a
    character other than ``/`` (``/api/*`` is a folder and everything below it).
    """
    if not isinstance(pattern, str) or len(text) < 2 or not text.endswith("*"):
        return None
    prefix = text[:-1]
    if prefix.endswith("/") or not LITERAL_PATH_CHARS.isdisjoint(prefix) or "." in prefix[-1:]:
        return None
    return prefix


def compile_resource(
    pattern: str | re.Pattern[str], options: CorsOptions, order: int, source: str
) -> Resource:
    """Compile one resource pattern; raise :class:`CORSConfigError` if it is unusable."""
    if isinstance(pattern, re.Pattern):
        text, flags = pattern.pattern, pattern.flags
        if not isinstance(text, str):
            raise CORSConfigError("resources", source, "compiled patterns must be str patterns")
    elif isinstance(pattern, str):
        text, flags = pattern, 0
    else:
        raise CORSConfigError(
            "resources",
            source,
            f"a resource pattern must be a string, got {type(pattern).__name__}",
        )
    if text in ("*", ""):
        text = ".*"
    is_literal = isinstance(pattern, str) and LITERAL_PATH_CHARS.isdisjoint(text)
    leading = starts_with_prefix(pattern, text)
    if leading is not None:
        # "/api*": every path that starts with "/api", as its writer meant.
        matcher = path_matcher(leading, source=source, literal=True, whole=False)
        return Resource(text, matcher, options, leading, False, order, starts_with=True)
    if is_literal:
        matcher = path_matcher(text, flags, source, literal=True)
        return Resource(text, matcher, options, text, True, order)
    plain = _plain_slashes(text)
    matcher = path_matcher(plain, flags, source)
    lead = _LEADING_FLAGS.match(plain)
    # Ranked by what the pattern can match: its parsed literal prefix, the folder form.
    body = _folder(plain[lead.end() if lead else 0 :])
    prefix = _literal_prefix((lead.group(0) if lead else "") + body, flags)
    return Resource(text, matcher, options, prefix, False, order)


def _folder(body: str) -> str:
    """``/api/.*`` as ``/api(?:/.*)?``: the folder itself and everything below it."""
    if body.endswith("/.*") and not body.endswith("\\/.*"):
        return body[:-3] + "(?:/.*)?"
    return body


def path_matcher(
    text: str, flags: int = 0, source: str = "", *, literal: bool = False, whole: bool = True
) -> Matcher:
    """The matcher of one resource pattern: ``matcher.match(path)`` is true when the path is
    covered (a literal path exactly; a regex from the start, ending on a segment boundary).

    Both engines get the same text (see :mod:`flask_cors._regex` for which one runs it):
    the match must end at the end of the path or before a ``/``, or, for a pattern ending
    with ``/``, anywhere after it. ``whole=False`` makes a literal cover every path that
    starts with it (``/api*``).
    """
    if "\x00" in text or "\n" in text:
        raise CORSConfigError("resources", source, f"{text!r} contains a control character")
    if literal:
        return re.compile(rf"{re.escape(text)}\Z" if whole else re.escape(text))
    text = _plain_slashes(text)
    lead = _LEADING_FLAGS.match(text)
    head = lead.group(0) if lead else ""
    body = _folder(text[len(head) :])
    # One boundary rule for both engines, so that a pattern covers the same paths on each.
    tail = "(?s:.*)" if body.endswith("/") else "(?s:/.*)?"
    return compile_bounded(
        "resources",
        source,
        text,
        flags,
        backtracking=rf"{head}(?:{body}){tail}\Z",
        linear=rf"{head}(?:{body}){tail}\z",
    )


class ResourceTable:
    """The resources of one ``CORS`` scope, ordered most specific first.

    ``match`` remembers recent answers per path in a bounded cache, so that its cost does
    not grow with the number of patterns for the paths an application actually serves.
    """

    def __init__(self, resources: Iterable[Resource]) -> None:
        self.resources: Sequence[Resource] = tuple(sorted(resources, key=lambda r: r.sort_key))
        catch_all = len(self.resources) == 1 and self.resources[0].pattern in ("/*", ".*", "/.*")
        self._everything: Resource | None = self.resources[0] if catch_all else None
        self._cache: OrderedDict[str, Resource | None] = OrderedDict()
        self._lock = Lock()

    def match(self, path: str) -> Resource | None:
        """The most specific resource whose pattern matches ``path``, or ``None``."""
        if self._everything is not None:
            return self._everything
        cache = self._cache
        try:
            return cache[path]
        except KeyError:
            pass
        found = self._scan(path)
        if len(path) <= PATH_CACHE_MAX_LENGTH:
            with self._lock:
                cache[path] = found
                if len(cache) > PATH_CACHE_SIZE:
                    cache.popitem(last=False)
        return found

    def _scan(self, path: str) -> Resource | None:
        for resource in self.resources:
            if resource.matcher.match(path):
                return resource
        return None


@dataclass(frozen=True, slots=True)
class Scope:
    """The resources one ``CORS(...)`` call enabled: app-wide, or one blueprint's."""

    table: ResourceTable
    #: Full dotted name of the blueprint, or ``None`` for the whole app.
    blueprint: str | None = None

    def covers(self, blueprint: str | None) -> bool:
        """True when a request routed to ``blueprint`` belongs to this scope."""
        name = self.blueprint
        if name is None:
            return True
        return blueprint is not None and (blueprint == name or blueprint.startswith(name + "."))


def find_resource(scopes: Sequence[Scope], path: str, endpoint: str | None) -> Resource | None:
    """The resource whose options apply to ``path``, routed to ``endpoint``; or ``None``.

    Scopes are tried in order (blueprint scopes first); a blueprint scope only for the
    endpoints of its blueprint (and of the blueprints nested in it). This is the lookup
    behind the default ``resolve_options``, also used by ``flask cors routes``.
    """
    blueprint = endpoint.rpartition(".")[0] if endpoint is not None and "." in endpoint else None
    for scope in scopes:
        if scope.blueprint is not None and not scope.covers(blueprint):
            continue
        resource = scope.table.match(path)
        if resource is not None:
            return resource
    return None
