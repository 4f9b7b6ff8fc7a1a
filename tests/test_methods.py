"""The ``methods`` option: what a preflight's Access-Control-Allow-Methods says."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.usefixtures("without_installed_plugins")


@pytest.mark.parametrize(
    ("methods", "expected"),
    [
        (["GET", "PUT"], "GET, PUT"),
        ("GET,PUT", "GET, PUT"),
        ("PUT, GET", "GET, PUT"),
        ("GET,,PUT,", "GET, PUT"),
        (["put", "Get"], "GET, PUT"),
        (("PUT",), "PUT"),
    ],
)
def test_methods_as_list_or_comma_string_become_allow_methods(
    cors_client, preflight, methods, expected
):
    client = cors_client(methods=methods)

    response = preflight(client, method="PUT")

    assert response.headers["Access-Control-Allow-Methods"] == expected


def test_default_methods_cover_the_usual_verbs(cors_client, preflight):
    client = cors_client()

    response = preflight(client, method="DELETE")

    assert response.headers["Access-Control-Allow-Methods"] == (
        "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT"
    )


@pytest.mark.parametrize("requested", ["DELETE", "ET, P", "get", "Put", "GE", "GET, PUT", "PATCH"])
def test_preflight_with_disallowed_method_gets_no_allow_methods(cors_client, preflight, requested):
    client = cors_client(methods=["GET", "PUT"], max_age=100, allow_headers="*")

    response = preflight(client, method=requested, request_headers="x-custom")

    assert response.status_code == 200
    assert "Access-Control-Allow-Methods" not in response.headers
    assert "Access-Control-Allow-Headers" not in response.headers
    assert "Access-Control-Max-Age" not in response.headers


def test_preflight_with_disallowed_token_method_still_names_the_origin(cors_client, preflight):
    client = cors_client(methods=["GET", "PUT"])

    response = preflight(client, method="DELETE")

    assert response.headers["Access-Control-Allow-Origin"] == "https://client.example"


def test_preflight_with_non_token_method_is_refused_entirely(cors_client, preflight, cors_headers):
    client = cors_client(methods=["GET", "PUT"])

    response = preflight(client, method="ET, P")

    assert cors_headers(response) == {}


@pytest.mark.parametrize("requested", ["GET", "PUT"])
def test_preflight_with_allowed_method_gets_allow_methods(cors_client, preflight, requested):
    client = cors_client(methods=["GET", "PUT"])

    response = preflight(client, method=requested)

    assert response.headers["Access-Control-Allow-Methods"] == "GET, PUT"


def test_allow_methods_only_on_preflight(cors_client):
    client = cors_client(methods=["GET", "PUT"])

    response = client.put("/api/items", headers={"Origin": "https://client.example"})

    assert response.headers["Access-Control-Allow-Origin"] == "https://client.example"
    assert "Access-Control-Allow-Methods" not in response.headers


def test_actual_request_with_unlisted_method_is_not_blocked_by_the_server(cors_client):
    client = cors_client(methods=["GET"])

    response = client.delete("/api/items", headers={"Origin": "https://client.example"})

    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "https://client.example"
