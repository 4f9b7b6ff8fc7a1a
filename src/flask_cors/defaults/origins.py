"""Default ``match_origin``: the configured literal origins and whole-origin regexes."""

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
