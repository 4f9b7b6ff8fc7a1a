"""``flask_cors.core``: the header names and methods under Flask-Cors 6's names."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

import flask_cors.core
from flask_cors.core import ACL_METHODS, ACL_ORIGIN, ACL_REQUEST_METHOD, ALL_METHODS


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("ACL_ORIGIN", "Access-Control-Allow-Origin"),
        ("ACL_METHODS", "Access-Control-Allow-Methods"),
        ("ACL_ALLOW_HEADERS", "Access-Control-Allow-Headers"),
        ("ACL_EXPOSE_HEADERS", "Access-Control-Expose-Headers"),
        ("ACL_CREDENTIALS", "Access-Control-Allow-Credentials"),
        ("ACL_MAX_AGE", "Access-Control-Max-Age"),
        ("ACL_RESPONSE_PRIVATE_NETWORK", "Access-Control-Allow-Private-Network"),
        ("ACL_REQUEST_METHOD", "Access-Control-Request-Method"),
        ("ACL_REQUEST_HEADERS", "Access-Control-Request-Headers"),
        ("ACL_REQUEST_HEADER_PRIVATE_NETWORK", "Access-Control-Request-Private-Network"),
    ],
)
def test_core_names_each_cors_header_as_flask_cors_6_does(name: str, value: str) -> None:
    assert getattr(flask_cors.core, name) == value


def test_all_methods_are_listed_in_flask_cors_6_order() -> None:
    assert ALL_METHODS == ["GET", "HEAD", "POST", "OPTIONS", "PUT", "PATCH", "DELETE"]


def test_a_default_preflight_allows_all_methods_under_the_core_header_names(
    cors_client: Callable[..., FlaskClient], preflight: Callable[..., TestResponse]
) -> None:
    response = preflight(cors_client(), method="PATCH", origin="https://app.example")
    assert ACL_ORIGIN in response.headers
    allowed = [name.strip() for name in response.headers[ACL_METHODS].split(",")]
    assert sorted(allowed) == sorted(ALL_METHODS)
    assert ACL_REQUEST_METHOD == "Access-Control-Request-Method"


def test_star_import_of_core_brings_the_constants_only() -> None:
    namespace: dict[str, object] = {}
    exec("from flask_cors.core import *", namespace)
    names = set(namespace) - {"__builtins__"}
    assert names == {name for name in dir(flask_cors.core) if name.startswith(("ACL_", "ALL_"))}
    assert len(names) == 11
