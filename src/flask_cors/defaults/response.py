"""Default ``build_response``: origin, credentials and exposed headers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from ..hookspecs import hookimpl
from ..options import ALLOW_ORIGIN

if TYPE_CHECKING:
    from flask import Request
    from flask.wrappers import Response

    from ..options import CorsOptions


@hookimpl(trylast=True)
def build_response(
    origin: str | None, options: CorsOptions, request: Request, response: Response
) -> Mapping[str, str]:
    """The precomputed response headers plus ``Access-Control-Allow-Origin``."""
    value = options.allow_origin_value(origin)
    if value is None:
        return {}
    return {ALLOW_ORIGIN: value, **options.response_headers}
