"""pytest fixtures for testing what browsers make of an app's CORS headers.

Installed with flask_cors and loaded by pytest through the ``pytest11`` entry point, so
the fixtures are available in every test suite of a project that has flask_cors
installed (``-p no:flask_cors`` switches them off):

``cors_fetch``
    ``cors_fetch(url, origin=..., method=..., headers=..., credentials=..., data=...,
    json=...)`` runs :func:`flask_cors.testing.simulate_fetch` with a test client of
    *your* app and returns its :class:`~flask_cors.testing.FetchResult`. The client is
    your ``client`` fixture when you have one (pytest-flask's, or your own), else the
    test client of your ``app`` fixture; define one of the two in your ``conftest.py``.
``cors_origin``
    The origin ``cors_fetch`` uses when it is not given one:
    ``https://client.example``. Override the fixture to change it.
``cors_check``
    The function :func:`flask_cors.testing.cors_check`, for responses you send yourself.

The fixtures look up ``client`` and ``app`` only when a test uses ``cors_fetch``, so a
suite without them is not affected.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Protocol

import pytest

if TYPE_CHECKING:
    from werkzeug.test import Client

    from . import FetchResult, Verdict

__all__ = ["CorsFetch", "cors_check", "cors_fetch", "cors_origin"]

DEFAULT_ORIGIN = "https://client.example"


class CorsFetch(Protocol):
    """The type of the ``cors_fetch`` fixture."""

    def __call__(
        self,
        url: str,
        *,
        origin: str | None = None,
        method: str = "GET",
        headers: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
        credentials: bool = False,
        data: str | bytes | None = None,
        json: Any = None,
    ) -> FetchResult: ...


def _test_client(request: pytest.FixtureRequest) -> Client:
    try:
        client: Client = request.getfixturevalue("client")
    except pytest.FixtureLookupError:
        pass
    else:
        return client
    try:
        app = request.getfixturevalue("app")
    except pytest.FixtureLookupError:
        raise pytest.UsageError(
            "the cors_fetch fixture needs a `client` fixture (a Flask test client) or an "
            "`app` fixture (a Flask app) in your conftest.py"
        ) from None
    made: Client = app.test_client()
    return made


@pytest.fixture
def cors_origin() -> str:
    """The origin of the page that ``cors_fetch`` plays; override it to change it."""
    return DEFAULT_ORIGIN


@pytest.fixture
def cors_fetch(request: pytest.FixtureRequest, cors_origin: str) -> CorsFetch:
    """``cors_fetch(url, origin=..., method=..., ...)``: a browser's fetch of your app."""
    from . import simulate_fetch

    client = _test_client(request)

    def fetch(
        url: str,
        *,
        origin: str | None = None,
        method: str = "GET",
        headers: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
        credentials: bool = False,
        data: str | bytes | None = None,
        json: Any = None,
    ) -> FetchResult:
        return simulate_fetch(
            client,
            url,
            origin=cors_origin if origin is None else origin,
            method=method,
            headers=headers,
            credentials=credentials,
            data=data,
            json=json,
        )

    return fetch


@pytest.fixture
def cors_check() -> Callable[..., Verdict]:
    """:func:`flask_cors.testing.cors_check`: ``cors_check(response, origin, credentials)``."""
    from . import cors_check as check

    return check
