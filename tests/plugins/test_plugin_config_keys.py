"""Plugin settings in the app config: declared keys, the lint, and the environment.

A plugin names its ``CORS_*`` keys through the ``config_keys`` hook; the lint reports none
of them as ``unknown-option``, and Flask's ``app.config.from_prefixed_env()`` reads each
from the environment (``FLASK_CORS_AUDIT_FILE`` becomes ``CORS_AUDIT_FILE``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_cors_origin_registry import registry_for

from flask_cors import CORS, CORSConfigError, hookimpl
from flask_cors.lint import Finding
from flask_cors.manager import DISABLE_AUTOLOAD_ENV

ORIGIN = "https://a.example.com"

Findings = Callable[[], list[Finding]]


def unknown_options(findings: Findings) -> list[str]:
    return [finding.option for finding in findings() if finding.id == "unknown-option"]


def app_from_env(**cors: Any) -> Flask:
    """An app whose config is read from the environment, as Flask documents."""
    app = Flask("from_env")
    app.config.from_prefixed_env()
    CORS(app, origins=["https://fixed.example.org"], **cors)

    @app.get("/")
    def index() -> str:
        return "ok"

    return app


def takes_part(app: Flask, plugin: str) -> bool:
    infos = {info.name: info for info in app.extensions["cors"].pm.plugin_infos()}
    return infos[plugin].takes_part


@pytest.mark.parametrize(
    ("variable", "value", "plugin"),
    [
        ("FLASK_CORS_AUDIT_ENABLED", "true", "audit_log"),
        ("FLASK_CORS_AUDIT_FILE", "{tmp}/audit.jsonl", "audit_log"),
        ("FLASK_CORS_ORIGIN_PATTERNS", "https://*.example.com", "origin_patterns"),
        (
            "FLASK_CORS_ORIGIN_PATTERNS",
            "https://*.example.com, http://localhost:*",
            "origin_patterns",
        ),
        ("FLASK_CORS_ORIGIN_PATTERNS", '["https://*.example.com"]', "origin_patterns"),
        ("FLASK_CORS_ORIGIN_PATTERNS_PUBLIC_SUFFIXES", '["corp.example"]', None),
        ("FLASK_CORS_REGISTRY_URL", "sqlite:///{tmp}/r.sqlite3", "origin_registry"),
        ("FLASK_CORS_REGISTRY_CACHE_TTL", "0.5", None),
    ],
)
def test_a_plugin_setting_from_the_environment_is_known_and_read(
    variable: str,
    value: str,
    plugin: str | None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    logged_findings: Findings,
) -> None:
    monkeypatch.setenv(variable, value.format(tmp=tmp_path))
    app = app_from_env()
    assert variable.removeprefix("FLASK_") in app.config
    assert unknown_options(logged_findings) == []
    if plugin is not None:
        assert takes_part(app, plugin)


def test_durations_from_the_environment_reach_the_registry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, logged_findings: Findings
) -> None:
    monkeypatch.setenv("FLASK_CORS_REGISTRY_URL", f"sqlite:///{tmp_path / 'r.sqlite3'}")
    monkeypatch.setenv("FLASK_CORS_REGISTRY_CACHE_TTL", "0.5")
    monkeypatch.setenv("FLASK_CORS_REGISTRY_TIMEOUT", "1")
    app = app_from_env()
    registry = registry_for(app)
    assert (registry.cache.ttl, registry.timeout) == (0.5, 1)
    registry.add(ORIGIN)
    response = app.test_client().get("/", headers={"Origin": ORIGIN})
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert unknown_options(logged_findings) == []


def test_the_autoload_switch_copied_by_from_prefixed_env_is_known(
    monkeypatch: pytest.MonkeyPatch, logged_findings: Findings
) -> None:
    monkeypatch.setenv(DISABLE_AUTOLOAD_ENV, "1")
    app = app_from_env()
    assert app.config["CORS_DISABLE_PLUGIN_AUTOLOAD"] == 1
    assert unknown_options(logged_findings) == []
    assert app.extensions["cors"].pm.discovery_off == f"{DISABLE_AUTOLOAD_ENV} is set"


def test_the_autoload_key_written_by_hand_is_reported(
    monkeypatch: pytest.MonkeyPatch, logged_findings: Findings
) -> None:
    """Without the environment variable, the key in the config would do nothing."""
    monkeypatch.delenv(DISABLE_AUTOLOAD_ENV, raising=False)
    app = Flask("by_hand")
    app.config["CORS_DISABLE_PLUGIN_AUTOLOAD"] = True
    CORS(app)
    assert unknown_options(logged_findings) == ["CORS_DISABLE_PLUGIN_AUTOLOAD"]


@pytest.mark.parametrize(
    ("config", "cors", "reported"),
    [
        ({"CORS_AUDIT_FIEL": "audit.jsonl"}, {}, ["CORS_AUDIT_FIEL"]),
        ({"CORS_ORIGNS": ["https://a.example"]}, {}, ["CORS_ORIGNS"]),
        ({"CORS_AUDIT_FILE": "a.jsonl"}, {"blocked_plugins": ["audit_log"]}, ["CORS_AUDIT_FILE"]),
        ({"CORS_AUDIT_FILE": "a.jsonl"}, {"plugin_discovery": False}, ["CORS_AUDIT_FILE"]),
    ],
)
def test_a_key_no_registered_plugin_declares_is_still_reported(
    config: dict[str, object],
    cors: dict[str, Any],
    reported: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    logged_findings: Findings,
) -> None:
    monkeypatch.chdir(tmp_path)
    app = Flask("undeclared")
    app.config.update(config)
    CORS(app, **cors)
    assert unknown_options(logged_findings) == reported


class TenantHeader:
    """A third-party plugin with an app-wide setting next to flask_cors's own."""

    __name__ = "tenant_header"

    def __init__(self, keys: object = ("CORS_TENANT_HEADER",)) -> None:
        self.keys = keys

    @hookimpl
    def config_keys(self) -> object:
        return self.keys

    @hookimpl
    def configure(self, app: Flask) -> bool:
        return "CORS_TENANT_HEADER" in app.config


