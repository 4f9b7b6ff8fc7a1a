"""Configuration lint: CORS settings that work as written but are probably not what you meant.

Each check is one function below, registered under its id (the function name with dashes);
its docstring is the summary in :data:`CHECKS`. Checks run at start-up only (when the app's
CORS state builds options or compiles resources, and through ``flask cors check``), never
while a request is served. Origin regexes are judged by what they match: each is tried on
origins crafted from one it accepts (other top-level domains, prefixes and suffixes, dots
replaced by letters, ``http:``).

Severities: ``error`` lets other web sites read what they should not; ``warning`` is most
likely a mistake; ``info`` is a deliberate choice worth knowing about. Each finding is
reported once per app as a record of the ``flask_cors`` logger (``WARNING`` for errors and
warnings, ``INFO`` for info; the :class:`Finding` is the record's ``cors_finding``
attribute), never as a Python warning, so that a test suite run with warnings as errors
can still create its app. With the app setting ``lint_strict`` errors and warnings raise
:class:`CORSLintError` instead; ``lint_ignore`` silences ids one by one.
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import logging
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal, NamedTuple

from ._regex import Matcher, example_match
from .errors import CORSConfigError, CORSSecurityWarning
from .grammar import OriginParts
from .options import CorsOptions
from .views import misplaced_views

if TYPE_CHECKING:
    from flask import Flask

    from .resources import Resource

__all__ = [
    "CHECKS",
    "LOG_RECORD_ATTRIBUTE",
    "CORSLintError",
    "CORSLintWarning",
    "Finding",
    "Linter",
    "Severity",
    "check_app",
    "check_options",
    "check_resource",
    "check_resource_pattern",
    "collecting",
]

log = logging.getLogger("flask_cors")

#: The attribute of a finding's log record that holds the :class:`Finding`.
LOG_RECORD_ATTRIBUTE = "cors_finding"

Severity = Literal["error", "warning", "info"]

#: Every check id with a one-line summary, in documentation order (filled by the checks).
CHECKS: dict[str, str] = {}

#: The longest preflight cache browsers honour, in seconds.
CHROMIUM_MAX_AGE = 7200
FIREFOX_MAX_AGE = 86400
WEBKIT_MAX_AGE = 600

_DEFAULT_PORTS = {"https": "443", "http": "80"}
#: Top-level domains an origin regex is tried with: matching one is matching them all.
_OTHER_TLDS = ("xyz", "zz")

#: Set while ``flask cors check`` / ``routes`` load the app: findings are recorded only.
_COLLECTING: ContextVar[bool] = ContextVar("flask_cors_lint_collecting", default=False)


@dataclass(frozen=True, slots=True)
class Finding:
    """One lint finding: what is wrong, where, where the value came from, and the fix."""

    id: str
    severity: Severity
    #: The resource or view concerned: ``resource '/api/*'``, ``cross_origin() on view 'f'``
    #: or ``app 'name'``.
    where: str
    #: The option (or app setting) at fault.
    option: str
    #: Where that option's value came from (``keyword arguments to CORS()``, ...).
    source: str
    problem: str
    fix: str

    @property
    def message(self) -> str:
        """The whole finding as one line of text."""
        return f"CORS lint {self.id} ({self.severity}) on {self.where}: {self.problem} " + (
            f"Fix: {self.fix}"
        )


class CORSLintWarning(CORSSecurityWarning):
    """A lint finding as a warning category: kept for compatibility, no longer emitted.

    Findings are log records of the ``flask_cors`` logger (and ``flask cors check``
    output), never Python warnings. The class stays importable so that code which names
    it (in a warnings filter, say) keeps working. ``id`` is the check's stable id,
    ``finding`` the whole :class:`Finding`.
    """

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding
        self.id = finding.id
        self.severity = finding.severity


class CORSLintError(CORSConfigError):
    """A lint finding raised at start-up because the app setting ``lint_strict`` is on."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.option, finding.source, finding.problem)
        self.finding = finding
        self.id = finding.id
        self.args = (
            f"{finding.message} (lint_strict is on: fix this, or add {finding.id!r} to "
            "lint_ignore)",
        )


