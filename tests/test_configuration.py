"""The four configuration locations, their precedence, and how the extension is set up."""

from __future__ import annotations

import pytest
from flask import Flask

from flask_cors import CORS

pytestmark = pytest.mark.usefixtures("without_installed_plugins")

ORIGIN = {"Origin": "https://client.example"}


def max_age_for(app: Flask, preflight) -> str | None:
    return preflight(app.test_client(), "/api/items").headers.get("Access-Control-Max-Age")


@pytest.mark.parametrize(
    ("config", "kwargs", "resource", "expected"),
    [
        (None, None, None, None),
        (10, None, None, "10"),
        (None, 20, None, "20"),
        (None, None, 30, "30"),
        (10, 20, None, "20"),
        (10, None, 30, "30"),
        (None, 20, 30, "30"),
        (10, 20, 30, "30"),
    ],
)
def test_precedence_resource_over_kwargs_over_config_over_defaults(
    make_app, preflight, config, kwargs, resource, expected
):
    app = make_app()
    if config is not None:
        app.config["CORS_MAX_AGE"] = config
    options = {} if kwargs is None else {"max_age": kwargs}
    resource_options = {} if resource is None else {"max_age": resource}

    CORS(app, resources={r"/api/*": resource_options}, **options)

    assert max_age_for(app, preflight) == expected


def test_each_option_takes_the_highest_layer_that_sets_it(make_app, preflight):
    app = make_app()
    app.config.update(
        CORS_ORIGINS=["https://client.example"],
        CORS_MAX_AGE=10,
        CORS_METHODS=["GET"],
        CORS_EXPOSE_HEADERS=["X-Config"],
    )
    CORS(app, methods=["GET", "PUT"], resources={r"/api/*": {"expose_headers": ["X-Resource"]}})
    client = app.test_client()

    answer = preflight(client, "/api/items", method="PUT")
    actual = client.get("/api/items", headers=ORIGIN)

    assert answer.headers["Access-Control-Allow-Origin"] == "https://client.example"
    assert answer.headers["Access-Control-Max-Age"] == "10"
    assert answer.headers["Access-Control-Allow-Methods"] == "GET, PUT"
    assert actual.headers["Access-Control-Expose-Headers"] == "X-Resource"


@pytest.mark.parametrize(
    ("key", "value", "path", "expected_origin"),
    [
        ("CORS_ORIGINS", "https://config.example", "/", None),
        ("CORS_RESOURCES", r"/api/*", "/", None),
        ("CORS_RESOURCES", r"/api/*", "/api/items", "https://client.example"),
        ("CORS_RESOURCES", {r"/api/*": {"origins": "https://x.example"}}, "/api/items", None),
        ("CORS_ALWAYS_SEND", True, "/", "https://client.example"),
    ],
)
def test_app_config_keys_configure_the_extension(make_app, key, value, path, expected_origin):
    app = make_app()
    app.config[key] = value
    CORS(app)

    response = app.test_client().get(path, headers=ORIGIN)

    assert response.headers.get("Access-Control-Allow-Origin") == expected_origin


def test_resources_keyword_overrides_config_resources(make_app):
    app = make_app()
    app.config["CORS_RESOURCES"] = r"/nothing/*"
    CORS(app, resources=r"/api/*")

    response = app.test_client().get("/api/items", headers=ORIGIN)

    assert response.headers["Access-Control-Allow-Origin"] == "https://client.example"


def test_unrelated_config_keys_are_ignored(make_app):
    app = make_app()
    app.config["CORSAIR"] = "not ours"
    app.config["SECRET_KEY"] = "x"
    CORS(app)

    assert app.test_client().get("/", headers=ORIGIN).headers["Access-Control-Allow-Origin"]


def test_constructing_without_an_app_changes_nothing_until_init_app(make_app, cors_headers):
    app = make_app()
    cors = CORS(origins="https://client.example")

    assert "cors" not in app.extensions
    cors.init_app(app)
    response = app.test_client().get("/", headers=ORIGIN)

    assert response.headers["Access-Control-Allow-Origin"] == "https://client.example"