def test_a_third_party_plugin_declares_its_keys(logged_findings: Findings) -> None:
    app = Flask("third_party")
    app.config["CORS_TENANT_HEADER"] = "X-Tenant"
    CORS(app, plugins=[TenantHeader()], plugin_discovery=False)
    assert unknown_options(logged_findings) == []


@pytest.mark.parametrize(
    ("keys", "problem"),
    [
        ("CORS_TENANT_HEADER", "expected a list"),
        (["TENANT_HEADER"], "does not start with 'CORS_'"),
        (["CORS_ORIGINS"], "flask_cors option's own key"),
        (["CORS_PLUGIN_DISCOVERY"], "flask_cors option's own key"),
        ([3], "does not start with 'CORS_'"),
    ],
)
def test_a_bad_declaration_fails_at_start_up(keys: object, problem: str) -> None:
    with pytest.raises(CORSConfigError) as caught:
        CORS(Flask("bad"), plugins=[TenantHeader(keys)], plugin_discovery=False)
    assert caught.value.option == "plugins"
    assert "'tenant_header'" in caught.value.problem
    assert problem in caught.value.problem


def test_a_core_option_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """docs/plugins.md: FLASK_CORS_MAX_AGE=600 becomes CORS_MAX_AGE = 600."""
    monkeypatch.setenv("FLASK_CORS_MAX_AGE", "600")
    client = app_from_env(plugin_discovery=False).test_client()
    preflight = client.options(
        "/",
        headers={"Origin": "https://fixed.example.org", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.headers["Access-Control-Max-Age"] == "600"


def test_a_boolean_written_as_1_in_the_environment_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """docs/plugins.md: from_prefixed_env reads 1 as a number; write true or false."""
    monkeypatch.setenv("FLASK_CORS_AUDIT_ENABLED", "1")
    with pytest.raises(CORSConfigError) as caught:
        app_from_env()
    assert caught.value.option == "CORS_AUDIT_ENABLED"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("FLASK_CORS_AUDIT_FILE", "CORS_AUDIT_FILE"),
        ("FLASK_CORS_ORIGIN_PATTERNS", "CORS_ORIGIN_PATTERNS"),
        ("FLASK_CORS_ORIGIN_PATTERNS_PUBLIC_SUFFIXES", "CORS_ORIGIN_PATTERNS_PUBLIC_SUFFIXES"),
        ("FLASK_CORS_REGISTRY_URL", "CORS_REGISTRY_URL"),
        ("FLASK_CORS_REGISTRY_CACHE_TTL", "CORS_REGISTRY_CACHE_TTL"),
    ],
)
def test_the_config_keys_of_development_versions_fail_naming_the_new_key(
    old: str, new: str
) -> None:
    app = Flask("old_keys")
    app.config[old] = "x"
    with pytest.raises(CORSConfigError) as caught:
        CORS(app)
    assert caught.value.option == old
    assert f"renamed {new}" in caught.value.problem
