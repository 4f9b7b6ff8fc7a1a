"""``flask cors explain`` on the example apps and on small apps of its own."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from click.testing import Result
from flask import Flask, Request

import flask_cors
from flask_cors import CORS
from flask_cors.tools.cli import cors
from flask_cors.tools.explain import explain, parse_header

pytestmark = pytest.mark.usefixtures("without_installed_plugins")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
PAGE = "https://app.example.com"


def example(name: str) -> ModuleType:
    path = EXAMPLES / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"explained_{name}", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(app: Flask, *args: str) -> Result:
    return app.test_cli_runner().invoke(cors, ["explain", *args])


@pytest.fixture
def testing_app() -> Flask:
    app: Flask = example("testing_app").create_app()
    return app


def test_allowed_preflighted_put(testing_app: Flask) -> None:
    result = run(
        testing_app,
        "/api/items",
        "--origin",
        PAGE,
        "--method",
        "put",
        "--header",
        "Content-Type: application/json",
        "--data",
        "{}",
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:4] == [
        f"Request:   PUT /api/items from a page on {PAGE}, credentials omitted",
        "Resource:  /api/*",
        f"Origin:    '{PAGE}' allowed by match_origin of plugin 'origins' "
        "(flask_cors.defaults.origins)",
        "Preflight: needed: method PUT is not GET, HEAD or POST; "
        "header content-type is not safelisted",
    ]
    assert "1. preflight: OPTIONS /api/items" in lines
    assert "   > Access-Control-Request-Headers: content-type" in lines
    assert "   browser: passed: preflight allows PUT with content-type" in lines
    assert "2. request: PUT /api/items" in lines
    assert "   < Access-Control-Expose-Headers: X-Total-Count" in lines
    assert lines[-2:] == [
        "Verdict: allowed: the page reads the 200 OK response",
        "         readable headers: content-length, content-type, x-total-count",
    ]


def test_refused_header_exits_non_zero(testing_app: Flask) -> None:
    result = run(testing_app, "/api/items", "--origin", PAGE, "--header", "X-Debug")
    assert result.exit_code == 1
    assert "Preflight: needed: header x-debug is not safelisted" in result.output
    assert "   > Access-Control-Request-Headers: x-debug" in result.output
    assert result.output.splitlines()[-2:] == [
        "Verdict: BLOCKED at the preflight: header x-debug not in Access-Control-Allow-Headers",
        "         the request itself was never sent",
    ]
    assert "2. request" not in result.output


def test_several_headers(testing_app: Flask) -> None:
    result = run(
        testing_app, "/api/items", "--origin", PAGE, "--header", "X-B: 2", "--header", "x-a:1"
    )
    assert "Preflight: needed: headers x-a, x-b are not safelisted" in result.output
    assert "   > Access-Control-Request-Headers: x-a,x-b" in result.output


def test_denied_origin(testing_app: Flask) -> None:
    result = run(testing_app, "/api/items", "--origin", "https://evil.example")
    assert result.exit_code == 1
    assert (
        "Origin:    'https://evil.example' denied by match_origin of plugin 'origins' "
        "(flask_cors.defaults.origins)"
    ) in result.output
    assert "   < Vary: Origin" in result.output
    assert "Verdict: BLOCKED at the response: no Access-Control-Allow-Origin header" in (
        result.output
    )


def test_credentials(testing_app: Flask) -> None:
    allowed = run(testing_app, "/account/me", "--origin", PAGE, "--credentials")
    assert allowed.exit_code == 0, allowed.output
    assert "credentials included" in allowed.output
    assert "   < Access-Control-Allow-Credentials: true" in allowed.output
    refused = run(testing_app, "/api/items", "--origin", PAGE, "--credentials")
    assert refused.exit_code == 1
    assert "credentials need Access-Control-Allow-Credentials: true" in refused.output


def test_plugins_that_decide_the_origin_are_named() -> None:
    app = example("hooks").create_app()
    tenant = run(app, "/api/items", "--origin", "https://tenant-a.example")
    assert tenant.exit_code == 0, tenant.output
    assert (
        "allowed by match_origin of plugin TenantOrigins (registered without a name)"
        in tenant.output
    )
    denied = run(app, "/api/items", "--origin", "https://tenant-b.example")
    assert denied.exit_code == 1
    assert "denied by match_origin of plugin DenyListFirst" in denied.output
    configured = run(app, "/api/items", "--origin", PAGE)
    assert "allowed by match_origin of plugin 'origins'" in configured.output
    assert "   < Timing-Allow-Origin" not in configured.output  # only CORS headers and Vary


def test_a_resolve_options_plugin_that_switches_cors_off_is_named() -> None:
    app = example("hooks").create_app()
    result = run(app, "/internal/metrics", "--origin", PAGE)
    assert result.exit_code == 1
    assert (
        "Resource:  none: CORS is off for this request (resolve_options of plugin "
        "NoCorsForInternalPaths (registered without a name))"
    ) in result.output
    assert "   < (no CORS headers)" in result.output
    assert not any(line.startswith("Origin:") for line in result.output.splitlines())


def test_read_only_plugin_refuses_the_method() -> None:
    app = example("hooks").create_app()
    app.config["READ_ONLY"] = True
    result = run(app, "/api/items", "--origin", PAGE, "--method", "PUT")
    assert result.exit_code == 1
    assert "method PUT not in Access-Control-Allow-Methods" in result.output


def test_unmatched_path_and_lower_case_patch() -> None:
    app = example("quickstart").create_app()
    home = run(app, "/", "--origin", PAGE)
    assert home.exit_code == 1
    assert (
        "Resource:  none: CORS is off for this request (no resource or decorated view matches)"
        in home.output
    )
    patch = run(app, "/api/users", "--origin", PAGE, "--method", "patch")
    assert patch.exit_code == 1
    assert "Request:   patch /api/users" in patch.output
    assert "   > Access-Control-Request-Method: patch" in patch.output
    assert "method patch not in Access-Control-Allow-Methods" in patch.output


def test_decorated_view() -> None:
    app = example("decorator").create_app()
    result = run(
        app,
        "/orders",
        "--origin",
        "https://shop.example",
        "--method",
        "POST",
        "--header",
        "Content-Type: application/json",
        "--credentials",
    )
    assert result.exit_code == 0, result.output
    assert "Resource:  cross_origin() on endpoint 'orders'" in result.output


def test_app_without_cors() -> None:
    app = Flask("bare")
    app.get("/")(lambda: "bare")
    result = run(app, "/", "--origin", PAGE)
    assert result.exit_code == 1
    assert "Resource:  none: CORS is not set up on this app" in result.output
    assert not any(line.startswith("Origin:") for line in result.output.splitlines())


def test_match_origin_plugin_that_raises() -> None:
    class Broken:
        @flask_cors.hookimpl
        def match_origin(self, origin: str) -> bool | None:
            raise RuntimeError("down")

    class Silent:
        @flask_cors.hookimpl(tryfirst=True)
        def match_origin(self, request: Request) -> bool | None:
            return None

    app = Flask("broken")
    CORS(app, plugins=[Broken()])
    app.extensions["cors"].pm.register(Silent(), name="silent")
    app.get("/")(lambda: "broken")
    result = run(app, "/", "--origin", PAGE)
    assert result.exit_code == 1
    assert (
        "Origin:    match_origin of plugin Broken (registered without a name) raised "
        "RuntimeError: the request fails closed"
    ) in result.output


def test_nobody_answers_and_bad_origins() -> None:
    class Nobody:
        @flask_cors.hookimpl
        def match_origin(self) -> bool | None:
            return None

    app = Flask("nobody")
    CORS(app, blocked_plugins=["origins"], plugins=[Nobody()])
    app.get("/")(lambda: "nobody")
    result = run(app, "/", "--origin", PAGE)
    assert f"Origin:    '{PAGE}' denied: no match_origin plugin answered" in result.output
    bad = run(app, "/", "--origin", "https://a.example, https://b.example")
    assert "is not a valid serialized origin: denied before any plugin" in bad.output


def test_the_preflight_may_resolve_to_other_options() -> None:
    app = Flask("split")
    CORS(app, origins=[PAGE])

    class OptionsOff:
        @flask_cors.hookimpl(tryfirst=True)
        def resolve_options(self, request: Request) -> Any:
            return False if request.method == "OPTIONS" else None

    app.extensions["cors"].pm.register(OptionsOff(), name="options-off")
    app.route("/", methods=["PUT"])(lambda: "split")
    result = run(app, "/", "--origin", PAGE, "--method", "PUT")
    assert "           the preflight resolves to other options: none" in result.output
    assert result.exit_code == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--header", "Cookie: a=1"], "a page cannot set the request header 'Cookie'"),
        (["--header", ": x"], "no header name in ': x'"),
        (["--method", "TRACE"], "a page cannot send a TRACE request"),
        (["--data", "x"], "a GET request cannot have a body"),
    ],
)
def test_requests_a_page_cannot_make(testing_app: Flask, args: list[str], message: str) -> None:
    result = run(testing_app, "/api/items", "--origin", PAGE, *args)
    assert result.exit_code == 1
    assert f"Error: {message}" in result.output


def test_origin_is_required(testing_app: Flask) -> None:
    result = run(testing_app, "/api/items")
    assert result.exit_code == 2
    assert "--origin" in result.output


def test_parse_header() -> None:
    assert parse_header("X-A") == ("X-A", "x")
    assert parse_header(" X-A :  1 ") == ("X-A", "1")
    assert parse_header("Content-Type: text/plain; charset=utf-8") == (
        "Content-Type",
        "text/plain; charset=utf-8",
    )


def test_explain_function(testing_app: Flask) -> None:
    report = explain(testing_app, "/api/items", origin=PAGE)
    assert report.allowed
    assert str(report) == "\n".join(report.lines)
    assert report.result.response.status_code == 200


def test_flask_command_line_finds_the_command() -> None:
    env = {**os.environ, "FLASK_CORS_DISABLE_PLUGIN_AUTOLOAD": "1"}
    command = [str(Path(sys.executable).parent / "flask"), "--app", "examples/testing_app.py"]
    args = ["cors", "explain", "/api/items", "--origin", "https://evil.example"]
    result = subprocess.run(
        [*command, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert "Verdict: BLOCKED at the response: no Access-Control-Allow-Origin header" in (
        result.stdout
    )


def test_match_origin_wrappers_are_passed_over() -> None:
    class Watching:
        @flask_cors.hookimpl(wrapper=True, tryfirst=True)
        def match_origin(self) -> Any:
            return (yield)

    app = Flask("wrapped")
    CORS(app, origins=[PAGE], plugins=[Watching()])
    app.get("/")(lambda: "wrapped")
    result = run(app, "/", "--origin", PAGE)
    assert result.exit_code == 0, result.output
    assert "allowed by match_origin of plugin 'origins'" in result.output
