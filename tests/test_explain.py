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
    assert result.output.splitlines()[-3:] == [
        "Verdict: BLOCKED at the preflight: header x-debug not in Access-Control-Allow-Headers",
        "         the request itself was never sent",
        "To allow: add 'X-Debug' to allow_headers of resource '/api/*'",
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
def test_requests_a_page_cannot_make_exit_with_status_2(
    testing_app: Flask, args: list[str], message: str
) -> None:
    result = run(testing_app, "/api/items", "--origin", PAGE, *args)
    assert result.exit_code == 2
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


# --- what to change, and input no browser sends ------------------------------------------------


def suggestions_app() -> Flask:
    from flask_cors import cross_origin

    app = Flask("suggestions")
    CORS(
        app,
        resources={
            r"/api/*": {"origins": [PAGE], "allow_headers": ["Content-Type"], "methods": ["GET"]}
        },
    )
    methods = ["GET", "PUT", "DELETE", "PATCH"]
    app.add_url_rule("/api/items", "items", lambda: "items", methods=methods)
    app.add_url_rule("/plain", "plain", lambda: "plain")

    @app.get("/account/me")
    @cross_origin(origins=[PAGE])
    def me() -> str:
        return "me"

    return app


@pytest.mark.parametrize(
    ("args", "suggestions"),
    [
        (
            ["/api/items", "--origin", "https://x.example"],
            ["add 'https://x.example' to origins of resource '/api/*'"],
        ),
        (
            ["/api/items", "--origin", PAGE, "--header", "X-Token: 1"],
            ["add 'X-Token' to allow_headers of resource '/api/*'"],
        ),
        (
            ["/api/items", "--origin", PAGE, "--method", "DELETE"],
            ["add 'DELETE' to methods of resource '/api/*'"],
        ),
        (
            ["/api/items", "--origin", PAGE, "--method", "patch"],
            [
                "write the method as 'PATCH' in the page (fetch() sends 'patch' as written), "
                "and add 'PATCH' to methods of resource '/api/*'"
            ],
        ),
        (
            ["/api/items", "--origin", PAGE, "--credentials"],
            ["set supports_credentials=True on resource '/api/*'"],
        ),
        (
            ["/account/me", "--origin", PAGE, "--credentials"],
            ["set supports_credentials=True on cross_origin() on endpoint 'me'"],
        ),
        (
            ["/api/items", "--origin", "https://x.example", "--method", "PUT", "--header", "X-A"],
            [
                "add 'https://x.example' to origins of resource '/api/*'",
                "add 'PUT' to methods of resource '/api/*'",
                "add 'X-A' to allow_headers of resource '/api/*'",
            ],
        ),
        (
            ["/api/items", "--origin", "https://App.example.com:443"],
            [
                "nothing to change for a browser: it sends 'https://app.example.com', which "
                "resource '/api/*' allows (explain with --origin 'https://app.example.com')"
            ],
        ),
        (
            ["/api/items", "--origin", "null"],
            [
                "add 'null' to origins of resource '/api/*' (risky: any page can send "
                "'Origin: null', see the lint check null-origin)"
            ],
        ),
        (["/api/items", "--origin", "https://*.example.com"], []),
        (
            ["/plain", "--origin", PAGE],
            [
                "add a resource that covers '/plain' to resources (e.g. '/plain/*'), or "
                "decorate its view with @cross_origin(...)"
            ],
        ),
        (
            ["/missing/page", "--origin", PAGE],
            ["check the path: no route of the app serves '/missing/page' (404)"],
        ),
        (["/api/items", "--origin", PAGE], []),
    ],
)
def test_explain_says_what_to_change(args: list[str], suggestions: list[str]) -> None:
    result = run(suggestions_app(), *args)
    lines = result.output.splitlines()
    shown = [line[10:] for line in lines if line.startswith(("To allow: ", " " * 10))]
    shown = [line for line in shown if not line.startswith(" ")]
    assert result.exit_code == (1 if suggestions or "*" in args[2] else 0), result.output
    assert shown == suggestions
    if suggestions:
        assert lines[-len(suggestions)].startswith("To allow: ")


def test_explain_on_an_app_without_cors_says_to_set_it_up() -> None:
    app = Flask("bare")
    app.get("/")(lambda: "bare")
    result = run(app, "/", "--origin", PAGE)
    assert result.output.splitlines()[-1] == (
        "To allow: set up CORS: CORS(app) with a resource that covers '/', or "
        "@cross_origin(...) below the route of its view"
    )


def test_explain_names_the_plugin_that_denies_the_origin() -> None:
    app = example("hooks").create_app()
    result = run(app, "/api/items", "--origin", "https://tenant-b.example")
    assert result.output.splitlines()[-1].startswith(
        "To allow: match_origin of plugin DenyListFirst"
    )
    assert result.output.splitlines()[-1].endswith(
        "denies 'https://tenant-b.example': allow it there"
    )


@pytest.mark.parametrize(
    ("args", "warning"),
    [
        (
            ["api/items", "--origin", PAGE],
            "the path 'api/items' does not start with '/': the path of a browser's request "
            "always does (it was sent as '/api/items')",
        ),
        (
            ["/api/items#top", "--origin", PAGE],
            "the path '/api/items#top' has a fragment ('#...'): browsers never send it",
        ),
        (
            ["/api/items", "--origin", "app.example.com"],
            "the origin 'app.example.com' has no scheme: browsers send 'scheme://host[:port]', "
            "e.g. 'https://app.example.com'",
        ),
        (
            ["/api/items", "--origin", "https://app.example.com/"],
            "the origin 'https://app.example.com/' ends with a slash: browsers send only "
            "'scheme://host[:port]', here 'https://app.example.com'",
        ),
        (
            ["/api/items", "--origin", "https://app.example.com/login"],
            "the origin 'https://app.example.com/login' has a path: browsers send only "
            "'scheme://host[:port]', here 'https://app.example.com'",
        ),
        (
            ["/api/items", "--origin", "HTTPS://App.Example.com:443"],
            "browsers send the origin 'HTTPS://App.Example.com:443' as 'https://app.example.com' "
            "(scheme and host in lower case, no default port)",
        ),
        (
            ["/api/items", "--origin", "https://*.example.com"],
            "the origin 'https://*.example.com' is not one origin as a browser sends it (never a "
            "pattern or a list)",
        ),
        (
            ["/api/items", "--origin", PAGE, "--method", "patch"],
            "the method 'patch' is sent as written: fetch() upper-cases only DELETE, GET, HEAD, "
            "OPTIONS, POST and PUT, and methods are case-sensitive; a page that means PATCH must "
            "write 'PATCH'",
        ),
    ],
)
def test_explain_warns_about_input_no_browser_sends(args: list[str], warning: str) -> None:
    result = run(suggestions_app(), *args)
    warnings = [line for line in result.output.splitlines() if line.startswith("Warning:   ")]
    assert warnings == [f"Warning:   {warning}"]
    assert result.output.splitlines()[1] == warnings[0]  # right below the request


@pytest.mark.parametrize(
    ("path", "origin", "method"),
    [("/api/items", PAGE, "GET"), ("/api/items", "null", "delete"), ("/x", PAGE, "Put")],
)
def test_explain_does_not_warn_about_what_browsers_send(
    path: str, origin: str, method: str
) -> None:
    result = run(suggestions_app(), path, "--origin", origin, "--method", method)
    assert "Warning:" not in result.output
