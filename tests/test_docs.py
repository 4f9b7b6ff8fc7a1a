"""The documentation covers every option and every hook, and its code comes from examples/."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from flask_cors import hookspecs
from flask_cors.options import DEFAULTS

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
EXAMPLES = ROOT / "examples"
CONFIGURATION = (DOCS / "configuration.md").read_text()
HOOKS = (DOCS / "hooks.md").read_text()


def hook_names() -> list[str]:
    return [
        name
        for name, value in vars(hookspecs).items()
        if callable(value) and hasattr(value, f"{hookspecs.PROJECT_NAME}_spec")
    ]


def app_setting_names() -> list[str]:
    from flask_cors import extension

    return sorted(getattr(extension, "APP_SETTINGS", {}))


def example_hook_implementations() -> set[str]:
    """Names of the functions marked ``@flask_cors.hookimpl`` in examples/hooks.py."""
    tree = ast.parse((EXAMPLES / "hooks.py").read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            for decorator in node.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                if ast.unparse(target) == "flask_cors.hookimpl":
                    found.add(node.name)
    return found


def test_there_are_hooks_and_options_to_check() -> None:
    assert len(hook_names()) >= 5
    assert len(DEFAULTS) >= 12


@pytest.mark.parametrize("option", list(DEFAULTS))
def test_every_option_has_a_section_in_the_configuration_reference(option: str) -> None:
    assert f"### `{option}`" in CONFIGURATION, f"document option {option!r}"
    assert f"CORS_{option.upper()}" in CONFIGURATION


def test_every_app_setting_is_documented() -> None:
    for name in [*app_setting_names(), "resources"]:
        assert f"`{name}`" in CONFIGURATION, f"document the app setting {name!r}"
        assert f"CORS_{name.upper()}" in CONFIGURATION


@pytest.mark.parametrize("hook", hook_names())
def test_every_hook_is_rendered_with_an_example(hook: str) -> None:
    assert f"## `{hook}`" in HOOKS, f"add a section for hook {hook!r} to docs/hooks.md"
    assert f".. autofunction:: flask_cors.hookspecs.{hook}" in HOOKS
    assert hook in example_hook_implementations(), f"add an example of {hook!r} to hooks.py"


@pytest.mark.parametrize("hook", hook_names())
def test_every_hook_has_a_reference_docstring(hook: str) -> None:
    doc = getattr(hookspecs, hook).__doc__ or ""
    assert ":returns:" in doc or "results are ignored" in doc
    assert "Stops at the first non-``None`` result." in doc or "Every implementation" in doc


def test_every_page_is_in_the_table_of_contents() -> None:
    index = (DOCS / "index.md").read_text()
    entries = set(re.findall(r"^([a-z_]+)$", index, re.MULTILINE))
    pages = {path.stem for path in DOCS.glob("*.md")} - {"index"}
    assert pages <= entries


def test_code_is_included_from_examples_not_written_inline() -> None:
    for page in DOCS.glob("*.md"):
        text = page.read_text()
        assert not re.search(r"```\s*(python|py|\{code-block\}\s*python)\b", text), page.name
        assert ".. code-block:: python" not in text, page.name
        for target in re.findall(r"```\{literalinclude\}\s+(\S+)", text):
            path = (DOCS / target).resolve()
            assert path.is_file(), f"{page.name}: {target} does not exist"
            assert EXAMPLES in path.parents, f"{page.name}: {target} is not under examples/"


def test_every_lint_id_has_a_row_in_the_lint_page_in_order() -> None:
    from flask_cors.lint import CHECKS

    rows = re.findall(r"^\| `([a-z-]+)` \|", (DOCS / "lint.md").read_text(), re.MULTILINE)
    assert rows == list(CHECKS)


def test_sphinx_builds_without_warnings(tmp_path: Path) -> None:
    pytest.importorskip("sphinx")
    pytest.importorskip("myst_parser")
    command = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html"]
    result = subprocess.run(
        [*command, str(DOCS), str(tmp_path / "html")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    hooks_page = (tmp_path / "html" / "hooks.html").read_text()
    for hook in hook_names():
        assert f'id="flask_cors.hookspecs.{hook}"' in hooks_page
