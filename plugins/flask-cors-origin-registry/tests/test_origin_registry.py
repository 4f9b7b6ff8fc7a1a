"""The origin registry plugin, found through its entry point, in real Flask apps."""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_cors_origin_registry import (
    EXTENSION_KEY,
    OriginRegistry,
    RegistryUnavailable,
    normalize_origin,
    registry_for,
)
from flask_cors_origin_registry.cli import registry_command

from flask_cors import CORS, CORSConfigError

STATIC = "https://static.example.org"
TENANT = "https://tenant.example"
ACAO = "Access-Control-Allow-Origin"


def make_app(
    url: str | Path | None,
    name: str = "registry_app",
    table: str | None = None,
    settings: dict[str, Any] | None = None,
    **cors: Any,
) -> Flask:
    app = Flask(name)
    app.testing = True
    app.config.update(settings or {})
    if url is not None:
        app.config["CORS_REGISTRY_URL"] = url if isinstance(url, str) else f"sqlite:///{url}"
    if table is not None:
        app.config["CORS_REGISTRY_TABLE"] = table
    app.config["CORS_REGISTRY_CACHE_TTL"] = 60.0
    cors.setdefault("origins", [STATIC])
    CORS(app, **cors)

    @app.get("/api/items")
    def items() -> str:
        return "items"

    return app


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return tmp_path / "origins.sqlite3"


@pytest.fixture
def app(store: str, table_name: str) -> Flask:
    """An app whose registry is in ``store``: every test using it runs on both stores."""
    return make_app(store, table=table_name)


@pytest.fixture
def client(app: Flask) -> Iterator[FlaskClient]:
    with app.test_client() as client:
        yield client


def get(client: FlaskClient, origin: str) -> Any:
    return client.get("/api/items", headers={"Origin": origin})


def test_found_by_discovery_and_listed_with_its_distribution(app: Flask) -> None:
    infos = {info.name: info for info in app.extensions["cors"].pm.plugin_infos()}
    info = infos["origin_registry"]
    assert info.kind == "entry point"
    assert info.distribution == "flask-cors-origin-registry"
    assert info.version == "0.1.0"
    assert set(info.hooks) == {"config_keys", "configure", "match_origin", "plugin_settings"}
    assert isinstance(app.extensions[EXTENSION_KEY], OriginRegistry)


def test_configure_creates_the_database(database: Path) -> None:
    app = make_app(database)
    assert database.exists()
    assert registry_for(app).list() == []


def test_old_database_setting_still_works_with_a_deprecation_note(database: Path) -> None:
    app = Flask("old_setting")
    app.config["CORS_REGISTRY_DATABASE"] = str(database)
    with pytest.warns(DeprecationWarning, match="CORS_REGISTRY_URL"):
        CORS(app)
    registry_for(app).add(TENANT)
    assert OriginRegistry(f"sqlite:///{database}").list() == [TENANT]


def test_both_url_and_old_database_setting_is_an_error(database: Path) -> None:
    app = Flask("both_settings")
    app.config["CORS_REGISTRY_DATABASE"] = str(database)
    app.config["CORS_REGISTRY_URL"] = f"sqlite:///{database}"
    with pytest.raises(CORSConfigError, match="CORS_REGISTRY_DATABASE"):
        CORS(app)


def test_add_and_remove_at_run_time_without_restart(app: Flask, client: FlaskClient) -> None:
    assert ACAO not in get(client, TENANT).headers
    assert registry_for(app).add(TENANT) is True
    response = get(client, TENANT)
    assert response.headers[ACAO] == TENANT
    assert registry_for(app).add(TENANT.upper()) is False  # already there, any case
    assert registry_for(app).list() == [TENANT]
    assert registry_for(app).remove(TENANT) is True
    assert ACAO not in get(client, TENANT).headers
    assert registry_for(app).remove(TENANT) is False