@contextlib.contextmanager
def collecting() -> Iterator[None]:
    """Within this block, findings are recorded by their app's :class:`Linter` only.

    Neither logged nor raised: the ``flask cors`` commands load the app this way so
    that they can report every finding, even of a ``lint_strict`` app.
    """
    token = _COLLECTING.set(True)
    try:
        yield
    finally:
        _COLLECTING.reset(token)


class Linter:
    """Reports the findings of one app, as its ``lint_strict`` / ``lint_ignore`` say."""

    def __init__(self, *, strict: bool = False, ignore: Iterable[str] = ()) -> None:
        self.strict = strict
        self.ignore = frozenset(ignore)
        #: Every finding reported so far, in order, without repeats.
        self.findings: list[Finding] = []
        #: Findings not reported because their id is in ``ignore``.
        self.ignored: list[Finding] = []
        self._seen: set[Finding] = set()
        self._reported: set[tuple[str, str, str, str]] = set()
        self._within: str | None = None

    @contextlib.contextmanager
    def within(self, label: str | None) -> Iterator[None]:
        """Within this block, findings name ``label`` (e.g. ``blueprint 'api'``) too."""
        outer, self._within = self._within, label
        try:
            yield
        finally:
            self._within = outer

    def report(self, findings: Iterable[Finding]) -> None:
        """Record new findings; raise or log them unless collecting."""
        for finding in findings:
            if self._within is not None:
                finding = replace(finding, where=f"{finding.where} of {self._within}")
            if finding in self._seen:
                continue
            self._seen.add(finding)
            if finding.id in self.ignore:
                self.ignored.append(finding)
                continue
            self.findings.append(finding)
            if _COLLECTING.get():
                continue
            if self.strict and finding.severity != "info":
                raise CORSLintError(finding)  # every time: each resource it touches is refused
            # One report per setting: a config key shared by many decorated views is one
            # problem, not one per view.
            setting = (finding.id, finding.option, finding.source, finding.problem)
            if setting in self._reported:
                continue
            self._reported.add(setting)
            # WARNING, not ERROR, for severity "error" too: the app serves as configured, and
            # error trackers turn ERROR records into incidents at every worker start.
            level = logging.INFO if finding.severity == "info" else logging.WARNING
            log.log(level, "%s", finding.message, extra={LOG_RECORD_ATTRIBUTE: finding})

    def options_built(self, options: CorsOptions) -> None:
        """Lint freshly built ``options`` (of a resource or a decorated view)."""
        self.report(check_options(options))

    def resources_compiled(self, resources: Iterable[Resource], source: str) -> None:
        """Lint the compiled resources of a scope; ``source`` is where they came from."""
        for resource in resources:
            self.report(check_resource(resource, source))

    def app_ready(self, app: Flask) -> None:
        """Lint what can be seen of the app as a whole."""
        self.report(check_app(app))

    def names_given(
        self, names: Iterable[str], source: str, known: Iterable[str], where: str
    ) -> list[str]:
        """Report the setting names that name no option; return the known ones.

        Flask-Cors 6 ignores such names, so an app that has them still starts (with a
        finding naming the setting, logged once, or an error under ``lint_strict``).
        """
        known_names = frozenset(known)
        kept = []
        for name in names:
            if name in known_names:
                kept.append(name)
                continue
            self.report(_findings(_NAMES, where, {}, name, source, known_names))
        return kept


# --- the registry ------------------------------------------------------------------------


class Say(NamedTuple):
    """What one check says: the rest of a :class:`Finding` is filled in by the runner."""

    severity: Severity
    problem: str
    fix: str
    option: str = "origins"
    source: str | None = None


_OPTIONS: dict[str, Callable[[CorsOptions], Iterable[Say]]] = {}
_RESOURCES: dict[str, Callable[[Resource, str], Iterable[Say]]] = {}
_APP: dict[str, Callable[[Flask], Iterable[Say]]] = {}
_NAMES: dict[str, Callable[[str, str, frozenset[str]], Iterable[Say]]] = {}


def _register(
    registry: dict[str, Callable[..., Iterable[Say]]],
) -> Callable[[Callable[..., Iterable[Say]]], Callable[..., Iterable[Say]]]:
    def add(check: Callable[..., Iterable[Say]]) -> Callable[..., Iterable[Say]]:
        check_id = check.__name__.replace("_", "-")
        registry[check_id] = check
        CHECKS[check_id] = (check.__doc__ or "").strip().splitlines()[0].rstrip(".")
        return check

    return add


