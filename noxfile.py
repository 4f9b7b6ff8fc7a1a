"""The whole test suite against each Flask line flask_cors supports, and the pattern tests
without RE2: `make test` runs `nox`.

Three sessions, each in its own virtual environment with the project, its ``re2`` and
``test`` extras and the three plugin distributions under ``plugins/`` installed editable:

- ``lowest``: the lowest versions ``pyproject.toml`` allows, pinned exactly;
- ``newest``: the newest releases of everything (with the coverage report), the core
  suite run both ways (default steps called directly, and every hook through pluggy);
- ``flask-dev``: Flask's development branch, from the wheel vendored in
  ``../shared/vendor/`` next to the repository.

``lowest`` and ``flask-dev`` run the core suite the direct way only (``--hook-paths``):
which way the hooks are called does not depend on the Flask release, and CI's time is
better spent on the browser suite in every session.

A fourth, ``no-re2``, installs the project with its test extra and then removes google-re2,
as on a machine where it cannot be installed (musl, Alpine): it runs the tests of
everything that compiles configured patterns (``NO_RE2_TESTS``) with ``--without-re2``,
which skips the tests marked ``re2``. Only that option skips them: any other run without
google-re2 stops at once (tests/conftest.py).

Locally a session reuses its environment (and reinstalls only what changed); on CI
(``CI`` set) every environment is created afresh. Arguments after ``--`` go to pytest:
``nox -s lowest -- tests/test_vary.py -x``.
"""

from __future__ import annotations

import os
from pathlib import Path

import nox

ROOT = Path(__file__).resolve().parent
PLUGINS = sorted(path.parent for path in ROOT.glob("plugins/*/pyproject.toml"))

#: The lower bounds of ``[project] dependencies`` in pyproject.toml.
LOWEST = ("flask==3.0.0", "werkzeug==3.0.0", "pluggy==1.5.0")

#: Flask's development branch; see ../shared/vendor/README.md.
FLASK_DEV_WHEEL = ROOT.parent / "shared" / "vendor" / "flask-3.2.0.dev0-py3-none-any.whl"

PRINT_VERSIONS = """
from importlib.metadata import version
print(", ".join(f"{name} {version(name)}" for name in ("flask", "werkzeug", "pluggy")))
"""

nox.options.sessions = ["lowest", "newest", "flask-dev", "no-re2"]
nox.options.default_venv_backend = "venv"
nox.options.reuse_venv = "never" if os.environ.get("CI", "") not in ("", "0", "false") else "yes"
nox.options.error_on_external_run = True


def install(session: nox.Session, *requirements: str) -> None:
    """The project with its re2 and test extras and the plugin distributions, plus
    ``requirements``."""
    editable = [arg for plugin in PLUGINS for arg in ("-e", f"{plugin}{_extra(plugin)}")]
    session.install(*requirements, "-e", f"{ROOT}[re2,test]", *editable)
    log_versions(session)


def log_versions(session: nox.Session) -> None:
    versions = session.run("python", "-c", PRINT_VERSIONS, silent=True)
    session.log(f"testing with {str(versions).strip()}")


def _extra(plugin: Path) -> str:
    """``[test]`` for a plugin distribution that declares a test extra."""
    return "[test]" if "\ntest = [" in (plugin / "pyproject.toml").read_text() else ""


def pytest(session: nox.Session, *options: str) -> None:
    session.run("python", "-m", "pytest", *options, *session.posargs)


@nox.session
def lowest(session: nox.Session) -> None:
    """Flask 3.0.0, Werkzeug 3.0.0 and pluggy 1.5.0: the lowest versions allowed."""
    install(session, *LOWEST)
    pytest(session, "--hook-paths=direct")


@nox.session
def newest(session: nox.Session) -> None:
    """The newest releases of every dependency, with the coverage report."""
    install(session, "--upgrade", "--upgrade-strategy", "eager")
    pytest(session, "--cov", "--cov-report=term")


@nox.session(name="flask-dev")
def flask_dev(session: nox.Session) -> None:
    """Flask's development branch (3.2.0.dev0), vendored as a wheel."""
    if not FLASK_DEV_WHEEL.is_file():
        session.error(
            f"Flask's development wheel is missing: {FLASK_DEV_WHEEL} "
            "(the repository expects ../shared/vendor/ next to it; see its README.md)"
        )
    install(session, str(FLASK_DEV_WHEEL))
    pytest(session, "--hook-paths=direct")


#: What the ``no-re2`` session runs: the tests of everything that compiles configured
#: patterns (origins, globs, ``allow_headers``, resources; options, the decorator, blueprints,
#: the lint and the ``flask cors`` commands), the examples of the docs (the quickstart among
#: them) and the install without RE2. The rest of the suite (the browser, robustness,
#: plugin and Flask-Cors 6 tests) does not depend on RE2 and would add about ten minutes.
NO_RE2_TESTS = (
    "tests/install/test_without_re2.py",
    "tests/test_regex_cost.py",
    "tests/test_regex_engines.py",
    "tests/test_examples.py",
    "tests/test_origins.py",
    "tests/test_glob_origins.py",
    "tests/test_origin_grammar.py",
    "tests/test_idn_origins.py",
    "tests/test_allow_headers.py",
    "tests/test_resources.py",
    "tests/test_policy_routing.py",
    "tests/test_configuration.py",
    "tests/test_config_errors.py",
    "tests/test_decorator.py",
    "tests/test_blueprints.py",
    "tests/test_lint.py",
    "tests/test_cli_routes_check.py",
    "tests/test_cli_json.py",
    "tests/test_explain.py",
    "tests/test_hostile_input.py",
)


@nox.session(name="no-re2")
def no_re2(session: nox.Session) -> None:
    """Without google-re2 (the ``re2`` extra), as on musl: every test that compiles
    configured patterns; the tests marked ``re2`` are skipped here (and only here)."""
    session.install("-e", f"{ROOT}[test]")
    session.run("python", "-m", "pip", "uninstall", "--yes", "--quiet", "google-re2")
    log_versions(session)
    pytest(session, "--hook-paths=direct", "--without-re2", *NO_RE2_TESTS)
