"""The ``flask_cors`` debug log explains each decision."""

from __future__ import annotations

import logging

import pytest

pytestmark = pytest.mark.usefixtures("without_installed_plugins")


def messages(caplog: pytest.LogCaptureFixture) -> str:
    return "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("flask_cors"))


def test_debug_log_names_a_disallowed_preflight_method(cors_client, preflight, caplog):
    client = cors_client(methods=["GET", "PUT"])
    caplog.set_level(logging.DEBUG, logger="flask_cors")

    preflight(client, method="DELETE")

    assert "DELETE" in messages(caplog)
    assert "GET, PUT" in messages(caplog)


def test_debug_log_names_refused_request_headers(cors_client, preflight, caplog):
    client = cors_client(allow_headers=["x-allowed"])
    caplog.set_level(logging.DEBUG, logger="flask_cors")

    preflight(client, request_headers="x-allowed, x-refused")

    assert "x-refused" in messages(caplog)


@pytest.mark.parametrize(
    ("headers", "fragment"),
    [
        ({"Origin": "https://client.example"}, "allowed"),
        ({"Origin": "https://denied.example"}, "denied"),
        ({}, "no Origin"),
    ],
)
def test_debug_log_states_the_outcome(cors_client, caplog, headers, fragment):
    client = cors_client(origins="https://client.example")
    caplog.set_level(logging.DEBUG, logger="flask_cors")

    client.get("/api/items", headers=headers)

    assert fragment in messages(caplog)


def test_nothing_is_logged_above_debug_for_ordinary_requests(cors_client, caplog):
    client = cors_client(origins="https://client.example")
    caplog.set_level(logging.INFO, logger="flask_cors")

    client.get("/", headers={"Origin": "https://denied.example"})
    client.get("/", headers={"Origin": "https://client.example"})

    assert messages(caplog) == ""
