"""``cross_origin``: CORS for one view, alone or next to the extension."""

from __future__ import annotations

import pytest
from flask import Flask, abort, request

from flask_cors import CORS, CORSConfigError, cross_origin

pytestmark = pytest.mark.usefixtures("without_installed_plugins")

ORIGIN = "https://client.example"


def decorated_app(extension: bool = False, **decorator_kwargs: object) -> tuple[Flask, list[str]]:
    """``/d`` (decorated, GET/PUT/OPTIONS), ``/plain`` (not decorated); records view calls."""
    app = Flask("decorated")
    calls: list[str] = []

    @app.route("/d", methods=["GET", "PUT", "OPTIONS"])
    @cross_origin(**decorator_kwargs)
    def decorated():
        calls.append(request.method)
        return "decorated"

    @app.route("/plain")
    def plain() -> str:
        return "plain"

    if extension:
        CORS(app, origins="https://extension.example")
    return app, calls


@pytest.mark.parametrize("extension", [False, True], ids=["decorator-only", "with-extension"])
def test_decorated_view_gets_cors_headers(extension):
    app, calls = decorated_app(extension)

    response = app.test_client().get("/d", headers={"Origin": ORIGIN})

    assert response.data == b"decorated"
    assert response.headers.getlist("Access-Control-Allow-Origin") == [ORIGIN]
    assert response.headers["Vary"] == "Origin"
    assert calls == ["GET"]


def test_decorator_only_app_leaves_other_views_alone(cors_headers):
    app, _ = decorated_app()

    response = app.test_client().get("/plain", headers={"Origin": ORIGIN})

    assert cors_headers(response) == {}
    assert "Vary" not in response.headers


def test_decorator_and_extension_on_the_same_view_send_one_allow_origin():
    app = Flask("both")

    @app.route("/both")
    @cross_origin()
    def both() -> str:
        return "both"

    CORS(app)

    response = app.test_client().get("/both", headers={"Origin": ORIGIN})

    assert response.headers.getlist("Access-Control-Allow-Origin") == [ORIGIN]
    assert response.headers.getlist("Vary") == ["Origin"]


def test_decorator_options_win_over_the_extension_on_its_view():
    app, _ = decorated_app(extension=True, origins="https://decorator.example")
    client = app.test_client()

    decorated_own = client.get("/d", headers={"Origin": "https://decorator.example"})
    decorated_ext = client.get("/d", headers={"Origin": "https://extension.example"})
    plain_ext = client.get("/plain", headers={"Origin": "https://extension.example"})

    assert decorated_own.headers["Access-Control-Allow-Origin"] == "https://decorator.example"
    assert "Access-Control-Allow-Origin" not in decorated_ext.headers
    assert plain_ext.headers["Access-Control-Allow-Origin"] == "https://extension.example"


@pytest.mark.parametrize("extension", [False, True], ids=["decorator-only", "with-extension"])
def test_decorator_automatic_options_answers_preflight_itself(preflight, extension):
    app, calls = decorated_app(extension, max_age=30)

    response = preflight(app.test_client(), "/d", method="PUT", request_headers="x-a")

    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert response.headers["Access-Control-Allow-Methods"]
    assert response.headers["Access-Control-Allow-Headers"] == "x-a"
    assert response.headers["Access-Control-Max-Age"] == "30"
    assert calls == []


@pytest.mark.parametrize("extension", [False, True], ids=["decorator-only", "with-extension"])
def test_decorator_without_automatic_options_passes_options_to_the_view(preflight, extension):
    app, calls = decorated_app(extension, automatic_options=False)

    response = preflight(app.test_client(), "/d", method="PUT")

    assert calls == ["OPTIONS"]
    assert response.data == b"decorated"
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert response.headers["Access-Control-Allow-Methods"]


def test_decorator_automatic_options_makes_get_only_route_answer_options(preflight):
    app = Flask("get-only")

    @app.route("/g")
    @cross_origin()
    def g() -> str:
        return "g"

    response = preflight(app.test_client(), "/g", method="GET")

    assert response.status_code == 200
    assert "OPTIONS" in response.headers["Allow"]
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN


def test_decorator_plain_options_request_gets_flasks_options_answer():
    app, calls = decorated_app()

    response = app.test_client().options("/d", headers={"Origin": ORIGIN})

    assert response.status_code == 200
    assert {"GET", "PUT", "OPTIONS"} <= {m.strip() for m in response.headers["Allow"].split(",")}
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert calls == []


