"""Sphinx configuration of the flask_cors documentation (``make docs``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import flask_cors

HERE = Path(__file__).resolve().parent

project = "flask_cors"
author = "the flask_cors contributors"
copyright = "the flask_cors contributors"
version = release = flask_cors.__version__

extensions = ["myst_parser", "sphinx.ext.autodoc"]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
exclude_patterns = ["_build"]

autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_preserve_defaults = True

html_theme = "alabaster"
html_title = f"flask_cors {release}"

#: Pages that are listed in the table of contents only when their source exists.
OPTIONAL_PAGES = {"performance": HERE / "performance.md", "changelog": HERE.parent / "CHANGELOG.md"}
if not OPTIONAL_PAGES["changelog"].exists():
    exclude_patterns.append("changelog.md")


def _drop_missing_pages(app: Any, docname: str, source: list[str]) -> None:
    if docname != "index":
        return
    for page, path in OPTIONAL_PAGES.items():
        if not path.exists():
            source[0] = source[0].replace(f"\n{page}\n", "\n")


def setup(app: Any) -> None:
    app.connect("source-read", _drop_missing_pages)
