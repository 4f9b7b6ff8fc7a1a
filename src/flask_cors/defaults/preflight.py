"""Default ``build_preflight``: methods, requested headers, max age, private network."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING

from .._text import escape
from ..hookspecs import hookimpl
from ..options import ALLOW_HEADERS, ALLOW_ORIGIN, ALLOW_PRIVATE_NETWORK

if TYPE_CHECKING:
    from flask import Flask, Request

    from ..options import CorsOptions

log = logging.getLogger("flask_cors")

REQUEST_PRIVATE_NETWORK = "Access-Control-Request-Private-Network"
REQUEST_PRIVATE_NETWORK_KEY = "HTTP_ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK"


@hookimpl(trylast=True)
def build_preflight(
    app: Flask,
    origin: str,
    options: CorsOptions,
    request: Request,
    request_method: str,
    request_headers: tuple[str, ...],
) -> Mapping[str, str]:
    """Allow the requested method and headers as far as ``options`` allows them."""
    headers = {ALLOW_ORIGIN: options.allow_origin_value(origin) or origin}
    headers.update(private_network_answer(options, request))
    if request_method not in options.methods:
        headers.update(options.response_headers)
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
        allowed = [name for name in request_headers if rule.allows(name.lower())]
        if allowed:
            # Echoed as sent, sorted: the exact text Flask-Cors has always written.
            headers[ALLOW_HEADERS] = ", ".join(sorted(allowed))
        if len(allowed) < len(request_headers) and log.isEnabledFor(logging.DEBUG):
            refused = [name for name in request_headers if name not in allowed]
            log.debug("preflight headers not allowed: %s", escape(", ".join(refused)))
    return headers


def private_network_answer(options: CorsOptions, request: Request) -> Mapping[str, str]:
    """``Access-Control-Allow-Private-Network`` when the request asks for it: ``true`` when
    ``allow_private_network`` is on, ``false`` otherwise; nothing when not asked."""
    if request.environ.get(REQUEST_PRIVATE_NETWORK_KEY, "").lower() != "true":
        return {}
    return {ALLOW_PRIVATE_NETWORK: "true" if options.allow_private_network else "false"}
