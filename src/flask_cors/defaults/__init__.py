"""The default plugins: one module per pipeline step, each an ordinary plugin.

Each is registered under a short name (:data:`DEFAULT_PLUGIN_NAMES`), marked
``trylast=True`` and registered after every other plugin, so that any other plugin
answers first. Each accepts every argument of its hook's spec, so that the pipeline can
call it directly, with keywords, when it is a hook's only implementation.
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