def _findings(
    checks: Mapping[str, Callable[..., Iterable[Say]]],
    where: str,
    sources: Mapping[str, str],
    *args: object,
) -> list[Finding]:
    return [
        Finding(
            check_id,
            say.severity,
            where,
            say.option,
            sources.get(say.option, "") if say.source is None else say.source,
            say.problem,
            say.fix,
        )
        for check_id, check in checks.items()
        for say in check(*args)
    ]


def check_options(
    options: CorsOptions, values: Mapping[str, object] | None = None
) -> list[Finding]:
    """The findings about one resource's (or view's) options (``values`` is ignored)."""
    if options.decorated:
        where = options.resource
    else:
        where = f"resource '{options.resource}'" if options.resource else "resource (all)"
    return _findings(_OPTIONS, where, options.sources, options)


def check_resource(resource: Resource, source: str = "") -> list[Finding]:
    """The findings about one compiled resource: what its pattern was read as."""
    return _findings(
        _RESOURCES, f"resource '{resource.pattern}'", {"resources": source}, resource, source
    )


def check_resource_pattern(pattern: str, source: str = "") -> list[Finding]:
    """The findings about one resource pattern, compiled as ``CORS`` compiles it."""
    from .options import build_options
    from .resources import Resource, compile_resource

    options = build_options([])
    try:
        resource = compile_resource(pattern, options, 0, source)
    except CORSConfigError:  # "*.json": not even a regex; CORS() refuses it, the lint says why
        resource = Resource(pattern, re.compile(r"(?!)"), options, "", False, 0)
    return check_resource(resource, source)


def check_app(app: Flask) -> list[Finding]:
    """Findings about the app as a whole: another CORS layer next to flask_cors."""
    return _findings(_APP, f"app {app.name!r}", {}, app)


# --- helpers for origins ------------------------------------------------------------------


def _examples(options: CorsOptions) -> Iterator[tuple[Matcher, OriginParts | None]]:
    """Each origin regex with the parts of one origin it matches (if one is found)."""
    for pattern in options.origins.patterns:
        example = example_match(pattern)
        yield pattern, (OriginParts.split(example) if example else None)


def _src(options: CorsOptions, option: str = "origins") -> str:
    return options.sources.get(option, "")


# --- the checks on options -------------------------------------------------------------------


@_register(_OPTIONS)
def credentials_any_origin(options: CorsOptions) -> Iterator[Say]:
    """supports_credentials=True with any origin."""
    if options.supports_credentials and options.origins.any:
        yield Say(
            "error",
            f"supports_credentials=True (from {_src(options, 'supports_credentials')}) with any "
            f"origin (origins from {_src(options)}) reflects every Origin, so every web site "
            "can read your users' credentialed responses.",
            "list the allowed origins, e.g. origins=['https://app.example.com'], or turn "
            "supports_credentials off for this resource.",
        )


@_register(_OPTIONS)
def null_origin(options: CorsOptions) -> Iterator[Say]:
    """The origin null is allowed."""
    rule = options.origins
    regexes = [p.pattern for p in rule.patterns if p.fullmatch("null")]
    if rule.any or ("null" not in rule.literals and not regexes):
        return
    how = f"the regular expression '{regexes[0]}', which matches 'null'" if regexes else ""
    how = how or "the literal 'null'"
    anyone = "Any page can send 'Origin: null' (a sandboxed iframe, a data: document), so"
    if options.supports_credentials:
        yield Say(
            "error",
            f"origins (from {_src(options)}) allow the origin null through {how}, with "
            f"supports_credentials=True (from {_src(options, 'supports_credentials')}). "
            f"{anyone} every web site can read your users' credentialed responses.",
            "remove 'null' from origins (or make the regex unable to match it); serve the "
            "sandboxed or file: page from a real origin and list that.",
        )
    else:
        yield Say(
            "info",
            f"origins (from {_src(options)}) allow the origin null through {how}. {anyone} "
            "this opens reads to every web site, as '*' does.",
            "remove 'null' from origins unless every page may read these responses.",
        )


def _per_literal(
    check: Callable[[str, OriginParts | None, CorsOptions], Say | None],
) -> Callable[[CorsOptions], Iterator[Say]]:
    """A check run on each literal origin as configured (``null`` left out)."""

    @functools.wraps(check)
    def run(options: CorsOptions) -> Iterator[Say]:
        for literal in options.origins.written:
            say = check(literal, OriginParts.split(literal), options)
            if say and literal.lower() != "null":
                yield say

    return run


