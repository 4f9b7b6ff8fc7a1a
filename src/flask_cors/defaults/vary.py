"""Default ``vary``: the preflight's request headers on preflight responses.

``Origin`` itself is added by the pipeline whenever the answer depends on it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..hookspecs import hookimpl

if TYPE_CHECKING:
    from flask import Flask, Request

    from ..options import CorsOptions

_PREFLIGHT = ("Access-Control-Request-Method", "Access-Control-Request-Headers")
_PRIVATE_NETWORK = (*_PREFLIGHT, "Access-Control-Request-Private-Network")


@hookimpl(trylast=True)
def vary(app: Flask, options: CorsOptions, request: Request, preflight: bool) -> Iterable[str]:
    """Name the preflight request headers (and the private-network one when it is on)."""
    if not preflight:
        return ()
    return _PRIVATE_NETWORK if options.allow_private_network else _PREFLIGHT
