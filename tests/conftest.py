"""Shared fixtures: real Flask apps driven through the test client."""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

import flask_cors
from flask_cors import CORS
from flask_cors.lint import LOG_RECORD_ATTRIBUTE, Finding
from flask_cors.pipeline import Pipeline

# The package's own pytest plugin (entry point ``pytest11``), loaded here rather than at
# pytest start-up (pyproject: ``-p no:flask_cors``) so that coverage sees its import.
pytest_plugins = ["flask_cors.testing.pytest_plugin"]


def pytest_report_header() -> str:
    return f"flask_cors imported from {Path(flask_cors.__file__).parent}"


#: Test directories whose apps run in other processes or are not ours: not run twice.
_ONE_WAY = ("browser", "compat", "install")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--hook-paths",
        default="direct,pluggy",
        help="how the core suite calls the hooks: direct (default steps called directly), "
        "pluggy (every hook through pluggy), or both, comma-separated (the default)",
    )
    parser.addoption(
        "--without-re2",
        action="store_true",
        help="the environment has no google-re2 (nox -s no-re2): skip the tests marked re2; "
        "without this option a missing google-re2 is an error, never a skip",
    )


def pytest_configure(config: pytest.Config) -> None:
    """RE2 (the ``re2`` extra) is there exactly when the run says so: a normal run without
    it fails at once, instead of skipping or failing test by test."""
    installed = importlib.util.find_spec("re2") is not None
    if config.getoption("--without-re2") and installed:
        raise pytest.UsageError("--without-re2: but google-re2 is installed here")
    if not config.getoption("--without-re2") and not installed:
        raise pytest.UsageError(
            "google-re2 is not installed: install the test extra (pip install -e '.[re2,test]'), "
            "or run the no-re2 session (nox -s no-re2), which passes --without-re2"
        )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.getoption("--without-re2"):
        return
    skip = pytest.mark.skip(reason="needs google-re2 (the re2 extra), absent in this run")
    for item in items:
        if item.get_closest_marker("re2"):
            item.add_marker(skip)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run every core test twice: default steps called directly, and every hook via pluggy."""
    parts = Path(str(metafunc.definition.path)).parts
    if "hook_path" in metafunc.fixturenames and not any(part in parts for part in _ONE_WAY):
        paths = [p.strip() for p in metafunc.config.getoption("--hook-paths").split(",")]
        metafunc.parametrize("hook_path", paths, indirect=True, scope="module")


@pytest.fixture(autouse=True, scope="module")
def hook_path(request: pytest.FixtureRequest) -> Iterator[str]:
    """``direct``: the pipeline calls a hook's default implementation directly when it is
    the only one (what apps get); ``pluggy``: every hook goes through pluggy's caller, so
    that the fast path can never drift from the hook path."""
    path: str = getattr(request, "param", "direct")
    Pipeline.direct_calls = path == "direct"
    yield path
    Pipeline.direct_calls = True


def pytest_sessionstart() -> None:
    # The machine may carry another flask-cors; these tests must exercise this one.
    assert "/src/flask_cors" in flask_cors.__file__.replace("\\", "/"), flask_cors.__file__


# --- shared apps and request helpers ----------------------------------------------------


@pytest.fixture
def without_installed_plugins(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep entry-point plugins installed in the environment out of the apps of a test.

    The foundation tests describe the core pipeline with only its default plugins; a plugin
    distribution installed next to it (``flask_cors`` entry points) must not change them.
    """
    monkeypatch.setenv("FLASK_CORS_DISABLE_PLUGIN_AUTOLOAD", "1")


#: The origin the helpers send unless told otherwise.
DEFAULT_ORIGIN = "https://client.example"

CORS_HEADER_NAMES = frozenset(
    {
        "access-control-allow-origin",
        "access-control-allow-credentials",
        "access-control-allow-methods",
        "access-control-allow-headers",
        "access-control-expose-headers",
        "access-control-max-age",
        "access-control-allow-private-network",
    }
)


def build_app(name: str = "corsapp") -> Flask:
    """A Flask app with an index, ``/api/items`` (GET, POST, PUT, DELETE) and a catch-all."""
    app = Flask(name)

    @app.route("/")
    def index() -> str:
        return "index"

    @app.route("/api/items", methods=["GET", "POST", "PUT", "DELETE"])
    def items() -> str:
        return "items"

    @app.route("/<path:anything>")
    def catch_all(anything: str) -> str:
        return "caught"

    return app


@pytest.fixture
def make_app() -> Callable[..., Flask]:
    """Factory for a fresh app with the standard routes (see :func:`build_app`)."""
    return build_app


@pytest.fixture
def cors_client() -> Callable[..., FlaskClient]:
    """Factory: ``cors_client(**kwargs)``, a client of a new app set up with CORS(app, **kwargs)."""

    def factory(**kwargs: Any) -> FlaskClient:
        app = build_app()
        CORS(app, **kwargs)
        return app.test_client()

    return factory


def send_preflight(
    client: FlaskClient,
    path: str = "/api/items",
    *,
    origin: str | None = DEFAULT_ORIGIN,
    method: str = "PUT",
    request_headers: str | None = None,
    extra: Mapping[str, str] | None = None,
) -> TestResponse:
    """Send a CORS preflight: OPTIONS with Origin and Access-Control-Request-Method."""
    headers = {"Access-Control-Request-Method": method}
    if origin is not None:
        headers["Origin"] = origin
    if request_headers is not None:
        headers["Access-Control-Request-Headers"] = request_headers
    headers.update(extra or {})
    return client.options(path, headers=headers)


@pytest.fixture
def preflight() -> Callable[..., TestResponse]:
    """``preflight(client, path, origin=..., method=..., request_headers=..., extra=...)``."""
    return send_preflight


def vary_names(response: TestResponse) -> list[str]:
    """The names in every ``Vary`` line of ``response``, in order, as sent."""
    return [
        part.strip()
        for line in response.headers.getlist("Vary")
        for part in line.split(",")
        if part.strip()
    ]


@pytest.fixture
def vary_of() -> Callable[[TestResponse], list[str]]:
    """``vary_of(response)``: the list of names in the response's ``Vary`` header(s)."""
    return vary_names


def cors_headers_of(response: TestResponse) -> dict[str, str]:
    """The ``Access-Control-*`` response headers only."""
    return {name: value for name, value in response.headers if name.lower() in CORS_HEADER_NAMES}


@pytest.fixture
def cors_headers() -> Callable[[TestResponse], dict[str, str]]:
    """``cors_headers(response)``: the response's CORS headers as a dict."""
    return cors_headers_of


@pytest.fixture
def logged_findings(caplog: pytest.LogCaptureFixture) -> Callable[[], list[Finding]]:
    """``logged_findings()``: the lint findings the ``flask_cors`` logger has recorded in
    this test so far, in order (``info`` ones included: the logger is set to ``INFO``)."""
    caplog.set_level(logging.INFO, logger="flask_cors")

    def findings() -> list[Finding]:
        return [
            getattr(record, LOG_RECORD_ATTRIBUTE)
            for record in caplog.records
            if hasattr(record, LOG_RECORD_ATTRIBUTE)
        ]

    return findings
