"""Which resources the registry answers for: every one without credentials, unless a
resource's own settings say otherwise."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from flask import Blueprint, Flask
from flask_cors_origin_registry import NAME, RegistryUnavailable, registry_for

from flask_cors import CORS, CORSConfigError, CORSPluginUnavailable, cross_origin

STATIC = "https://static.example.org"
TENANT = "https://tenant.example"
ACAO = "Access-Control-Allow-Origin"
ACAC = "Access-Control-Allow-Credentials"

API = "/api/items"  # "/api/*"
PUBLIC = "/public"  # "/public"
ACCOUNT = "/account/me"  # "/account/*", supports_credentials
DECORATED_PATH = "/decorated"  # cross_origin, registry off
BLUEPRINT = "/bp/thing"  # "/*" of the blueprint's own CORS(bp) scope
PATHS = [API, PUBLIC, ACCOUNT, DECORATED_PATH, BLUEPRINT]


@cross_origin(origins=[STATIC], plugins={NAME: False})
def decorated() -> str:
    return "decorated"


def make_app(
    database: Path, settings: dict[str, object] | None = None, name: str = "scoped"
) -> Flask:
    """An app with a plain, a credentialed, a decorated and a blueprint resource.

    ``settings`` maps resource patterns to their ``origin_registry`` setting.
    """
    app = Flask(name)
    app.testing = True
    app.config["CORS_REGISTRY_URL"] = f"sqlite:///{database}"
    blueprint = Blueprint("bp", name, url_prefix="/bp")
    CORS(blueprint, origins=[STATIC])

    @blueprint.get("/thing")
    def thing() -> str:
        return "thing"

    resources: dict[str, dict[str, object]] = {
        "/api/*": {},
        "/public": {},
        "/account/*": {"supports_credentials": True},
    }
    for pattern, value in (settings or {}).items():
        resources[pattern]["plugins"] = {NAME: value}
    CORS(app, resources=resources, origins=[STATIC])
    app.register_blueprint(blueprint)
    for path in (API, PUBLIC, ACCOUNT):
        app.add_url_rule(path, path, lambda: "ok")
    app.add_url_rule(DECORATED_PATH, "decorated", decorated)
    registry_for(app).add(TENANT)
    return app


def allowed_paths(app: Flask, origin: str = TENANT) -> set[str]:
    client = app.test_client()
    found = set()
    for path in PATHS:
        response = client.get(path, headers={"Origin": origin})
        assert response.status_code == 200
        if response.headers.get(ACAO) == origin:
            found.add(path)
    return found


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        pytest.param({}, {API, PUBLIC, BLUEPRINT}, id="every-resource-without-credentials"),
        pytest.param({"/public": False}, {API, BLUEPRINT}, id="turned-off-on-one"),
        pytest.param(
            {"/account/*": True}, {API, PUBLIC, ACCOUNT, BLUEPRINT}, id="credentialed-turned-on"
        ),
        pytest.param({"/api/*": False, "/public": False}, {BLUEPRINT}, id="turned-off-on-two"),
    ],
)
def test_registered_origin_is_allowed_where_the_resource_settings_say(
    tmp_path: Path, settings: dict[str, object], expected: set[str]
) -> None:
    assert allowed_paths(make_app(tmp_path / "r.sqlite3", settings)) == expected


def test_credentialed_resource_turned_on_answers_with_credentials(tmp_path: Path) -> None:
    client = make_app(tmp_path / "r.sqlite3", {"/account/*": True}).test_client()

    response = client.get(ACCOUNT, headers={"Origin": TENANT})
    preflight = client.options(
        ACCOUNT, headers={"Origin": TENANT, "Access-Control-Request-Method": "GET"}
    )

    assert response.headers[ACAO] == TENANT
    assert response.headers[ACAC] == "true"
    assert preflight.headers[ACAO] == TENANT


def test_resources_where_the_registry_is_off_keep_their_own_origins(tmp_path: Path) -> None:
    app = make_app(tmp_path / "r.sqlite3", {"/api/*": False})

    assert allowed_paths(app, STATIC) == set(PATHS)


@pytest.mark.parametrize(
    ("account", "api", "expected"),
    [
        ("yes", "off", {PUBLIC, ACCOUNT, BLUEPRINT}),
        (" True ", "false", {PUBLIC, ACCOUNT, BLUEPRINT}),
        ("no", "on", {API, PUBLIC, BLUEPRINT}),
    ],
)
def test_a_setting_given_as_a_string_is_read_as_flask_cors_reads_booleans(
    tmp_path: Path, account: str, api: str, expected: set[str]
) -> None:
    app = make_app(tmp_path / "r.sqlite3", {"/account/*": account, "/api/*": api})
    assert allowed_paths(app) == expected


@pytest.mark.parametrize("value", ["maybe", 1, None, ["/api/*"], {"enabled": True}])
def test_a_setting_other_than_true_or_false_fails_at_set_up(tmp_path: Path, value: object) -> None:
    with pytest.raises(CORSConfigError) as caught:
        make_app(tmp_path / "r.sqlite3", {"/public": value}, name="bad")

    assert caught.value.option == "plugins"
    assert NAME in str(caught.value)
    assert "expected True or False" in str(caught.value)


def test_the_replaced_resources_key_fails_with_what_to_write_instead(tmp_path: Path) -> None:
    app = Flask("old_key")
    app.config["CORS_REGISTRY_URL"] = f"sqlite:///{tmp_path / 'r.sqlite3'}"
    app.config["FLASK_CORS_REGISTRY_RESOURCES"] = ["/api/*"]

    with pytest.raises(CORSConfigError, match="turn the registry on or off on a resource"):
        CORS(app)


def test_an_outage_is_one_log_line_without_a_traceback(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    app = make_app(tmp_path / "r.sqlite3")
    registry = registry_for(app)

    def down(origin: str) -> bool:
        raise RegistryUnavailable("database is locked")

    registry.allows = down  # type: ignore[method-assign]
    caplog.set_level(logging.ERROR, logger="flask_cors")

    response = app.test_client().get(API, headers={"Origin": "https://stranger.example"})

    assert response.status_code == 200
    assert ACAO not in response.headers
    (record,) = [r for r in caplog.records if r.name == "flask_cors"]
    assert record.exc_info is None
    assert "database is locked" in record.getMessage()
    assert issubclass(RegistryUnavailable, CORSPluginUnavailable)
