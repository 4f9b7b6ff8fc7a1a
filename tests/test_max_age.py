"""The ``max_age`` option: Access-Control-Max-Age on preflight answers only."""

from __future__ import annotations

from datetime import timedelta

import pytest

pytestmark = pytest.mark.usefixtures("without_installed_plugins")


@pytest.mark.parametrize(
    ("max_age", "expected"),
    [
        (600, "600"),
        (0, "0"),
        ("600", "600"),
        (" 86400 ", "86400"),
        (timedelta(minutes=10), "600"),
        (timedelta(days=1), "86400"),
    ],
)
def test_max_age_sent_on_preflight(cors_client, preflight, max_age, expected):
    client = cors_client(max_age=max_age)

    response = preflight(client)

    assert response.headers["Access-Control-Max-Age"] == expected


def test_no_max_age_by_default(cors_client, preflight):
    client = cors_client()

    response = preflight(client)

    assert response.headers["Access-Control-Allow-Methods"]
    assert "Access-Control-Max-Age" not in response.headers


def test_max_age_not_sent_on_actual_request(cors_client):
    client = cors_client(max_age=600)

    response = client.get("/", headers={"Origin": "https://client.example"})

    assert response.headers["Access-Control-Allow-Origin"] == "https://client.example"
    assert "Access-Control-Max-Age" not in response.headers


def test_max_age_not_sent_to_denied_origin(cors_client, preflight):
    client = cors_client(origins="https://other.example", max_age=600)

    response = preflight(client)

    assert "Access-Control-Max-Age" not in response.headers