@_register(_OPTIONS)
@_per_literal
def origin_has_path(literal: str, parts: OriginParts | None, options: CorsOptions) -> Say | None:
    """A literal origin with a path."""
    if not (parts and parts.path):
        return None
    return Say(
        "warning",
        f"the origin {literal!r} (from {_src(options)}) has a path; an origin is only "
        "'scheme://host[:port]', so it never matches.",
        f"write {parts.canonical!r}; to limit CORS to some paths, use the resources option.",
    )


@_register(_OPTIONS)
@_per_literal
def origin_trailing_slash(
    literal: str, parts: OriginParts | None, options: CorsOptions
) -> Say | None:
    """A literal origin ending with a slash."""
    if not (parts and parts.path == ""):
        return None
    return Say(
        "warning",
        f"the origin {literal!r} (from {_src(options)}) ends with a slash; browsers send "
        "origins without one, so it never matches.",
        f"write {parts.canonical!r}.",
    )


@_register(_OPTIONS)
@_per_literal
def origin_missing_scheme(
    literal: str, parts: OriginParts | None, options: CorsOptions
) -> Say | None:
    """A literal origin without scheme."""
    if parts:
        return None
    return Say(
        "warning",
        f"the origin {literal!r} (from {_src(options)}) has no scheme; browsers send "
        "'scheme://host[:port]', so it never matches.",
        f"write it with its scheme, e.g. 'https://{literal}'.",
    )


@_register(_OPTIONS)
@_per_literal
def origin_default_port(
    literal: str, parts: OriginParts | None, options: CorsOptions
) -> Say | None:
    """A literal origin with its scheme's default port."""
    if not (parts and parts.port and _DEFAULT_PORTS.get(parts.scheme.lower()) == parts.port):
        return None
    return Say(
        "warning",
        f"the origin {literal!r} (from {_src(options)}) names port {parts.port}, the default "
        f"of {parts.scheme.lower()}:; browsers leave it out, so it never matches.",
        f"write {parts.canonical!r}.",
    )


@_register(_OPTIONS)
@_per_literal
def origin_uppercase(literal: str, parts: OriginParts | None, options: CorsOptions) -> Say | None:
    """A literal origin with upper-case letters."""
    if not (parts and parts.text() != parts.text().lower()):
        return None
    return Say(
        "info",
        f"the origin {literal!r} (from {_src(options)}) has upper-case letters. It matches "
        "(origins compare case-insensitively), but where it is sent as written (the one "
        "origin of a resource, to requests without Origin) browsers refuse it.",
        f"write {parts.canonical!r}.",
    )


@_register(_OPTIONS)
def http_origin_with_credentials(options: CorsOptions) -> Iterator[Say]:
    """An http: origin allowed with credentials."""
    found = [(f"the origin '{lit}'", OriginParts.split(lit)) for lit in options.origins.written]
    for pattern, parts in _examples(options):
        if parts and pattern.fullmatch(parts.text("http")):
            found.append((f"the origin regex '{pattern.pattern}'", parts._replace(scheme="http")))
    for what, parts in found:
        if not (options.supports_credentials and parts and parts.scheme.lower() == "http"):
            continue
        if not parts.is_loopback:
            yield Say(
                "warning",
                f"{what} (from {_src(options)}) is plain http: and supports_credentials=True "
                f"(from {_src(options, 'supports_credentials')}). Anyone on the network path "
                "of such a page can inject script into it and read your users' credentialed "
                "responses.",
                "serve that page over https: and list the https: origin (http://localhost "
                "stays fine for development).",
            )


def _dots_as_letters(host: str, last: bool) -> Iterator[str]:
    """``host`` with one of its dots (the last one only if ``last``) replaced by ``x``."""
    for index, char in enumerate(host):
        if char == "." and (last or "." in host[index + 1 :]):
            yield f"{host[:index]}x{host[index + 1 :]}"


