"""Unusable configuration fails at set-up, naming the option and where it came from."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask

from flask_cors import CORS, CORSConfigError

pytestmark = pytest.mark.usefixtures("without_installed_plugins")

KWARGS = "keyword arguments to CORS()"


@pytest.mark.parametrize(
    ("kwargs", "option", "fragment"),
    [
        ({"max_age": "abc"}, "max_age", "expected seconds"),
        ({"max_age": -1}, "max_age", "must not be negative"),
        ({"max_age": "-5"}, "max_age", "expected seconds"),
        ({"max_age": 1.5}, "max_age", "expected seconds"),
        ({"max_age": True}, "max_age", "expected seconds"),
        ({"max_age": "\u0661\u0662"}, "max_age", "expected seconds"),
        ({"max_age": timedelta(seconds=1.5)}, "max_age", "whole number of seconds"),
        ({"max_age": timedelta(seconds=-10)}, "max_age", "must not be negative"),
        ({"methods": 5}, "methods", "expected a string or a list"),
        ({"methods": ["GET", 5]}, "methods", "must be strings"),
        ({"methods": "GET POST"}, "methods", "not an HTTP method"),
        ({"methods": [re.compile("GET")]}, "methods", "not an HTTP method"),
        ({"methods": b"GET"}, "methods", "expected a string or a list"),
        ({"origins": {"https://a.example": 1}}, "origins", "expected a string or a list"),
        ({"origins": ""}, "origins", "empty string"),
        ({"origins": ["https://a.example", ""]}, "origins", "empty string"),
        ({"origins": "https://a.example https://b.example"}, "origins", "not an origin"),
        ({"origins": "(unclosed"}, "origins", "invalid regular expression"),
        ({"origins": [re.compile(b"bytes")]}, "origins", "str patterns"),
        ({"origins": None}, "origins", "expected a string or a list"),
        ({"allow_headers": "[bad"}, "allow_headers", "invalid regular expression"),
        ({"allow_headers": "X Bad"}, "allow_headers", "not a header name"),
        ({"expose_headers": "X Bad"}, "expose_headers", "not a header name"),
        ({"expose_headers": [re.compile("X-.*")]}, "expose_headers", "not a header name"),
        ({"supports_credentials": "maybe"}, "supports_credentials", "expected True or False"),
        ({"send_wildcard": 1}, "send_wildcard", "expected True or False"),
        ({"methods": "*"}, "methods", "not an HTTP method name"),
        ({"methods": ["GET", "*"]}, "methods", "not an HTTP method name"),
        ({"vary_header": "truthy"}, "vary_header", "expected True or False"),
        ({"automatic_options": None}, "automatic_options", "expected True or False"),
        ({"intercept_exceptions": 0}, "intercept_exceptions", "expected True or False"),
        ({"always_send": ""}, "always_send", "expected True or False"),
        ({"allow_private_network": b"on"}, "allow_private_network", "expected True or False"),
        (
            {"origins": "*", "supports_credentials": True, "send_wildcard": True},
            "send_wildcard",
            "supports_credentials",
        ),
    ],
)
def test_bad_keyword_argument_fails_at_setup(kwargs, option, fragment):
    app = Flask("bad")

    with pytest.raises(CORSConfigError) as excinfo:
        CORS(app, **kwargs)

    assert excinfo.value.option == option
    assert f"'{option}'" in str(excinfo.value)
    assert KWARGS in str(excinfo.value)
    assert fragment in str(excinfo.value)


@pytest.mark.parametrize(
    ("key", "value", "option", "fragment"),
    [
        ("CORS_MAX_AGE", "abc", "max_age", "expected seconds"),
        ("CORS_SUPPORTS_CREDENTIALS", "nope", "supports_credentials", "expected True or False"),
        ("CORS_METHODS", 5, "methods", "expected a string"),
        ("CORS_RESOURCES", 5, "resources", "expected a dict, a list or a string"),
    ],
)
def test_bad_app_config_fails_at_setup_naming_the_key(key, value, option, fragment):
    app = Flask("bad-config")
    app.config[key] = value

    with pytest.raises(CORSConfigError) as excinfo:
        CORS(app)

    assert excinfo.value.option == option
    assert fragment in str(excinfo.value)
    if key != "CORS_RESOURCES" or option == "resources":
        assert f"app config {key}" in str(excinfo.value)


def test_bad_config_fails_at_init_app():
    app = Flask("late")
    app.config["CORS_MAX_AGE"] = -3
    cors = CORS()

    with pytest.raises(CORSConfigError, match="app config CORS_MAX_AGE"):
        cors.init_app(app)


@pytest.mark.parametrize(
    ("resources", "option", "source", "fragment"),
    [
        ({"/api/*": {"max_age": "x"}}, "max_age", "resources['/api/*']", "expected seconds"),
        ({"/api/*": ["origins"]}, "resources", "keyword argument resources", "must be a dict"),
        ({"/api/*": None}, "resources", "keyword argument resources", "must be a dict"),
        ({5: {}}, "resources", "keyword argument resources", "must be a string"),
        ({"/a(": {}}, "resources", "resources['/a(']", "invalid regular expression"),
        (5, "resources", "keyword argument resources", "expected a dict, a list or a string"),
        (None, "resources", "keyword argument resources", "expected a dict, a list or a string"),
        ([5], "resources", "keyword argument resources", "must be a string"),
        ([b"/api"], "resources", "keyword argument resources", "must be a string"),
        ("(unclosed", "resources", "keyword argument resources", "invalid regular expression"),
        ("/a\nb", "resources", "keyword argument resources", "control character"),
        ("/a\x00b", "resources", "keyword argument resources", "control character"),
        (re.compile(b"/api"), "resources", "keyword argument resources", "str patterns"),
    ],
)
def test_bad_resources_fail_at_setup(resources, option, source, fragment):
    app = Flask("bad-resources")

    with pytest.raises(CORSConfigError) as excinfo:
        CORS(app, resources=resources)

    assert excinfo.value.option == option
    assert excinfo.value.source == source
    assert fragment in str(excinfo.value)


def test_bad_resource_option_names_its_resource_and_the_inherited_source():
    app = Flask("layers")
    app.config["CORS_SUPPORTS_CREDENTIALS"] = True

    with pytest.raises(CORSConfigError) as excinfo:
        CORS(app, resources={"/api/*": {"origins": "*", "send_wildcard": True}})

    message = str(excinfo.value)
    assert "resources['/api/*']" in message
    assert "app config CORS_SUPPORTS_CREDENTIALS" in message


def test_blueprint_config_error_surfaces_at_registration():
    from flask import Blueprint

    blueprint = Blueprint("bad_bp", __name__)
    CORS(blueprint, max_age=-1)
    app = Flask("bp")

    with pytest.raises(CORSConfigError, match="max_age"):
        app.register_blueprint(blueprint)


def test_error_carries_option_source_and_problem():
    with pytest.raises(CORSConfigError) as excinfo:
        CORS(Flask("attrs"), max_age=-2)

    error = excinfo.value
    assert (error.option, error.source) == ("max_age", KWARGS)
    assert "negative" in error.problem
    assert str(error) == f"CORS option 'max_age' (from {KWARGS}): {error.problem}"
    assert isinstance(error, ValueError)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("true", True),
        ("TRUE", True),
        (" yes ", True),
        ("On", True),
        ("1", True),
        ("false", False),
        ("False", False),
        ("no", False),
        ("OFF", False),
        ("0", False),
    ],
)
@pytest.mark.parametrize("where", ["keyword", "config"])
def test_booleans_given_as_strings_are_read_as_people_mean_them(text, expected, where):
    app = Flask("strings")
    if where == "config":
        app.config["CORS_SUPPORTS_CREDENTIALS"] = text
        app.config["CORS_ORIGINS"] = ["https://a.example"]
        CORS(app)
    else:
        CORS(app, supports_credentials=text, origins=["https://a.example"])

    @app.get("/")
    def index() -> str:
        return "ok"

    response = app.test_client().get("/", headers={"Origin": "https://a.example"})

    assert ("Access-Control-Allow-Credentials" in response.headers) is expected
