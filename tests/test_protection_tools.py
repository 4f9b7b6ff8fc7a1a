"""Cross-origin protection as docs/protection.md shows it: the examples, ``flask cors
explain`` and ``routes``, the lint, a resolve_options plugin, CORS(app, resources={})."""

from __future__ import annotations

import importlib.util
import json
import logging
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from click.testing import Result
from flask import Flask, Request

from flask_cors import CORS, cross_origin, hookimpl
from flask_cors.lint import collecting
from flask_cors.options import build_options
from flask_cors.tools.cli import cors as cors_group

pytestmark = pytest.mark.usefixtures("without_installed_plugins")

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
FRONT_END = "https://app.example.com"
EVIL = "https://evil.example"
CROSS_SITE = {"Sec-Fetch-Site": "cross-site", "Origin": EVIL}


def load_example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("example_protection", EXAMPLES / "protection.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


# --- examples/protection.py ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "headers", "status"),
    [
        ("/api/transfer", CROSS_SITE, 403),
        ("/api/transfer", {"Sec-Fetch-Site": "cross-site", "Origin": FRONT_END}, 200),
        ("/api/transfer", {"Sec-Fetch-Site": "same-origin", "Origin": "http://localhost"}, 200),
        ("/api/transfer", {}, 200),
        ("/hooks/payment", CROSS_SITE, 200),
        ("/oauth/callback", CROSS_SITE, 200),
    ],
)
def test_protection_example_refuses_other_sites_but_not_its_exemptions(
    path: str, headers: dict[str, str], status: int
) -> None:
    client = load_example().create_app("secret").test_client()

    response = client.post(path, headers=headers)

    assert response.status_code == status


def test_protection_example_config_key_reaches_decorated_views() -> None:
    app = load_example().create_app("secret")

    @app.post("/oauth/other")
    @cross_origin(origins=[FRONT_END])
    def other() -> str:
        return "other"

    response = app.test_client().post("/oauth/other", headers=CROSS_SITE)

    assert response.status_code == 403


def test_protection_example_rollout_reports_and_refuses_nothing(
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = load_example().create_rollout_app().test_client()

    response = client.post("/api/transfer", headers=CROSS_SITE)

    assert response.status_code == 200
    assert any("would refuse" in r.getMessage() for r in caplog.records)


def test_decorated_views_with_empty_resources_are_refused_in_front_of_the_app() -> None:
    app = Flask("decorated")
    ran: list[str] = []

    @app.before_request
    def before() -> None:
        ran.append("before")

    @app.post("/transfer")
    @cross_origin(origins=[FRONT_END], cross_origin_protection=True)
    def transfer() -> str:
        return "transfer"

    CORS(app, resources={})

    response = app.test_client().post("/transfer", headers=CROSS_SITE)

    assert response.status_code == 403
    assert ran == []


class ProtectingResolver:
    """A plugin that resolves options for ``/tenant/*`` itself, with protection on."""

    def __init__(self) -> None:
        self.options = build_options(
            [("tenant plugin", {"origins": [FRONT_END], "cross_origin_protection": True})],
            resource="tenant plugin",
        )

    @hookimpl
    def resolve_options(self, request: Request) -> Any:
        return self.options if request.path.startswith("/tenant/") else None


def test_options_a_resolve_options_plugin_returns_are_protected_too() -> None:
    app = Flask("tenants")
    app.add_url_rule("/tenant/save", "save", lambda: "saved", methods=["POST"])
    CORS(app, resources={"/api/*": {"origins": [FRONT_END]}}, plugins=[ProtectingResolver()])

    refused = app.test_client().post("/tenant/save", headers=CROSS_SITE)
    allowed = app.test_client().post(
        "/tenant/save", headers={"Sec-Fetch-Site": "cross-site", "Origin": FRONT_END}
    )

    assert refused.status_code == 403
    assert allowed.status_code == 200


def test_refusal_record_reason_is_the_body_text() -> None:
    records: list[Any] = []

    class Observer:
        @hookimpl
        def observe_decision(self, decision: Any) -> None:
            records.append(decision)

    app = Flask("observed")
    app.add_url_rule("/api/x", "x", lambda: "x", methods=["POST"])
    CORS(app, origins=[FRONT_END], cross_origin_protection=True, plugins=[Observer()])

    response = app.test_client().post("/api/x", headers=CROSS_SITE)

    assert (
        response.get_data(as_text=True) == f"Cross-origin request refused: {records[0].reason}.\n"
    )


# --- the lint ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "found"),
    [
        ({"cross_origin_protection": True}, True),
        ({"cross_origin_protection": "report-only", "origins": "*"}, True),
        ({"cross_origin_protection": True, "origins": [FRONT_END]}, False),
        ({"cross_origin_protection": False}, False),
    ],
)
def test_lint_flags_protection_with_any_origin(
    logged_findings: Any, options: dict[str, Any], found: bool
) -> None:
    CORS(Flask("linted"), **options)

    ids = [finding.id for finding in logged_findings()]
    assert ("protection-any-origin" in ids) is found


