"""How a request finds its policy: the view that will serve it, never another one."""

from __future__ import annotations

import logging

import pytest
from flask import Blueprint, Flask, abort, g

from flask_cors import CORS, cross_origin, hookimpl

pytestmark = pytest.mark.usefixtures("without_installed_plugins")

PARTNER = "https://partner.example"
ADMIN = "https://admin.example"


def send_preflight(client, path, origin, method):
    return client.options(path, headers={"Origin": origin, "Access-Control-Request-Method": method})


def split_doc_app() -> tuple[Flask, list[str]]:
    """``GET /doc`` decorated for the partner; ``DELETE /doc`` under the app's admin policy."""
    app = Flask("split")
    deleted: list[str] = []

    @app.get("/doc")
    @cross_origin(origins=[PARTNER], supports_credentials=True)
    def read_doc() -> str:
        return "doc"

    @app.delete("/doc")
    def delete_doc() -> str:
        deleted.append("doc")
        return "deleted"

    CORS(app, resources={"/*": {"origins": [ADMIN], "supports_credentials": True}})
    return app, deleted


def test_preflight_is_judged_by_the_view_that_serves_the_requested_method():
    app, _ = split_doc_app()
    client = app.test_client()

    partner = send_preflight(client, "/doc", PARTNER, "DELETE")
    admin = send_preflight(client, "/doc", ADMIN, "DELETE")
    partner_read = send_preflight(client, "/doc", PARTNER, "GET")

    assert "Access-Control-Allow-Origin" not in partner.headers
    assert admin.headers["Access-Control-Allow-Origin"] == ADMIN
    assert "DELETE" in admin.headers["Access-Control-Allow-Methods"]
    assert partner_read.headers["Access-Control-Allow-Origin"] == PARTNER


def test_actual_request_is_judged_by_the_view_that_serves_it():
    app, deleted = split_doc_app()
    client = app.test_client()

    delete = client.delete("/doc", headers={"Origin": PARTNER})
    read = client.get("/doc", headers={"Origin": PARTNER})

    assert "Access-Control-Allow-Origin" not in delete.headers
    assert read.headers["Access-Control-Allow-Origin"] == PARTNER
    assert deleted == ["doc"]  # the server ran it; the browser never lets the page read it


def admin_blueprint_app(*, automatic_options: bool) -> Flask:
    app = Flask("blueprinted")
    app.config["PROVIDE_AUTOMATIC_OPTIONS"] = automatic_options
    admin = Blueprint("admin", __name__, url_prefix="/admin")

    @admin.post("/users")
    def create_user() -> str:
        return "created"

    CORS(admin, origins=[ADMIN], supports_credentials=True)

    @app.post("/public")
    def public() -> str:
        return "public"

    CORS(app, origins=[PARTNER, ADMIN], supports_credentials=True)
    app.register_blueprint(admin)
    return app


@pytest.mark.parametrize("automatic_options", [True, False])
def test_blueprint_scope_decides_its_preflights_whatever_the_options_routing(automatic_options):
    client = admin_blueprint_app(automatic_options=automatic_options).test_client()

    partner = send_preflight(client, "/admin/users", PARTNER, "POST")
    admin = send_preflight(client, "/admin/users", ADMIN, "POST")
    public = send_preflight(client, "/public", PARTNER, "POST")

    assert "Access-Control-Allow-Origin" not in partner.headers
    assert admin.headers["Access-Control-Allow-Origin"] == ADMIN
    assert public.headers["Access-Control-Allow-Origin"] == PARTNER


def test_preflight_for_a_method_no_route_serves_is_answered_by_the_app():
    app = admin_blueprint_app(automatic_options=True)
    seen: list[str] = []
    app.before_request(lambda: seen.append("app"))  # type: ignore[func-returns-value]
    client = app.test_client()

    response = send_preflight(client, "/admin/users", PARTNER, "DELETE")

    assert seen == ["app"]
    assert "Access-Control-Allow-Origin" not in response.headers  # the blueprint's policy


