"""The one grammar of origins: what a browser sends, and what a configured string means.

A browser's ``Origin`` is ``null`` or a serialized tuple origin, ``scheme://host[:port]``
with a lower-case scheme and host, an internationalised host in its ASCII (punycode) form,
an IPv6 address in brackets and no default port. :func:`parse_origin` reads one,
:func:`serialize_origin` gives the form a browser sends (or ``None``).

A configured origin string is read by :func:`read_origin`, in this order:

1. ``*`` (or ``.*``): every origin;
2. a string that parses as an origin (``https://app.example.com``,
   ``http://[::1]:3000``, ``https://bücher.example``), or any other string without
   regular-expression characters (``null``, a typo the lint reports): a literal,
   compared case-insensitively;
3. a glob, ``scheme://*.host``, ``scheme://host:*`` or ``scheme://*.host:*``: ``*.``
   stands for one or more whole DNS labels in front of ``host`` (never the bare host,
   never an IP address, never a public suffix), ``:*`` for any port or none;
4. any other string with ``://*`` in it: a broken glob, which matches nothing (and is
   reported at start-up), never a regular expression;
5. any other string with regular-expression characters: a regex that must match the
   whole origin, case-insensitively. A final ``:*`` right after the host part
   (``http://(localhost|127\\.0\\.0\\.1):*``) is read as "any port or none", as such
   patterns were meant (a lint note says so).

The origin-patterns and origin-registry plugins read origins with these functions too.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from typing import Literal, NamedTuple

import idna

from ._text import looks_like_regex

__all__ = [
    "ANY_PORT",
    "Origin",
    "OriginGlobError",
    "OriginParts",
    "OriginSetting",
    "glob_regex",
    "is_serialized_origin",
    "parse_origin",
    "read_origin",
    "serialize_origin",
]

#: The ports a browser leaves out of a serialized origin.
DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}
#: What ``:*`` stands for: a port, or none.
ANY_PORT = r"(?::[0-9]{1,5})?"

_SHAPE = re.compile(
    r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?P<host>\[[^\]/]*\]|[^:/\[\]@?#*\s,]+)"
    r"(?::(?P<port>[0-9]{1,5}))?"
)
_GLOB = re.compile(
    r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?P<sub>\*\.)?(?P<host>[^:/\[\]@?#*\s,]+)"
    r"(?::(?P<port>\*|[0-9]{1,5}))?"
)
#: One DNS label: letters, digits and inner hyphens.
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_LABEL_RE = re.compile(_LABEL)
_IPV4 = re.compile(r"[0-9.]+")
_TRAILING_ANY_PORT = re.compile(r"(?<![\\:]):\*\Z")
#: A serialized origin whose host is a DNS name (a letter or hyphen in it, so never an
#: IPv4 address) and whose port, if any, has no leading zero: how browsers send nearly
#: every origin. The fast path of :func:`is_serialized_origin`.
_SERIALIZED_NAME = re.compile(
    rf"(?P<scheme>[a-z][a-z0-9+.-]*)://(?=[0-9.]*[a-z-]){_LABEL}(?:\.{_LABEL})*"
    r"(?::(?P<port>[1-9][0-9]{0,4}))?"
)


class Origin(NamedTuple):
    """A tuple origin: lower-case ``scheme`` and ASCII ``host`` (``[...]`` for IPv6)."""

    scheme: str
    host: str
    #: The port as written, default ports included (``None``: none written).
    port: int | None

    def serialize(self) -> str:
        """The origin as a browser sends it (no default port)."""
        if self.port is None or DEFAULT_PORTS.get(self.scheme) == self.port:
            return f"{self.scheme}://{self.host}"
        return f"{self.scheme}://{self.host}:{self.port}"

    def written(self) -> str:
        """The origin with its port as written (a default port kept)."""
        port = "" if self.port is None else f":{self.port}"
        return f"{self.scheme}://{self.host}{port}"


class OriginParts(NamedTuple):
    """A lenient reading of an origin-like string, for diagnostics: the parts its writer
    wrote (``path`` is ``None`` without a slash after the host, ``""`` for a trailing
    slash), so that a message can say what is wrong and what was probably meant."""

    scheme: str
    host: str
    port: str
    path: str | None  # None: no slash after the host; "" a trailing slash

    @classmethod
    def split(cls, text: str) -> OriginParts | None:
        """The parts of ``text``; ``None`` when it has no ``://``."""
        scheme, sep, rest = text.partition("://")
        if not sep:
            return None
        hostport, slash, path = rest.partition("/")
        host, colon, port = hostport.rpartition(":")
        if not colon or "]" in port:
            host, port = hostport, ""
        return cls(scheme, host, port, path if slash else None)

    def text(self, scheme: str | None = None, host: str | None = None) -> str:
        """The origin, with another ``scheme`` or ``host`` if given (no path)."""
        port = f":{self.port}" if self.port else ""
        return f"{scheme or self.scheme}://{self.host if host is None else host}{port}"

    @property
    def canonical(self) -> str:
        """What was probably meant: lower case, no default port, no path."""
        scheme = self.scheme.lower()
        keep = self.port and str(DEFAULT_PORTS.get(scheme)) != self.port
        return f"{scheme}://{self.host.lower()}" + (f":{self.port}" if keep else "")

    @property
    def is_loopback(self) -> bool:
        """Whether the host is this machine (``localhost``, ``*.localhost``, loopback IPs)."""
        host = self.host.lower()
        return host in ("localhost", "127.0.0.1", "[::1]") or host.endswith(".localhost")


