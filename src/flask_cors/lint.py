"""Configuration lint: CORS settings that work as written but are probably not what you meant.

Every check has a stable id (see :data:`CHECKS`). Checks run at start-up only: when
``CORS(app)`` / ``init_app`` compiles its resources, when a ``cross_origin`` view's options
are first built for an app, and on demand through ``flask cors check``. They never run
while a request is served.

Each finding has a severity:

``error``
    A configuration that lets other web sites read what they should not: credentials with
    any origin, ``null`` with credentials, an origin regex that matches other hosts.
``warning``
    Most likely a mistake: an origin that can never match, a resource pattern written as a
    glob, ``*`` where browsers do not accept it.
``info``
    A deliberate choice worth knowing about (``max_age`` above what Chromium honours,
    private-network access on): reported by ``flask cors check`` and logged at ``INFO`` on
    the ``flask_cors`` logger, never a Python warning.

Errors and warnings are emitted as :class:`CORSLintWarning` (a
:class:`~flask_cors.CORSSecurityWarning`); with the app setting ``lint_strict=True`` they are
raised as :class:`CORSLintError` (a :class:`~flask_cors.CORSConfigError`) instead. The app
setting ``lint_ignore`` silences ids one by one.
"""

from __future__ import annotations

import contextlib
import logging
import re
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from .errors import CORSConfigError, CORSSecurityWarning
from .options import CorsOptions, _caller_stacklevel, looks_like_regex
from .resources import LITERAL_PATH_CHARS, starts_with_prefix

if TYPE_CHECKING:
    from flask import Flask

    from .resources import Resource

__all__ = [
    "CHECKS",
    "CORSLintError",
    "CORSLintWarning",
    "Finding",
    "Linter",
    "Severity",
    "check_app",
    "check_options",
    "check_resource_pattern",
    "collecting",
]

log = logging.getLogger("flask_cors")

Severity = Literal["error", "warning", "info"]

#: Every check id with a one-line summary, in documentation order.
CHECKS: Mapping[str, str] = {
    "credentials-any-origin": "supports_credentials=True with any origin",
    "null-origin": "the origin null is allowed",
    "origin-has-path": "a literal origin with a path",
    "origin-trailing-slash": "a literal origin ending with a slash",
    "origin-missing-scheme": "a literal origin without scheme",
    "origin-default-port": "a literal origin with its scheme's default port",
    "origin-uppercase": "a literal origin with upper-case letters",
    "http-origin-with-credentials": "an http: origin allowed with credentials",
    "origin-regex-unescaped-dot": "an unescaped dot in the host name of an origin regex",
    "origin-regex-too-broad": "an origin regex that matches other hosts",
    "resource-glob": "a resource pattern written as a glob",
    "resource-literal-looks-regex": "a literal resource path that reads like a regex",
    "max-age-capped": "max_age longer than browsers keep a preflight",
    "wildcard-with-credentials": "'*' in expose_headers with credentials",
    "multiple-cors-layers": "another CORS layer on the same app",
    "private-network": "private-network access is on",
}

#: The longest preflight cache browsers honour, in seconds.
CHROMIUM_MAX_AGE = 7200
FIREFOX_MAX_AGE = 86400
WEBKIT_MAX_AGE = 600

_DEFAULT_PORTS = {"https": "443", "http": "80"}
_LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "[::1]")

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
    """A lint finding of severity ``error`` or ``warning``, emitted at start-up.

    ``id`` is the check's stable id (silence it with the app setting ``lint_ignore``),
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

    Neither warned about nor raised: the ``flask cors`` commands load the app this way so
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
        """Record new findings; warn about, raise or log them unless collecting."""
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
            if finding.severity == "info":
                log.info("%s", finding.message)
            elif self.strict:
                raise CORSLintError(finding)
            else:
                warnings.warn(CORSLintWarning(finding), stacklevel=_caller_stacklevel())

    def options_built(self, options: CorsOptions, values: Mapping[str, object]) -> None:
        """Lint freshly built ``options``; ``values`` are the raw values they came from."""
        self.report(check_options(options, values))

    def resources_compiled(self, resources: Iterable[Resource], source: str) -> None:
        """Lint the patterns of a scope's resources; ``source`` is where they came from."""
        for resource in resources:
            self.report(check_resource_pattern(resource.pattern, source))

    def app_ready(self, app: Flask) -> None:
        """Lint what can be seen of the app as a whole."""
        self.report(check_app(app))


