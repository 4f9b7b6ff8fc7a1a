"""Default ``vary``: ``Origin`` whenever the answer depends on it; preflight inputs too."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..hookspecs import hookimpl

if TYPE_CHECKING:
    from flask import Request
    from flask.wrappers import Response

    from ..options import CorsOptions

_ORIGIN = ("Origin",)
_PREFLIGHT = ("Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers")
_PREFLIGHT_STATIC = ("Access-Control-Request-Method", "Access-Control-Request-Headers")
_PRIVATE_NETWORK = "Access-Control-Request-Private-Network"


@hookimpl(trylast=True)
def vary(
    options: CorsOptions,
    request: Request,
    response: Response,
    preflight: bool,
    origin_dependent: bool,
) -> Iterable[str] | None:
    """Name ``Origin`` for origin-dependent answers, and the preflight request headers
    (with ``Access-Control-Request-Private-Network`` when private network access is on)."""
    if preflight:
        names = _PREFLIGHT if origin_dependent else _PREFLIGHT_STATIC
        return (*names, _PRIVATE_NETWORK) if options.allow_private_network else names
    return _ORIGIN if origin_dependent else None
