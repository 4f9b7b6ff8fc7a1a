"""What a real browser makes of the policy routing: every request judged by the view that
serves it, preflights answered in front of the app, replaced header objects, errors."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Blueprint, Flask, Response, abort, g, jsonify, make_response

from flask_cors import CORS, cross_origin

from .helpers import LiveServer, browser_fetch, serve_apps

ADMIN = "https://admin.example"
JSON_HEADERS = {"Content-Type": "application/json"}


def create_split_doc_api(page_origin: str) -> Flask:
    """``GET /doc`` open to the page (decorated); ``DELETE /doc`` for the admin origin only."""
    app = Flask("split_doc")

    @app.get("/doc")
    @cross_origin(origins=[page_origin])
    def read_doc() -> Response:
        return jsonify(doc="readable")

    @app.delete("/doc")
    def delete_doc() -> Response:
        return jsonify(deleted=True)

    CORS(app, resources={"/*": {"origins": [ADMIN]}})
    return app


def create_admin_blueprint_api(page_origin: str) -> Flask:
    """The page is allowed app-wide, not on the admin blueprint; no automatic OPTIONS."""
    app = Flask("admin_blueprint")
    app.config["PROVIDE_AUTOMATIC_OPTIONS"] = False
    admin = Blueprint("admin", __name__, url_prefix="/admin")

    @admin.post("/users")
    def create_user() -> Response:
        return jsonify(created=True)

    CORS(admin, origins=[ADMIN])

    @app.post("/public")
    def public() -> Response:
        return jsonify(public=True)

    CORS(app, origins=[page_origin])
    app.register_blueprint(admin)
    return app


def create_user_api(page_origin: str) -> Flask:
    """Handlers that need each other, headers replaced by a dict, and error responses."""
    app = Flask("user_api")

    @app.before_request
    def load_user() -> None:
        g.user = "someone"

    @app.after_request
    def stamp(response: Response) -> Response:
        response.headers["X-User"] = g.user
        return response

    @app.put("/items")
    def items() -> Response:
        return jsonify(user=g.user)

    @app.get("/dict-headers")
    def dict_headers() -> Response:
        response = make_response('{"plain": "dict"}')
        response.headers = {"Content-Type": "application/json"}  # type: ignore[assignment]
        return response

    @app.get("/forbidden")
    def forbidden() -> Response:
        abort(403)

    CORS(app, origins=[page_origin], intercept_exceptions=False)
    return app


def create_glob_api(page_origin: str) -> Flask:
    """The page's host with any port, written as a glob: ``http://127.0.0.1:*``."""
    app = Flask("glob_api")

    @app.put("/items")
    def items() -> Response:
        return jsonify(put=True)

    host = page_origin.rsplit(":", 1)[0]
    CORS(app, origins=[f"{host}:*"], lint_ignore=["origin-glob"])
    return app


@pytest.fixture(scope="module")
def servers(chromium: Any) -> Iterator[dict[str, LiveServer]]:
    yield from serve_apps(
        {
            "split": create_split_doc_api,
            "blueprint": create_admin_blueprint_api,
            "users": create_user_api,
            "glob": create_glob_api,
        }
    )


def test_page_cannot_delete_through_the_policy_of_the_get_view(
    page: Any, servers: dict[str, LiveServer]
) -> None:
    server = servers["split"]

    read = browser_fetch(page, server.origin + "/doc")
    delete = browser_fetch(page, server.origin + "/doc", method="DELETE")

    assert read.allowed, read
    assert not delete.allowed, delete
    assert ("DELETE", "/doc") not in server.requests


def test_blueprint_policy_decides_the_preflight_without_automatic_options(
    page: Any, servers: dict[str, LiveServer]
) -> None:
    server = servers["blueprint"]

    admin = browser_fetch(
        page, server.origin + "/admin/users", method="POST", headers=JSON_HEADERS, body="{}"
    )
    public = browser_fetch(
        page, server.origin + "/public", method="POST", headers=JSON_HEADERS, body="{}"
    )

    assert not admin.allowed, admin
    assert ("POST", "/admin/users") not in server.requests
    assert public.allowed, public
    assert public.json() == {"public": True}


def test_preflighted_request_works_when_after_request_needs_before_request(
    page: Any, servers: dict[str, LiveServer]
) -> None:
    server = servers["users"]

    outcome = browser_fetch(
        page, server.origin + "/items", method="PUT", headers=JSON_HEADERS, body="{}"
    )

    assert outcome.allowed, outcome
    assert outcome.json() == {"user": "someone"}
    assert server.requests[-2:] == [("OPTIONS", "/items"), ("PUT", "/items")]


def test_response_with_dict_headers_is_readable(page: Any, servers: dict[str, LiveServer]) -> None:
    outcome = browser_fetch(page, servers["users"].origin + "/dict-headers")

    assert outcome.allowed, outcome
    assert outcome.json() == {"plain": "dict"}


def test_error_response_is_readable_with_intercept_exceptions_off(
    page: Any, servers: dict[str, LiveServer]
) -> None:
    outcome = browser_fetch(page, servers["users"].origin + "/forbidden")

    assert outcome.allowed, outcome
    assert outcome.status == 403


def test_origin_written_as_a_glob_with_any_port_lets_the_page_in(
    page: Any, servers: dict[str, LiveServer]
) -> None:
    outcome = browser_fetch(
        page, servers["glob"].origin + "/items", method="PUT", headers=JSON_HEADERS, body="{}"
    )

    assert outcome.allowed, outcome
    assert outcome.json() == {"put": True}
