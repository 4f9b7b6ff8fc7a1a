"""CORS(blueprint): CORS for the routes of one blueprint (and the blueprints nested in it)."""

from __future__ import annotations

import pytest
from flask import Blueprint, Flask, abort

from flask_cors import CORS, CORSConfigError

pytestmark = pytest.mark.usefixtures("without_installed_plugins")

ORIGIN = {"Origin": "https://client.example"}


def build(enable: str, **cors_kwargs: object) -> Flask:
    """App with ``/root``, blueprint ``parent`` at /p (its ``child`` at /p/c), ``other`` at /o."""
    parent = Blueprint("parent", __name__, url_prefix="/p")
    child = Blueprint("child", __name__, url_prefix="/c")
    other = Blueprint("other", __name__, url_prefix="/o")

    @parent.route("/x")
    def parent_view() -> str:
        return "parent"

    @child.route("/y")
    def child_view() -> str:
        return "child"

    @other.route("/z")
    def other_view() -> str:
        return "other"

    targets = {"parent": parent, "child": child, "other": other}
    CORS(targets[enable], **cors_kwargs)
    parent.register_blueprint(child)
    app = Flask("blueprints")

    @app.route("/root")
    def root() -> str:
        return "root"

    app.register_blueprint(parent)
    app.register_blueprint(other)
    return app


@pytest.mark.parametrize(
    ("enable", "path", "expected"),
    [
        ("parent", "/p/x", True),
        ("parent", "/p/c/y", True),
        ("parent", "/o/z", False),
        ("parent", "/root", False),
        ("child", "/p/c/y", True),
        ("child", "/p/x", False),
        ("child", "/root", False),
        ("other", "/o/z", True),
        ("other", "/p/x", False),
        ("other", "/p/c/y", False),
    ],
)
def test_cors_on_a_blueprint_covers_only_its_routes(enable, path, expected):
    client = build(enable).test_client()

    response = client.get(path, headers=ORIGIN)

    assert response.status_code == 200
    assert ("Access-Control-Allow-Origin" in response.headers) is expected
    assert ("Vary" in response.headers) is expected


def test_blueprint_options_apply_to_its_routes():
    client = build("parent", origins="https://only.example").test_client()

    allowed = client.get("/p/x", headers={"Origin": "https://only.example"})
    denied = client.get("/p/x", headers=ORIGIN)

    assert allowed.headers["Access-Control-Allow-Origin"] == "https://only.example"
    assert "Access-Control-Allow-Origin" not in denied.headers


def test_blueprint_resources_are_matched_against_the_full_path():
    client = build("parent", resources=r"/p/c/*").test_client()

    assert "Access-Control-Allow-Origin" in client.get("/p/c/y", headers=ORIGIN).headers
    assert "Access-Control-Allow-Origin" not in client.get("/p/x", headers=ORIGIN).headers


def test_blueprint_preflight_answered_before_app_before_request(preflight):
    app = build("parent")

    @app.before_request
    def deny():
        abort(401)

    client = app.test_client()
    inside = preflight(client, "/p/x", method="GET", request_headers="x-token")
    outside = preflight(client, "/root", method="GET", request_headers="x-token")

    assert inside.status_code == 200
    assert inside.headers["Access-Control-Allow-Origin"] == "https://client.example"
    assert outside.status_code == 401


def test_blueprint_settings_win_over_app_settings_on_blueprint_routes():
    app = build("parent", origins="https://blueprint.example")
    CORS(app, origins="https://app.example")
    client = app.test_client()

    on_blueprint = client.get("/p/x", headers={"Origin": "https://blueprint.example"})
    app_origin_on_blueprint = client.get("/p/x", headers={"Origin": "https://app.example"})
    on_app = client.get("/root", headers={"Origin": "https://app.example"})

    assert on_blueprint.headers.getlist("Access-Control-Allow-Origin") == [
        "https://blueprint.example"
    ]
    assert "Access-Control-Allow-Origin" not in app_origin_on_blueprint.headers
    assert on_app.headers["Access-Control-Allow-Origin"] == "https://app.example"


def test_blueprint_uses_app_config():
    parent = Blueprint("cfg", __name__)

    @parent.route("/b")
    def view() -> str:
        return "b"

    CORS(parent)
    app = Flask("config")
    app.config["CORS_ORIGINS"] = "https://configured.example"
    app.register_blueprint(parent)

    response = app.test_client().get("/b", headers={"Origin": "https://configured.example"})

    assert response.headers["Access-Control-Allow-Origin"] == "https://configured.example"


def test_blueprint_registered_twice_under_two_names():
    blueprint = Blueprint("shared", __name__)

    @blueprint.route("/s")
    def view() -> str:
        return "s"

    CORS(blueprint)
    app = Flask("twice")
    app.register_blueprint(blueprint, url_prefix="/one")
    app.register_blueprint(blueprint, url_prefix="/two", name="shared_two")
    client = app.test_client()

    for path in ("/one/s", "/two/s"):
        assert client.get(path, headers=ORIGIN).headers["Access-Control-Allow-Origin"]


def test_same_blueprint_in_two_apps():
    blueprint = Blueprint("reused", __name__)

    @blueprint.route("/r")
    def view() -> str:
        return "r"

    CORS(blueprint, origins="https://client.example")
    first, second = Flask("first"), Flask("second")
    first.register_blueprint(blueprint)
    second.register_blueprint(blueprint)

    for app in (first, second):
        response = app.test_client().get("/r", headers=ORIGIN)
        assert response.headers["Access-Control-Allow-Origin"] == "https://client.example"


@pytest.mark.parametrize("register_first", [True, False], ids=["registered-first", "cors-first"])
@pytest.mark.parametrize(
    "setting", [{"plugins": []}, {"lint_strict": True}, {"blocked_plugins": ["x"]}]
)
def test_app_level_settings_given_to_a_blueprint_are_refused_in_any_order(register_first, setting):
    blueprint = Blueprint("admin", __name__, url_prefix="/admin")
    app = Flask("ordered")
    if register_first:
        app.register_blueprint(blueprint)

    with pytest.raises(CORSConfigError, match=r"CORS\(app, \.\.\.\)"):
        CORS(blueprint, **setting)
    if not register_first:
        CORS(app)
        app.register_blueprint(blueprint)
