"""Cross-Origin Resource Sharing for Flask, as a pipeline of pluggy hooks.

``CORS`` enables CORS for an app or blueprint, ``cross_origin`` for one view. Every step
of the decision is a hook (see :mod:`flask_cors.hookspecs`); implement one with
:data:`hookimpl` to replace or extend it.
"""

from __future__ import annotations

from .arguments import AppSettings, CORSArguments, ResourceOptions
from .decorator import cross_origin
from .errors import CORSConfigError, CORSPluginUnavailable, CORSSecurityWarning
from .extension import CORS
from .hookspecs import hookimpl
from .lint import CORSLintWarning
from .options import CorsOptions

__version__ = "7.0.0.dev0"

__all__ = [
    "CORS",
    "AppSettings",
    "CORSArguments",
    "CORSConfigError",
    "CORSLintWarning",
    "CORSPluginUnavailable",
    "CORSSecurityWarning",
    "CorsOptions",
    "ResourceOptions",
    "__version__",
    "cross_origin",
    "hookimpl",
]
