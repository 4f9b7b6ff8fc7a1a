"""Safe wildcard origins for flask_cors: ``https://*.example.com``, ``http://localhost:*``.

Install the distribution and list the patterns in the app config key
``FLASK_CORS_ORIGIN_PATTERNS``; the ``flask_cors`` plugin manager finds the plugin
through its entry point ``origin_patterns``. List the resources the patterns may
answer for in ``FLASK_CORS_ORIGIN_PATTERNS_RESOURCES``. See ``README.md`` for the grammar.
"""

from __future__ import annotations

from .patterns import (
    CONFIG_EXTRA_SUFFIXES,
    CONFIG_PATTERNS,
    EXTENSION_KEY,
    OriginPatterns,
    PatternError,
    compile_pattern,
)
from .scope import CONFIG_RESOURCES, SCOPE_KEY, ResourceScope
from .suffixes import SuffixList, public_suffix_list

__version__ = "0.1.0"

__all__ = [
    "CONFIG_EXTRA_SUFFIXES",
    "CONFIG_PATTERNS",
    "CONFIG_RESOURCES",
    "EXTENSION_KEY",
    "SCOPE_KEY",
    "OriginPatterns",
    "PatternError",
    "ResourceScope",
    "SuffixList",
    "__version__",
    "compile_pattern",
    "public_suffix_list",
]