@_register(_OPTIONS)
def origin_regex_unescaped_dot(options: CorsOptions) -> Iterator[Say]:
    """An unescaped dot in the host name of an origin regex."""
    for pattern, parts in _examples(options):
        if parts and any(
            pattern.fullmatch(parts.text(host=host))
            for host in _dots_as_letters(parts.host, last=True)
        ):
            yield Say(
                "warning",
                f"the origin regex '{pattern.pattern}' (from {_src(options)}) has an unescaped "
                "'.' in a host name, and '.' matches any character.",
                "escape the dots of host names: '\\.' matches a dot only ('*' is no wildcard "
                "either: it repeats what stands before it).",
            )


def _foreign_hosts(pattern: Matcher, parts: OriginParts) -> tuple[list[str], str]:
    """Hosts anyone can register that are worth trying on ``pattern``, and a regex for the
    host it was probably meant to match (subdomains of the part it keeps fixed)."""
    labels = parts.host.split(".")

    def varies(index: int) -> bool:
        hosts = (".".join([*labels[:index], w, *labels[index + 1 :]]) for w in ("evil", "zz9"))
        return any(pattern.fullmatch(parts.text(host=host)) for host in hosts)

    start = len(labels)
    while start > 0 and not varies(start - 1):
        start -= 1
    fixed = ".".join(labels[start:])
    hosts = ["evil.net", f"evil-{fixed}", f"evil{fixed}", f"{parts.host}.evil.net"]
    if len(labels) > 1:
        hosts += [".".join([*labels[:-1], tld]) for tld in _OTHER_TLDS]
        hosts += list(_dots_as_letters(parts.host, last=False))
    if start and len(labels) - start == 1 and not parts.is_loopback:  # a name under a TLD
        hosts.append(f"evil.{fixed}")
    if start and len(labels) - start > 1:
        return hosts, rf"[a-z0-9-]+\.{re.escape(fixed)}"
    return hosts, re.escape(parts.host) if not start else r"[a-z0-9-]+\.example\.com"


@_register(_OPTIONS)
def origin_regex_too_broad(options: CorsOptions) -> Iterator[Say]:
    """An origin regex that matches other hosts."""
    for pattern, parts in _examples(options):
        parts = parts or OriginParts("https", "", "", None)
        hosts, meant = (
            _foreign_hosts(pattern, parts) if parts.host else (["evil.net"], r"app\.example\.com")
        )
        matched = [parts.text(host=h) for h in hosts if pattern.fullmatch(parts.text(host=h))]
        if not matched:
            continue
        yield Say(
            "error",
            f"the origin regex '{pattern.pattern}' (from {_src(options)}) also matches "
            f"{', '.join(repr(m) for m in matched[:3])}: hosts anyone can register.",
            "anchor the host: escape the dots and match whole labels, e.g. "
            f"r'{parts.scheme.lower()}://{meant}'; or list the origins literally.",
        )


@_register(_OPTIONS)
def origin_glob(options: CorsOptions) -> Iterator[Say]:
    """An origin written as a glob."""
    for text in options.origins.globs:
        meaning = []
        if "://*." in text:
            meaning.append("any subdomain, one or more whole labels (never the bare domain)")
        if text.endswith(":*"):
            meaning.append("any port or none")
        yield Say(
            "info",
            f"the origin {text!r} (from {_src(options)}) is read as a glob: "
            f"{' and '.join(meaning)}.",
            "nothing to change if that is what you meant; list the bare domain separately "
            "if it is allowed too.",
        )


@_register(_OPTIONS)
def origin_glob_broken(options: CorsOptions) -> Iterator[Say]:
    """An origin written as a glob that matches nothing (malformed, or on a public suffix)."""
    for text, why in options.origins.broken:
        yield Say(
            "warning",
            f"the origin {text!r} (from {_src(options)}) matches no origin: {why}.",
            "write a glob of the form 'scheme://*.example.com', 'scheme://host:*' or "
            "'scheme://*.example.com:*' on a domain you own, or list the origins literally.",
        )


@_register(_OPTIONS)
def origin_regex_any_port(options: CorsOptions) -> Iterator[Say]:
    """An origin regex ending in ':*', read as "any port or none"."""
    for text in options.origins.any_port:
        yield Say(
            "info",
            f"the origin regex {text!r} (from {_src(options)}) ends in ':*' after the host, "
            "read as 'any port or none' (as a regex it would mean 'zero or more colons').",
            f"nothing to change if that is what you meant; r'{text[:-2]}(:[0-9]+)?' says "
            "the same explicitly.",
        )


