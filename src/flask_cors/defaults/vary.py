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


@hookimpl(trylast=True)
def vary(
    options: CorsOptions,
    request: Request,
    response: Response,
    preflight: bool,
    origin_dependent: bool,
) -> Iterable[str] | None:
    """Name ``Origin`` for origin-dependent answers, and the preflight request headers."""
    if preflight:
        return _PREFLIGHT if origin_dependent else _PREFLIGHT_STATIC
    return _ORIGIN if origin_dependent else None
