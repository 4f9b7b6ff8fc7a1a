"""``--format json`` of ``flask cors check``, ``routes`` and ``explain``: the keys and exit
statuses documented in docs/cli.md, read back with ``json.loads``."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from flask import Flask
from flask.cli import ScriptInfo

from flask_cors import CORS, cross_origin
from flask_cors.lint import collecting
from flask_cors.options import OPTION_NAMES
from flask_cors.tools.cli import cors as cors_group

pytestmark = pytest.mark.usefixtures("without_installed_plugins")

ROOT = Path(__file__).resolve().parent.parent
ORIGIN = "https://app.example.com"
CHECK_KEYS = {"version", "app", "passed", "strict", "counts", "findings", "ignored"}
FINDING_KEYS = {"id", "severity", "where", "option", "source", "problem", "fix"}
ROUTES_KEYS = {"version", "app", "passed", "error", "other_resolvers", "routes"}
ROUTE_KEYS = {"rule", "endpoint", "methods", "has_variables", "matched", "refused", "options"}
EXPLAIN_KEYS = {
    "version",
    "request",
    "allowed",
    "blocked_at",
    "reason",
    "resource",
    "origin_decision",
    "preflight",
    "exchanges",
    "readable_headers",
    "suggestions",
    "warnings",
    "protection",
}
EXCHANGE_KEYS = {
    "kind",
    "method",
    "url",
    "request_headers",
    "status",
    "cors_headers",
    "passed",
    "reason",
}


def run_json(app: Flask, *args: str, obj: ScriptInfo | None = None) -> tuple[Result, Any]:
    runner = app.test_cli_runner()
    extra = {} if obj is None else {"obj": obj}  # by default, a ScriptInfo loading ``app``
    result = runner.invoke(cors_group, [*args, "--format", "json"], **extra)
    return result, json.loads(result.stdout)


def api_app(name: str = "api", **kwargs: Any) -> Flask:
    app = Flask(name)
    app.config["CORS_MAX_AGE"] = 600
    with collecting():
        CORS(app, resources={r"/api/*": {"origins": [ORIGIN], "expose_headers": ["X-Total"]}})

    @app.route("/api/items/<int:item_id>", methods=["GET", "PUT"])
    def item(item_id: int) -> str:
        return "item"

    @app.get("/private")
    def private() -> str:
        return "private"

    @app.get("/orders")
    @cross_origin(origins="https://orders.example", supports_credentials=True)
    def orders() -> str:
        return "orders"

    return app


# --- flask cors check --format json --------------------------------------------------------


def test_check_json_of_a_clean_app() -> None:
    result, document = run_json(api_app(), "check")

    assert result.exit_code == 0, result.output
    assert set(document) == CHECK_KEYS
    assert document == {
        "version": 1,
        "app": "api",
        "passed": True,
        "strict": False,
        "counts": {"error": 0, "warning": 0, "info": 0},
        "findings": [],
        "ignored": [],
    }


def test_check_json_lists_every_finding_errors_first_and_exits_1() -> None:
    app = Flask("broken")
    with collecting():
        CORS(app, supports_credentials=True, resources={"/api/*/items": {}}, max_age=86400)

    result, document = run_json(app, "check")

    assert result.exit_code == 1
    assert document["passed"] is False
    assert document["counts"] == {"error": 1, "warning": 1, "info": 1}
    assert [f["id"] for f in document["findings"]] == [
        "credentials-any-origin",
        "resource-glob",
        "max-age-capped",
    ]
    assert [f["severity"] for f in document["findings"]] == ["error", "warning", "info"]
    for finding in document["findings"]:
        assert set(finding) == FINDING_KEYS
        assert all(isinstance(value, str) for value in finding.values())
    first = document["findings"][0]
    assert first["where"] == "resource '/api/*/items'"
    assert first["option"] == "origins"
    assert first["source"] == "the defaults"


@pytest.mark.parametrize(("strict", "status"), [(False, 0), (True, 1)])
def test_check_json_warnings_fail_only_under_lint_strict(strict: bool, status: int) -> None:
    app = Flask("warned")
    app.config["CORS_LINT_STRICT"] = strict
    with collecting():
        CORS(app, origins="https://app.example.com/")

    result, document = run_json(app, "check")

    assert result.exit_code == status
    assert document["passed"] is not strict
    assert document["strict"] is strict
    assert document["counts"]["warning"] == 1


def test_check_json_lists_ignored_findings() -> None:
    app = Flask("ignoring")
    CORS(app, supports_credentials=True, lint_ignore=["credentials-any-origin"])

    result, document = run_json(app, "check")

    assert result.exit_code == 0
    assert document["findings"] == []
    [ignored] = document["ignored"]
    assert set(ignored) == FINDING_KEYS
    assert ignored["id"] == "credentials-any-origin"


def conflicting(app: Flask) -> Flask:
    app.config["CORS_SUPPORTS_CREDENTIALS"] = True

    @app.get("/open")
    @cross_origin(origins="*", send_wildcard=True)
    def open_view() -> str:
        return "open"

    return app


def test_check_json_reports_a_refused_view_as_config_refused() -> None:
    result, document = run_json(conflicting(Flask("refusing")), "check")

    assert result.exit_code == 1
    [finding] = document["findings"]
    assert finding["id"] == "config-refused"
    assert finding["severity"] == "error"
    assert finding["where"] == "cross_origin() on endpoint 'open_view'"
    assert finding["option"] == "send_wildcard"
    assert finding["source"] == "cross_origin() on endpoint 'open_view'"
    assert finding["problem"].startswith("CORS option 'send_wildcard'")


def test_check_and_routes_json_of_an_app_that_cannot_start() -> None:
    def create_app() -> Flask:
        app = conflicting(Flask("refused"))
        CORS(app, origins=ORIGIN)
        return app

    check, document = run_json(Flask("runner"), "check", obj=ScriptInfo(create_app=create_app))
    assert check.exit_code == 1
    assert document["app"] is None
    assert [f["id"] for f in document["findings"]] == ["config-refused"]
    assert document["findings"][0]["where"] == "the app"

    routes, listing = run_json(Flask("runner"), "routes", obj=ScriptInfo(create_app=create_app))
    assert routes.exit_code == 1
    assert set(listing) == ROUTES_KEYS
    assert listing["passed"] is False
    assert listing["routes"] == []
    assert listing["error"].startswith("CORS option 'send_wildcard'")


# --- flask cors routes --format json -------------------------------------------------------


def by_rule(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {route["rule"]: route for route in document["routes"]}


def test_routes_json_gives_every_option_with_its_source() -> None:
    result, document = run_json(api_app(), "routes")

    assert result.exit_code == 0, result.output
    assert set(document) == ROUTES_KEYS
    assert document["version"] == 1
    assert document["app"] == "api"
    assert document["passed"] is True
    assert document["error"] is None
    assert document["other_resolvers"] is False
    routes = by_rule(document)
    assert set(routes) == {
        "/api/items/<int:item_id>",
        "/private",
        "/orders",
        "/static/<path:filename>",
    }
    for route in routes.values():
        assert set(route) == ROUTE_KEYS
    item = routes["/api/items/<int:item_id>"]
    assert item["endpoint"] == "item"
    assert item["methods"] == ["GET", "HEAD", "OPTIONS", "PUT"]
    assert item["has_variables"] is True
    assert item["matched"] == "resource '/api/*'"
    assert item["refused"] is None
    options = item["options"]
    assert set(options) == OPTION_NAMES
    assert all(set(entry) == {"value", "source"} for entry in options.values())
    assert options["origins"] == {"value": [ORIGIN], "source": "resources['/api/*']"}
    assert options["expose_headers"] == {"value": ["X-Total"], "source": "resources['/api/*']"}
    assert options["max_age"] == {"value": 600, "source": "app config CORS_MAX_AGE"}
    assert options["allow_headers"]["value"] == ["*"]
    assert options["supports_credentials"] == {"value": False, "source": "the defaults"}
    assert options["methods"]["value"] == [
        "DELETE",
        "GET",
        "HEAD",
        "OPTIONS",
        "PATCH",
        "POST",
        "PUT",
    ]
    assert options["plugins"]["value"] == {}
    orders = routes["/orders"]
    assert orders["matched"] == "cross_origin() on endpoint 'orders'"
    assert orders["options"]["supports_credentials"]["value"] is True
    private = routes["/private"]
    assert private["matched"] is None
    assert private["options"] is None


def test_routes_json_of_a_refused_view_exits_1() -> None:
    result, document = run_json(conflicting(Flask("refusing")), "routes")

    assert result.exit_code == 1
    assert document["passed"] is False
    assert document["error"] is None
    route = by_rule(document)["/open"]
    assert route["options"] is None
    assert route["matched"] == "cross_origin() on endpoint 'open_view'"
    assert route["refused"].startswith("CORS option 'send_wildcard'")


# --- flask cors explain --format json ------------------------------------------------------


def test_explain_json_of_an_allowed_request() -> None:
    args = ["explain", "/api/items/1", "--origin", ORIGIN, "--method", "PUT", "--header", "X-A"]
    result, document = run_json(api_app(), *args)

    assert result.exit_code == 0, result.output
    assert set(document) == EXPLAIN_KEYS
    assert document["version"] == 1
    assert document["request"] == {
        "path": "/api/items/1",
        "origin": ORIGIN,
        "method": "PUT",
        "headers": [["X-A", "x"]],
        "credentials": False,
        "data": None,
    }
    assert document["allowed"] is True
    assert document["blocked_at"] is None
    assert document["resource"] == "/api/*"
    assert document["origin_decision"].startswith(f"'{ORIGIN}' allowed by match_origin")
    assert document["preflight"] == {"needed": True, "because": ["PUT", "x-a"]}
    assert [e["kind"] for e in document["exchanges"]] == ["preflight", "request"]
    preflight, actual = document["exchanges"]
    assert set(preflight) == EXCHANGE_KEYS
    assert preflight["method"] == "OPTIONS"
    assert preflight["status"] == 200
    assert ["Access-Control-Request-Method", "PUT"] in preflight["request_headers"]
    assert ["Access-Control-Allow-Origin", ORIGIN] in preflight["cors_headers"]
    assert preflight["passed"] is True
    assert actual["method"] == "PUT"
    assert document["readable_headers"] == ["content-length", "content-type"]
    assert document["suggestions"] == []
    assert document["warnings"] == []


def test_explain_json_of_a_blocked_request_has_suggestions_and_warnings() -> None:
    args = ["explain", "api/items/1", "--origin", "https://x.example", "--header", "X-Token"]
    result, document = run_json(api_app(), *args)

    assert result.exit_code == 1
    assert document["allowed"] is False
    assert document["blocked_at"] == "preflight"
    assert document["reason"] == "no Access-Control-Allow-Origin header"
    assert [e["passed"] for e in document["exchanges"]] == [False]
    assert document["readable_headers"] == []
    assert document["suggestions"] == ["add 'https://x.example' to origins of resource '/api/*'"]
    assert [w.split(":")[0] for w in document["warnings"]] == [
        "the path 'api/items/1' does not start with '/'"
    ]


def test_explain_json_blocked_at_the_response_and_without_cors() -> None:
    result, document = run_json(api_app(), "explain", "/private", "--origin", ORIGIN)

    assert result.exit_code == 1
    assert document["blocked_at"] == "response"
    assert document["origin_decision"] is None
    assert document["resource"].startswith("none: CORS is off for this request")
    assert document["preflight"] == {"needed": False, "because": []}


def test_explain_json_of_a_request_no_page_can_make_exits_2() -> None:
    args = ["explain", "/private", "--origin", ORIGIN, "--method", "TRACE", "--format", "json"]
    result = api_app().test_cli_runner().invoke(cors_group, args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Error: a page cannot send a TRACE request" in result.stderr


# --- docs/cli.md shows real output ------------------------------------------------------------

DOCS_EXAMPLE = re.compile(
    r"```text\n\$ flask --app (\S+) cors ([^\n]+)\n```\n\n```json\n(.*?)```", re.DOTALL
)


def test_the_json_examples_of_the_cli_page_are_real(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # the examples are named as from the repository root
    examples = DOCS_EXAMPLE.findall((ROOT / "docs" / "cli.md").read_text())
    assert [shlex.split(command)[0] for _, command, _ in examples] == [
        "check",
        "routes",
        "explain",
    ]
    for target, command, shown in examples:
        info = ScriptInfo(app_import_path=target)
        result = (
            Flask("runner").test_cli_runner().invoke(cors_group, shlex.split(command), obj=info)
        )
        real = json.loads(result.stdout)
        if command.startswith("routes"):  # the page shows one route's entry
            entry = json.loads(shown)
            assert entry == by_rule(real)[entry["rule"]]
        else:
            assert json.loads(shown) == real