def lint_built_options(
    options: CorsOptions, values: Mapping[str, object], linter: Linter | None = None
) -> None:
    """The hook :func:`flask_cors.options.build_options` calls for freshly built options."""
    (linter or Linter()).options_built(options, values)


# --- options ------------------------------------------------------------------------------


def _where(options: CorsOptions) -> str:
    if options.decorated:
        return options.resource
    return f"resource '{options.resource}'" if options.resource else "resource (all)"


def check_options(
    options: CorsOptions, values: Mapping[str, object] | None = None
) -> list[Finding]:
    """The findings about one resource's (or view's) options.

    ``values`` are the raw option values as configured; they only serve to see the
    spelling of literal origins (the options keep them lower-cased).
    """
    where = _where(options)
    src = options.sources
    found: list[Finding] = []

    def add(check: str, severity: Severity, option: str, problem: str, fix: str) -> None:
        found.append(Finding(check, severity, where, option, src.get(option, ""), problem, fix))

    credentials = options.supports_credentials
    cred_src = src.get("supports_credentials", "")
    origins_src = src.get("origins", "")
    if credentials and options.origins.any:
        add(
            "credentials-any-origin",
            "error",
            "origins",
            f"supports_credentials=True (from {cred_src}) with any origin (origins from "
            f"{origins_src}) reflects every Origin, so every web site can read your users' "
            "credentialed responses.",
            "list the allowed origins, e.g. origins=['https://app.example.com'], or turn "
            "supports_credentials off for this resource.",
        )
    literals, regexes = _origin_items(options, values)
    for literal in literals:
        found.extend(_check_literal(literal, options, where))
    if not options.origins.any:
        null_patterns = [p.pattern for p in regexes if p.fullmatch("null")]
        if "null" in (lit.lower() for lit in literals) or null_patterns:
            how = (
                "the literal 'null'"
                if not null_patterns
                else f"the regular expression '{null_patterns[0]}', which matches 'null'"
            )
            if credentials:
                add(
                    "null-origin",
                    "error",
                    "origins",
                    f"origins (from {origins_src}) allow the origin null through {how}, with "
                    f"supports_credentials=True (from {cred_src}). Any page can send "
                    "'Origin: null' (a sandboxed iframe, a data: document), so every web site "
                    "can read your users' credentialed responses.",
                    "remove 'null' from origins (or make the regex unable to match it); serve "
                    "the sandboxed or file: page from a real origin and list that.",
                )
            else:
                add(
                    "null-origin",
                    "info",
                    "origins",
                    f"origins (from {origins_src}) allow the origin null through {how}. Any "
                    "page can send 'Origin: null' (a sandboxed iframe, a data: document), so "
                    "this opens reads to every web site, as '*' does.",
                    "remove 'null' from origins unless every page may read these responses.",
                )
    for pattern in regexes:
        found.extend(_check_regex(pattern, options, where))
    found.extend(_check_headers_and_age(options, where))
    return found


def _origin_items(
    options: CorsOptions, values: Mapping[str, object] | None
) -> tuple[list[str], list[re.Pattern[str]]]:
    """The literal origins as written, and the origin regexes."""
    raw = (values or {}).get("origins")
    items: list[object]
    if isinstance(raw, str | re.Pattern):
        items = [raw]
    elif isinstance(raw, Iterable) and not isinstance(raw, bytes | Mapping):
        items = list(raw)
    else:
        items = []
    literals = [
        item.strip()
        for item in items
        if isinstance(item, str) and item.strip() != "*" and not looks_like_regex(item)
    ]
    if not items:
        literals = sorted(options.origins.literals)
    return literals, list(options.origins.patterns)


