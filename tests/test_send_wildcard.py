"""The ``send_wildcard`` option: a literal ``*`` instead of the reflected origin."""

from __future__ import annotations

import pytest
from flask import Flask

from flask_cors import CORS, CORSConfigError

pytestmark = pytest.mark.usefixtures("without_installed_plugins")

ORIGIN = "https://client.example"


def test_send_wildcard_sends_star_for_any_origin(cors_client):
    client = cors_client(send_wildcard=True)

    response = client.get("/", headers={"Origin": ORIGIN})

    assert response.headers.getlist("Access-Control-Allow-Origin") == ["*"]


def test_send_wildcard_sends_star_on_preflight(cors_client, preflight):
    client = cors_client(send_wildcard=True)

    response = preflight(client)

    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Access-Control-Allow-Methods"]


def test_send_wildcard_ignored_when_origins_are_listed(cors_client):
    client = cors_client(origins=[ORIGIN], send_wildcard=True)

    allowed = client.get("/", headers={"Origin": ORIGIN})
    denied = client.get("/", headers={"Origin": "https://other.example"})

    assert allowed.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert "Access-Control-Allow-Origin" not in denied.headers


def test_without_send_wildcard_the_origin_is_reflected(cors_client):
    client = cors_client(send_wildcard=False)

    response = client.get("/", headers={"Origin": ORIGIN})

    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN


@pytest.mark.parametrize("origins", ["*", ["*"], ".*", [".*"]])
def test_send_wildcard_with_credentials_and_any_origin_is_a_config_error(origins):
    app = Flask("wild")

    with pytest.raises(CORSConfigError, match="send_wildcard") as excinfo:
        CORS(app, origins=origins, supports_credentials=True, send_wildcard=True)

    assert "supports_credentials" in str(excinfo.value)
    assert excinfo.value.option == "send_wildcard"


def test_send_wildcard_without_any_origin_has_no_effect_even_with_credentials(cors_client):
    client = cors_client(origins=[ORIGIN], supports_credentials=True, send_wildcard=True)

    response = client.get("/", headers={"Origin": ORIGIN})

    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert response.headers["Access-Control-Allow-Credentials"] == "true"
