"""google-re2 is an extra (``flask-cors[re2]``): without it, only the patterns that need it
are refused, at start-up, with a message naming the option, the extra and a rewrite.

google-re2 has no wheels for musl (Alpine), so ``pip install flask-cors`` must not need it.
The apps here run in other interpreters: one where ``import re2`` fails as it does when the
package is missing, and a fresh virtual environment with ``pip install .`` of this project.
(The ``no-re2`` nox session also runs the pattern tests in-process without google-re2.)
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXTRA = 'pip install "flask-cors[re2]"'

#: An app per case, built in a child interpreter; prints one JSON line per case.
CHILD = """
    import json, re, sys

    if BLOCK_RE2:
        sys.modules["re2"] = None  # "import re2" raises ImportError, as when it is missing
    from flask import Flask
    from flask_cors import CORS, CORSConfigError

    def build(kwargs, config):
        app = Flask("child")
        app.config.update(config)

        @app.route("/<path:anything>")
        def anything(anything):
            return "ok"

        CORS(app, **kwargs)
        return app

    results = {}
    for name, (kwargs, config, path, origin) in CASES.items():
        if name == "compiled origin":
            kwargs = {"origins": [re.compile(kwargs["origins"][0])]}
        try:
            app = build(kwargs, config)
        except CORSConfigError as error:
            results[name] = {"error": str(error), "option": error.option}
            continue
        response = app.test_client().get(path, headers={"Origin": origin})
        results[name] = {"acao": response.headers.get("Access-Control-Allow-Origin")}
    results["re2 imported"] = sys.modules.get("re2") is not None
    print(json.dumps(results))
"""

#: Patterns the cost check sends to RE2: (keyword arguments, app.config, option).
COSTLY: dict[str, tuple[dict[str, Any], dict[str, Any], str]] = {
    "origins": ({"origins": [r"https://([a-z0-9]+-?)+\.example\.com"]}, {}, "origins"),
    "compiled origin": ({"origins": [r"https://([a-z0-9]+-?)+\.example\.com"]}, {}, "origins"),
    "allow_headers": ({"allow_headers": [r"x-([a-z]+-?)+"]}, {}, "allow_headers"),
    "resources": ({"resources": {r"/api/.*/.*/.*/export": {}}}, {}, "resources"),
    "CORS_ORIGINS": ({}, {"CORS_ORIGINS": [r"https://(a|aa)+\.example\.com"]}, "origins"),
}

#: Cheap patterns: (keyword arguments, path, origin, allowed origin).
CHEAP: dict[str, tuple[dict[str, Any], str, str]] = {
    "glob": ({"origins": ["https://*.example.com"]}, "/x", "https://a.b.example.com"),
    "glob with any port": ({"origins": ["http://localhost:*"]}, "/x", "http://localhost:5173"),
    "everyday regex": (
        {"origins": [r"https://[a-z0-9-]+\.example\.com"]},
        "/x",
        "https://app.example.com",
    ),
    "flask-cors 6 style regex": (
        {"origins": [r"https://.*\.partner\.example\.org"]},
        "/x",
        "https://a.partner.example.org",
    ),
    "resource regex": (
        {"resources": {r"/users/\d+/posts/.*": {}}},
        "/users/7/posts/1",
        "https://any.example",
    ),
    "allow_headers regex": ({"allow_headers": [r"x-[a-z]+-.*"]}, "/x", "https://any.example"),
}


def child_env() -> dict[str, str]:
    """The environment without this run's Python and Flask settings."""
    return {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("FLASK_", "PYTHON", "VIRTUAL_ENV"))
    } | {"FLASK_CORS_DISABLE_PLUGIN_AUTOLOAD": "1"}