def _check_literal(literal: str, options: CorsOptions, where: str) -> list[Finding]:
    source = options.sources.get("origins", "")
    if literal.lower() == "null":
        return []
    found: list[Finding] = []

    def add(check: str, severity: Severity, problem: str, fix: str) -> None:
        found.append(Finding(check, severity, where, "origins", source, problem, fix))

    scheme, sep, rest = literal.partition("://")
    if not sep:
        add(
            "origin-missing-scheme",
            "warning",
            f"the origin {literal!r} (from {source}) has no scheme; browsers send "
            "'scheme://host[:port]', so it never matches.",
            f"write it with its scheme, e.g. 'https://{literal}'.",
        )
        return found
    hostport, slash, path = rest.partition("/")
    host, colon, port = hostport.rpartition(":") if ":" in hostport else (hostport, "", "")
    if host.startswith("[") and not host.endswith("]"):  # an IPv6 address without a port
        host, colon, port = hostport, "", ""
    lower_scheme = scheme.lower()
    keep_port = colon and _DEFAULT_PORTS.get(lower_scheme) != port
    canonical = f"{lower_scheme}://{host.lower()}" + (f":{port}" if keep_port else "")
    if slash and not path:
        add(
            "origin-trailing-slash",
            "warning",
            f"the origin {literal!r} (from {source}) ends with a slash; browsers send origins "
            "without one, so it never matches.",
            f"write {canonical!r}.",
        )
    elif slash:
        add(
            "origin-has-path",
            "warning",
            f"the origin {literal!r} (from {source}) has a path; an origin is only "
            "'scheme://host[:port]', so it never matches.",
            f"write {canonical!r}; to limit CORS to some paths, use the resources option.",
        )
    if colon and not keep_port:
        add(
            "origin-default-port",
            "warning",
            f"the origin {literal!r} (from {source}) names port {port}, the default of "
            f"{lower_scheme}:; browsers leave the default port out, so it never matches.",
            f"write {canonical!r}.",
        )
    written = f"{scheme}://{hostport}"
    if written != written.lower():
        add(
            "origin-uppercase",
            "info",
            f"the origin {literal!r} (from {source}) has upper-case letters. It matches "
            "(origins compare case-insensitively), but browsers always send scheme and host "
            "in lower case, and where it is sent as written (the one origin of a resource, "
            "to requests without Origin) a cache could serve it to a browser that refuses it.",
            f"write {canonical!r}.",
        )
    if (
        options.supports_credentials
        and lower_scheme == "http"
        and host.lower() not in _LOOPBACK_HOSTS
        and not host.lower().endswith(".localhost")
    ):
        found.append(_http_finding(literal, options, where, "the origin"))
    return found


def _http_finding(text: str, options: CorsOptions, where: str, what: str) -> Finding:
    source = options.sources.get("origins", "")
    return Finding(
        "http-origin-with-credentials",
        "warning",
        where,
        "origins",
        source,
        f"{what} '{text}' (from {source}) is plain http: and supports_credentials=True (from "
        f"{options.sources.get('supports_credentials', '')}). Anyone on the network path of "
        "such a page can inject script into it and read your users' credentialed responses.",
        "serve that page over https: and list the https: origin (http://localhost stays "
        "fine for development).",
    )


# --- origin regular expressions -------------------------------------------------------------

_HTTP_REGEX_START = re.compile(r"^(?:\^|\(\?[a-z]+\))*\(?(?:http(?:\\?:|s\?|\[s\]\?|\(s\)\?|\|))")
_DOTTED_HOST = re.compile(r"[a-z0-9-]+(?:\.[a-z0-9-]+)+")
_HOST_WORD = re.compile(r"[a-z0-9-]+")
_SIMPLE_GROUP = re.compile(r"\((?:\?:)?([^()]*)\)[?*+]?")


def _bare_metacharacters(text: str, wanted: str) -> Iterator[int]:
    """Positions of the characters in ``wanted`` that a regex reads as metacharacters:
    neither escaped with a backslash nor inside a character class."""
    in_class = False
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char in wanted:
            yield index
        index += 1


def _unescaped_host_dots(text: str) -> list[int]:
    """Positions of ``.`` in ``text`` that are wildcards where a host-name dot is meant.

    A dot counts when it is not escaped, not in a character class, not quantified
    (``.*``, ``.+``, ...), and stands next to host-name text (``example.com``, ``.*.com``).
    """
    positions: list[int] = []
    for index in _bare_metacharacters(text, "."):
        before = text[index - 1] if index else ""
        after = text[index + 1] if index + 1 < len(text) else ""
        if after not in ("*", "+", "?", "{") and (
            after.isalnum() or (before.isalnum() and after != "")
        ):
            positions.append(index)
    return positions


