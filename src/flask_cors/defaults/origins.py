"""Default ``match_origin``: the configured literal origins, whole-origin regexes and
functions of the origin (:meth:`flask_cors.options.OriginRule.allows`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..hookspecs import hookimpl

if TYPE_CHECKING:
    from flask import Flask, Request

    from ..options import CorsOptions


@hookimpl(trylast=True)
def match_origin(app: Flask, origin: str, options: CorsOptions, request: Request) -> bool:
    """Allow ``origin`` when ``options.origins`` allows it; deny otherwise."""
    return options.origins.allows(origin)
