"""A ``cross_origin`` view whose options conflict with the app config (CORS refuses them):
refused at start-up when ``CORS(app)`` sees the view, else logged once on its first request
with the request failing closed; ``flask cors check`` and ``routes`` report it as a finding,
never with a traceback."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.cli import ScriptInfo

from flask_cors import CORS, CORSConfigError, cross_origin
from flask_cors.tools.cli import cors as cors_group

pytestmark = pytest.mark.usefixtures("without_installed_plugins")

ORIGIN = "https://app.example.com"
FLASK = Path(sys.executable).parent / "flask"
CONFLICT = "cannot be combined with supports_credentials=True"


def add_conflicting_view(app: Flask) -> None:
    """``send_wildcard`` with any origin, on an app whose config turns credentials on."""

    @app.route("/open", methods=["GET", "PUT"])
    @cross_origin(origins="*", send_wildcard=True)
    def open_view() -> str:
        return "open"


def decorator_only() -> Flask:
    app = Flask("decorated")
    app.config["CORS_SUPPORTS_CREDENTIALS"] = True
    add_conflicting_view(app)
    return app


def cors_before_the_view() -> Flask:
    app = Flask("extension")
    app.config["CORS_SUPPORTS_CREDENTIALS"] = True
    CORS(app, resources={"/api/*": {"origins": ORIGIN}})
    add_conflicting_view(app)  # registered after CORS(app): checked on first use
    return app


APPS = [decorator_only, cors_before_the_view]


def test_cors_app_refuses_a_conflicting_view_registered_before_it() -> None:
    app = Flask("started")
    app.config["CORS_SUPPORTS_CREDENTIALS"] = True
    add_conflicting_view(app)

    with pytest.raises(CORSConfigError, match=CONFLICT) as raised:
        CORS(app, resources={"/api/*": {"origins": ORIGIN}})
    assert raised.value.option == "send_wildcard"
    assert raised.value.source == "cross_origin() on endpoint 'open_view'"


@pytest.mark.parametrize("make", APPS)
def test_conflicting_view_is_logged_once_and_its_requests_fail_closed(
    make: Callable[[], Flask], caplog: pytest.LogCaptureFixture
) -> None:
    client = make().test_client()
    caplog.set_level(logging.DEBUG, logger="flask_cors")

    responses = [client.get("/open", headers={"Origin": ORIGIN}) for _ in range(3)]
    preflight_headers = {"Origin": ORIGIN, "Access-Control-Request-Method": "PUT"}
    responses.append(client.options("/open", headers=preflight_headers))

    for response in responses:
        assert response.status_code == 200
        assert not [name for name, _ in response.headers.items() if name.startswith("Access-")]
    errors = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(errors) == 1, [r.getMessage() for r in errors]
    [record] = errors
    assert record.name == "flask_cors"
    assert record.levelno == logging.ERROR
    assert not record.exc_info  # one line, no traceback
    message = record.getMessage()
    assert message.startswith("CORS is off for cross_origin() on endpoint 'open_view': ")
    assert "CORS option 'send_wildcard'" in message
    assert message.endswith("its responses go out without CORS headers")


def test_conflicting_view_raises_with_raise_plugin_errors() -> None:
    app = decorator_only()
    app.config["CORS_RAISE_PLUGIN_ERRORS"] = True
    app.testing = True  # the test client re-raises what the app raises
    with pytest.raises(CORSConfigError, match=CONFLICT):
        app.test_client().get("/open", headers={"Origin": ORIGIN})


@pytest.mark.parametrize("make", APPS)
def test_check_reports_a_conflicting_view_as_an_error_finding(make: Callable[[], Flask]) -> None:
    result = make().test_cli_runner().invoke(cors_group, ["check"])

    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)  # no traceback
    assert "Traceback" not in result.output
    assert "ERROR    config-refused" in result.output
    assert "  on cross_origin() on endpoint 'open_view'" in result.output
    assert "CORS option 'send_wildcard'" in result.output
    assert "fix: change the option named above" in result.output


@pytest.mark.parametrize("make", APPS)
def test_routes_shows_a_conflicting_view_as_refused(make: Callable[[], Flask]) -> None:
    result = make().test_cli_runner().invoke(cors_group, ["routes"])

    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    part = next(p for p in result.output.split("\n\n") if p.startswith("/open  "))
    lines = part.splitlines()
    assert lines[1] == "  matched: cross_origin() on endpoint 'open_view'"
    assert lines[2].startswith("  REFUSED: CORS option 'send_wildcard'")
    assert lines[-1] == "  requests to it get no CORS headers"


def test_check_reports_an_app_that_cors_refuses_to_start() -> None:
    """The app factory itself raises (CORS(app) sees the conflicting view): a finding."""

    def create_app() -> Flask:
        app = Flask("refused")
        app.config["CORS_SUPPORTS_CREDENTIALS"] = True
        add_conflicting_view(app)
        CORS(app, resources={"/api/*": {"origins": ORIGIN}})
        return app

    runner = Flask("runner").test_cli_runner()
    check = runner.invoke(cors_group, ["check"], obj=ScriptInfo(create_app=create_app))
    assert check.exit_code == 1, check.output
    assert check.output.startswith("CORS configuration lint of the app: 1 error.")
    assert "ERROR    config-refused\n  on the app\n" in check.output
    assert "until then the app does not start." in " ".join(check.output.split())

    routes = runner.invoke(cors_group, ["routes"], obj=ScriptInfo(create_app=create_app))
    assert routes.exit_code == 1
    assert routes.output.startswith("CORS refuses the configuration of the app: CORS option")

    explain = ["explain", "/open", "--origin", ORIGIN]
    explained = runner.invoke(cors_group, explain, obj=ScriptInfo(create_app=create_app))
    assert explained.exit_code == 2  # nothing to explain: the app does not start
    assert "Error: CORS refuses the configuration of the app: CORS option" in explained.output


def test_explain_names_the_refused_view() -> None:
    app = decorator_only()
    result = app.test_cli_runner().invoke(cors_group, ["explain", "/open", "--origin", ORIGIN])

    assert result.exit_code == 1
    assert (
        "Resource:  none: the options of cross_origin() on endpoint 'open_view': CORS option "
        "'send_wildcard'" in result.output
    )
    assert "To allow: fix the configuration error of the view above" in result.output


@pytest.mark.skipif(not FLASK.exists(), reason="the flask command is not installed")
def test_the_flask_command_reports_the_conflict_without_a_traceback(tmp_path: Path) -> None:
    """The reproduction of the report: ``flask cors check`` / ``routes`` on the real CLI."""
    (tmp_path / "conflict_app.py").write_text(
        "from flask import Flask\n"
        "from flask_cors import cross_origin\n"
        "app = Flask('conflict')\n"
        "app.config['CORS_SUPPORTS_CREDENTIALS'] = True\n"
        "@app.get('/open')\n"
        "@cross_origin(origins='*', send_wildcard=True)\n"
        "def open_view():\n"
        "    return 'open'\n"
    )
    env = {**os.environ, "FLASK_CORS_DISABLE_PLUGIN_AUTOLOAD": "1", "PYTHONWARNINGS": "error"}
    env.pop("FLASK_APP", None)
    for command in ("check", "routes"):
        done = subprocess.run(
            [str(FLASK), "--app", "conflict_app", "cors", command],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env=env,
            timeout=60,
            check=False,
        )
        assert done.returncode == 1, done.stderr
        assert done.stderr == ""
        assert "CORS option 'send_wildcard'" in done.stdout
