"""The ``always_send`` option: CORS headers for requests that carry no ``Origin``."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.usefixtures("without_installed_plugins")


@pytest.mark.parametrize(
    ("origins", "expected"),
    [
        ("*", "*"),
        (["*"], "*"),
        ("https://only.example", "https://only.example"),
        (["https://Only.Example"], "https://Only.Example"),
        (["https://b.example", "https://a.example"], "https://a.example"),
        (["https://b.example", "https://a.example", "*"], "*"),
        (r"https://.*\.client\.example", None),
        (re.compile(r"https://x\.example"), None),
        (["https://a.example", re.compile(r"https://x\.example")], "https://a.example"),
    ],
)
def test_request_without_origin_gets_the_most_likely_allow_origin(cors_client, origins, expected):
    client = cors_client(origins=origins)

    response = client.get("/")

    assert response.headers.get("Access-Control-Allow-Origin") == expected


def test_request_without_origin_still_gets_expose_headers(cors_client):
    client = cors_client(expose_headers=["X-Total"])

    response = client.get("/")

    assert response.headers["Access-Control-Expose-Headers"] == "X-Total"


@pytest.mark.parametrize("origins", ["*", "https://only.example"])
def test_always_send_false_sends_nothing_without_origin(cors_client, cors_headers, origins):
    client = cors_client(origins=origins, always_send=False, expose_headers=["X-Total"])

    response = client.get("/")

    assert response.status_code == 200
    assert cors_headers(response) == {}


def test_always_send_false_still_answers_requests_with_origin(cors_client):
    client = cors_client(always_send=False)

    response = client.get("/", headers={"Origin": "https://client.example"})

    assert response.headers["Access-Control-Allow-Origin"] == "https://client.example"


def test_request_without_origin_with_send_wildcard_gets_star(cors_client):
    client = cors_client(send_wildcard=True)

    response = client.get("/")

    assert response.headers["Access-Control-Allow-Origin"] == "*"
