"""Shared fixtures: real Flask apps driven through the test client."""

from __future__ import annotations

from pathlib import Path

import flask_cors


def pytest_report_header() -> str:
    return f"flask_cors imported from {Path(flask_cors.__file__).parent}"


def pytest_sessionstart() -> None:
    # The machine may carry another flask-cors; these tests must exercise this one.
    assert "/src/flask_cors" in flask_cors.__file__.replace("\\", "/"), flask_cors.__file__
