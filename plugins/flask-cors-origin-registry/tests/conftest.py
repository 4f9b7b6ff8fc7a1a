"""Fixtures of the origin registry tests: a real PostgreSQL server, and one store per test."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from pgcluster import PostgresCluster, PostgresMissing, start_cluster

_tables = itertools.count()


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresCluster]:
    """A throwaway PostgreSQL cluster for the whole run; stopped and deleted at the end.

    Without the server binaries the tests that need it are skipped on a developer's
    machine, and fail in CI (``CI=true``): there they must never be skipped silently.
    """
    try:
        cluster = start_cluster()
    except PostgresMissing as exc:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"CI needs PostgreSQL for these tests: {exc}", pytrace=False)
        pytest.skip(str(exc))
    try:
        yield cluster
    finally:
        cluster.destroy()


@pytest.fixture
def table_name() -> str:
    """A registry table of the test's own, so the tests share one server."""
    return f"origins_{os.getpid()}_{next(_tables)}"


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty registry store, once per kind of store."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'origins.sqlite3'}"
    cluster: PostgresCluster = request.getfixturevalue("postgres")
    return cluster.url()


@pytest.fixture(autouse=True)
def _close_registries() -> Iterator[None]:
    """Stop every registry's listening thread and connections at the end of each test."""
    yield
    from flask_cors_origin_registry.registry import _live_registries

    for registry in list(_live_registries):
        registry.close()
