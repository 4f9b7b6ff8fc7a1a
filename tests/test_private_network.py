"""The ``allow_private_network`` option: Access-Control-Allow-Private-Network."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.usefixtures("without_installed_plugins")

ASK = {"Access-Control-Request-Private-Network": "true"}


def test_private_network_refused_with_false_by_default_when_asked(cors_client, preflight):
    client = cors_client()

    response = preflight(client, extra=ASK)

    assert response.headers["Access-Control-Allow-Methods"]
    assert response.headers["Access-Control-Allow-Private-Network"] == "false"


@pytest.mark.parametrize("value", ["true", "TRUE", "True"])
def test_private_network_allowed_when_asked_and_enabled(cors_client, preflight, value):
    client = cors_client(allow_private_network=True)

    response = preflight(client, extra={"Access-Control-Request-Private-Network": value})

    assert response.headers["Access-Control-Allow-Private-Network"] == "true"


@pytest.mark.parametrize("extra", [{}, {"Access-Control-Request-Private-Network": "false"}])
def test_private_network_not_sent_unless_asked(cors_client, preflight, extra):
    client = cors_client(allow_private_network=True)

    response = preflight(client, extra=extra)

    assert "Access-Control-Allow-Private-Network" not in response.headers


@pytest.mark.parametrize(("enabled", "expected"), [(True, "true"), (False, "false")])
def test_private_network_answered_on_actual_request_when_asked(cors_client, enabled, expected):
    client = cors_client(allow_private_network=enabled)

    response = client.get("/", headers={"Origin": "https://client.example", **ASK})

    assert response.headers["Access-Control-Allow-Private-Network"] == expected


def test_private_network_not_sent_on_actual_request_that_does_not_ask(cors_client):
    client = cors_client(allow_private_network=True)

    response = client.get("/", headers={"Origin": "https://client.example"})

    assert "Access-Control-Allow-Private-Network" not in response.headers


def test_private_network_not_granted_to_denied_origin(cors_client, preflight):
    client = cors_client(origins="https://other.example", allow_private_network=True)

    response = preflight(client, extra=ASK)

    assert "Access-Control-Allow-Private-Network" not in response.headers


def test_preflight_for_disallowed_method_is_refused_whatever_private_network_says(
    cors_client, preflight
):
    client = cors_client(methods=["GET"], allow_private_network=True)

    response = preflight(client, method="DELETE", extra=ASK)

    assert "Access-Control-Allow-Methods" not in response.headers