def test_decorator_takes_unset_options_from_app_config():
    app, _ = decorated_app(max_age=5)
    app.config["CORS_ORIGINS"] = "https://configured.example"
    app.config["CORS_MAX_AGE"] = 500
    client = app.test_client()

    allowed = client.get("/d", headers={"Origin": "https://configured.example"})
    denied = client.get("/d", headers={"Origin": ORIGIN})
    answer = client.options(
        "/d",
        headers={"Origin": "https://configured.example", "Access-Control-Request-Method": "PUT"},
    )

    assert allowed.headers["Access-Control-Allow-Origin"] == "https://configured.example"
    assert "Access-Control-Allow-Origin" not in denied.headers
    assert answer.headers["Access-Control-Max-Age"] == "5"


def test_decorator_automatic_options_from_app_config(preflight):
    app, calls = decorated_app()
    app.config["CORS_AUTOMATIC_OPTIONS"] = False

    preflight(app.test_client(), "/d")

    assert calls == ["OPTIONS"]


def test_same_decorated_view_in_two_apps_uses_each_apps_config():
    @cross_origin()
    def shared() -> str:
        return "shared"

    first, second = Flask("first"), Flask("second")
    first.config["CORS_ORIGINS"] = "https://first.example"
    second.config["CORS_ORIGINS"] = "https://second.example"
    for app in (first, second):
        app.add_url_rule("/s", view_func=shared)

    a = first.test_client().get("/s", headers={"Origin": "https://second.example"})
    b = second.test_client().get("/s", headers={"Origin": "https://second.example"})

    assert "Access-Control-Allow-Origin" not in a.headers
    assert b.headers["Access-Control-Allow-Origin"] == "https://second.example"


def test_decorated_view_may_return_a_tuple():
    app = Flask("tuple")

    @app.route("/t")
    @cross_origin(expose_headers="X-Made")
    def t():
        return "created", 201, {"X-Made": "yes"}

    response = app.test_client().get("/t", headers={"Origin": ORIGIN})

    assert response.status_code == 201
    assert response.headers["X-Made"] == "yes"
    assert response.headers["Access-Control-Expose-Headers"] == "X-Made"


def test_decorator_keeps_the_view_name():
    @cross_origin()
    def a_view_name() -> str:
        """Docstring."""
        return ""

    assert a_view_name.__name__ == "a_view_name"
    assert a_view_name.__doc__ == "Docstring."


def test_decorated_view_error_gets_headers_with_extension():
    app = Flask("err")

    @app.route("/e")
    @cross_origin()
    def e():
        abort(409)

    CORS(app, resources=r"/nothing")

    response = app.test_client().get("/e", headers={"Origin": ORIGIN})

    assert response.status_code == 409
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN


def test_decorated_view_wins_even_outside_the_extension_resources():
    app, _ = decorated_app()
    CORS(app, resources=r"/api/*")

    response = app.test_client().get("/d", headers={"Origin": ORIGIN})

    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN


@pytest.mark.parametrize(
    ("kwargs", "option"),
    [
        ({"max_age": "abc"}, "max_age"),
        ({"methods": 5}, "methods"),
        ({"supports_credentials": "maybe"}, "supports_credentials"),
        ({"origins": "(unclosed"}, "origins"),
        ({"send_wildcard": True, "supports_credentials": True}, "send_wildcard"),
    ],
)
def test_invalid_decorator_option_fails_at_decoration(kwargs, option):
    with pytest.raises(CORSConfigError) as excinfo:

        @cross_origin(**kwargs)
        def view() -> str:
            return ""

    assert excinfo.value.option == option
    assert "cross_origin() on view" in str(excinfo.value)


def test_decorator_takes_keyword_arguments_only():
    with pytest.raises(TypeError, match="keyword arguments only"):
        cross_origin("https://client.example")


def test_decorator_with_credentials_and_any_origin_is_a_finding_by_first_use(logged_findings):
    def decorate_and_serve():
        app = Flask("warned")

        @app.route("/w")
        @cross_origin(supports_credentials=True)
        def w() -> str:
            return "w"

        return app.test_client().get("/w", headers={"Origin": ORIGIN})

    response = decorate_and_serve()

    (finding,) = logged_findings()
    assert finding.id == "credentials-any-origin"
    assert "supports_credentials" in finding.message

    assert response.headers["Access-Control-Allow-Credentials"] == "true"
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN


def test_decorated_view_options_are_checked_when_cors_is_initialised():
    app = Flask("checked_at_start")
    app.config["CORS_MAX_AGE"] = "soon"

    @app.route("/v")
    @cross_origin(origins=["https://a.example"])
    def v() -> str:
        return "v"

    with pytest.raises(CORSConfigError, match="max_age"):
        CORS(app, resources=[])
