"""The ``origins`` option: which request origins get Access-Control-Allow-Origin."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.usefixtures("without_installed_plugins")

ORIGIN = "https://client.example"


@pytest.mark.parametrize(
    ("origins", "origin", "allowed"),
    [
        ("*", "https://anything.example", True),
        ("*", "null", True),
        ("https://client.example", "https://client.example", True),
        ("https://client.example", "https://other.example", False),
        ("https://client.example", "http://client.example", False),
        ("https://client.example", "https://client.example:8443", False),
        ("https://client.example", "https://client.examplex", False),
        ("https://client.example", "https://client.example/", False),
        (["https://a.example", "https://b.example"], "https://b.example", True),
        (["https://a.example", "https://b.example"], "https://c.example", False),
        (("https://a.example",), "https://a.example", True),
        (["https://a.example", "*"], "https://zzz.example", True),
        ("null", "null", True),
        ("https://client.example", "null", False),
        (r"https://.*\.example\.com", "https://a.example.com", True),
        (r"https://.*\.example\.com", "https://a.b.example.com", True),
        (r"https://.*\.example\.com", "https://a.example.com.evil.net", False),
        (r"https://.*\.example\.com", "https://a.example.com:8443", False),
        (r"https://.*\.example\.com", "xhttps://a.example.com", False),
        (r"https://[a-z]+\.example\.com", "HTTPS://API.EXAMPLE.COM", True),
        (re.compile(r"https://(www\.)?site\.example"), "https://www.site.example", True),
        (re.compile(r"https://(www\.)?site\.example"), "https://site.example", True),
        (re.compile(r"https://(www\.)?site\.example"), "https://site.example.evil", False),
        ([re.compile(r"https://one\.example"), "https://two.example"], "https://two.example", True),
        ([re.compile(r"https://one\.example"), "https://two.example"], "https://one.example", True),
        ([re.compile(r"https://one\.example"), "https://two.example"], "https://3.example", False),
    ],
)
def test_origin_is_allowed_exactly_when_configured(cors_client, origins, origin, allowed):
    client = cors_client(origins=origins)

    response = client.get("/api/items", headers={"Origin": origin})

    assert response.status_code == 200
    if allowed:
        assert response.headers.getlist("Access-Control-Allow-Origin") == [origin]
    else:
        assert "Access-Control-Allow-Origin" not in response.headers


@pytest.mark.parametrize(
    ("configured", "sent"),
    [
        ("https://Client.Example", "https://client.example"),
        ("https://client.example", "https://CLIENT.example"),
        ("HTTPS://CLIENT.EXAMPLE", "https://Client.Example"),
    ],
)
def test_literal_origins_compare_case_insensitively_and_reflect_as_sent(
    cors_client, configured, sent
):
    client = cors_client(origins=[configured, "https://other.example"])

    response = client.get("/", headers={"Origin": sent})

    assert response.headers["Access-Control-Allow-Origin"] == sent


def test_regex_origin_reflects_the_origin_as_sent(cors_client):
    client = cors_client(origins=r"https://.*\.client\.example")

    response = client.get("/", headers={"Origin": "https://App.Client.Example"})

    assert response.headers["Access-Control-Allow-Origin"] == "https://App.Client.Example"


def test_compiled_pattern_keeps_its_own_flags(cors_client):
    client = cors_client(origins=re.compile(r"https://app\.example"))

    response = client.get("/", headers={"Origin": "https://APP.example"})

    assert "Access-Control-Allow-Origin" not in response.headers


def test_dot_in_a_literal_origin_is_not_a_wildcard(cors_client):
    client = cors_client(origins="https://client.example")

    response = client.get("/", headers={"Origin": "https://clientXexample"})

    assert "Access-Control-Allow-Origin" not in response.headers


def test_any_origin_reflects_the_request_origin_not_a_star(cors_client):
    client = cors_client()

    response = client.get("/", headers={"Origin": ORIGIN})

    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN


def test_denied_origin_gets_no_cors_headers_at_all(cors_client, cors_headers):
    client = cors_client(
        origins="https://allowed.example", expose_headers="X-Total", supports_credentials=True
    )

    response = client.get("/", headers={"Origin": "https://denied.example"})

    assert response.status_code == 200
    assert cors_headers(response) == {}


def test_denied_preflight_gets_no_cors_headers(cors_client, preflight, cors_headers):
    client = cors_client(origins="https://allowed.example", max_age=60)

    response = preflight(client, origin="https://denied.example")

    assert cors_headers(response) == {}


def test_allowed_preflight_reflects_origin(cors_client, preflight):
    client = cors_client(origins=["https://allowed.example"])

    response = preflight(client, origin="https://allowed.example")

    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "https://allowed.example"