def run_child(python: str, cases: dict[str, Any], *, block_re2: bool, cwd: Path) -> Any:
    script = f"BLOCK_RE2 = {block_re2!r}\nCASES = {cases!r}\n" + textwrap.dedent(CHILD)
    result = subprocess.run(
        [python, "-c", script],
        cwd=cwd,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def all_cases() -> dict[str, Any]:
    cases: dict[str, Any] = {
        name: (kwargs, config, "/x", "https://a.example.com")
        for name, (kwargs, config, _option) in COSTLY.items()
    }
    cases.update(
        {name: (kwargs, {}, path, origin) for name, (kwargs, path, origin) in CHEAP.items()}
    )
    return cases


@pytest.fixture(scope="module")
def without_re2(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """What each case does in an interpreter where google-re2 cannot be imported."""
    cwd = tmp_path_factory.mktemp("without-re2")
    return run_child(sys.executable, all_cases(), block_re2=True, cwd=cwd)


@pytest.mark.parametrize("case", sorted(COSTLY))
def test_costly_pattern_without_re2_is_refused_naming_the_option_the_extra_and_a_rewrite(
    without_re2: Any, case: str
) -> None:
    result = without_re2[case]

    assert result["option"] == COSTLY[case][2]
    assert f"CORS option {COSTLY[case][2]!r}" in result["error"]
    assert EXTRA in result["error"]
    assert "RE2, which is not installed" in result["error"]
    assert "'[a-z0-9-]+' instead of '([a-z0-9]+-?)+'" in result["error"]  # the rewrite


@pytest.mark.parametrize("case", sorted(CHEAP))
def test_cheap_patterns_and_globs_serve_without_re2(without_re2: Any, case: str) -> None:
    _kwargs, _path, origin = CHEAP[case]

    assert without_re2[case] == {"acao": origin}


@pytest.mark.re2
def test_re2_is_imported_only_when_a_pattern_needs_it(tmp_path: Path) -> None:
    cheap = {name: (kwargs, {}, path, origin) for name, (kwargs, path, origin) in CHEAP.items()}
    costly = {"origins": (COSTLY["origins"][0], {}, "/x", "https://my-app.example.com")}

    assert run_child(sys.executable, cheap, block_re2=False, cwd=tmp_path)["re2 imported"] is False
    served = run_child(sys.executable, costly, block_re2=False, cwd=tmp_path)
    assert served == {"origins": {"acao": "https://my-app.example.com"}, "re2 imported": True}


# --- a fresh virtual environment: pip install . -----------------------------------------------

#: The quickstart app of the docs (examples/quickstart.py), through the test client.
QUICKSTART = """
    import importlib.util, sys

    from quickstart import create_app, create_open_app
    from flask_cors import CORS, CORSConfigError

    print("re2 installed", importlib.util.find_spec("re2") is not None)
    client = create_app().test_client()
    origin = "https://app.example.com"
    print("GET", client.get("/api/users", headers={"Origin": origin}).headers.get(
        "Access-Control-Allow-Origin"))
    preflight = client.options("/api/users", headers={
        "Origin": origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
    })
    print("preflight", preflight.status_code, preflight.headers.get("Access-Control-Allow-Headers"))
    print("POST", client.post("/api/users", headers={"Origin": origin}).status_code)
    open_app = create_open_app().test_client()
    print("open", open_app.get("/", headers={"Origin": "https://x.example"}).headers.get(
        "Access-Control-Allow-Origin"))
    try:
        CORS(create_open_app(), origins=[r"https://([a-z0-9]+-?)+\\.example\\.com"])
    except CORSConfigError as error:
        print("costly", error.option, str(error))
"""


def test_fresh_pip_install_without_re2_imports_and_serves_the_quickstart_app(
    tmp_path: Path,
) -> None:
    project = tmp_path / "flask-cors"
    project.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, project / name)
    shutil.copytree(ROOT / "src", project / "src", ignore=shutil.ignore_patterns("*.egg-info"))
    shutil.copy(ROOT / "examples" / "quickstart.py", tmp_path / "quickstart.py")
    (tmp_path / "check.py").write_text(textwrap.dedent(QUICKSTART))
    venv = tmp_path / "venv"
    python = str(venv / "bin" / "python")
    # What a user without the extra runs in a checkout (README, "Install"): the dependencies
    # come from the package index.
    for command, cwd in (
        ([sys.executable, "-m", "venv", str(venv)], tmp_path),
        ([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "."], project),
    ):
        done = subprocess.run(
            command, cwd=cwd, env=child_env(), capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"

    done = subprocess.run(
        [python, "check.py"], cwd=tmp_path, env=child_env(), capture_output=True, text=True
    )

    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[:5] == [
        "re2 installed False",
        "GET https://app.example.com",
        "preflight 200 content-type",
        "POST 201",
        "open https://x.example",
    ]
    assert lines[5].startswith("costly origins CORS option 'origins'")
    assert EXTRA in lines[5]
