"""Installing a plugin changes no app until the app configures it.

The three plugin distributions of the repository are installed in the test environment
and found through their entry points. An app that gives one no settings (no config key,
no resource settings) gets it registered but inert: none of its request-time hooks runs,
no ``Vary`` of its making, no audit line, and the request path of an app without plugins.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_cors_audit_log import LOGGER_NAME, RECORD_ATTRIBUTE
from flask_cors_origin_registry import registry_for

from flask_cors import CORS, CORSConfigError, hookimpl
from flask_cors.manager import DISABLE_AUTOLOAD_ENV
from flask_cors.tools.cli import cors as cors_group

ACAO = "Access-Control-Allow-Origin"
SHIPPED = ("audit_log", "origin_patterns", "origin_registry")
TENANT = "https://tenant.example.com"


@pytest.fixture(autouse=True)
def _discovery_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DISABLE_AUTOLOAD_ENV, raising=False)


def make_app(config: dict[str, Any] | None = None, name: str = "inert", **cors: Any) -> Flask:
    app = Flask(name)
    app.testing = True
    app.config.update(config or {})
    CORS(app, **cors)
    app.add_url_rule("/api/items", "items", lambda: "items")
    return app


def taking_part(app: Flask) -> dict[str, bool]:
    return {info.name: info.takes_part for info in app.extensions["cors"].pm.plugin_infos()}


def audit_lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    return [getattr(r, RECORD_ATTRIBUTE) for r in caplog.records if r.name == LOGGER_NAME]


# --- not configured: inert ----------------------------------------------------------------


@pytest.mark.parametrize(
    "cors",
    [
        pytest.param({"send_wildcard": True}, id="wildcard"),
        pytest.param({"origins": ["https://app.example.com"]}, id="listed"),
        pytest.param({"resources": {"/other/*": {}}}, id="no-resource-matches"),
    ],
)
def test_installed_plugins_without_settings_change_no_response(
    cors: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    with_plugins = make_app(**cors)
    without = make_app(name="bare", plugin_discovery=False, **cors)
    assert {name: taking_part(with_plugins)[name] for name in SHIPPED} == dict.fromkeys(
        SHIPPED, False
    )
    caplog.set_level(logging.INFO, logger=LOGGER_NAME)
    for origin in ("https://app.example.com", "https://a.example.com", None):
        headers = {} if origin is None else {"Origin": origin}
        got = with_plugins.test_client().get("/api/items", headers=headers)
        expected = without.test_client().get("/api/items", headers=headers)
        assert got.headers.get(ACAO) == expected.headers.get(ACAO)
        assert got.headers.get("Vary") == expected.headers.get("Vary")
    assert audit_lines(caplog) == []


def test_a_wildcard_resource_gets_no_vary_from_inert_plugins() -> None:
    response = (
        make_app(send_wildcard=True)
        .test_client()
        .get("/api/items", headers={"Origin": "https://any.example"})
    )
    assert response.headers[ACAO] == "*"
    assert "Vary" not in response.headers


def test_inert_plugins_leave_the_request_path_of_an_app_without_plugins() -> None:
    """The steps a request runs are the very ones of an app with discovery off: the
    defaults called directly, no observer, origins not plugin-dependent."""
    state = make_app().extensions["cors"]
    bare = make_app(name="bare", plugin_discovery=False).extensions["cors"]
    steps = state.pipeline._steps
    assert steps.direct == bare.pipeline._steps.direct
    assert steps.observers == ()
    assert steps.add_headers is None
    assert steps.own_matcher is False
    for hook in ("resolve_options", "match_origin", "build_preflight", "build_response", "vary"):
        called = [impl.plugin for impl in state.pm.request_caller(hook).get_hookimpls()]
        assert called == [state.pipeline._defaults[hook]]  # the default alone


# --- configured: taking part ----------------------------------------------------------------


def test_audit_log_takes_part_when_turned_on(caplog: pytest.LogCaptureFixture) -> None:
    app = make_app({"CORS_AUDIT_ENABLED": True})
    assert taking_part(app)["audit_log"] is True
    caplog.set_level(logging.INFO, logger=LOGGER_NAME)
    app.test_client().get("/api/items", headers={"Origin": "https://a.example"})
    assert [line["outcome"] for line in audit_lines(caplog)] == ["allowed"]


def test_audit_log_takes_part_when_given_a_file(tmp_path: Path) -> None:
    target = tmp_path / "audit.jsonl"
    app = make_app({"CORS_AUDIT_FILE": str(target)})
    app.test_client().get("/api/items", headers={"Origin": "https://a.example"})
    assert len(target.read_text().splitlines()) == 1


@pytest.mark.parametrize(
    ("config", "cors"),
    [
        pytest.param({"CORS_ORIGIN_PATTERNS": ["https://*.example.com"]}, {}, id="config"),
        pytest.param(
            {},
            {"resources": {"/api/*": {"plugins": {"origin_patterns": ["https://*.example.com"]}}}},
            id="resource",
        ),
    ],
)
def test_origin_patterns_take_part_when_given_patterns(
    config: dict[str, Any], cors: dict[str, Any]
) -> None:
    app = make_app(config, origins=["https://fixed.example.org"], **cors)
    assert taking_part(app)["origin_patterns"] is True
    client = app.test_client()
    assert client.get("/api/items", headers={"Origin": TENANT}).headers[ACAO] == TENANT
    refused = client.get("/api/items", headers={"Origin": "https://example.org"})
    assert ACAO not in refused.headers
    assert refused.headers["Vary"] == "Origin"


def test_resource_settings_made_on_first_use_wake_an_inert_plugin() -> None:
    """A ``cross_origin`` view added after ``CORS(app)`` gets its options built on its first
    request; settings there wake the plugin for that very request."""
    from flask_cors import cross_origin

    app = make_app(origins=["https://fixed.example.org"])
    assert taking_part(app)["origin_patterns"] is False

    @app.get("/late")
    @cross_origin(plugins={"origin_patterns": ["https://*.example.com"]})
    def late() -> str:
        return "late"

    response = app.test_client().get("/late", headers={"Origin": TENANT})
    assert response.headers[ACAO] == TENANT
    assert taking_part(app)["origin_patterns"] is True


def test_origin_registry_takes_part_when_given_a_store(tmp_path: Path) -> None:
    app = make_app(
        {"CORS_REGISTRY_URL": f"sqlite:///{tmp_path / 'r.sqlite3'}"},
        origins=["https://fixed.example.org"],
    )
    assert taking_part(app)["origin_registry"] is True
    registry_for(app).add(TENANT)
    response = app.test_client().get("/api/items", headers={"Origin": TENANT})
    assert response.headers[ACAO] == TENANT


def test_origin_registry_turned_on_for_a_resource_without_a_store_fails_at_start_up() -> None:
    with pytest.raises(CORSConfigError, match="CORS_REGISTRY_URL") as caught:
        make_app(resources={"/api/*": {"plugins": {"origin_registry": True}}})
    assert caught.value.option == "plugins"


# --- the convention, for any plugin ---------------------------------------------------------


class OptIn:
    """A plugin that follows the convention: inert unless ``OPT_IN_ORIGIN`` is set."""

    def __init__(self) -> None:
        self.calls = 0

    @hookimpl
    def configure(self, app: Flask) -> bool:
        return "OPT_IN_ORIGIN" in app.config

    @hookimpl
    def match_origin(self, app: Flask, origin: str) -> bool | None:
        self.calls += 1
        return origin == app.config["OPT_IN_ORIGIN"] or None


@pytest.mark.parametrize("when", ["at CORS(app)", "registered later"])
def test_a_plugin_that_declines_in_configure_is_never_called(when: str) -> None:
    plugin = OptIn()
    if when == "at CORS(app)":
        app = make_app(plugins=[plugin], send_wildcard=True, plugin_discovery=False)
    else:
        app = make_app(send_wildcard=True, plugin_discovery=False)
        app.extensions["cors"].pm.register(plugin, name="opt_in")
    response = app.test_client().get("/api/items", headers={"Origin": "https://a.example"})
    assert plugin.calls == 0
    assert "Vary" not in response.headers


def test_a_plugin_that_accepts_in_configure_takes_part() -> None:
    plugin = OptIn()
    app = make_app(
        {"OPT_IN_ORIGIN": "https://opt.example"},
        plugins=[plugin],
        origins=["https://fixed.example.org"],
        plugin_discovery=False,
    )
    response = app.test_client().get("/api/items", headers={"Origin": "https://opt.example"})
    assert response.headers[ACAO] == "https://opt.example"
    assert plugin.calls == 1


# --- blocked_plugins must name something ----------------------------------------------------


@pytest.mark.parametrize(
    ("blocked", "suggested"),
    [("audit-log", "audit_log"), ("origin_registy", "origin_registry"), ("vray", "vary")],
)
def test_a_misspelt_blocked_name_fails_at_start_up_with_the_closest_name(
    blocked: str, suggested: str
) -> None:
    with pytest.raises(CORSConfigError, match=f"did you mean {suggested!r}") as caught:
        make_app(blocked_plugins=[blocked])
    assert caught.value.option == "blocked_plugins"
    assert repr(blocked) in str(caught.value)


def test_a_blocked_name_may_name_an_installed_plugin_while_discovery_is_off(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    make_app(blocked_plugins=["audit_log"], plugin_discovery=False)
    monkeypatch.setenv(DISABLE_AUTOLOAD_ENV, "1")
    app = Flask("config_typo")
    app.config["CORS_BLOCKED_PLUGINS"] = "audit_log, origin_patern"
    with pytest.raises(CORSConfigError, match="origin_patterns") as caught:
        CORS(app)
    assert "CORS_BLOCKED_PLUGINS" in str(caught.value)


# --- flask cors plugins ---------------------------------------------------------------------


def plugins_output(app: Flask) -> str:
    result = app.test_cli_runner().invoke(cors_group, ["plugins"])
    assert result.exit_code == 0, result.output
    return str(result.output)


def test_cli_shows_which_plugins_take_part_and_which_are_inert(tmp_path: Path) -> None:
    app = make_app(
        {"CORS_REGISTRY_URL": f"sqlite:///{tmp_path / 'r.sqlite3'}"},
        name="shown",
        blocked_plugins=["audit_log"],
    )
    lines = plugins_output(app).splitlines()
    assert lines[0] == "CORS plugins of app 'shown', in registration order:"
    assert any(
        line.startswith("  origin_registry  [entry point]  flask-cors-origin-registry ")
        and line.endswith("(takes part)")
        for line in lines
    )
    assert any(
        line.startswith("  origin_patterns  [entry point]")
        and line.endswith("(inert: not configured for this app)")
        for line in lines
    )
    assert "takes part: origin_registry, resolve, origins, preflight, response, vary" in lines
    assert "inert (installed, not configured for this app): origin_patterns" in lines
    assert "blocked: audit_log" in lines


@pytest.mark.parametrize(
    ("switch", "reason"),
    [("kwarg", "plugin_discovery is False"), ("env", f"{DISABLE_AUTOLOAD_ENV} is set")],
)
def test_cli_lists_installed_plugins_that_discovery_did_not_load(
    monkeypatch: pytest.MonkeyPatch, switch: str, reason: str
) -> None:
    if switch == "env":
        monkeypatch.setenv(DISABLE_AUTOLOAD_ENV, "1")
        app = make_app()
    else:
        app = make_app(plugin_discovery=False)
    lines = plugins_output(app).splitlines()
    assert "inert (installed, not configured for this app): (none)" in lines
    assert "blocked: (none)" in lines
    (not_loaded,) = [line for line in lines if line.startswith("installed, not loaded")]
    assert not_loaded.startswith(f"installed, not loaded ({reason}): ")
    assert set(SHIPPED) <= set(not_loaded.split(": ", 1)[1].split(", "))
