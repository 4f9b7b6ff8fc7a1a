"""The Public Suffix List, ICANN and private sections, as the ``publicsuffixlist`` package ships it.

A wildcard pattern is refused when its wildcard stands on a public suffix
(``https://*.co.uk``, ``https://*.trycloudflare.com``) or covers one
(``https://*.amazonaws.com`` covers ``s3.amazonaws.com``, where anyone hosts a site).
The list is read from the package's own copy, never from the network, once per process
and only when a pattern has a wildcard host.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib.metadata import version as distribution_version

from publicsuffixlist import PSLFILE, PublicSuffixList, encode_idn

__all__ = ["SuffixList", "public_suffix_list"]

_VERSION_LINE = re.compile(r"^//\s*VERSION:\s*(\S+)", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class SuffixList:
    """One loaded copy of the Public Suffix List."""

    #: The list's own ``VERSION`` line, e.g. ``2026-10-22_08-36-41_UTC``.
    version: str
    #: The distribution that ships it, e.g. ``publicsuffixlist 1.1.2.20261023``.
    package: str
    _every: PublicSuffixList
    _icann: PublicSuffixList
    #: Each domain with public suffixes below it: one of those suffixes.
    _above: dict[str, str]

    def section(self, domain: str) -> str | None:
        """``"ICANN"`` or ``"private"`` when ``domain`` is a public suffix, else None.

        A single label that the list does not know (``example``) counts as an ICANN suffix,
        as browsers treat an unknown top-level domain.
        """
        if not self._every.is_public(domain):
            return None
        return "ICANN" if self._icann.is_public(domain) else "private"

    def suffix_below(self, domain: str) -> str | None:
        """A public suffix under ``domain`` (``s3.amazonaws.com`` for ``amazonaws.com``)."""
        return self._above.get(domain)


def _suffixes_below(text: str) -> dict[str, str]:
    above: dict[str, str] = {}
    for line in text.splitlines():
        rule = line.strip().split(" ")[0]
        if not rule or rule.startswith(("//", "!")):
            continue  # a comment; an exception makes a name registrable, not public
        wildcard = rule.startswith("*.")
        name = rule.removeprefix("*.").lower()
        if not name.isascii():
            name = encode_idn(name)  # patterns are ASCII: compare with the punycode form
        labels = name.split(".")
        suffix = f"*.{name}" if wildcard else name
        # A wildcard rule's own name has suffixes below it too: *.ck covers everything.ck.
        first = 0 if wildcard else 1
        for parent in (".".join(labels[start:]) for start in range(first, len(labels))):
            # Keep the nearest suffix below each domain: the clearest one to name.
            if parent not in above or suffix.count(".") < above[parent].count("."):
                above[parent] = suffix
    return above


@functools.cache
def public_suffix_list() -> SuffixList:
    """The list shipped by ``publicsuffixlist``, loaded once per process."""
    with open(PSLFILE, encoding="utf-8") as handle:
        text = handle.read()
    found = _VERSION_LINE.search(text)
    return SuffixList(
        version=found[1] if found else "unknown",
        package=f"publicsuffixlist {distribution_version('publicsuffixlist')}",
        _every=PublicSuffixList(text),
        _icann=PublicSuffixList(text, only_icann=True),
        _above=_suffixes_below(text),
    )
