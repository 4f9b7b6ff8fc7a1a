"""Responses whose ``headers`` were replaced: a dict, a list of pairs, a ``MultiDict``."""

from __future__ import annotations

import pytest
from flask import Flask, Response, make_response
from werkzeug.datastructures import Headers, MultiDict

from flask_cors import CORS, cross_origin

pytestmark = pytest.mark.usefixtures("without_installed_plugins")

ORIGIN = "https://client.example"


class Lines(list):  # type: ignore[type-arg]
    """A list of header lines that is not a plain ``list``; ``frozen`` refuses new lines."""

    frozen = False

    def append(self, item):  # type: ignore[no-untyped-def]
        if self.frozen:
            raise ValueError("read-only")
        super().append(item)

    def extend(self, items):  # type: ignore[no-untyped-def]
        if self.frozen:
            raise ValueError("read-only")
        super().extend(items)


def headers_with_own_line_list() -> Headers:
    """Headers keeping their lines in something else than a plain list: the writer then
    appends through ``Headers.add``."""
    headers = Headers([("Content-Type", "application/json"), ("X-Kept", "1")])
    headers._list = Lines(headers._list)  # type: ignore[assignment]
    return headers


REPLACEMENTS = {
    "dict": lambda: {"Content-Type": "application/json", "X-Kept": "1"},
    "empty-dict": lambda: {},
    "list": lambda: [("Content-Type", "application/json"), ("X-Kept", "1")],
    "multidict": lambda: MultiDict([("Content-Type", "application/json"), ("X-Kept", "1")]),
    "headers": lambda: Headers([("Content-Type", "application/json"), ("X-Kept", "1")]),
    "headers-own-line-list": headers_with_own_line_list,
}


def replaced_headers_view(kind: str):
    def view() -> Response:
        response = make_response('{"ok": true}')
        response.headers = REPLACEMENTS[kind]()  # type: ignore[assignment]
        return response

    return view


@pytest.mark.parametrize("kind", list(REPLACEMENTS))
@pytest.mark.parametrize("setup", ["extension", "decorator"])
def test_replaced_headers_object_gets_its_cors_headers(kind, setup):
    app = Flask("replaced")
    view = replaced_headers_view(kind)
    if setup == "decorator":
        view = cross_origin(origins=[ORIGIN], expose_headers=["X-Kept"])(view)
    app.add_url_rule("/data", "data", view)
    if setup == "extension":
        CORS(app, origins=[ORIGIN], expose_headers=["X-Kept"])

    response = app.test_client().get("/data", headers={"Origin": ORIGIN})

    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert response.headers["Access-Control-Expose-Headers"] == "X-Kept"
    assert response.headers["Vary"] == "Origin"
    if kind != "empty-dict":
        assert response.headers["X-Kept"] == "1"


def test_a_failing_header_writer_never_makes_a_500(caplog):
    class ReadOnlyHeaders(Headers):
        """Headers that refuse new lines once frozen, whichever way they come."""

        frozen = False

        def __init__(self, *args):  # type: ignore[no-untyped-def]
            super().__init__(*args)
            self._list = Lines(self._list)

        def add(self, key, value, **kw):  # type: ignore[no-untyped-def]
            if self.frozen:
                raise ValueError("read-only")
            super().add(key, value, **kw)

        def set(self, key, value, **kw):  # type: ignore[no-untyped-def]
            if self.frozen:
                raise ValueError("read-only")
            super().set(key, value, **kw)

    app = Flask("unwritable")

    @app.get("/data")
    def data() -> Response:
        response = make_response("data")
        response.headers = ReadOnlyHeaders(response.headers)
        response.headers.frozen = True
        response.headers._list.frozen = True
        return response

    CORS(app)

    response = app.test_client().get("/data", headers={"Origin": ORIGIN})

    assert response.status_code == 200
    assert response.data == b"data"
    assert "Access-Control-Allow-Origin" not in response.headers
    assert any("could not write the CORS headers" in r.getMessage() for r in caplog.records)
