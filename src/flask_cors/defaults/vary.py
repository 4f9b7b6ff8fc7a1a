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
        # Even where every origin gets "*", a preflight's answer depends on whether it
        # carries a valid Origin at all, so it always varies on Origin.
        return (*_PREFLIGHT, _PRIVATE_NETWORK) if options.allow_private_network else _PREFLIGHT
    return _ORIGIN if origin_dependent else None
