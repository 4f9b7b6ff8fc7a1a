"""The ``expose_headers`` option: Access-Control-Expose-Headers on actual responses."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.usefixtures("without_installed_plugins")

ORIGIN = {"Origin": "https://client.example"}


@pytest.mark.parametrize(
    ("expose_headers", "expected"),
    [
        (["X-Total", "X-Page"], "X-Page, X-Total"),
        ("X-Total,X-Page", "X-Page, X-Total"),
        ("X-Total, X-Page", "X-Page, X-Total"),
        ("X-Total", "X-Total"),
        (["X-Total", "x-total", "X-TOTAL"], "X-Total"),
        (("ETag",), "ETag"),
    ],
)
def test_expose_headers_sent_sorted_on_allowed_actual_response(
    cors_client, expose_headers, expected
):
    client = cors_client(expose_headers=expose_headers)

    response = client.get("/", headers=ORIGIN)

    assert response.headers["Access-Control-Expose-Headers"] == expected


@pytest.mark.parametrize("expose_headers", [None, [], ""])
def test_no_expose_headers_by_default_or_when_empty(cors_client, expose_headers):
    client = cors_client(expose_headers=expose_headers)

    response = client.get("/", headers=ORIGIN)

    assert response.headers["Access-Control-Allow-Origin"] == "https://client.example"
    assert "Access-Control-Expose-Headers" not in response.headers


def test_expose_headers_also_sent_on_allowed_preflight_as_flask_cors_does(cors_client, preflight):
    client = cors_client(expose_headers=["X-Total"])

    response = preflight(client)

    assert response.headers["Access-Control-Allow-Methods"]
    assert response.headers["Access-Control-Expose-Headers"] == "X-Total"


def test_expose_headers_not_sent_to_denied_origin(cors_client):
    client = cors_client(origins="https://other.example", expose_headers=["X-Total"])

    response = client.get("/", headers=ORIGIN)

    assert "Access-Control-Expose-Headers" not in response.headers