def test_origins_compare_case_insensitively(app: Flask, client: FlaskClient) -> None:
    registry_for(app).add("HTTPS://Tenant.Example")
    assert registry_for(app).list() == [TENANT]
    assert get(client, "https://TENANT.example").headers[ACAO] == "https://TENANT.example"


def test_configured_origins_still_work(app: Flask, client: FlaskClient) -> None:
    registry_for(app).add(TENANT)
    assert get(client, STATIC).headers[ACAO] == STATIC
    assert get(client, TENANT).headers[ACAO] == TENANT
    assert ACAO not in get(client, "https://other.example").headers


def test_preflight_for_a_registered_origin(app: Flask, client: FlaskClient) -> None:
    registry_for(app).add(TENANT)
    response = client.options(
        "/api/items",
        headers={"Origin": TENANT, "Access-Control-Request-Method": "PUT"},
    )
    assert response.status_code == 200
    assert response.headers[ACAO] == TENANT
    assert "PUT" in response.headers["Access-Control-Allow-Methods"]
    assert "Origin" in response.headers["Vary"]


@pytest.mark.parametrize(
    "bad",
    [
        "*",
        "null",
        "https://tenant.example/",
        "https://tenant.example/path",
        "tenant.example",
        "https://user@tenant.example",
        "https://tenant example",
        "https://-tenant.example",
        "https://tenant.example:99999",
        "",
    ],
)
def test_add_refuses_what_is_not_an_origin(app: Flask, bad: str) -> None:
    with pytest.raises(ValueError, match="serialized origin"):
        registry_for(app).add(bad)


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        (" HTTP://LocalHost:5173 ", "http://localhost:5173"),
        ("http://[::1]:8080", "http://[::1]:8080"),
        ("https://tenant.example:443", "https://tenant.example"),
        ("https://ténant.example", "https://xn--tnant-bsa.example"),
        ("https://Bücher.example:443", "https://xn--bcher-kva.example"),
    ],
)
def test_origins_are_kept_as_browsers_send_them(given: str, stored: str) -> None:
    assert normalize_origin(given) == stored


def test_vary_origin_even_for_a_wildcard_resource(database: Path) -> None:
    with_registry = make_app(database, origins="*", send_wildcard=True)
    response = get(with_registry.test_client(), "https://any.example")
    assert response.headers[ACAO] == "*"
    assert response.headers["Vary"] == "Origin"
    # The same configuration without the plugin does not depend on the Origin at all.
    blocked = make_app(
        database,
        name="blocked",
        origins="*",
        send_wildcard=True,
        blocked_plugins=["origin_registry", "origin_patterns"],
    )
    response = get(blocked.test_client(), "https://any.example")
    assert response.headers[ACAO] == "*"
    assert "Vary" not in response.headers


def test_denied_origin_gets_vary_origin(client: FlaskClient) -> None:
    response = get(client, "https://stranger.example")
    assert ACAO not in response.headers
    assert response.headers["Vary"] == "Origin"


def test_inactive_without_a_database_setting() -> None:
    app = make_app(None)
    assert EXTENSION_KEY not in app.extensions
    with pytest.raises(LookupError, match="CORS_REGISTRY_URL"):
        registry_for(app)
    assert get(app.test_client(), STATIC).headers[ACAO] == STATIC


def test_blocked_by_name_is_inactive(database: Path) -> None:
    app = Flask("blocked_by_config")
    app.config["CORS_REGISTRY_URL"] = f"sqlite:///{database}"
    app.config["CORS_BLOCKED_PLUGINS"] = "origin_registry"
    CORS(app)
    assert not app.extensions["cors"].pm.has_plugin("origin_registry")
    with pytest.raises(LookupError):
        registry_for(app)


