"""A fresh virtual environment: pip-installed plugins are found by discovery alone."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 300

#: Each plugin distribution: folder, entry-point name, import name, version.
DISTRIBUTIONS = {
    "origin_patterns": ("flask-cors-origin-patterns", "flask_cors_origin_patterns", "0.1.0"),
    "origin_registry": ("flask-cors-origin-registry", "flask_cors_origin_registry", "0.1.0"),
    "audit_log": ("flask-cors-audit-log", "flask_cors_audit_log", "0.1.0"),
}

APP = """
    import os

    from flask import Flask
    from flask_cors import CORS

    app = Flask("fresh")
    app.config["CORS_ORIGIN_PATTERNS"] = ["https://*.example.com"]
    app.config["CORS_REGISTRY_URL"] = "sqlite:///" + os.path.abspath("registry.sqlite3")
    app.config["CORS_AUDIT_FILE"] = os.path.abspath("audit.jsonl")
    if os.environ.get("BLOCK_BY_CONFIG"):
        app.config["CORS_BLOCKED_PLUGINS"] = os.environ["BLOCK_BY_CONFIG"]
    settings = {}
    if os.environ.get("BLOCK_BY_KWARG"):
        settings["blocked_plugins"] = [os.environ["BLOCK_BY_KWARG"]]
    CORS(app, origins=["https://fixed.example.org"], **settings)


    @app.get("/")
    def index():
        return "ok"


    if __name__ == "__main__":
        import sys

        response = app.test_client().get("/", headers={"Origin": "https://a.example.com"})
        print("ACAO", response.headers.get("Access-Control-Allow-Origin"))
        print("imported", os.environ["PLUGIN_MODULE"] in sys.modules)
"""


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        command,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def copy_project(source: Path, target: Path) -> Path:
    """Copy a distribution's sources, so that building it leaves nothing in the work tree."""
    shutil.copytree(
        source,
        target,
        ignore=shutil.ignore_patterns(
            ".venv", "build", "*.egg-info", "__pycache__", "tests", ".*", "benchmarks", "docs"
        ),
    )
    return target


@pytest.fixture(scope="module", params=sorted(DISTRIBUTIONS))
def plugin(request: pytest.FixtureRequest) -> str:
    """The entry-point name of the plugin distribution under test."""
    return str(request.param)


@pytest.fixture(scope="module")
def fresh_venv(tmp_path_factory: pytest.TempPathFactory, plugin: str) -> Path:
    """A new virtual environment with the root project and one plugin distribution."""
    folder = DISTRIBUTIONS[plugin][0]
    base = tmp_path_factory.mktemp(f"fresh-{plugin}")
    venv = base / "venv"
    run([sys.executable, "-m", "venv", str(venv)], cwd=base)
    python = venv / "bin" / "python"
    pip = [str(python), "-m", "pip", "--disable-pip-version-check", "install", "--quiet"]
    # Build and runtime requirements (the origin patterns plugin's Public Suffix List
    # included), from the package sources pip is configured with; then the two
    # distributions from local paths, without build isolation and without resolving
    # dependencies again.
    requirements = [
        "setuptools>=77",
        "flask>=3.0",
        "pluggy>=1.5",
        "publicsuffixlist",  # the origin patterns plugin's Public Suffix List
        "sqlalchemy>=2.0",  # the origin registry's store (SQLite: no driver to install)
        "idna>=3.4",
    ]
    try:
        run([*pip, *requirements], cwd=base)
    except AssertionError as exc:  # pragma: no cover - depends on the machine
        pytest.skip(f"cannot install the requirements into a fresh venv: {exc}")
    root_copy = copy_project(ROOT, base / "flask-cors")
    plugin_copy = copy_project(ROOT / "plugins" / folder, base / folder)
    run(
        [*pip, "--no-build-isolation", "--no-deps", str(root_copy), str(plugin_copy)],
        cwd=base,
    )
    (base / "freshapp.py").write_text(textwrap.dedent(APP))
    return venv


def env(**extra: str) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("FLASK_", "PYTHON", "VIRTUAL_ENV"))
    }
    environment.update(extra)
    return environment


def served(venv: Path, plugin: str, **extra: str) -> str:
    """Run the app of the fresh environment once: the answer and what got imported."""
    module = DISTRIBUTIONS[plugin][1]
    return run(
        [str(venv / "bin" / "python"), "freshapp.py"],
        cwd=venv.parent,
        env=env(PLUGIN_MODULE=module, **extra),
    )


def cors_plugins(venv: Path, **extra: str) -> str:
    return run(
        [str(venv / "bin" / "flask"), "--app", "freshapp", "cors", "plugins"],
        cwd=venv.parent,
        env=env(**extra),
    )


def test_installed_plugin_is_active_in_an_app_that_never_imports_it(
    fresh_venv: Path, plugin: str
) -> None:
    folder, _module, version = DISTRIBUTIONS[plugin]
    output = cors_plugins(fresh_venv)
    assert f"{plugin}  [entry point]  {folder} {version}  (takes part)" in output
    # Only what was installed into this environment: no other plugin distribution.
    for other in set(DISTRIBUTIONS) - {plugin}:
        assert other not in output
    answer = served(fresh_venv, plugin)
    assert "imported True" in answer  # imported by discovery, not by the app
    if plugin == "origin_patterns":
        assert "ACAO https://a.example.com" in answer
    site = run(
        [str(fresh_venv / "bin" / "python"), "-c", "import flask_cors; print(flask_cors.__file__)"],
        cwd=fresh_venv.parent,
        env=env(),
    )
    assert str(fresh_venv) in site


@pytest.mark.parametrize("how", ["BLOCK_BY_KWARG", "BLOCK_BY_CONFIG"])
def test_blocking_by_name_makes_it_inactive(fresh_venv: Path, plugin: str, how: str) -> None:
    output = cors_plugins(fresh_venv, **{how: plugin})
    assert f"{plugin}  [entry point]" not in output
    assert f"blocked: {plugin}" in output
    answer = served(fresh_venv, plugin, **{how: plugin})
    assert "ACAO None" in answer
    assert "imported False" in answer  # a blocked name is never imported


def test_disable_autoload_env_disables_discovery(fresh_venv: Path, plugin: str) -> None:
    output = cors_plugins(fresh_venv, FLASK_CORS_DISABLE_PLUGIN_AUTOLOAD="1")
    assert "[entry point]" not in output
    # Installed, so listed as such: not loaded because of the process switch.
    assert output.splitlines()[-1] == (
        f"installed, not loaded (FLASK_CORS_DISABLE_PLUGIN_AUTOLOAD is set): {plugin}"
    )
    answer = served(fresh_venv, plugin, FLASK_CORS_DISABLE_PLUGIN_AUTOLOAD="1")
    assert "ACAO None" in answer
    assert "imported False" in answer
