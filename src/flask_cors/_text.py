"""Small, dependency-free checks on header text.

Everything a request says is hostile until one of these functions has looked at it. The
patterns are compiled once at import; callers get plain booleans or escaped strings.
"""

from __future__ import annotations

import re

#: RFC 9110 ``token``: the grammar of header names and method names.
TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")

#: What an ``Origin`` value may contain before it is ever copied into a response header:
#: printable ASCII without space or comma (a comma would read as a second value).
_ORIGIN_CHARS = re.compile(r"[\x21-\x2b\x2d-\x7e]+")

#: Longest ``Origin`` value that is looked at; a real serialized origin is far shorter.
MAX_ORIGIN_LENGTH = 1024

#: Longest ``Access-Control-Request-Headers`` value that is parsed at all.
MAX_REQUEST_HEADERS_LENGTH = 8192

#: Most header names taken from one ``Access-Control-Request-Headers`` value.
MAX_REQUEST_HEADER_NAMES = 64

#: How much of a hostile value a log line shows.
LOG_VALUE_LIMIT = 200

#: Characters that make an origin or header string a regular expression rather than a
#: literal. A dot is not among them: ``https://example.com`` is a literal origin.
REGEX_CHARS = frozenset("*\\]?$^[(){}|+")


def looks_like_regex(value: str) -> bool:
    """True when ``value`` holds a character that only makes sense in a regular expression."""
    return not REGEX_CHARS.isdisjoint(value)


def is_token(value: str) -> bool:
    """True when ``value`` is a non-empty RFC 9110 token."""
    return TOKEN.fullmatch(value) is not None


def is_safe_origin(value: str) -> bool:
    """True when ``value`` can be copied into ``Access-Control-Allow-Origin`` as it is."""
    return len(value) <= MAX_ORIGIN_LENGTH and _ORIGIN_CHARS.fullmatch(value) is not None


#: Characters that must never reach a response header value (controls other than tab);
#: non-ASCII text is refused too.
UNSAFE_VALUE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def parse_request_headers(value: str) -> tuple[str, ...] | None:
    """Split an ``Access-Control-Request-Headers`` value into header names, as sent.

    Returns ``None`` when the value is too long, lists too many names or holds anything that
    is not a token: a browser never sends such a value, so the preflight is refused
    rather than half-answered. Case-insensitive duplicates are dropped (the first spelling
    is kept); order is kept.
    """
    if len(value) > MAX_REQUEST_HEADERS_LENGTH:
        return None
    names: dict[str, str] = {}
    for part in value.split(","):
        name = part.strip(" \t")
        if not name:
            continue
        if TOKEN.fullmatch(name) is None or len(names) >= MAX_REQUEST_HEADER_NAMES:
            return None
        names.setdefault(name.lower(), name)
    return tuple(names.values())


def escape(value: object, limit: int = LOG_VALUE_LIMIT, *, quote: bool = True) -> str:
    """Render ``value`` for a log line: control and non-ASCII characters backslash-escaped,
    length bounded, and (with ``quote``) in quotes so that its boundaries show.

    Non-ASCII is escaped too, so that bidi and look-alike characters cannot disguise a line.
    """
    text = value if isinstance(value, str) else str(value)
    plain = text.isascii() and text.isprintable() and "\\" not in text
    if plain and not quote and len(text) <= limit:
        return text  # nothing to escape: the common case, on every observed request
    cut = len(text) > limit
    if cut:
        text = text[:limit]
    if quote:
        rendered = repr(text).encode("ascii", "backslashreplace").decode("ascii")
    else:
        rendered = text.encode("unicode_escape").decode("ascii")
    return rendered + ("...(truncated)" if cut else "")