def test_state_is_per_app(store: str, table_name: str) -> None:
    first = make_app(store, name="first", table=table_name + "_a")
    second = make_app(store, name="second", table=table_name + "_b")
    registry_for(first).add(TENANT)
    assert get(first.test_client(), TENANT).headers[ACAO] == TENANT
    assert ACAO not in get(second.test_client(), TENANT).headers
    assert registry_for(first) is not registry_for(second)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("CORS_REGISTRY_CACHE_SIZE", -1),
        ("CORS_REGISTRY_CACHE_SIZE", "10"),
        ("CORS_REGISTRY_CACHE_TTL", True),
        ("CORS_REGISTRY_TIMEOUT", 0),
        ("CORS_REGISTRY_POOL_SIZE", 0),
        ("CORS_REGISTRY_CONNECT_TIMEOUT", 0.5),
        ("CORS_REGISTRY_MAX_OVERFLOW", -2),
        ("CORS_REGISTRY_RETRY_INTERVAL", "1s"),
        ("CORS_REGISTRY_TABLE", "origins; drop table x"),
        ("CORS_REGISTRY_TABLE", 7),
        ("CORS_REGISTRY_CHANNEL", "bad-channel"),
        ("CORS_REGISTRY_SOURCE", "tenants"),
        ("CORS_REGISTRY_SOURCE", "tenants.origin; --"),
        ("CORS_REGISTRY_URL", "sqlite:///:memory:"),
        ("CORS_REGISTRY_URL", "sqlite://"),
        ("CORS_REGISTRY_URL", "mysql://db.example/app"),
        ("CORS_REGISTRY_URL", "not a url"),
        ("CORS_REGISTRY_URL", 42),
    ],
)
def test_bad_settings_fail_at_start_up(database: Path, key: str, value: object) -> None:
    app = Flask("bad_settings")
    app.config["CORS_REGISTRY_URL"] = f"sqlite:///{database}"
    app.config[key] = value
    with pytest.raises(CORSConfigError, match=key):
        CORS(app)


# --- failing closed and recovering -----------------------------------------------------


def test_locked_database_fails_closed_and_recovers(
    database: Path, caplog: pytest.LogCaptureFixture
) -> None:
    app = Flask("locked")
    app.testing = True
    app.config["CORS_REGISTRY_URL"] = f"sqlite:///{database}"
    app.config["CORS_REGISTRY_TIMEOUT"] = 0.05
    CORS(app, origins=[STATIC])

    @app.get("/")
    def index() -> str:
        return "ok"

    registry_for(app).add(TENANT)
    client = app.test_client()
    locker = sqlite3.connect(database, isolation_level=None)
    try:
        locker.execute("BEGIN EXCLUSIVE")
        with caplog.at_level(logging.ERROR, logger="flask_cors"):
            response = client.get("/", headers={"Origin": TENANT})
        assert response.status_code == 200
        assert response.get_data(as_text=True) == "ok"
        assert ACAO not in response.headers
        assert response.headers["Vary"] == "Origin"
        failures = [
            r for r in caplog.records if r.name == "flask_cors" and r.levelno >= logging.ERROR
        ]
        # One line with the reason, and no stack trace.
        assert len(failures) == 1
        assert failures[0].exc_info is None
        assert "without CORS headers" in failures[0].getMessage()
        assert "locked" in failures[0].getMessage()
        time.sleep(0.6)  # past the retry interval: the next lookup tries the database
        # Origins the resource allows by itself never need the database.
        assert client.get("/", headers={"Origin": STATIC}).headers[ACAO] == STATIC
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    assert client.get("/", headers={"Origin": TENANT}).headers[ACAO] == TENANT


def test_missing_database_fails_closed_and_recovers(database: Path) -> None:
    app = make_app(database, settings={"CORS_REGISTRY_RETRY_INTERVAL": 0})
    registry = registry_for(app)
    registry.add(TENANT)
    client = app.test_client()
    database.unlink()
    response = get(client, TENANT)
    assert response.status_code == 200
    assert ACAO not in response.headers
    assert response.headers["Vary"] == "Origin"
    assert not database.exists()  # a lookup never creates an empty database
    with pytest.raises(RegistryUnavailable):
        registry.list()
    registry.add(TENANT)  # recreates the file and its table
    assert get(client, TENANT).headers[ACAO] == TENANT