def _regex_scheme_and_host(text: str) -> tuple[list[str], str]:
    """The schemes a regex is written for, and the host name it seems to be about."""
    lowered = text.lower()
    body = lowered.lstrip("^")
    if body.startswith("https://") or body.startswith("https\\:"):
        schemes = ["https"]
    elif body.startswith("http://") or body.startswith("http\\:"):
        schemes = ["http"]
    else:
        schemes = ["https", "http"]
    after = lowered.split("//", 1)[1] if "//" in lowered else lowered
    plain = after.replace("\\.", ".")
    # A simple group stands for its last alternative: "(www.)?x.com" -> "www.x.com".
    plain = _SIMPLE_GROUP.sub(lambda m: m.group(1).split("|")[-1], plain)
    dotted = _DOTTED_HOST.findall(plain)
    if dotted:
        return schemes, dotted[-1]
    words = _HOST_WORD.findall(plain)
    return schemes, (words[0] if words else "")


def _check_regex(pattern: re.Pattern[str], options: CorsOptions, where: str) -> list[Finding]:
    source = options.sources.get("origins", "")
    text = pattern.pattern
    found: list[Finding] = []
    schemes, host = _regex_scheme_and_host(text)
    scheme = schemes[0]
    suggestion = (
        f"r'{scheme}://[a-z0-9-]+\\.{re.escape(host)}'" if "." in host else "an anchored regex"
    )
    dots = _unescaped_host_dots(text)
    if dots:
        escaped = "".join("\\." if i in dots else ch for i, ch in enumerate(text))
        glob_hint = (
            " '*' is not a wildcard either: it repeats what stands before it."
            if re.search(r"(?<![.\])])\*", text)
            else ""
        )
        found.append(
            Finding(
                "origin-regex-unescaped-dot",
                "warning",
                where,
                "origins",
                source,
                f"the origin regex '{text}' (from {source}) has an unescaped '.' in a host "
                f"name, and '.' matches any character.{glob_hint}",
                f"escape the dots: r'{escaped}'"
                + (f", or for subdomains {suggestion}." if glob_hint else "."),
            )
        )
    probes = [f"{s}://evil.net" for s in schemes]
    if host:
        for s in schemes:
            probes += [f"{s}://{host}.evil.net", f"{s}://evil{host}", f"{s}://evil-{host}"]
            probes += [f"{s}://x{host}"]
            # Each inner dot as any character ("appxexample.com"), the last one kept.
            labels = host.split(".")
            for index in range(len(labels) - 2):
                joined = ".".join(labels[: index + 1]) + "x" + ".".join(labels[index + 1 :])
                probes.append(f"{s}://{joined}")
    matched = [probe for probe in probes if pattern.fullmatch(probe)]
    if matched:
        shown = ", ".join(repr(probe) for probe in matched[:3])
        found.append(
            Finding(
                "origin-regex-too-broad",
                "error",
                where,
                "origins",
                source,
                f"the origin regex '{text}' (from {source}) also matches {shown}: hosts "
                "anyone can register.",
                f"anchor the host: escape the dots and match whole labels, e.g. {suggestion}; "
                "or list the origins literally.",
            )
        )
    if (
        options.supports_credentials
        and _HTTP_REGEX_START.match(text.lower())
        and host not in ("localhost", "127.0.0.1")
        and not host.endswith(".localhost")
    ):
        found.append(_http_finding(text, options, where, "the origin regex"))
    return found


# --- headers, max age, private network --------------------------------------------------------


