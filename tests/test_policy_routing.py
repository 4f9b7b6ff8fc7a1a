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


# --- one routed rule, one policy: every spelling the router serves with one rule --------

ITEM = "3f2504e0-4f89-11d3-9a0c-0305e82c3301"


def spellings_app() -> Flask:
    """Admin-only literal resources on rules that the router also serves under other
    spellings, inside a partner-wide ``/api/*``."""
    app = Flask("spellings")
    app.url_map.strict_slashes = False
    methods = ["GET", "DELETE"]

    def view(**_args: object) -> str:
        return "served"

    app.add_url_rule("/api/admin/users", "users", view, methods=methods)
    app.add_url_rule("/api/admin/teams/", "teams", view, methods=methods)
    app.add_url_rule("/api/admin/items/<int:number>", "item", view, methods=methods)
    app.add_url_rule("/api/admin/ratios/<float:ratio>", "ratio", view, methods=methods)
    app.add_url_rule("/api/admin/things/<uuid:key>", "thing", view, methods=methods)
    app.add_url_rule("/api/admin/boxes/<name>/", "box", view, methods=methods)
    app.add_url_rule(
        "/api/admin/keys", "keys", view, methods=methods, strict_slashes=True
    )  # the one rule of the app whose trailing slash is strict
    admin = {"origins": [ADMIN], "supports_credentials": True}
    CORS(
        app,
        resources={
            "/api/admin/users": admin,
            "/api/admin/teams/": admin,
            "/api/admin/items/3": admin,
            "/api/admin/ratios/1.5": admin,
            f"/api/admin/things/{ITEM}": admin,
            "/api/admin/boxes/b/": admin,
            "/api/admin/keys": admin,
            "/api/*": {"origins": [PARTNER], "supports_credentials": True},
        },
    )
    return app


