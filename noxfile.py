"""The whole test suite against each Flask line flask_cors supports: `make test` runs `nox`.

Three sessions, each in its own virtual environment with the project, its test extra and
the three plugin distributions under ``plugins/`` installed editable:

- ``lowest``: the lowest versions ``pyproject.toml`` allows, pinned exactly;
- ``newest``: the newest releases of everything (with the coverage report), the core
  suite run both ways (default steps called directly, and every hook through pluggy);
- ``flask-dev``: Flask's development branch, from the wheel vendored in
  ``../shared/vendor/`` next to the repository.

``lowest`` and ``flask-dev`` run the core suite the direct way only (``--hook-paths``):
which way the hooks are called does not depend on the Flask release, and CI's time is
better spent on the browser suite in every session.

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

nox.options.sessions = ["lowest", "newest", "flask-dev"]
nox.options.default_venv_backend = "venv"
nox.options.reuse_venv = "never" if os.environ.get("CI", "") not in ("", "0", "false") else "yes"
nox.options.error_on_external_run = True


def install(session: nox.Session, *requirements: str) -> None:
    """The project with its test extra and the plugin distributions, plus ``requirements``."""
    editable = [arg for plugin in PLUGINS for arg in ("-e", f"{plugin}{_extra(plugin)}")]
    session.install(*requirements, "-e", f"{ROOT}[test]", *editable)
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
