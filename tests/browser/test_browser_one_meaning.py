"""What a real browser gets when one setting could be read two ways: a broken origin glob,
a path spelled two ways for one route, a digit the router reads and a regex engine might
not. Pages are served under host names of their own (``*.test``, which the browser
resolves to 127.0.0.1, see ``CHROMIUM_ARGS``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask, Response, jsonify

from flask_cors import CORS

from .helpers import LiveServer, bind, blank_page_app

ADMIN = "https://admin.example"
JSON_HEADERS = {"Content-Type": "application/json"}
QUIET = ["origin-glob", "origin-glob-broken", "http-origin-with-credentials"]


def glob_api(origins: list[str]) -> Flask:
    app = Flask("glob_api")

    @app.post("/notes")
    def notes() -> Response:
        return jsonify(created=True)

    CORS(app, origins=origins, supports_credentials=True, lint_ignore=QUIET)
    return app


def admin_api(partner: str) -> Flask:
    """An admin resource inside a partner-wide one, routes that take several spellings."""
    app = Flask("admin_api")
    app.url_map.strict_slashes = False

    @app.route("/api/admin/users", methods=["GET", "DELETE"])
    def admin_users() -> Response:
        return jsonify(users=["root"])

    @app.get("/api/<tenant>/users/<int:uid>/profile")
    def profile(tenant: str, uid: int) -> Response:
        return jsonify(tenant=tenant, uid=uid)

    CORS(
        app,
        resources={
            "/api/admin/users": {"origins": [ADMIN], "supports_credentials": True},
            r"/api/.*/users/\d+/.*": {"origins": [ADMIN], "supports_credentials": True},
            "/api/*": {"origins": [partner], "supports_credentials": True},
        },
        lint_ignore=QUIET,
    )
    return app


@pytest.fixture(scope="module")
def servers(chromium: Any) -> Iterator[dict[str, LiveServer]]:
    started: dict[str, LiveServer] = {}
    try:
        for name, host in [
            ("page", "127.0.0.1"),
            ("lookalike", "xexample.evil.test"),
            ("member", "app.example.test"),
        ]:
            page_app = blank_page_app()
            started[name] = bind(host)
            started[name].serve(page_app)
        member = started["member"].origin.rsplit(":", 1)[0]
        apis: dict[str, Callable[[], Flask]] = {
            "broken_glob": lambda: glob_api(["http://*.example.*"]),
            "glob": lambda: glob_api([f"{member}:*"]),
            "admin": lambda: admin_api(started["page"].origin),
        }
        for name, factory in apis.items():
            app = factory()  # built before its server exists: a failure stops nothing unstarted
            started[name] = bind("localhost")
            started[name].serve(app)
        yield started
    finally:
        for server in started.values():
            server.stop()


def _fetch(page: Any, url: str, **init: Any) -> dict[str, Any]:
    script = """async ([url, init]) => {
      try {
        const response = await fetch(url, init);
        return {ok: true, status: response.status, body: await response.text()};
      } catch (error) { return {ok: false, error: String(error)}; }
    }"""
    result: dict[str, Any] = page.evaluate(script, [url, init])
    return result


def test_broken_origin_glob_lets_no_lookalike_site_in(
    new_page: Callable[[str], Any], servers: dict[str, LiveServer]
) -> None:
    api = servers["broken_glob"]
    page = new_page(servers["lookalike"].origin + "/")

    outcome = _fetch(
        page,
        api.origin + "/notes",
        method="POST",
        headers=JSON_HEADERS,
        body="{}",
        credentials="include",
    )

    assert not outcome["ok"], outcome
    assert api.count("POST", "/notes") == 0


def test_valid_origin_glob_lets_its_subdomain_in(
    new_page: Callable[[str], Any], servers: dict[str, LiveServer]
) -> None:
    page = new_page(servers["member"].origin + "/")

    outcome = _fetch(
        page,
        servers["glob"].origin + "/notes",
        method="POST",
        headers=JSON_HEADERS,
        body="{}",
        credentials="include",
    )

    assert outcome["ok"], outcome
    assert outcome["status"] == 200


@pytest.mark.parametrize("path", ["/api/admin/users", "/api/admin/users/"])
def test_partner_page_cannot_read_the_admin_route_however_it_spells_it(
    new_page: Callable[[str], Any], servers: dict[str, LiveServer], path: str
) -> None:
    page = new_page(servers["page"].origin + "/")

    outcome = _fetch(page, servers["admin"].origin + path, credentials="include")

    assert not outcome["ok"], outcome


@pytest.mark.parametrize("path", ["/api/admin/users", "/api/admin/users/"])
def test_partner_page_cannot_delete_on_the_admin_route_however_it_spells_it(
    new_page: Callable[[str], Any], servers: dict[str, LiveServer], path: str
) -> None:
    api = servers["admin"]
    page = new_page(servers["page"].origin + "/")

    outcome = _fetch(page, api.origin + path, method="DELETE", credentials="include")

    assert not outcome["ok"], outcome
    assert api.count("DELETE") == 0


@pytest.mark.parametrize("uid", ["3", "%D9%A3"], ids=["ascii-digit", "arabic-indic-digit"])
def test_partner_page_cannot_read_a_profile_whatever_digits_spell_the_user(
    new_page: Callable[[str], Any], servers: dict[str, LiveServer], uid: str
) -> None:
    page = new_page(servers["page"].origin + "/")

    outcome = _fetch(
        page, f"{servers['admin'].origin}/api/acme/users/{uid}/profile", credentials="include"
    )

    assert not outcome["ok"], outcome


def test_partner_page_still_reads_the_partner_resources(
    new_page: Callable[[str], Any], servers: dict[str, LiveServer]
) -> None:
    page = new_page(servers["page"].origin + "/")

    outcome = _fetch(page, servers["admin"].origin + "/api/acme/users", credentials="include")

    # No such route: a 404 the page may read, from the partner-wide resource.
    assert outcome["ok"], outcome
    assert outcome["status"] == 404
