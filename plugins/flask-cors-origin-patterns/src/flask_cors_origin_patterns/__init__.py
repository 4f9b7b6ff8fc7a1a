"""Safe wildcard origins for flask_cors: ``https://*.example.com``, ``http://localhost:*``.

Install the distribution and list the patterns in the app config key
``CORS_ORIGIN_PATTERNS`` (every resource without credentials), or give them to
one resource: ``resources={"/api/*": {"plugins": {"origin_patterns": [...]}}}``. The
``flask_cors`` plugin manager finds the plugin through its entry point
``origin_patterns``. See ``README.md`` for the grammar.
"""

from __future__ import annotations

from flask_cors.suffixes import SuffixList, public_suffix_list

from .patterns import (
    CONFIG_EXTRA_SUFFIXES,
    CONFIG_PATTERNS,
    EXTENSION_KEY,
    OriginPatterns,
    PatternError,
    compile_pattern,
)
from .plugin import CONFIG_KEYS, NAME, OFF

__version__ = "0.1.0"

__all__ = [
    "CONFIG_EXTRA_SUFFIXES",
    "CONFIG_KEYS",
    "CONFIG_PATTERNS",
    "EXTENSION_KEY",
    "NAME",
    "OFF",
    "OriginPatterns",
    "PatternError",
    "SuffixList",
    "__version__",
    "compile_pattern",
    "public_suffix_list",
]