def user_app() -> Flask:
    """An app whose after_request needs what its before_request sets (``g.user``)."""
    app = Flask("users")

    @app.before_request
    def load_user() -> None:
        g.user = "someone"

    @app.after_request
    def stamp(response):
        response.headers["X-User"] = g.user
        return response

    @app.put("/items")
    def items() -> str:
        return "items"

    CORS(app, origins=[PARTNER])
    return app


def test_allowed_preflight_runs_none_of_the_apps_handlers():
    client = user_app().test_client()

    preflight = send_preflight(client, "/items", PARTNER, "PUT")
    actual = client.put("/items", headers={"Origin": PARTNER})

    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == PARTNER
    assert "X-User" not in preflight.headers
    assert actual.headers["X-User"] == "someone"


def test_denied_preflight_goes_through_the_apps_handlers():
    client = user_app().test_client()

    response = send_preflight(client, "/items", "https://stranger.example", "PUT")

    assert response.headers["X-User"] == "someone"
    assert "Access-Control-Allow-Origin" not in response.headers


def test_reassigned_view_functions_are_read_afresh():
    app = Flask("swapped")

    @app.get("/feed")
    @cross_origin(origins=[PARTNER])
    def feed() -> str:
        return "feed"

    CORS(app, resources={"/*": {"origins": [ADMIN]}})
    client = app.test_client()
    assert (
        client.get("/feed", headers={"Origin": PARTNER}).headers["Access-Control-Allow-Origin"]
        == PARTNER
    )

    app.view_functions = {**app.view_functions, "feed": lambda: "plain"}

    partner = client.get("/feed", headers={"Origin": PARTNER})
    admin = client.get("/feed", headers={"Origin": ADMIN})
    assert "Access-Control-Allow-Origin" not in partner.headers
    assert admin.headers["Access-Control-Allow-Origin"] == ADMIN


def test_request_fields_in_log_lines_are_quoted(caplog):
    app = Flask("logged")

    @app.get("/<path:anything>")
    def anything(anything: str) -> str:
        return "ok"

    CORS(app, origins=[PARTNER])
    caplog.set_level(logging.DEBUG, logger="flask_cors")
    forged = "/x from origin https://good.example: origin allowed"

    app.test_client().get(forged, headers={"Origin": "https://evil.example"})

    (line,) = [r.getMessage() for r in caplog.records if r.getMessage().startswith("CORS ")]
    assert line == (
        f"CORS denied for 'GET' {forged!r} from origin 'https://evil.example': origin not allowed"
    )


def test_errors_in_views_do_not_stop_the_preflight_answer():
    app = Flask("crashy")

    @app.before_request
    def crash() -> None:
        abort(500)

    @app.put("/items")
    def items() -> str:
        return "items"

    CORS(app, origins=[PARTNER])

    response = send_preflight(app.test_client(), "/items", PARTNER, "PUT")

    assert response.status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/api/../private",
        "/api/%2e%2e/private",
        "/api/%2E%2E/private",
        "/api/./x",
        "/api/%252e%252e/x",
    ],
)
@pytest.mark.parametrize("method", ["GET", "OPTIONS"])
def test_path_with_a_dot_segment_gets_no_cors_headers(path, method):
    app = Flask("dots")

    @app.route("/<path:anything>", methods=["GET", "PUT"])
    def anything(anything: str) -> str:
        return "ok"

    CORS(app, resources={"/api/*": {"origins": "*"}, "/*": {"origins": [PARTNER]}})
    headers = {"Origin": PARTNER}
    if method == "OPTIONS":
        headers["Access-Control-Request-Method"] = "PUT"

    response = app.test_client().open(path, method=method, headers=headers)

    assert "Access-Control-Allow-Origin" not in response.headers
    assert response.headers["Vary"].startswith("Origin")


