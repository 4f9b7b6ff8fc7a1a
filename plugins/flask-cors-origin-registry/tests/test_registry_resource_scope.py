"""FLASK_CORS_REGISTRY_RESOURCES: which resources of an app the registry answers for."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from flask import Blueprint, Flask, request
from flask_cors_origin_registry import (
    CONFIG_RESOURCES,
    EXTENSION_KEY,
    SCOPE_KEY,
    ResourceScope,
    registry_for,
)
from flask_cors_origin_registry import plugin as registry_plugin

from flask_cors import CORS, CORSConfigError, cross_origin
from flask_cors.options import build_options

STATIC = "https://static.example.org"
TENANT = "https://tenant.example"
ACAO = "Access-Control-Allow-Origin"
ACAC = "Access-Control-Allow-Credentials"
DECORATED = "cross_origin() on endpoint 'decorated'"

#: Every kind of resource an app can have, by path: its resource label, and whether it
#: supports credentials.
API = "/api/items"  # "/api/*"
PUBLIC = "/public"  # "/public"
ACCOUNT = "/account/me"  # "/account/*", supports_credentials
DECORATED_PATH = "/decorated"  # DECORATED
BLUEPRINT = "/bp/thing"  # "/*" of the blueprint's own CORS(bp) scope
PATHS = [API, PUBLIC, ACCOUNT, DECORATED_PATH, BLUEPRINT]


@cross_origin(origins=[STATIC])
def decorated() -> str:
    return "decorated"


def make_app(database: Path, resources: object = None, name: str = "scoped") -> Flask:
    """An app with a plain, a credentialed, a decorated and a blueprint resource."""
    app = Flask(name)
    app.testing = True
    app.config["FLASK_CORS_REGISTRY_URL"] = f"sqlite:///{database}"
    if resources is not None:
        app.config[CONFIG_RESOURCES] = resources
    blueprint = Blueprint("bp", name, url_prefix="/bp")
    CORS(blueprint, origins=[STATIC])

    @blueprint.get("/thing")
    def thing() -> str:
        return "thing"

    CORS(
        app,
        resources={
            "/api/*": {},
            "/public": {},
            "/account/*": {"supports_credentials": True},
        },
        origins=[STATIC],
    )
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


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return tmp_path / "origins.sqlite3"


@pytest.mark.parametrize(
    ("resources", "expected"),
    [
        pytest.param(None, {API, PUBLIC, DECORATED_PATH, BLUEPRINT}, id="unscoped"),
        pytest.param(["/api/*"], {API}, id="one-resource"),
        pytest.param(["/api/*", "/public"], {API, PUBLIC}, id="two-resources"),
        pytest.param(["/account/*"], {ACCOUNT}, id="credentialed-listed"),
        pytest.param(["/api/*", "/account/*"], {API, ACCOUNT}, id="plain-and-credentialed"),
        pytest.param([DECORATED], {DECORATED_PATH}, id="decorated-view"),
        pytest.param(["/*"], {BLUEPRINT}, id="blueprint-scope"),
        pytest.param(("/public",), {PUBLIC}, id="tuple"),
        pytest.param([], set(), id="empty-list-answers-nowhere"),
        pytest.param(["/API/*", "/api"], set(), id="labels-compare-exactly"),
    ],
)
def test_registered_origin_is_allowed_only_on_resources_in_scope(
    database: Path, resources: object, expected: set[str]
) -> None:
    assert allowed_paths(make_app(database, resources)) == expected


def test_credentialed_resource_is_not_answered_when_unscoped(database: Path) -> None:
    client = make_app(database).test_client()
    response = client.get(ACCOUNT, headers={"Origin": TENANT})
    assert ACAO not in response.headers
    assert ACAC not in response.headers
    preflight = client.options(
        ACCOUNT, headers={"Origin": TENANT, "Access-Control-Request-Method": "PUT"}
    )
    assert ACAO not in preflight.headers
    # The resource's own origins still work: the plugin gives no opinion, not a refusal.
    response = client.get(ACCOUNT, headers={"Origin": STATIC})
    assert response.headers[ACAO] == STATIC
    assert response.headers[ACAC] == "true"


def test_credentialed_resource_is_answered_when_listed(database: Path) -> None:
    client = make_app(database, ["/account/*"]).test_client()
    response = client.get(ACCOUNT, headers={"Origin": TENANT})
    assert response.headers[ACAO] == TENANT
    assert response.headers[ACAC] == "true"
    preflight = client.options(
        ACCOUNT, headers={"Origin": TENANT, "Access-Control-Request-Method": "PUT"}
    )
    assert preflight.headers[ACAO] == TENANT
    assert "PUT" in preflight.headers["Access-Control-Allow-Methods"]


def test_resources_out_of_scope_keep_their_own_origins(database: Path) -> None:
    app = make_app(database, ["/api/*"])
    assert allowed_paths(app, STATIC) == set(PATHS)
    client = app.test_client()
    preflight = client.options(
        PUBLIC, headers={"Origin": TENANT, "Access-Control-Request-Method": "PUT"}
    )
    assert ACAO not in preflight.headers
    assert preflight.headers["Vary"].startswith("Origin")


def test_out_of_scope_is_no_opinion_and_skips_the_database(database: Path) -> None:
    app = make_app(database, ["/api/*"])
    registry_for(app).cache.clear()
    in_scope = build_options([("test", {"origins": [STATIC]})], resource="/api/*")
    out_of_scope = build_options([("test", {"origins": [STATIC]})], resource="/public")
    credentialed = build_options(
        [("test", {"origins": [STATIC], "supports_credentials": True})], resource="/account/*"
    )
    with app.test_request_context("/"):
        assert registry_plugin.match_origin(TENANT, out_of_scope, request) is None
        assert len(registry_for(app).cache) == 0
        assert registry_plugin.match_origin(TENANT, credentialed, request) is None
        assert registry_plugin.match_origin(TENANT, in_scope, request) is True
        assert registry_plugin.match_origin("https://other.example", in_scope, request) is None


def test_scope_is_kept_per_app_as_a_frozenset(database: Path, tmp_path: Path) -> None:
    scoped = make_app(database, ["/api/*", "/public"], name="first")
    unscoped = make_app(tmp_path / "second.sqlite3", name="second")
    scope = scoped.extensions[SCOPE_KEY]
    assert isinstance(scope, ResourceScope)
    assert scope.resources == frozenset({"/api/*", "/public"})
    assert isinstance(scope.resources, frozenset)
    assert unscoped.extensions[SCOPE_KEY].resources is None
    assert allowed_paths(scoped) == {API, PUBLIC}
    assert allowed_paths(unscoped) == {API, PUBLIC, DECORATED_PATH, BLUEPRINT}


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("/api/*", id="a-single-string"),
        pytest.param(b"/api/*", id="bytes"),
        pytest.param(42, id="a-number"),
        pytest.param({"/api/*": True}, id="a-dict"),
        pytest.param(["/api/*", 3], id="a-non-string-item"),
        pytest.param(["/api/*", ""], id="an-empty-label"),
        pytest.param([["/api/*"]], id="a-nested-list"),
    ],
)
def test_bad_setting_type_fails_at_set_up(database: Path, value: object) -> None:
    app = Flask("bad_scope")
    app.config["FLASK_CORS_REGISTRY_URL"] = f"sqlite:///{database}"
    app.config[CONFIG_RESOURCES] = value
    with pytest.raises(CORSConfigError, match=CONFIG_RESOURCES) as caught:
        CORS(app)
    assert "list of resource labels" in str(caught.value)
    assert EXTENSION_KEY not in app.extensions
    assert not database.exists()  # refused before the database is created


def test_bad_setting_fails_even_without_a_database() -> None:
    app = Flask("bad_scope_inactive")
    app.config[CONFIG_RESOURCES] = "/api/*"
    with pytest.raises(CORSConfigError, match=CONFIG_RESOURCES):
        CORS(app)


def unscoped_warnings(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [
        record
        for record in caplog.records
        if record.name == "flask_cors"
        and record.levelno == logging.WARNING
        and CONFIG_RESOURCES in record.getMessage()
    ]


def test_unscoped_logs_one_warning_per_app(
    database: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="flask_cors")
    first = make_app(database, name="first_unscoped")
    allowed_paths(first)
    allowed_paths(first)
    (record,) = unscoped_warnings(caplog)
    assert "origin_registry" in record.getMessage()
    assert "'first_unscoped'" in record.getMessage()
    make_app(tmp_path / "second.sqlite3", name="second_unscoped")
    assert len(unscoped_warnings(caplog)) == 2


def test_scoped_or_inactive_logs_no_warning(
    database: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="flask_cors")
    allowed_paths(make_app(database, ["/api/*"]))
    make_app(database, [], name="empty_scope")
    inactive = Flask("inactive")
    CORS(inactive)
    assert unscoped_warnings(caplog) == []
