"""Parsing and compiling origin patterns; the built-in public suffix list."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from flask_cors import CORSConfigError

__all__ = [
    "CONFIG_EXTRA_SUFFIXES",
    "CONFIG_PATTERNS",
    "EXTENSION_KEY",
    "PUBLIC_SUFFIXES",
    "OriginPatterns",
    "PatternError",
    "compile_pattern",
    "patterns_from_config",
]

CONFIG_PATTERNS = "FLASK_CORS_ORIGIN_PATTERNS"
CONFIG_EXTRA_SUFFIXES = "FLASK_CORS_ORIGIN_PATTERNS_PUBLIC_SUFFIXES"
#: Key of the per-app compiled patterns in ``app.extensions``.
EXTENSION_KEY = "flask_cors_origin_patterns"

#: Multi-label public suffixes that a wildcard may not stand directly on. Every
#: single-label suffix (``com``, ``uk``, ``dev``, ...) is refused anyway; this list adds
#: common country second-level domains and shared hosting domains where strangers get
#: sub-domains. It is deliberately small; extend it per app with
#: ``FLASK_CORS_ORIGIN_PATTERNS_PUBLIC_SUFFIXES``.
PUBLIC_SUFFIXES: frozenset[str] = frozenset(
    """
    co.uk org.uk me.uk ltd.uk plc.uk net.uk ac.uk gov.uk nhs.uk sch.uk police.uk
    com.au net.au org.au edu.au gov.au asn.au id.au
    co.nz net.nz org.nz govt.nz ac.nz school.nz geek.nz
    co.jp ne.jp or.jp ac.jp go.jp gr.jp ed.jp lg.jp
    com.br net.br org.br gov.br edu.br
    com.cn net.cn org.cn gov.cn edu.cn ac.cn
    co.in net.in org.in firm.in gen.in ind.in ac.in gov.in
    co.za org.za gov.za ac.za net.za web.za
    com.mx org.mx gob.mx com.ar com.tr com.tw com.hk com.sg edu.sg com.my co.kr or.kr
    co.il org.il ac.il co.id or.id ac.id com.ua com.pl co.th com.vn com.ph com.pk
    com.ng com.eg com.sa co.ke com.co com.pe com.ve com.ec com.uy com.py com.bo
    eu.org us.com uk.com eu.com de.com cn.com jpn.com br.com za.com
    github.io githubusercontent.com gitlab.io bitbucket.io codeberg.page
    herokuapp.com herokudns.com appspot.com blogspot.com withgoogle.com web.app
    firebaseapp.com cloudfunctions.net run.app translate.goog
    netlify.app netlify.com vercel.app now.sh pages.dev workers.dev
    cloudfront.net amazonaws.com s3.amazonaws.com elasticbeanstalk.com awsapprunner.com
    azurewebsites.net azurestaticapps.net cloudapp.net azureedge.net trafficmanager.net
    fly.dev onrender.com glitch.me repl.co replit.dev ngrok.io ngrok.app ngrok-free.app
    readthedocs.io pythonanywhere.com surge.sh myshopify.com wixsite.com wordpress.com
    ddns.net duckdns.org no-ip.org dyndns.org freeddns.org
    """.split()  # noqa: SIM905 - one block reads better than 150 quoted strings
)

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


def _check_host(host: str, pattern: str) -> None:
    labels = host.split(".")
    if not all(_LABEL_RE.fullmatch(label) for label in labels):
        raise PatternError(f"{pattern!r}: {host!r} is not a host name")


def compile_pattern(
    pattern: str, public_suffixes: Iterable[str] = PUBLIC_SUFFIXES
) -> re.Pattern[str]:
    """Compile one pattern to a regex for ``fullmatch`` against a lower-cased origin.

    Grammar: ``scheme://host[:port]``. ``host`` may start with ``*.``: one or more whole
    DNS labels in front of the rest, which must not be a public suffix. ``port`` may be
    ``*``: any port number (a port must then be present). No other wildcard is allowed.
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
        labels = base.split(".")
        suffixes = frozenset(public_suffixes)
        if all(label.isdigit() for label in labels):
            raise PatternError(f"{pattern!r}: a wildcard cannot stand on an IP address")
        if (len(labels) < 2 and base != "localhost") or base in suffixes:
            raise PatternError(
                f"{pattern!r}: {base!r} is a public suffix, so the pattern would allow "
                f"unrelated sites; name your own domain, as in https://*.example.{base}"
            )
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
    suffixes = PUBLIC_SUFFIXES | {
        suffix.strip(".").lower() for suffix in _string_list(CONFIG_EXTRA_SUFFIXES, extra)
    }
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