class OriginGlobError(ValueError):
    """A glob that is malformed or would stand on a public suffix."""


def ascii_host(host: str) -> str | None:
    """``host`` lower-cased, in ASCII: a punycode DNS name, dotted IPv4 or ``[IPv6]``;
    ``None`` when it is none of these."""
    if host.startswith("["):
        if not host.endswith("]"):
            return None
        try:
            return f"[{ipaddress.IPv6Address(host[1:-1]).compressed}]"
        except ValueError:
            return None
    if _IPV4.fullmatch(host):
        try:
            return str(ipaddress.IPv4Address(host))
        except ValueError:
            return None
    if not host.isascii():
        try:
            # UTS #46 without transitional mapping: what the WHATWG URL standard uses.
            host = idna.encode(host, uts46=True, transitional=False).decode("ascii")
        except idna.IDNAError:
            return None
    host = host.lower()
    if len(host) > 253 or not all(_LABEL_RE.fullmatch(label) for label in host.split(".")):
        return None
    return host


def parse_origin(text: str) -> Origin | None:
    """The tuple origin ``text`` spells, or ``None`` (``null``, a path, garbage)."""
    found = _SHAPE.fullmatch(text)
    if found is None:
        return None
    host = ascii_host(found["host"])
    port = found["port"]
    if host is None or (port is not None and int(port) > 65535):
        return None
    return Origin(found["scheme"].lower(), host, None if port is None else int(port))


def serialize_origin(text: str) -> str | None:
    """``text`` as a browser would send it (``https://Bücher.example:443`` ->
    ``https://xn--bcher-kva.example``), or ``None`` when it is no tuple origin: ``null``,
    ``*``, a pattern, a path, anything else."""
    origin = parse_origin(text)
    return None if origin is None else origin.serialize()


def is_serialized_origin(text: str) -> bool:
    """Whether ``text`` is a tuple origin exactly as a browser serializes it: the same as
    ``serialize_origin(text) == text`` (``False`` for ``null``, upper case, a default
    port, a path, a pattern), with one regular expression for the usual shape (a host
    name, at most 256 characters in all) and :func:`serialize_origin` for the others."""
    found = _SERIALIZED_NAME.fullmatch(text) if len(text) <= 256 else None
    if found is None:  # an IP address, port 0, a long host name, or no origin at all
        return serialize_origin(text) == text
    port = found["port"]
    if port is None:
        return True
    number = int(port)
    return number <= 65535 and DEFAULT_PORTS.get(found["scheme"]) != number


def glob_regex(
    text: str,
    extra_suffixes: Iterable[str] = (),
    extra_source: str = "listed as a public suffix by the app",
) -> str | None:
    """The regex (for ``fullmatch``, case-insensitive) that the glob ``text`` means.

    ``None`` when ``text`` is not written as a glob; :class:`OriginGlobError` when it is
    one that cannot be allowed: a malformed host, a wildcard on an IP address, or on a
    public suffix of the Public Suffix List (or ``extra_suffixes``, said to be
    ``extra_source`` in the message), or one that covers such a suffix. ``*.localhost``
    is allowed.
    """
    found = _GLOB.fullmatch(text)
    if found is None or "*" not in text or looks_like_regex(text.replace("*", "")):
        return None
    written = found["host"]
    host = ascii_host(written)
    if host is None or host.startswith("["):
        raise OriginGlobError(f"{text!r}: {written!r} is not a host name")
    port = found["port"]
    if port is not None and port != "*" and int(port) > 65535:
        raise OriginGlobError(f"{text!r}: {port} is not a port")
    if found["sub"]:
        if _IPV4.fullmatch(host):
            raise OriginGlobError(f"{text!r}: a wildcard cannot stand on an IP address")
        if host != "localhost":
            _check_wildcard_base(text, host, frozenset(extra_suffixes), extra_source)
    sub = rf"(?:{_LABEL}\.)+" if found["sub"] else ""
    port_regex = "" if port is None else ANY_PORT if port == "*" else re.escape(f":{port}")
    return rf"{re.escape(found['scheme'].lower())}://{sub}{re.escape(host)}{port_regex}"