# --- flask cors explain and routes --------------------------------------------------------------


def protected_app() -> Flask:
    app = Flask("protected_api")
    app.add_url_rule("/api/transfer", "transfer", lambda: "ok", methods=["GET", "POST"])
    app.add_url_rule("/api/report", "report", lambda: "ok", methods=["GET"])
    app.add_url_rule("/hooks/payment", "hook", lambda: "ok", methods=["POST"])
    app.add_url_rule("/plain", "plain", lambda: "ok", methods=["POST"])
    with collecting():
        CORS(
            app,
            resources={
                "/hooks/*": {"origins": [FRONT_END], "cross_origin_protection": False},
                "/api/*": {"origins": [FRONT_END], "cross_origin_protection": True},
            },
        )
    return app


def invoke(app: Flask, *args: str) -> Result:
    return app.test_cli_runner().invoke(cors_group, list(args))


def test_explain_shows_a_refused_write_from_another_site() -> None:
    result = invoke(
        protected_app(), "explain", "/api/transfer", "--origin", EVIL, "--method", "POST"
    )

    lines = result.output.splitlines()
    assert result.exit_code == 1
    assert lines[3].startswith("Protection: on for POST: refused with 403 before any of the app's")
    assert "cross-site or same-site, refused alike" in lines[3]
    assert "   < 403 FORBIDDEN" in lines
    assert "cross-origin protection refused the request (403): none of the app's" in result.output
    assert "set cross_origin_protection=False on resource '/api/*'" in result.output


def test_explain_shows_a_write_from_an_allowed_origin_let_through() -> None:
    result = invoke(
        protected_app(), "explain", "/api/transfer", "--origin", FRONT_END, "--method", "POST"
    )

    assert result.exit_code == 0
    assert (
        "Protection: on for POST: let through (the Origin is allowed by the CORS policy)"
        in result.output.splitlines()
    )


@pytest.mark.parametrize(("method", "path"), [("GET", "/api/transfer"), ("POST", "/plain")])
def test_explain_says_nothing_of_protection_where_it_does_not_apply(method: str, path: str) -> None:
    result = invoke(protected_app(), "explain", path, "--origin", EVIL, "--method", method)

    assert "Protection:" not in result.output


def test_explain_json_has_the_protection_verdict() -> None:
    result = invoke(
        protected_app(),
        "explain",
        "/api/transfer",
        "--origin",
        EVIL,
        "--method",
        "POST",
        "--format",
        "json",
    )

    document = json.loads(result.stdout)
    verdict = document["protection"]
    assert verdict["mode"] == "on"
    assert verdict["method"] == "POST"
    assert verdict["refused"] is True
    assert verdict["reason"].startswith("no Sec-Fetch-Site")
    assert verdict["origin_allowed"] is False


def test_routes_show_which_routes_are_protected() -> None:
    result = invoke(protected_app(), "routes")

    text = result.output
    assert (
        "  cross_origin_protection  on: POST from other sites refused unless the origin is "
        "allowed  <- resources['/api/*']"
    ) in text
    assert "  cross_origin_protection  on (the rule takes no unsafe method: nothing to refuse)" in (
        text
    )
    assert "  cross_origin_protection  off  <- resources['/hooks/*']" in text
    assert text.rstrip().endswith("on for /api/transfer")


def test_routes_json_gives_the_mode_of_every_route() -> None:
    result = invoke(protected_app(), "routes", "--format", "json")

    routes = {entry["rule"]: entry for entry in json.loads(result.stdout)["routes"]}
    modes = {
        rule: (entry["options"] or {}).get("cross_origin_protection", {}).get("value")
        for rule, entry in routes.items()
    }
    assert modes["/api/transfer"] == "on"
    assert modes["/hooks/payment"] == "off"
    assert modes["/plain"] is None


def test_routes_show_report_only() -> None:
    app = Flask("rollout")
    app.add_url_rule("/api/transfer", "transfer", lambda: "ok", methods=["POST"])
    with collecting():
        CORS(app, origins=[FRONT_END], cross_origin_protection="report-only")

    result = invoke(app, "routes")

    assert "report-only: POST from other sites would be refused, logged only" in result.output


def test_report_only_log_line_is_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    app = Flask("rollout_log")
    app.add_url_rule("/api/transfer", "transfer", lambda: "ok", methods=["POST"])
    CORS(app, origins=[FRONT_END], cross_origin_protection="report_only")

    app.test_client().post("/api/transfer", headers=CROSS_SITE)

    [record] = [r for r in caplog.records if "would refuse" in r.getMessage()]
    assert record.levelno == logging.WARNING