@pytest.mark.parametrize(
    "path",
    [
        "/api/admin/users",
        "/api/admin/users/",  # strict_slashes=False: the rule without its slash serves it
        "/api/admin/teams/",
        "/api/admin/teams",  # ... and the rule with a slash serves the path without one
        "/api/admin/items/3",
        "/api/admin/items/003",  # int: leading zeros
        "/api/admin/items/%D9%A3",  # int: an Arabic-Indic three
        "/api/admin/items/%EF%BC%93",  # int: a fullwidth three
        "/api/admin/ratios/1.50",  # float
        f"/api/admin/things/{ITEM.upper()}",  # uuid: upper case
        "/api/admin/boxes/b",  # a string converter, the rule's slash not strict
        "/api/admin/keys",
    ],
)
def test_every_spelling_of_a_routed_rule_gets_that_rules_policy(path):
    client = spellings_app().test_client()

    admin_get = client.get(path, headers={"Origin": ADMIN})
    partner_get = client.get(path, headers={"Origin": PARTNER})
    admin_preflight = send_preflight(client, path, ADMIN, "DELETE")
    partner_preflight = send_preflight(client, path, PARTNER, "DELETE")

    assert admin_get.status_code == partner_get.status_code == 200
    assert admin_get.headers["Access-Control-Allow-Origin"] == ADMIN
    assert "Access-Control-Allow-Origin" not in partner_get.headers
    assert admin_preflight.status_code == 200
    assert admin_preflight.headers["Access-Control-Allow-Origin"] == ADMIN
    assert "DELETE" in admin_preflight.headers["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Origin" not in partner_preflight.headers


def test_a_literal_resource_is_matched_as_the_rule_is_written():
    """docs/configuration.md (``resources``): a literal spelled with a slash the rule does
    not have matches nothing routed to that rule."""
    app = Flask("literal_slash")
    app.url_map.strict_slashes = False

    @app.get("/api/admin/users")
    def users() -> str:
        return "users"

    CORS(
        app, resources={"/api/admin/users/": {"origins": [ADMIN]}, "/api/*": {"origins": [PARTNER]}}
    )
    client = app.test_client()

    for path in ("/api/admin/users", "/api/admin/users/"):
        response = client.get(path, headers={"Origin": PARTNER})
        assert response.headers["Access-Control-Allow-Origin"] == PARTNER, path


def test_a_strict_trailing_slash_is_still_another_path():
    client = spellings_app().test_client()

    response = client.get("/api/admin/keys/", headers={"Origin": PARTNER})

    assert response.status_code == 404  # no rule serves it: matched as it is spelled
    assert response.headers["Access-Control-Allow-Origin"] == PARTNER


# --- a view that answers OPTIONS itself is called, whoever serves the requested method ---


@pytest.mark.parametrize("decorated", [True, False])
@pytest.mark.parametrize("layout", ["options-rule-first", "no-automatic-options"])
def test_view_that_answers_options_itself_receives_preflights_for_other_views(decorated, layout):
    """docs/decorator.md, docs/configuration.md (``automatic_options``): a route that lists
    ``OPTIONS`` (a ``cross_origin(automatic_options=False)`` view among them) receives the
    preflight, also when another view serves the method it asks for."""
    app = Flask("own_options_elsewhere")
    if layout == "no-automatic-options":
        app.config["PROVIDE_AUTOMATIC_OPTIONS"] = False
    seen: list[str] = []

    def answer_options() -> tuple[str, int]:
        seen.append("options view")
        return "own answer", 200

    if decorated:  # its own origins do not decide: the view serving PUT does
        answer_options = cross_origin(origins=[ADMIN], automatic_options=False)(answer_options)

    def read() -> str:
        return "read"

    if layout == "options-rule-first":  # else Flask's automatic OPTIONS of GET routes first
        app.add_url_rule("/x", "own_options", answer_options, methods=["OPTIONS"])
    # PROVIDE_AUTOMATIC_OPTIONS is read from Flask 3.1 on; the rule's own flag everywhere.
    automatic = None if layout != "no-automatic-options" else False
    app.add_url_rule(
        "/x", "read", read, methods=["GET", "PUT"], provide_automatic_options=automatic
    )
    if layout != "options-rule-first":
        app.add_url_rule("/x", "own_options", answer_options, methods=["OPTIONS"])
    CORS(app, origins=[PARTNER])

    response = send_preflight(app.test_client(), "/x", PARTNER, "PUT")

    assert seen == ["options view"]
    assert response.data == b"own answer"
    # The headers are those of the view that serves the method asked for.
    assert response.headers["Access-Control-Allow-Origin"] == PARTNER
    assert "PUT" in response.headers["Access-Control-Allow-Methods"]


# --- another app mounted inside app.wsgi_app ----------------------------------------------


def mounted_apps(order: str) -> tuple[Flask, list[str]]:
    """``front`` serves every path for the partner; ``admin``, mounted at ``/admin`` with a
    ``DispatcherMiddleware`` before or after ``CORS(front)``, serves its own for the admin."""
    from werkzeug.middleware.dispatcher import DispatcherMiddleware

    front = Flask("front")
    admin = Flask("admin")
    seen: list[str] = []
    front.before_request(lambda: seen.append("front"))  # type: ignore[func-returns-value]

    @front.route("/<path:anything>", methods=["GET", "DELETE"])
    def front_view(anything: str) -> str:
        return "front"

    @admin.route("/api/users", methods=["GET", "DELETE"])
    def admin_users() -> str:
        return "admin"

    CORS(admin, origins=[ADMIN])
    if order == "mounted before CORS(app)":
        front.wsgi_app = DispatcherMiddleware(front.wsgi_app, {"/admin": admin})  # type: ignore[method-assign]
    CORS(front, origins=[PARTNER])
    if order == "mounted after CORS(app)":
        front.wsgi_app = DispatcherMiddleware(front.wsgi_app, {"/admin": admin})  # type: ignore[method-assign]
    return front, seen


MOUNT_ORDERS = ["mounted before CORS(app)", "mounted after CORS(app)"]


@pytest.mark.parametrize("order", MOUNT_ORDERS)
def test_preflight_to_a_mounted_app_is_judged_by_the_mounted_app(order):
    front, _ = mounted_apps(order)
    client = front.test_client()

    partner = send_preflight(client, "/admin/api/users", PARTNER, "DELETE")
    admin = send_preflight(client, "/admin/api/users", ADMIN, "DELETE")
    actual = client.delete("/admin/api/users", headers={"Origin": PARTNER})

    assert "Access-Control-Allow-Origin" not in partner.headers
    assert admin.headers["Access-Control-Allow-Origin"] == ADMIN
    assert actual.data == b"admin"
    assert "Access-Control-Allow-Origin" not in actual.headers


@pytest.mark.parametrize("order", MOUNT_ORDERS)
def test_preflights_are_answered_in_front_only_when_cors_wraps_flasks_own_dispatch(order, caplog):
    """docs/security.md, docs/configuration.md (``automatic_options``): allowed preflights
    skip the app's handlers only when ``CORS(app)`` runs before any middleware wraps
    ``app.wsgi_app``; otherwise they go through the app, and a warning says so."""
    caplog.set_level(logging.WARNING, logger="flask_cors")
    front, seen = mounted_apps(order)

    response = send_preflight(front.test_client(), "/docs/1", PARTNER, "DELETE")

    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == PARTNER
    warned = [r for r in caplog.records if "already wrapped" in r.getMessage()]
    if order == "mounted before CORS(app)":
        assert seen == ["front"]
        assert len(warned) == 1
        assert "DispatcherMiddleware" in warned[0].getMessage()
    else:
        assert seen == []
        assert warned == []


# --- what the docs say about routing, pinned ---------------------------------------------


def test_preflight_for_a_method_no_route_serves_gets_the_paths_policy_through_the_app():
    """docs/configuration.md (``automatic_options``), docs/security.md, docs/troubleshooting.md:
    flask_cors does not answer such a preflight in front of the app; it goes through the
    app's handlers and gets the CORS headers of the route that serves its path, as the 405
    of the actual request would (and as in Flask-Cors 6)."""
    app = admin_blueprint_app(automatic_options=True)
    seen: list[str] = []
    app.before_request(lambda: seen.append("app"))  # type: ignore[func-returns-value]
    client = app.test_client()

    admin = send_preflight(client, "/admin/users", ADMIN, "DELETE")
    partner = send_preflight(client, "/admin/users", PARTNER, "DELETE")
    actual = client.delete("/admin/users", headers={"Origin": ADMIN})

    assert seen == ["app", "app", "app"]
    assert admin.headers["Access-Control-Allow-Origin"] == ADMIN
    assert "Access-Control-Allow-Origin" not in partner.headers  # the blueprint's policy
    assert actual.status_code == 405
    assert actual.headers["Access-Control-Allow-Origin"] == ADMIN


def test_blueprint_route_outside_its_patterns_falls_back_to_the_app_resources():
    """docs/blueprints.md, docs/security.md: a route of a ``CORS(blueprint)`` blueprint
    that none of the blueprint's patterns matches gets the app-wide resources."""
    app = Flask("fallback")
    api = Blueprint("api", __name__, url_prefix="/api")

    @api.get("/private/report")
    def report() -> str:
        return "report"

    @api.get("/open/news")
    def news() -> str:
        return "news"

    CORS(api, resources={"/api/private/*": {"origins": [ADMIN]}})
    CORS(app, origins=[PARTNER])
    app.register_blueprint(api)
    client = app.test_client()

    private = client.get("/api/private/report", headers={"Origin": PARTNER})
    outside = client.get("/api/open/news", headers={"Origin": PARTNER})

    assert "Access-Control-Allow-Origin" not in private.headers
    assert outside.headers["Access-Control-Allow-Origin"] == PARTNER