def _check_wildcard_base(text: str, base: str, extra: frozenset[str], source: str) -> None:
    """Refuse ``*.base`` when ``base`` is a public suffix or has one below it."""
    from .suffixes import public_suffix_list

    psl = public_suffix_list()
    section = psl.section(base)
    if "." not in base:
        where = "a top-level domain"
    elif section is not None:
        where = f"Public Suffix List {psl.version}, {section} section"
    elif base in extra:
        where = source
    else:
        where = ""
    if where:
        raise OriginGlobError(
            f"{text!r}: {base!r} is a public suffix ({where}), so the wildcard would allow "
            f"sites anyone can register; name your own domain under it, as in "
            f"'*.example.{base}'"
        )
    below = psl.suffix_below(base)
    where = f"Public Suffix List {psl.version}"
    if below is None:
        below = next((s for s in sorted(extra) if s.endswith(f".{base}")), None)
        where = source
    if below is not None:
        raise OriginGlobError(
            f"{text!r}: the wildcard covers the public suffix {below!r} ({where}), so it "
            f"would allow sites anyone can host under it; name only sub-domains you own, "
            f"as in '*.www.{base}'"
        )


class OriginSetting(NamedTuple):
    """What one configured origin string means (see the module docstring)."""

    kind: Literal["any", "literal", "glob", "broken", "regex"]
    #: The string as written (spaces around it removed).
    text: str
    #: ``literal``: the lower-case ASCII form compared with the request's ``Origin``;
    #: ``glob`` and ``regex``: the regex matched; ``broken``: why it matches nothing.
    value: str
    #: ``regex`` only: a final ``:*`` was read as "any port or none".
    any_port: bool = False


def read_origin(text: str, extra_suffixes: Iterable[str] = ()) -> OriginSetting:
    """What the configured origin string ``text`` means.

    Raises :class:`ValueError` for a string that can never be an origin: whitespace,
    a comma or a control character in a literal, or an internationalised host name that
    browsers cannot send.
    """
    if text in ("*", ".*"):  # ".*" is how Flask-Cors spells "*" internally
        return OriginSetting("any", text, "*")
    origin = parse_origin(text)
    if origin is not None:
        return OriginSetting("literal", text, origin.written())
    try:
        pattern = glob_regex(text, extra_suffixes)
    except OriginGlobError as error:
        return OriginSetting("broken", text, str(error))
    if pattern is not None:
        return OriginSetting("glob", text, pattern)
    if "://*" in text:
        return OriginSetting(
            "broken",
            text,
            f"{text!r} is not a glob: a '*' stands only for whole leftmost host labels "
            "('scheme://*.example.com') or for the port ('scheme://host:*')",
        )
    if looks_like_regex(text):
        if _TRAILING_ANY_PORT.search(text) and "://" in text:
            return OriginSetting("regex", text, text[:-2] + ANY_PORT, any_port=True)
        return OriginSetting("regex", text, text)
    if any(ch.isspace() or ch == "," or not ch.isprintable() for ch in text):
        raise ValueError(f"{text!r} is not an origin (whitespace, comma or control)")
    return OriginSetting("literal", text, _ascii_literal(text))


def _ascii_literal(text: str) -> str:
    """A literal that is no valid origin (the lint says why), lower-cased, with a
    non-ASCII host in punycode so that what can match does."""
    if text.isascii():
        return text.lower()
    scheme, sep, rest = text.rpartition("://")
    host = re.split("[:/]", rest, maxsplit=1)[0]
    try:
        converted = idna.encode(host, uts46=True, transitional=False).decode("ascii")
    except idna.IDNAError as exc:
        raise ValueError(f"{text!r} is not an origin browsers can send: {exc}") from None
    result = f"{scheme}{sep}{converted}{rest[len(host) :]}"
    if not result.isascii():
        raise ValueError(f"{text!r} has non-ASCII outside its host")
    return result.lower()
