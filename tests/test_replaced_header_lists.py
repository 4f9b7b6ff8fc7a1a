"""A ``response.headers`` replaced by a mapping whose values are lists: every line kept."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask, Response, make_response

from flask_cors import CORS, cross_origin

pytestmark = pytest.mark.usefixtures("without_installed_plugins")

ORIGIN = "https://client.example"
COOKIES = ["session=abc; Secure; HttpOnly", "theme=dark; Path=/"]

#: The replacements: what Werkzeug's ``Headers`` reads as one line per item of a list,
#: tuple or set value.
MAPPINGS: dict[str, Callable[[], dict[str, object]]] = {
    "list": lambda: {"Set-Cookie": list(COOKIES), "X-Kept": "1"},
    "tuple": lambda: {"Set-Cookie": tuple(COOKIES), "X-Kept": "1"},
    "set": lambda: {"Set-Cookie": set(COOKIES), "X-Kept": "1"},
}


def app_replacing_headers(kind: str, where: str, setup: str) -> Flask:
    app = Flask("replaced_lists")

    def view() -> Response:
        response = make_response("ok")
        if where == "view":
            response.headers = MAPPINGS[kind]()  # type: ignore[assignment]
        return response

    if setup == "decorator":
        view = cross_origin(origins=[ORIGIN])(view)
    app.add_url_rule("/data", "data", view)
    if setup == "extension":
        CORS(app, origins=[ORIGIN])
    if where == "after_request":
        # Registered after CORS(app): Flask runs it before flask_cors's own.
        @app.after_request
        def replace(response: Response) -> Response:
            response.headers = MAPPINGS[kind]()  # type: ignore[assignment]
            return response

    return app


@pytest.mark.parametrize("kind", list(MAPPINGS))
@pytest.mark.parametrize(
    ("where", "setup"),
    [("view", "extension"), ("view", "decorator"), ("after_request", "extension")],
)
def test_every_value_of_a_list_in_a_replaced_headers_mapping_is_kept(kind, where, setup):
    app = app_replacing_headers(kind, where, setup)

    response = app.test_client(use_cookies=False).get("/data", headers={"Origin": ORIGIN})

    assert sorted(response.headers.getlist("Set-Cookie")) == sorted(COOKIES)
    assert response.headers["X-Kept"] == "1"
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert response.headers["Vary"] == "Origin"
