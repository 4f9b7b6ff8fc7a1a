"""pytest plugin for the upstream-suite run: writes each test's outcome and the warnings.

Loaded by ``run_upstream.py`` with ``-p upstream_recorder`` in the separate pytest process;
the JSON report goes to the file named by ``FLASK_CORS_COMPAT_REPORT``. A test counts as
failed if its setup, call or teardown failed; a module that fails to import counts as a
failed test under the module's id.
"""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path

import pytest


def pytest_configure(config: pytest.Config) -> None:
    """Flask 3.2 drops ``flask.__version__``, which upstream's suite reads at import time
    (to skip tests for Flask < 1.1): give it the installed version, as Flask 3.1 did."""
    import importlib.metadata

    import flask

    if not hasattr(flask, "__version__"):
        flask.__version__ = importlib.metadata.version("flask")  # type: ignore[attr-defined]


_outcomes: dict[str, str] = {}
_warnings: list[dict[str, str]] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.failed:
        _outcomes[report.nodeid] = "failed"
    elif report.skipped and report.nodeid not in _outcomes:
        _outcomes[report.nodeid] = "skipped"
    elif report.when == "call" and report.passed:
        _outcomes.setdefault(report.nodeid, "passed")


def pytest_collectreport(report: pytest.CollectReport) -> None:
    if report.failed:
        _outcomes[report.nodeid] = "failed"


def pytest_warning_recorded(
    warning_message: warnings.WarningMessage, when: str, nodeid: str, location: object
) -> None:
    _warnings.append(
        {
            "category": warning_message.category.__name__,
            "message": str(warning_message.message),
            "filename": str(warning_message.filename),
            "lineno": str(warning_message.lineno),
            "nodeid": nodeid,
        }
    )


def pytest_sessionfinish(session: pytest.Session) -> None:
    target = os.environ.get("FLASK_CORS_COMPAT_REPORT")
    if target:
        report = {"outcomes": _outcomes, "warnings": _warnings}
        Path(target).write_text(json.dumps(report, indent=1), encoding="utf-8")
