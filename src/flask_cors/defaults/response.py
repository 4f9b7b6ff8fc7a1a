"""Default ``build_response``: origin, credentials and exposed headers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from ..hookspecs import hookimpl
from ..options import ALLOW_ORIGIN
from .preflight import REQUEST_PRIVATE_NETWORK_KEY, private_network_answer

if TYPE_CHECKING:
    from flask import Flask, Request

    from ..options import CorsOptions


@hookimpl(trylast=True)
def build_response(
    app: Flask, origin: str | None, options: CorsOptions, request: Request
) -> Mapping[str, str]:
    """The precomputed response headers plus ``Access-Control-Allow-Origin``."""
    value = options.allow_origin_value(origin)
    if value is None:
        return {}
    headers = {ALLOW_ORIGIN: value, **options.response_headers}
    if REQUEST_PRIVATE_NETWORK_KEY in request.environ:
        headers.update(private_network_answer(options, request))
    return headers