def test_unopenable_database_at_start_up_still_serves(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    missing_dir = tmp_path / "not-yet" / "origins.sqlite3"
    with caplog.at_level(logging.WARNING, logger="flask_cors.origin_registry"):
        app = make_app(missing_dir, settings={"CORS_REGISTRY_RETRY_INTERVAL": 0})
    assert any("not ready" in record.getMessage() for record in caplog.records)
    client = app.test_client()
    assert ACAO not in get(client, TENANT).headers
    assert get(client, STATIC).headers[ACAO] == STATIC
    missing_dir.parent.mkdir()
    registry_for(app).add(TENANT)
    assert get(client, TENANT).headers[ACAO] == TENANT


def test_errors_are_not_cached(database: Path) -> None:
    registry = OriginRegistry(database, cache_ttl=60, retry_interval=0)
    with pytest.raises(RegistryUnavailable):
        registry.allows(TENANT)
    assert len(registry.cache) == 0
    registry.add(TENANT)
    assert registry.allows(TENANT) is True


# --- the cache ---------------------------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_cache_is_bounded_for_random_origins(database: Path) -> None:
    registry = OriginRegistry(database, cache_size=16, cache_ttl=60)
    registry.create_schema()
    for number in range(500):
        assert registry.allows(f"https://random{number}.example") is False
    assert len(registry.cache) == 16


def test_changes_by_another_process_show_after_the_ttl(database: Path) -> None:
    clock = FakeClock()
    serving = OriginRegistry(database, cache_size=8, cache_ttl=5, clock=clock)
    other_process = OriginRegistry(database)
    serving.create_schema()
    assert serving.allows(TENANT) is False
    other_process.add(TENANT)
    assert serving.allows(TENANT) is False  # cached refusal
    clock.now += 5.01
    assert serving.allows(TENANT) is True
    other_process.remove(TENANT)
    clock.now += 4.9
    assert serving.allows(TENANT) is True  # cached permission, still fresh
    clock.now += 0.2
    assert serving.allows(TENANT) is False


def test_add_and_remove_in_process_invalidate_at_once(database: Path) -> None:
    registry = OriginRegistry(database, cache_ttl=3600)
    registry.create_schema()
    assert registry.allows(TENANT) is False
    registry.add(TENANT)
    assert registry.allows(TENANT) is True
    registry.remove(TENANT)
    assert registry.allows(TENANT) is False


def test_cache_can_be_disabled(database: Path) -> None:
    registry = OriginRegistry(database, cache_size=0)
    registry.create_schema()
    registry.allows(TENANT)
    assert len(registry.cache) == 0


# --- the CLI -----------------------------------------------------------------------------


def test_cli_add_list_remove(app: Flask) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(registry_command, ["add", TENANT, "https://b.example"])
    assert result.exit_code == 0, result.output
    assert "added: https://tenant.example" in result.output
    result = runner.invoke(registry_command, ["list"])
    assert result.output.splitlines() == ["https://b.example", TENANT]
    assert get(app.test_client(), "https://b.example").headers[ACAO] == "https://b.example"
    result = runner.invoke(registry_command, ["remove", "https://b.example"])
    assert result.exit_code == 0
    assert "removed: https://b.example" in result.output
    assert runner.invoke(registry_command, ["list"]).output.splitlines() == [TENANT]


def test_cli_reports_errors(app: Flask) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(registry_command, ["add", "https://x.example/path"])
    assert result.exit_code == 1
    assert "serialized origin" in result.output
    inactive = make_app(None, name="inactive")
    result = inactive.test_cli_runner().invoke(registry_command, ["list"])
    assert result.exit_code == 1
    assert "no CORS origin registry" in result.output
