"""The default plugins: one module per pipeline step, each an ordinary plugin.

Each is registered under a short name (:data:`DEFAULT_PLUGIN_NAMES`) and marked
``trylast=True``, so that any other plugin answers first.
"""

from __future__ import annotations

#: Hook name -> the short name its default plugin is registered under.
DEFAULT_PLUGIN_NAMES = {
    "resolve_options": "resolve",
    "match_origin": "origins",
    "build_preflight": "preflight",
    "build_response": "response",
    "vary": "vary",
}