def test_init_app_keywords_override_constructor_keywords(make_app, preflight):
    app = make_app()
    cors = CORS(max_age=10, expose_headers="X-Kept")

    cors.init_app(app, max_age=99)
    client = app.test_client()

    assert preflight(client).headers["Access-Control-Max-Age"] == "99"
    assert client.get("/", headers=ORIGIN).headers["Access-Control-Expose-Headers"] == "X-Kept"


def test_one_extension_object_serves_several_apps(make_app):
    first, second = make_app("first"), make_app("second")
    cors = CORS(origins="https://client.example")

    cors.init_app(first)
    cors.init_app(second)

    for app in (first, second):
        response = app.test_client().get("/", headers=ORIGIN)
        assert response.headers["Access-Control-Allow-Origin"] == "https://client.example"


def test_two_apps_in_one_process_keep_their_own_settings(make_app, preflight):
    first, second = make_app("first"), make_app("second")
    first.config["CORS_MAX_AGE"] = 5
    CORS(first, origins="https://first.example")
    CORS(second, origins="https://second.example", max_age=50)

    first_answer = preflight(first.test_client(), origin="https://first.example")
    second_answer = preflight(second.test_client(), origin="https://second.example")
    crossed = first.test_client().get("/", headers={"Origin": "https://second.example"})

    assert first_answer.headers["Access-Control-Allow-Origin"] == "https://first.example"
    assert first_answer.headers["Access-Control-Max-Age"] == "5"
    assert second_answer.headers["Access-Control-Allow-Origin"] == "https://second.example"
    assert second_answer.headers["Access-Control-Max-Age"] == "50"
    assert "Access-Control-Allow-Origin" not in crossed.headers


def test_app_without_cors_is_untouched_by_another_apps_cors(make_app, cors_headers):
    plain, enabled = make_app("plain"), make_app("enabled")
    CORS(enabled)

    response = plain.test_client().get("/", headers=ORIGIN)

    assert cors_headers(response) == {}
    assert "Vary" not in response.headers


def test_second_cors_call_puts_its_resources_in_front_of_the_first(make_app):
    app = make_app()
    CORS(app, resources={"/api/*": {"origins": "https://first.example"}, "/": {}})
    CORS(app, resources={"/api/*": {"origins": "https://second.example"}})
    client = app.test_client()

    second = client.get("/api/items", headers={"Origin": "https://second.example"})
    first = client.get("/api/items", headers={"Origin": "https://first.example"})
    only_first = client.get("/", headers=ORIGIN)

    assert second.headers["Access-Control-Allow-Origin"] == "https://second.example"
    assert "Access-Control-Allow-Origin" not in first.headers
    assert only_first.headers["Access-Control-Allow-Origin"] == ORIGIN["Origin"]
    assert app.after_request_funcs[None].count(app.extensions["cors"].pipeline.after_request) == 1


def test_init_app_twice_on_one_app_installs_the_request_hooks_once(make_app):
    app = make_app()
    cors = CORS()
    cors.init_app(app)
    cors.init_app(app)

    response = app.test_client().get("/", headers=ORIGIN)

    assert response.headers.getlist("Access-Control-Allow-Origin") == [ORIGIN["Origin"]]
    assert response.headers.getlist("Vary") == ["Origin"]


def test_extension_state_lives_on_the_app(make_app):
    app = make_app()

    CORS(app)

    assert "cors" in app.extensions
    assert app.extensions["cors"].pm is not None


def test_config_is_read_when_the_extension_is_set_up(make_app):
    app = make_app()
    CORS(app)

    app.config["CORS_ORIGINS"] = "https://late.example"
    response = app.test_client().get("/", headers=ORIGIN)

    assert response.headers["Access-Control-Allow-Origin"] == "https://client.example"