@_register(_OPTIONS)
def origins_comma_string(options: CorsOptions) -> Iterator[Say]:
    """A comma-separated string of origins, read as the list it spells."""
    for text in options.origins.split:
        parts = [part.strip() for part in text.split(",") if part.strip()]
        yield Say(
            "warning",
            f"the origins string {text!r} (from {_src(options)}) holds commas; it is read "
            f"as the list {parts!r} (an origin never contains a comma).",
            f"write the list: origins={parts!r}.",
        )


@_register(_OPTIONS)
def origin_regex_never_matches(options: CorsOptions) -> Iterator[Say]:
    """An origin regex that can never match a serialized origin."""
    for pattern in options.origins.patterns:
        text = pattern.pattern
        if not (text.endswith("/") or text.endswith("/$")):
            continue
        yield Say(
            "warning",
            f"the origin regex '{text}' (from {_src(options)}) never matches what browsers "
            "send: it ends with '/', and a browser's Origin never does.",
            "remove the trailing '/'.",
        )


@_register(_OPTIONS)
def origin_callable(options: CorsOptions) -> Iterator[Say]:
    """A function in origins, which the lint cannot probe."""
    for entry in options.origins.functions:
        credentials = (
            f" With supports_credentials=True (from {_src(options, 'supports_credentials')}) "
            "every origin it allows reads your users' credentialed responses."
            if options.supports_credentials
            else ""
        )
        yield Say(
            "info",
            f"origins (from {_src(options)}) lists the function {entry.name}: it decides "
            "the origins that no literal or pattern allows, at each request (never asked "
            "about 'null' or an origin browsers would not send), and the lint cannot tell "
            f"which origins it allows.{credentials}",
            "nothing to change if that is what you meant; have it return True only for "
            "origins you trust, False otherwise (any other answer, or an exception, denies "
            "the request and is logged), and keep it fast: it runs on every request the "
            "literals do not allow.",
        )


# --- the checks on resource patterns ------------------------------------------------------


def _glob_to_regex(pattern: str) -> str:
    last = len(pattern) - 1
    return "".join(
        (".*" if i in (0, last) else "[^/]*") if c == "*" else "\\." if c == "." else c
        for i, c in enumerate(pattern)
    )


@_register(_RESOURCES)
def resource_glob(resource: Resource, source: str) -> Iterator[Say]:
    """A resource pattern written as a glob.

    Only patterns without other regex syntax are judged: the path the glob is written for
    (each ``*`` read as ``x1``) must be covered by the compiled resource.
    """
    pattern = resource.pattern
    if "*" not in pattern or ".*" in pattern or not set("\\[]()?+{}|^$").isdisjoint(pattern):
        return
    if pattern == "*":
        return
    if resource.starts_with:
        prefix = resource.literal_prefix
        yield Say(
            "info",
            f"the resource pattern '{pattern}' (from {source}) is read as every path that "
            f"starts with '{prefix}' ('{prefix}x' and '{prefix}/x' alike)",
            f"write '{prefix}/*' for the folder {prefix} and the paths below it only.",
            "resources",
        )
        return
    if resource.matcher.match(pattern.replace("*", "x1")):
        return
    stars = [i for i, c in enumerate(pattern) if c == "*"]
    first = next((i for i in stars if i < len(pattern) - 1 or pattern[i - 1] != "/"), stars[0])
    before = pattern[first - 1] if first else ""
    if not first:
        meaning = "a leading '*' has nothing to repeat"
    elif before == "/":
        meaning = "'/*' means 'zero or more slashes'"
    else:
        meaning = f"'*' repeats the character before it ({before!r})"
    dot = " and '.' matches any character" if "." in pattern else ""
    yield Say(
        "warning",
        f"the resource pattern '{pattern}' (from {source}) is a regular expression matched "
        f"from the start of the path, not a glob: {meaning}{dot}, so it does not cover the "
        "paths a glob would. (A trailing '/*', as in '/api/*', is fine: it covers /api and "
        "every path below it.)",
        f"write the regular expression you mean, e.g. r'{_glob_to_regex(pattern)}'.",
        "resources",
    )


