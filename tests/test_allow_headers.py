"""The ``allow_headers`` option: which requested headers a preflight allows."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.usefixtures("without_installed_plugins")


@pytest.mark.parametrize(
    ("allow_headers", "requested", "expected"),
    [
        ("*", "x-custom,content-type", "content-type, x-custom"),
        ("*", "X-Custom, Content-Type", "Content-Type, X-Custom"),
        ("*", "x-a,x-a,X-A", "x-a"),
        (["X-Custom"], "x-custom,x-other", "x-custom"),
        (["x-custom"], "X-CUSTOM", "X-CUSTOM"),
        (["Content-Type", "X-Custom"], "content-type,x-custom", "content-type, x-custom"),
        ("Content-Type", "content-type", "content-type"),
        ([r"X-Custom-\d+"], "x-custom-1,x-custom-22,x-custom-a", "x-custom-1, x-custom-22"),
        (r"x-app-.*", "X-App-Id,x-other", "X-App-Id"),
        ([re.compile(r"x-[a-z]+-id")], "x-user-id,x-user-name", "x-user-id"),
        (["X-A", r"X-B-.*"], "x-b-1,x-a,x-c", "x-a, x-b-1"),
    ],
)
def test_allowed_requested_headers_are_echoed_as_sent_and_sorted(
    cors_client, preflight, allow_headers, requested, expected
):
    client = cors_client(allow_headers=allow_headers)

    response = preflight(client, request_headers=requested)

    assert response.headers["Access-Control-Allow-Headers"] == expected


def test_regex_allow_headers_must_match_the_whole_name(cors_client, preflight):
    client = cors_client(allow_headers=r"x-custom")

    response = preflight(client, request_headers="x-custom-evil,x-customer")

    assert "Access-Control-Allow-Headers" not in response.headers


def test_no_requested_header_is_allowed_means_no_allow_headers(cors_client, preflight):
    client = cors_client(allow_headers=["x-allowed"])

    response = preflight(client, request_headers="x-forbidden")

    assert response.headers["Access-Control-Allow-Origin"] == "https://client.example"
    assert "Access-Control-Allow-Headers" not in response.headers


def test_preflight_without_request_headers_gets_no_allow_headers(cors_client, preflight):
    client = cors_client()

    response = preflight(client)

    assert "Access-Control-Allow-Headers" not in response.headers


def test_empty_request_headers_value_gets_no_allow_headers(cors_client, preflight):
    client = cors_client()

    response = preflight(client, request_headers=" , ,")

    assert response.headers["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Headers" not in response.headers


def test_allow_headers_not_sent_on_actual_requests(cors_client):
    client = cors_client(allow_headers=["x-custom"])

    response = client.get(
        "/",
        headers={"Origin": "https://client.example", "Access-Control-Request-Headers": "x-custom"},
    )

    assert "Access-Control-Allow-Headers" not in response.headers


def test_compiled_allow_headers_pattern_matches_case_insensitively(cors_client, preflight):
    # Header names are case-insensitive and browsers send them lower-cased, so a compiled
    # pattern written in the usual capitalisation must still allow them.
    client = cors_client(allow_headers=[re.compile(r"X-Custom-\d+")])

    response = preflight(client, request_headers="X-Custom-1")

    assert response.headers.get("Access-Control-Allow-Headers") == "X-Custom-1"
