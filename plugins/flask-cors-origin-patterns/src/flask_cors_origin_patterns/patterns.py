"""Parsing and compiling origin patterns."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from flask_cors import CORSConfigError
from flask_cors.grammar import OriginGlobError, glob_regex, serialize_origin

__all__ = [
    "CONFIG_EXTRA_SUFFIXES",
    "CONFIG_PATTERNS",
    "EXTENSION_KEY",
    "OriginPatterns",
    "PatternError",
    "compile_pattern",
    "patterns_from_config",
]

CONFIG_PATTERNS = "CORS_ORIGIN_PATTERNS"
CONFIG_EXTRA_SUFFIXES = "CORS_ORIGIN_PATTERNS_PUBLIC_SUFFIXES"
#: Key of the per-app compiled patterns in ``app.extensions``.
EXTENSION_KEY = "flask_cors_origin_patterns"


class PatternError(ValueError):
    """An origin pattern is malformed or would match origins of unrelated sites."""


def compile_pattern(pattern: str, extra_suffixes: Iterable[str] = ()) -> re.Pattern[str]:
    """Compile one pattern to a regex for ``fullmatch`` against a lower-cased origin.

    The grammar is the core's (:func:`flask_cors.grammar.glob_regex`), the one
    ``origins`` uses: ``scheme://host[:port]`` where ``host`` may start with ``*.`` (one
    or more whole DNS labels in front of the rest, which must be neither a public suffix
    of the Public Suffix List or ``extra_suffixes`` nor have one below it) and ``port``
    may be ``*`` (any port or none). Any other pattern is refused: a plain origin must be
    one a browser can send, and no other wildcard is allowed.
    """
    if not isinstance(pattern, str):
        raise PatternError(f"a pattern must be a string, got {type(pattern).__name__}")
    text = pattern.strip()
    try:
        regex = glob_regex(text, extra_suffixes, f"listed in {CONFIG_EXTRA_SUFFIXES}")
    except OriginGlobError as error:
        raise PatternError(str(error)) from None
    if regex is None:
        if "*" in text:
            raise PatternError(
                f"{text!r}: a '*' stands only for whole leftmost host labels "
                "('scheme://*.example.com') or for the port ('scheme://host:*')"
            )
        origin = serialize_origin(text)
        if origin is None:
            raise PatternError(f"{text!r}: expected scheme://host[:port] without a path")
        regex = re.escape(origin)
    return re.compile(regex)


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
    """Compile ``CORS_ORIGIN_PATTERNS``; ``None`` when the key is absent or empty.

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