@_register(_RESOURCES)
def resource_literal_looks_regex(resource: Resource, source: str) -> Iterator[Say]:
    """A literal resource path that reads like a regex."""
    pattern = resource.pattern
    looks = sorted(set(pattern) & set("+{}|")) if resource.is_literal else []
    if not looks:
        return
    # A "+" is an ordinary character in many real paths: alone it is only worth a note.
    lone_plus = looks == ["+"] and ".+" not in pattern
    yield Say(
        "info" if lone_plus else "warning",
        f"the resource '{pattern}' (from {source}) has none of the characters * \\ ] ? $ ^ [ "
        "( ) that make a resource a regular expression, so it is a literal path matched "
        f"exactly, yet it contains {', '.join(repr(c) for c in looks)}, which read like "
        "regular-expression syntax.",
        "if a regular expression is meant, make it one (for example end it with '$' or group "
        "it: r'(/a|/b)'); if the path is literal, nothing needs to change.",
        "resources",
    )


# --- the options again (documentation order), and the app as a whole -----------------------


@_register(_OPTIONS)
def max_age_capped(options: CorsOptions) -> Iterator[Say]:
    """max_age longer than browsers keep a preflight."""
    age = options.max_age
    if age is not None and age > CHROMIUM_MAX_AGE:
        everyone = age > FIREFOX_MAX_AGE
        yield Say(
            "warning" if everyone else "info",
            f"max_age={age} (from {_src(options, 'max_age')}) is longer than browsers keep a "
            f"preflight answer: Chromium caps it at {CHROMIUM_MAX_AGE} s, WebKit at "
            f"{WEBKIT_MAX_AGE} s, Firefox at {FIREFOX_MAX_AGE} s"
            + (", so no browser honours it." if everyone else "."),
            f"use max_age={CHROMIUM_MAX_AGE} or less; longer values change nothing in Chromium.",
            "max_age",
        )


@_register(_OPTIONS)
def wildcard_with_credentials(options: CorsOptions) -> Iterator[Say]:
    """'*' in expose_headers with credentials.

    ``allow_headers="*"`` is answered by echoing the requested names and ``methods="*"`` is
    refused at start-up: only ``expose_headers`` sends ``*`` as it is.
    """
    if options.supports_credentials and "*" in options.expose_headers:
        yield Say(
            "warning",
            f"expose_headers (from {_src(options, 'expose_headers')}) contains '*', and "
            f"supports_credentials=True (from {_src(options, 'supports_credentials')}). On a "
            "credentialed request browsers read '*' as a name, not a wildcard: no response "
            "header is exposed.",
            "list the names in expose_headers instead of '*'.",
            "expose_headers",
        )


def _foreign(obj: object) -> str | None:
    """The qualified name of ``obj`` when it comes from outside flask_cors and names CORS."""
    module = getattr(obj, "__module__", None) or type(obj).__module__
    name = f"{module}.{getattr(obj, '__qualname__', None) or type(obj).__qualname__}"
    own = module.partition(".")[0] == __name__.partition(".")[0]
    return name if "cors" in name.lower() and not own else None


def _other_layers(app: Flask) -> Iterator[tuple[str, str]]:
    pm = getattr(app.extensions.get("cors"), "pm", None)
    for key, extension in app.extensions.items():
        name = str(key).lower().replace("-", "_")
        ours = name == "cors" or name.startswith("flask_cors")
        if "cors" in name and not ours and (pm is None or not pm.is_registered(extension)):
            yield f"app.extensions[{key!r}]", "another CORS extension"
    for blueprint, functions in app.after_request_funcs.items():
        scope = "the app" if blueprint is None else f"blueprint {blueprint!r}"
        for function in functions:
            if found := _foreign(function):
                yield f"after_request {found} on {scope}", "an after_request function"
    middleware: object = app.wsgi_app
    for _depth in range(10):  # WSGI middleware wrapped around the app, outermost first
        if found := _foreign(middleware):
            yield f"WSGI middleware {found}", "a WSGI middleware"
        inner = (getattr(middleware, a, None) for a in ("app", "wsgi_app", "application"))
        middleware = next((m for m in inner if m is not None and m is not app), None)


