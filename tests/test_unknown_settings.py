"""Settings that name no option: Flask-Cors 6 ignores them, so an app that has them still
starts, with a warning that names the setting, where it came from and the fix (an error
under ``lint_strict``)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask

from flask_cors import CORS, CORSConfigError, cross_origin

pytestmark = pytest.mark.usefixtures("without_installed_plugins")

ORIGIN = "https://client.example"


def with_config(key: str, value: object) -> Callable[..., Flask]:
    def make(**cors: object) -> Flask:
        app = Flask("configured")
        app.config[key] = value
        CORS(app, origins=[ORIGIN], **cors)
        return app

    return make


def with_kwargs(**given: object) -> Callable[..., Flask]:
    def make(**cors: object) -> Flask:
        app = Flask("kwargs")
        CORS(app, origins=[ORIGIN], **given, **cors)
        return app

    return make


def with_init_app(**given: object) -> Callable[..., Flask]:
    def make(**cors: object) -> Flask:
        app = Flask("init_app")
        CORS(origins=[ORIGIN], **cors).init_app(app, **given)
        return app

    return make


def with_resource(**given: object) -> Callable[..., Flask]:
    def make(**cors: object) -> Flask:
        app = Flask("resources")
        CORS(app, resources={"/*": {"origins": [ORIGIN], **given}}, **cors)
        return app

    return make


def with_decorator(**given: object) -> Callable[..., Flask]:
    def make(**cors: object) -> Flask:
        app = Flask("decorated")
        app.add_url_rule("/", "index", cross_origin(origins=[ORIGIN], **given)(lambda: "ok"))
        CORS(app, resources=[], **cors)
        return app

    return make


CASES = [
    pytest.param(
        with_config("CORS_HEADERS", "Content-Type"),
        "CORS_HEADERS",
        "app config CORS_HEADERS",
        "Flask-Cors 1.x",
        id="flask-cors-1-config-key",
    ),
    pytest.param(
        with_config("CORS_ALLOWED_HEADERS", ["X-Token"]),
        "CORS_ALLOWED_HEADERS",
        "app config CORS_ALLOWED_HEADERS",
        "did you mean 'CORS_ALLOW_HEADERS'",
        id="misspelt-config-key",
    ),
    pytest.param(
        with_kwargs(orgins="*"),
        "orgins",
        "keyword arguments to CORS()",
        "did you mean 'origins'",
        id="misspelt-keyword",
    ),
    pytest.param(
        with_init_app(max_ages=5),
        "max_ages",
        "keyword arguments to CORS()",
        "did you mean 'max_age'",
        id="misspelt-init-app-keyword",
    ),
    pytest.param(
        with_resource(orgins="*"),
        "orgins",
        "resources['/*']",
        "did you mean 'origins'",
        id="misspelt-resource-option",
    ),
    pytest.param(
        with_decorator(headers=["Content-Type"]),
        "headers",
        "cross_origin() on endpoint 'index'",
        "Flask-Cors 1.x",
        id="flask-cors-1-decorator-keyword",
    ),
]


@pytest.mark.parametrize(("make", "name", "source", "says"), CASES)
def test_setting_that_names_no_option_is_logged_and_the_app_works(
    make, name, source, says, logged_findings
):
    app = make()

    (message,) = [f.message for f in logged_findings() if f.id == "unknown-option"]
    assert repr(name) in message
    assert source in message
    assert says in message
    assert "does nothing" in message
    response = app.test_client().get("/", headers={"Origin": ORIGIN})
    assert response.status_code in (200, 404)
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN


@pytest.mark.parametrize(("make", "name", "source", "says"), CASES)
def test_setting_that_names_no_option_is_an_error_under_lint_strict(make, name, source, says):
    with pytest.raises(CORSConfigError) as caught:
        make(lint_strict=True)

    assert caught.value.option == name
    assert source in str(caught.value)
