"""Resource patterns: which request paths a set of CORS options applies to.

A resource string without regular-expression characters (``* \\ ] ? $ ^ [ ( )``) is a
literal path and matches that path exactly: ``/api/v1.0`` matches only ``/api/v1.0``. A
string whose only special character is a final ``*`` right after other characters
(``/api*``, ``/test_acl*``) covers every path that starts with those characters. Any
other string, and any compiled pattern, is a regular expression matched from the start of
the request path, and the match must end on a path-segment boundary (end of path, before a
``/``, or after a ``/``). So ``/api/*`` and ``/api/.*`` cover ``/api`` and everything below
it, never ``/apiary``. Matching is case-sensitive and runs on ``request.path``: the very
string Flask's router matched (percent-decoded once, ``+`` kept as ``+``).

Where several patterns match, the most specific wins: the longer literal prefix first
(anchors such as ``^`` and flags such as ``(?i)`` do not count); at equal prefix a
literal path before a pattern, and a pattern before a ``prefix*`` one; then the order of
declaration.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from threading import Lock

from ._regex import Matcher, compile_bounded
from .errors import CORSConfigError
from .options import CorsOptions

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
_LEADING_ANCHORS = re.compile(r"^(?:\^|\\A)+")
_BOUNDARY = r"(?:(?<=/)|(?=/|\Z))"

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


def _literal_prefix(pattern: str) -> str:
    """The text every match of ``pattern`` starts with (a quantifier takes its atom)."""
    prefix: list[str] = []
    for ch in pattern:
        if ch in "\\.*+?[](){}|^$":
            if ch in "*?{" and prefix:
                prefix.pop()
            break
        prefix.append(ch)
    return "".join(prefix)


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
    matcher = path_matcher(text, flags, source, literal=is_literal)
    lead = _LEADING_FLAGS.match(text)
    # Anchors add nothing: every pattern is matched from the start of the path.
    body = _LEADING_ANCHORS.sub("", _folder(text[lead.end() if lead else 0 :]))
    prefix = text if is_literal else _literal_prefix(body)
    return Resource(text, matcher, options, prefix, is_literal, order)


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

    A regex whose cost could grow faster than the path runs on RE2 (see
    :mod:`flask_cors._regex`), where the match must end at the end of the path or before a
    ``/``, or, for a pattern ending with ``/``, anywhere after it. ``whole=False`` makes a
    literal cover every path that starts with it (``/api*``).
    """
    if "\x00" in text or "\n" in text:
        raise CORSConfigError("resources", source, f"{text!r} contains a control character")
    if literal:
        return re.compile(rf"{re.escape(text)}\Z" if whole else re.escape(text))
    lead = _LEADING_FLAGS.match(text)
    head = lead.group(0) if lead else ""
    body = _folder(text[len(head) :])
    tail = "(?s:.*)" if body.endswith("/") and not body.endswith("\\/") else "(?s:/.*)?"
    return compile_bounded(
        "resources",
        source,
        text,
        flags,
        backtracking=f"{head}(?:{body}){_BOUNDARY}",
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