@_register(_APP)
def multiple_cors_layers(app: Flask) -> Iterator[Say]:
    """Another CORS layer on the same app.

    Seen by name when the check runs: ``app.extensions`` keys, ``after_request`` functions
    from other modules and WSGI middleware around ``app.wsgi_app`` named ``*cors*``.
    """
    for what, kind in _other_layers(app):
        yield Say(
            "warning",
            f"{what} ({kind}) looks like a second CORS layer next to flask_cors. Depending on "
            "their order one overwrites the other's answer, or the response carries two "
            "Access-Control-Allow-Origin lines, which browsers refuse.",
            "keep one CORS layer: remove the other, or limit flask_cors (resources=...) and "
            "the other layer to different paths.",
            "CORS",
            what,
        )


@_register(_APP)
def cross_origin_above_route(app: Flask) -> Iterator[Say]:
    """cross_origin written above the route decorator.

    Decorators apply bottom-up: with ``@cross_origin()`` above ``@app.route(...)`` the
    route registers the undecorated function, and the decorator's options reach no
    request. Seen when a registered view function is one that ``cross_origin`` wrapped
    while none of its wrappers is registered.
    """
    for endpoint, view in misplaced_views(app.view_functions):
        name = getattr(view, "__qualname__", None) or type(view).__qualname__
        rules = sorted(r.rule for r in app.url_map.iter_rules() if r.endpoint == endpoint)
        served = f" (rule {', '.join(repr(r) for r in rules)})" if rules else ""
        yield Say(
            "warning",
            f"the view function {name!r} of endpoint {endpoint!r}{served} was wrapped by "
            "cross_origin after the route had registered it: the decorator is written above "
            "the route decorator, so the route serves the undecorated function and the "
            "decorator's options apply to no request.",
            "put @cross_origin(...) below @app.route(...) (decorators apply from the bottom "
            "up: the route must register the decorated function).",
            "cross_origin",
            f"cross_origin() on view {name!r}",
        )


@_register(_OPTIONS)
def private_network(options: CorsOptions) -> Iterator[Say]:
    """Private-network access is on."""
    if options.allow_private_network:
        yield Say(
            "info",
            f"allow_private_network=True (from {_src(options, 'allow_private_network')}) lets "
            "pages on the public internet reach this server on a private network, for "
            "browsers that ask. Chromium has put Private Network Access on hold and no longer "
            "sends the request header by default (its Local Network Access asks the user "
            "instead, which no response header can grant).",
            "turn it on only if this server lives on a private network and must be reached "
            "from public pages, and then keep origins to those pages.",
            "allow_private_network",
        )


@_register(_OPTIONS)
def protection_any_origin(options: CorsOptions) -> Iterator[Say]:
    """Cross-origin protection with any origin: it refuses next to nothing."""
    mode = options.cross_origin_protection
    if mode != "off" and options.origins.any:
        yield Say(
            "warning",
            f"cross_origin_protection={'True' if mode == 'on' else repr(mode)} (from "
            f"{_src(options, 'cross_origin_protection')}) with any origin (origins from "
            f"{_src(options)}): protection lets through every origin the CORS policy allows, "
            "so it refuses no request that carries an Origin, as browsers' cross-site "
            "writes do.",
            "list the origins that may send unsafe requests, e.g. "
            "origins=['https://app.example.com'], or leave cross_origin_protection off here.",
            "cross_origin_protection",
        )


#: Settings of Flask-Cors 1.x that later releases ignore, and what replaced them.
_LEGACY = {"headers": "allow_headers", "CORS_HEADERS": "CORS_ALLOW_HEADERS"}


@_register(_NAMES)
def unknown_option(name: str, source: str, known: frozenset[str]) -> Iterator[Say]:
    """A setting that names no option."""
    if name in _LEGACY:
        meant = _LEGACY[name]
        why = (
            "a Flask-Cors 1.x setting that Flask-Cors 2 to 6 ignore; it does nothing here "
            "either (the request headers a preflight may ask for are set by "
            f"{meant!r}, which allows every header by default)"
        )
    else:
        prefix = "CORS_" if name.startswith("CORS_") else ""
        bare = name.removeprefix("CORS_").lower() if prefix else name
        close = difflib.get_close_matches(bare, sorted(known), n=1)
        meant = f"{prefix}{close[0].upper()}" if close and prefix else (close[0] if close else "")
        why = "not a flask_cors option; it does nothing"
    hint = f"did you mean {meant!r}? " if meant else ""
    yield Say(
        "warning",
        f"{name!r} (from {source}) is {why}.",
        f"{hint}remove it, or write the option you mean.",
        name,
        source,
    )
