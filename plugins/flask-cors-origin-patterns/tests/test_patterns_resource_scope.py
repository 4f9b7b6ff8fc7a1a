"""Which resources the patterns answer for: app-wide patterns and per-resource settings."""

from __future__ import annotations

import pytest
from flask import Blueprint, Flask
from flask_cors_origin_patterns import NAME, OriginPatterns

from flask_cors import CORS, CORSConfigError, cross_origin

STATIC = "https://static.example.org"
MATCHING = "https://app.example.com"
OTHER = "https://app.other.org"
ACAO = "Access-Control-Allow-Origin"
ACAC = "Access-Control-Allow-Credentials"

API = "/api/items"  # "/api/*"
PUBLIC = "/public"  # "/public"
ACCOUNT = "/account/me"  # "/account/*", supports_credentials
DECORATED_PATH = "/decorated"  # cross_origin with its own settings
BLUEPRINT = "/bp/thing"  # "/*" of the blueprint's own CORS(bp) scope
PATHS = [API, PUBLIC, ACCOUNT, DECORATED_PATH, BLUEPRINT]


@cross_origin(origins=[STATIC], plugins={NAME: ["https://*.other.org"]})
def decorated() -> str:
    return "decorated"


def make_app(
    settings: dict[str, object] | None = None, name: str = "scoped", *, app_wide: bool = True
) -> Flask:
    """An app with a plain, a credentialed, a decorated and a blueprint resource.

    ``settings`` maps resource patterns to their ``origin_patterns`` settings.
    """
    settings = settings or {}
    app = Flask(name)
    app.testing = True
    if app_wide:
        app.config["CORS_ORIGIN_PATTERNS"] = ["https://*.example.com"]
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
    for pattern, value in settings.items():
        resources[pattern]["plugins"] = {NAME: value}
    CORS(app, resources=resources, origins=[STATIC])
    app.register_blueprint(blueprint)
    for path in (API, PUBLIC, ACCOUNT):
        app.add_url_rule(path, path, lambda: "ok")
    app.add_url_rule(DECORATED_PATH, "decorated", decorated)
    return app


def allowed_paths(app: Flask, origin: str = MATCHING) -> set[str]:
    client = app.test_client()
    found = set()
    for path in PATHS:
        response = client.get(path, headers={"Origin": origin})
        assert response.status_code == 200
        if response.headers.get(ACAO) == origin:
            found.add(path)
    return found


@pytest.mark.parametrize(
    ("settings", "origin", "expected"),
    [
        pytest.param({}, MATCHING, {API, PUBLIC, BLUEPRINT}, id="app-wide-without-credentials"),
        pytest.param({"/public": False}, MATCHING, {API, BLUEPRINT}, id="turned-off-on-one"),
        pytest.param({"/public": []}, MATCHING, {API, BLUEPRINT}, id="empty-list-turns-off"),
        pytest.param(
            {"/account/*": ["https://*.example.com"]},
            MATCHING,
            {API, PUBLIC, ACCOUNT, BLUEPRINT},
            id="credentialed-given-its-own",
        ),
        pytest.param(
            {"/api/*": ["https://*.other.org"]},
            MATCHING,
            {PUBLIC, BLUEPRINT},
            id="own-patterns-replace-app-wide",
        ),
        pytest.param({}, OTHER, {DECORATED_PATH}, id="decorated-view-settings"),
        pytest.param(
            {"/api/*": ["https://*.other.org"]}, OTHER, {API, DECORATED_PATH}, id="per-resource"
        ),
    ],
)
def test_patterns_answer_where_the_resource_settings_say(
    settings: dict[str, object], origin: str, expected: set[str]
) -> None:
    assert allowed_paths(make_app(settings), origin) == expected


def test_without_app_wide_patterns_only_resources_with_settings_answer() -> None:
    app = make_app({"/api/*": ["https://*.example.com"]}, app_wide=False)

    assert allowed_paths(app) == {API}


def test_credentialed_resource_keeps_its_own_origins_and_credentials() -> None:
    client = make_app().test_client()

    plugin_origin = client.get(ACCOUNT, headers={"Origin": MATCHING})
    own_origin = client.get(ACCOUNT, headers={"Origin": STATIC})

    assert ACAO not in plugin_origin.headers
    assert own_origin.headers[ACAO] == STATIC
    assert own_origin.headers[ACAC] == "true"


def test_credentialed_resource_with_settings_answers_preflights_too() -> None:
    client = make_app({"/account/*": ["https://*.example.com"]}).test_client()

    preflight = client.options(
        ACCOUNT, headers={"Origin": MATCHING, "Access-Control-Request-Method": "PUT"}
    )

    assert preflight.headers[ACAO] == MATCHING
    assert preflight.headers[ACAC] == "true"
    assert "PUT" in preflight.headers["Access-Control-Allow-Methods"]


def test_settings_are_compiled_once_into_the_resource_options() -> None:
    app = make_app({"/api/*": ["https://*.other.org"]})
    state = app.extensions["cors"]
    (api,) = [r for scope in state.scopes for r in scope.table.resources if r.pattern == "/api/*"]

    assert isinstance(api.options.plugins[NAME], OriginPatterns)


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        pytest.param(["https://*.com"], "public suffix", id="public-suffix"),
        pytest.param(["https://a.*.example.com"], "", id="wildcard-in-the-middle"),
        pytest.param(42, "", id="a-number"),
    ],
)
def test_bad_resource_settings_fail_at_set_up_naming_the_resource(
    value: object, fragment: str
) -> None:
    with pytest.raises(CORSConfigError) as caught:
        make_app({"/public": value}, name="bad")

    assert caught.value.option == "plugins"
    assert "resources['/public']" in caught.value.source or "/public" in str(caught.value)
    assert NAME in str(caught.value)
    assert fragment in str(caught.value)


def test_the_replaced_resources_key_fails_with_what_to_write_instead() -> None:
    app = Flask("old_key")
    app.config["FLASK_CORS_ORIGIN_PATTERNS_RESOURCES"] = ["/api/*"]

    with pytest.raises(CORSConfigError, match="give the patterns to the resources"):
        CORS(app)
