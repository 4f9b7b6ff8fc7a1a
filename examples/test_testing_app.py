"""A test suite that checks what browsers make of the API's CORS headers.

The ``cors_fetch``, ``cors_origin`` and ``cors_check`` fixtures come with flask_cors; they
need an ``app`` fixture (or a ``client`` fixture) like the one below.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from testing_app import PAGE_ORIGIN, create_app

from flask_cors.testing import Verdict, needs_preflight
from flask_cors.testing.pytest_plugin import CorsFetch


@pytest.fixture
def app() -> Flask:
    return create_app()


@pytest.fixture
def cors_origin() -> str:
    return PAGE_ORIGIN  # the page that calls the API; the default is https://client.example


def test_the_page_reads_the_list_and_its_count(cors_fetch: CorsFetch) -> None:
    result = cors_fetch("/api/items")
    assert result.allowed, result.reason
    assert result.readable_headers["x-total-count"] == "0"


def test_a_json_put_is_preflighted_then_sent(cors_fetch: CorsFetch) -> None:
    assert needs_preflight("PUT", content_type="application/json")
    result = cors_fetch("/api/items", method="PUT", json={"name": "pen"})
    assert [exchange.kind for exchange in result.exchanges] == ["preflight", "actual"]
    assert result.allowed, result.reason
    assert result.response.json == {"items": [], "saved": {"name": "pen"}}


def test_other_sites_cannot_read_the_api(cors_fetch: CorsFetch) -> None:
    result = cors_fetch("/api/items", origin="https://evil.example")
    assert not result.allowed
    assert result.reason == "no Access-Control-Allow-Origin header"


def test_an_unlisted_header_is_refused_by_the_preflight(cors_fetch: CorsFetch) -> None:
    result = cors_fetch("/api/items", headers={"X-Debug": "1"})
    assert result.blocked_at == "preflight"
    assert result.reason == "header x-debug not in Access-Control-Allow-Headers"


def test_the_account_needs_credentials_support(cors_fetch: CorsFetch) -> None:
    assert cors_fetch("/account/me", credentials=True).allowed
    result = cors_fetch("/api/items", credentials=True)
    assert result.reason == "credentials need Access-Control-Allow-Credentials: true"


def test_a_response_you_sent_yourself(app: Flask, cors_check: Callable[..., Verdict]) -> None:
    response = app.test_client().get("/api/items", headers={"Origin": PAGE_ORIGIN})
    assert cors_check(response, PAGE_ORIGIN)
    assert not cors_check(response, "https://evil.example")