def _check_headers_and_age(options: CorsOptions, where: str) -> list[Finding]:
    src = options.sources
    found: list[Finding] = []
    cred_src = src.get("supports_credentials", "")
    if options.supports_credentials:
        # allow_headers "*" is answered by echoing the requested names, never with a literal
        # "*", and methods refuses "*" at start-up; only expose_headers sends "*" as is.
        for option, value, what in (
            ("expose_headers", options.expose_headers, "no response header is exposed"),
        ):
            if "*" in value:
                found.append(
                    Finding(
                        "wildcard-with-credentials",
                        "warning",
                        where,
                        option,
                        src.get(option, ""),
                        f"{option} (from {src.get(option, '')}) contains '*', and "
                        f"supports_credentials=True (from {cred_src}). On a credentialed "
                        f"request browsers read '*' as a name, not a wildcard: {what}.",
                        f"list the names in {option} instead of '*'.",
                    )
                )
    age = options.max_age
    if age is not None and age > CHROMIUM_MAX_AGE:
        everyone = age > FIREFOX_MAX_AGE
        found.append(
            Finding(
                "max-age-capped",
                "warning" if everyone else "info",
                where,
                "max_age",
                src.get("max_age", ""),
                f"max_age={age} (from {src.get('max_age', '')}) is longer than browsers keep "
                f"a preflight answer: Chromium caps it at {CHROMIUM_MAX_AGE} s, WebKit at "
                f"{WEBKIT_MAX_AGE} s, Firefox at {FIREFOX_MAX_AGE} s"
                + (", so no browser honours it." if everyone else "."),
                f"use max_age={CHROMIUM_MAX_AGE} or less; longer values change nothing in "
                "Chromium.",
            )
        )
    if options.allow_private_network:
        found.append(
            Finding(
                "private-network",
                "info",
                where,
                "allow_private_network",
                src.get("allow_private_network", ""),
                f"allow_private_network=True (from {src.get('allow_private_network', '')}) "
                "lets pages on the public internet reach this server on a private network, "
                "for browsers that ask. Chromium has put Private Network Access on hold and "
                "no longer sends the request header by default (its Local Network Access "
                "asks the user instead, which no response header can grant).",
                "turn it on only if this server lives on a private network and must be "
                "reached from public pages, and then keep origins to those pages.",
            )
        )
    return found


# --- resource patterns -------------------------------------------------------------------------


def _glob_stars(text: str) -> list[int]:
    """Positions of ``*`` that read like glob wildcards rather than regex quantifiers."""
    stars: list[int] = []
    for index in _bare_metacharacters(text, "*"):
        before = text[index - 1] if index else ""
        escaped_before = index >= 2 and text[index - 2] == "\\"
        trailing_slash_star = before == "/" and index == len(text) - 1
        if index == 0 or (
            not escaped_before
            and before not in (".", ")", "]", "}", "?", "+", "*")
            and not trailing_slash_star
        ):
            stars.append(index)
    return stars


def _glob_to_regex(text: str, stars: Sequence[int]) -> str:
    parts: list[str] = []
    for index, char in enumerate(text):
        if index in stars:
            parts.append(".*" if index in (0, len(text) - 1) else "[^/]*")
        elif char == "." and (index + 1 >= len(text) or text[index + 1] != "*"):
            parts.append("\\.")
        else:
            parts.append(char)
    return "".join(parts)


def check_resource_pattern(pattern: str, source: str = "") -> list[Finding]:
    """The findings about one resource pattern (a regular expression, not a glob).

    A trailing ``/*`` is fine: with segment-boundary matching ``/api/*`` covers ``/api``
    and every path below it. Other ``*`` that follow a slash or a plain character, and a
    leading ``*``, are glob habits that mean something else in a regex.
    """
    if pattern in ("*", ".*", "/.*", ""):
        return []
    if LITERAL_PATH_CHARS.isdisjoint(pattern):
        return _check_literal_resource(pattern, source)
    prefix = starts_with_prefix(pattern, pattern)
    if prefix is not None:
        return [
            Finding(
                "resource-glob",
                "info",
                f"resource '{pattern}'",
                "resources",
                source,
                f"the resource pattern '{pattern}' (from {source}) is read as every path that "
                f"starts with '{prefix}' ('{prefix}x' and '{prefix}/x' alike)",
                f"write '{prefix}/*' for the folder {prefix} and the paths below it only.",
            )
        ]
    stars = _glob_stars(pattern)
    if not stars:
        return []
    first = stars[0]
    before = pattern[first - 1] if first else ""
    if first == 0:
        meaning = "a leading '*' has nothing to repeat"
    elif before == "/":
        meaning = "'/*' means 'zero or more slashes'"
    else:
        meaning = f"'*' repeats the character before it ({before!r})"
    dot = " and '.' matches any character" if "." in pattern else ""
    return [
        Finding(
            "resource-glob",
            "warning",
            f"resource '{pattern}'",
            "resources",
            source,
            f"the resource pattern '{pattern}' (from {source}) is a regular expression "
            f"matched from the start of the path, not a glob: {meaning}{dot}, so it does not "
            "cover the paths a glob would. (A trailing '/*', as in '/api/*', is fine: it "
            "covers /api and every path below it.)",
            f"write the regular expression you mean, e.g. r'{_glob_to_regex(pattern, stars)}'.",
        )
    ]


