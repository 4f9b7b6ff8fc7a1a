"""Default ``build_preflight``: methods, requested headers, max age, private network."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING

from .._text import escape
from ..hookspecs import hookimpl
from ..options import ALLOW_CREDENTIALS, ALLOW_HEADERS, ALLOW_ORIGIN, ALLOW_PRIVATE_NETWORK

if TYPE_CHECKING:
    from flask import Request

    from ..options import CorsOptions

log = logging.getLogger("flask_cors")


@hookimpl(trylast=True)
def build_preflight(
    origin: str,
    options: CorsOptions,
    request: Request,
    request_method: str,
    request_headers: tuple[str, ...],
) -> Mapping[str, str]:
    """Allow the requested method and headers as far as ``options`` allows them."""
    headers = {ALLOW_ORIGIN: options.allow_origin_value(origin) or origin}
    if request_method not in options.methods:
        if options.supports_credentials:
            headers[ALLOW_CREDENTIALS] = "true"
        if log.isEnabledFor(logging.DEBUG):
            log.debug(
                "preflight method %s not in methods %s: no Access-Control-Allow-Methods",
                escape(request_method),
                options.allow_methods_value,
            )
        return headers
    headers.update(options.preflight_headers)
    if request_headers:
        rule = options.allow_headers
        allowed = [name for name in request_headers if rule.allows(name)]
        if allowed:
            headers[ALLOW_HEADERS] = ", ".join(allowed)
        if len(allowed) < len(request_headers) and log.isEnabledFor(logging.DEBUG):
            refused = [name for name in request_headers if name not in allowed]
            log.debug("preflight headers not allowed: %s", escape(", ".join(refused)))
    if (
        options.allow_private_network
        and request.headers.get("Access-Control-Request-Private-Network", "").lower() == "true"
    ):
        headers[ALLOW_PRIVATE_NETWORK] = "true"
    return headers
