"""Parsing and compiling origin patterns."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from flask_cors import CORSConfigError
from flask_cors.suffixes import public_suffix_list

__all__ = [
    "CONFIG_EXTRA_SUFFIXES",
    "CONFIG_PATTERNS",
    "EXTENSION_KEY",
    "OriginPatterns",
    "PatternError",
    "compile_pattern",
    "patterns_from_config",
]

CONFIG_PATTERNS = "FLASK_CORS_ORIGIN_PATTERNS"
CONFIG_EXTRA_SUFFIXES = "FLASK_CORS_ORIGIN_PATTERNS_PUBLIC_SUFFIXES"
#: Key of the per-app compiled patterns in ``app.extensions``.
EXTENSION_KEY = "flask_cors_origin_patterns"

#: A DNS label: letters, digits and inner hyphens, at most 63 characters.
_LABEL = r"[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?"
_LABEL_RE = re.compile(_LABEL, re.ASCII)
_PATTERN = re.compile(
    r"(?P<scheme>[a-z][a-z0-9+.\-]*)://(?P<host>\[[0-9a-f:.]+\]|[^:/\[\]]+)"
    r"(?::(?P<port>\*|[0-9]{1,5}))?",
    re.ASCII,
)
_ANY_PORT = r":[0-9]{1,5}"


class PatternError(ValueError):
    """An origin pattern is malformed or would match origins of unrelated sites."""


def _check_wildcard_base(pattern: str, base: str, extra_suffixes: frozenset[str]) -> None:
    """Refuse ``*.base`` when ``base`` is a public suffix or has one below it."""
    psl = public_suffix_list()
    section = psl.section(base)
    if "." not in base:
        where = "a top-level domain"
    elif section is not None:
        where = f"Public Suffix List {psl.version}, {section} section"
    elif base in extra_suffixes:
        where = f"listed in {CONFIG_EXTRA_SUFFIXES}"
    else:
        where = ""
    if where:
        raise PatternError(
            f"{pattern!r}: {base!r} is a public suffix ({where}), so the pattern would allow "
            f"unrelated sites; name your own domain under it, as in '*.example.{base}'"
        )
    below = psl.suffix_below(base)
    where = f"Public Suffix List {psl.version}"
    if below is None:
        below = next((s for s in sorted(extra_suffixes) if s.endswith(f".{base}")), None)
        where = f"listed in {CONFIG_EXTRA_SUFFIXES}"
    if below is not None:
        raise PatternError(
            f"{pattern!r}: the wildcard covers the public suffix {below!r} ({where}), so the "
            f"pattern would allow unrelated sites hosted under it; name only sub-domains you "
            f"own, as in '*.www.{base}'"
        )


def _check_host(host: str, pattern: str) -> None:
    labels = host.split(".")
    if not all(_LABEL_RE.fullmatch(label) for label in labels):
        raise PatternError(f"{pattern!r}: {host!r} is not a host name")


def compile_pattern(pattern: str, extra_suffixes: Iterable[str] = ()) -> re.Pattern[str]:
    """Compile one pattern to a regex for ``fullmatch`` against a lower-cased origin.

    Grammar: ``scheme://host[:port]``. ``host`` may start with ``*.``: one or more whole
    DNS labels in front of the rest, which must be neither a public suffix (of the Public
    Suffix List or ``extra_suffixes``) nor have one below it. ``port`` may be ``*``: any
    port number (a port must then be present). No other wildcard is allowed.
    """
    if not isinstance(pattern, str):
        raise PatternError(f"a pattern must be a string, got {type(pattern).__name__}")
    text = pattern.strip().lower()
    if not text.isascii():
        raise PatternError(f"{pattern!r}: write international host names in ASCII (punycode)")
    found = _PATTERN.fullmatch(text)
    if found is None:
        raise PatternError(f"{pattern!r}: expected scheme://host[:port] without a path")
    scheme, host, port = found["scheme"], found["host"], found["port"]
    if host.startswith("*."):
        base = host[2:]
        if "*" in base:
            raise PatternError(f"{pattern!r}: only the leftmost label(s) can be a wildcard")
        _check_host(base, pattern)
        if all(label.isdigit() for label in base.split(".")):
            raise PatternError(f"{pattern!r}: a wildcard cannot stand on an IP address")
        if base != "localhost":
            _check_wildcard_base(pattern, base, frozenset(extra_suffixes))
        host_regex = rf"(?:{_LABEL}\.)+{re.escape(base)}"
    elif "*" in host:
        raise PatternError(f"{pattern!r}: a host wildcard must be the whole leftmost label, '*.'")
    else:
        if not host.startswith("["):
            _check_host(host, pattern)
        host_regex = re.escape(host)
    if port is None:
        port_regex = ""
    elif port == "*":
        port_regex = _ANY_PORT
    else:
        port_regex = re.escape(f":{port}")
    return re.compile(f"{re.escape(scheme)}://{host_regex}{port_regex}", re.ASCII)


@dataclass(frozen=True, slots=True)
class OriginPatterns:
    """The compiled origin patterns of one app."""

    sources: tuple[str, ...]
    regexes: tuple[re.Pattern[str], ...]

    def matches(self, origin: str) -> bool:
        """True when ``origin`` (compared lower-cased) matches one of the patterns."""
        value = origin.lower()
        return any(regex.fullmatch(value) for regex in self.regexes)


def _string_list(key: str, value: object) -> list[str]:
    if isinstance(value, str):
        return [part for part in re.split(r"[\s,]+", value) if part]
    if isinstance(value, Iterable) and not isinstance(value, bytes | Mapping):
        items = list(value)
        if all(isinstance(item, str) for item in items):
            return items
    raise CORSConfigError(key, f"app config {key}", f"expected a list of strings, got {value!r}")


def patterns_from_config(config: Mapping[str, Any]) -> OriginPatterns | None:
    """Compile ``FLASK_CORS_ORIGIN_PATTERNS``; ``None`` when the key is absent or empty.

    Raises :class:`flask_cors.CORSConfigError` naming the key and the refused pattern.
    """
    raw = config.get(CONFIG_PATTERNS)
    if raw is None:
        return None
    patterns = _string_list(CONFIG_PATTERNS, raw)
    extra = config.get(CONFIG_EXTRA_SUFFIXES, ())
    suffixes = {suffix.strip(".").lower() for suffix in _string_list(CONFIG_EXTRA_SUFFIXES, extra)}
    regexes = []
    for pattern in patterns:
        try:
            regexes.append(compile_pattern(pattern, suffixes))
        except PatternError as exc:
            raise CORSConfigError(
                CONFIG_PATTERNS, f"app config {CONFIG_PATTERNS}", str(exc)
            ) from None
    if not regexes:
        return None
    return OriginPatterns(tuple(patterns), tuple(regexes))