def _check_literal_resource(pattern: str, source: str) -> list[Finding]:
    """A resource string without regex characters is a literal path, matched exactly; flag
    one written with regex syntax that does not make it a regex (``+``, ``{}``, ``|``)."""
    looks = sorted({char for char in pattern if char in "+{}|"})
    if not looks:
        return []
    # A "+" is an ordinary character in many real paths: alone (not after a ".") it is
    # only worth a note.
    severity: Severity = "info" if looks == ["+"] and ".+" not in pattern else "warning"
    return [
        Finding(
            "resource-literal-looks-regex",
            severity,
            f"resource '{pattern}'",
            "resources",
            source,
            f"the resource '{pattern}' (from {source}) has none of the characters "
            "* \\ ] ? $ ^ [ ( ) that make a resource a regular expression, so it is a literal "
            f"path matched exactly, yet it contains {', '.join(repr(c) for c in looks)}, "
            "which read like regular-expression syntax.",
            "if a regular expression is meant, make it one (for example end it with '$' or "
            "group it: r'(/a|/b)'); if the path is literal, nothing needs to change.",
        )
    ]


# --- the app as a whole ------------------------------------------------------------------------

_OWN_MODULE = __name__.rpartition(".")[0]


def _qualified(obj: object) -> str:
    module = getattr(obj, "__module__", None) or type(obj).__module__
    name = getattr(obj, "__qualname__", None) or type(obj).__qualname__
    return f"{module}.{name}"


def _is_own(obj: object) -> bool:
    module = getattr(obj, "__module__", None) or ""
    return module == _OWN_MODULE or module.startswith(_OWN_MODULE + ".")


def _is_plugin_extension(app: Flask, name: str, extension: object) -> bool:
    """True for flask_cors itself and the state its plugins keep in ``app.extensions``."""
    if name == "cors" or name.replace("-", "_").startswith("flask_cors"):
        return True
    state = app.extensions.get("cors")
    pm = getattr(state, "pm", None)
    return pm is not None and bool(pm.is_registered(extension))


def check_app(app: Flask) -> list[Finding]:
    """Findings about the app as a whole: another CORS layer next to flask_cors.

    Sees what is registered when it runs: ``app.extensions`` keys, ``after_request``
    functions (of the app and its blueprints) from other modules, and WSGI middleware
    wrapped around ``app.wsgi_app``, whose qualified names contain ``cors``.
    """
    where = f"app {app.name!r}"
    layers: list[tuple[str, str]] = []
    for key, extension in app.extensions.items():
        name = str(key).lower()
        if "cors" in name and not _is_plugin_extension(app, name, extension):
            layers.append((f"app.extensions[{key!r}]", "another CORS extension"))
    for blueprint, functions in app.after_request_funcs.items():
        for function in functions:
            name = _qualified(function)
            if not _is_own(function) and "cors" in name.lower():
                scope = "the app" if blueprint is None else f"blueprint {blueprint!r}"
                layers.append((f"after_request {name} on {scope}", "an after_request function"))
    middleware: object = app.wsgi_app
    for _depth in range(10):
        if getattr(middleware, "__self__", None) is app or middleware is None:
            break
        name = _qualified(middleware)
        if not _is_own(middleware) and "cors" in name.lower():
            layers.append((f"WSGI middleware {name}", "a WSGI middleware"))
        middleware = next(
            (
                getattr(middleware, attr)
                for attr in ("app", "wsgi_app", "application")
                if getattr(middleware, attr, None) is not None
            ),
            None,
        )
    return [
        Finding(
            "multiple-cors-layers",
            "warning",
            where,
            "CORS",
            what,
            f"{what} ({kind}) looks like a second CORS layer next to flask_cors. Depending "
            "on their order one overwrites the other's answer, or the response carries two "
            "Access-Control-Allow-Origin lines, which browsers refuse.",
            "keep one CORS layer: remove the other, or limit flask_cors (resources=...) and "
            "the other layer to different paths.",
        )
        for what, kind in layers
    ]