def test_dots_inside_a_segment_are_fine():
    app = Flask("dotted")

    @app.get("/files/<name>")
    def files(name: str) -> str:
        return name

    CORS(app, origins=[PARTNER])

    response = app.test_client().get("/files/v1.2..tar", headers={"Origin": PARTNER})

    assert response.headers["Access-Control-Allow-Origin"] == PARTNER


def test_allowed_preflight_to_a_decorated_view_is_answered_in_front_of_the_app():
    app = Flask("decorated_guarded")

    @app.before_request
    def require_login() -> None:
        abort(401)

    @app.post("/x")
    @cross_origin(origins=[PARTNER])
    def x() -> str:
        return "x"

    CORS(app, resources=[])

    response = send_preflight(app.test_client(), "/x", PARTNER, "POST")

    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == PARTNER


def test_decorated_view_with_automatic_options_off_receives_its_preflight():
    app = Flask("decorated_own_options")
    seen: list[str] = []

    @app.route("/x", methods=["POST", "OPTIONS"])
    @cross_origin(origins=[PARTNER], automatic_options=False)
    def x() -> str:
        from flask import request

        seen.append(request.method)
        return "own answer"

    CORS(app, resources=[])

    response = send_preflight(app.test_client(), "/x", PARTNER, "POST")

    assert seen == ["OPTIONS"]
    assert response.data == b"own answer"
    assert response.headers["Access-Control-Allow-Origin"] == PARTNER


@pytest.mark.parametrize(("method", "status"), [("PUT", 405), ("GET", 200)])
def test_a_request_routing_refuses_is_judged_by_its_paths_blueprint(method, status):
    app = Flask("refused")
    admin = Blueprint("admin", __name__, url_prefix="/admin")

    @admin.get("/users")
    def users() -> str:
        return "users"

    CORS(admin, origins=[ADMIN], supports_credentials=True)
    CORS(app, origins=[PARTNER], supports_credentials=True)
    app.register_blueprint(admin)
    client = app.test_client()

    partner = client.open("/admin/users", method=method, headers={"Origin": PARTNER})
    admin_origin = client.open("/admin/users", method=method, headers={"Origin": ADMIN})

    assert partner.status_code == admin_origin.status_code == status
    assert "Access-Control-Allow-Origin" not in partner.headers
    assert admin_origin.headers["Access-Control-Allow-Origin"] == ADMIN


def test_unusable_config_of_a_decorator_only_app_fails_closed_not_500(caplog):
    app = Flask("decorator_only")
    app.config["CORS_LINT_STRICT"] = "maybe"

    @app.get("/x")
    @cross_origin(origins=[PARTNER])
    def x() -> str:
        return "x"

    client = app.test_client()
    responses = [client.get("/x", headers={"Origin": PARTNER}) for _ in range(3)]

    assert [r.status_code for r in responses] == [200, 200, 200]
    assert all("Access-Control-Allow-Origin" not in r.headers for r in responses)
    assert len([r for r in caplog.records if "CORS is not set up" in r.getMessage()]) == 1


def test_registering_plugins_while_requests_run_never_tears_an_answer():
    import threading

    app = Flask("torn")

    @app.put("/x")
    def x() -> str:
        return "x"

    CORS(app, origins=[PARTNER], plugin_discovery=False)
    pm = app.extensions["cors"].pm

    class VaryPlugin:
        @hookimpl
        def vary(self):
            return ("Accept-Encoding",)

    stop = threading.Event()

    def churn() -> None:
        while not stop.is_set():
            pm.register(VaryPlugin(), name="churn")
            pm.unregister(name="churn")

    thread = threading.Thread(target=churn)
    thread.start()
    try:
        client = app.test_client()
        seen = set()
        for _ in range(400):
            response = send_preflight(client, "/x", PARTNER, "PUT")
            seen.add(response.headers["Vary"])
    finally:
        stop.set()
        thread.join()

    assert seen <= {
        "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
        "Origin, Access-Control-Request-Method, Access-Control-Request-Headers, Accept-Encoding",
        "Origin, Accept-Encoding, Access-Control-Request-Method, Access-Control-Request-Headers",
    }
