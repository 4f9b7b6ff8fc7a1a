"""The registry on a real PostgreSQL server: instant revocation, failing closed, recovering."""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest
from flask import Flask
from flask_cors_origin_registry import OriginRegistry, registry_for
from flask_cors_origin_registry import registry as registry_module
from pgcluster import PostgresCluster

from flask_cors import CORS

TENANT = "https://tenant.example"
STATIC = "https://static.example.org"
ACAO = "Access-Control-Allow-Origin"


def wait_until(condition: Callable[[], bool], limit: float = 5.0) -> float:
    """Seconds until ``condition()`` holds; fails the test after ``limit``."""
    start = time.perf_counter()
    while not condition():
        if time.perf_counter() - start > limit:
            pytest.fail(f"condition not met within {limit} s")
        time.sleep(0.002)
    return time.perf_counter() - start


def listening(registry: OriginRegistry) -> OriginRegistry:
    registry.allows("https://warm-up.example")  # starts the listening thread
    wait_until(lambda: registry.listening)
    return registry


def plain_sql(cluster: PostgresCluster, statement: str) -> None:
    with psycopg.connect(cluster.url().replace("+psycopg", ""), autocommit=True) as connection:
        connection.execute(statement)  # type: ignore[arg-type]


def make_app(url: str, table: str, **settings: Any) -> Flask:
    app = Flask("pg_app")
    app.testing = True
    app.config["CORS_REGISTRY_URL"] = url
    app.config["CORS_REGISTRY_TABLE"] = table
    app.config["CORS_REGISTRY_CACHE_TTL"] = 3600.0
    app.config.update({f"CORS_REGISTRY_{key.upper()}": value for key, value in settings.items()})
    CORS(app, origins=[STATIC])

    @app.get("/")
    def index() -> str:
        return "ok"

    return app


@pytest.fixture
def two_instances(
    postgres: PostgresCluster, table_name: str
) -> Iterator[tuple[OriginRegistry, OriginRegistry]]:
    """Two registries on one table, as two processes would have; caches live an hour."""
    first = OriginRegistry(postgres.url(), table_name=table_name, cache_ttl=3600)
    first.create_schema()
    second = OriginRegistry(postgres.url(), table_name=table_name, cache_ttl=3600)
    yield listening(first), listening(second)
    first.close()
    second.close()


def test_an_origin_added_on_one_instance_is_allowed_by_another_at_once(
    two_instances: tuple[OriginRegistry, OriginRegistry],
) -> None:
    first, second = two_instances
    assert second.allows(TENANT) is False  # the refusal is now cached for an hour
    first.add(TENANT)
    assert wait_until(lambda: second.allows(TENANT)) < 1.0


def test_an_origin_removed_on_one_instance_is_refused_by_another_within_a_second(
    two_instances: tuple[OriginRegistry, OriginRegistry],
) -> None:
    first, second = two_instances
    first.add(TENANT)
    wait_until(lambda: second.allows(TENANT))
    assert second.allows(TENANT) is True  # cached for an hour
    first.remove(TENANT)
    assert wait_until(lambda: not second.allows(TENANT)) < 1.0


def test_a_change_made_in_plain_sql_is_announced_by_the_trigger(
    postgres: PostgresCluster, two_instances: tuple[OriginRegistry, OriginRegistry]
) -> None:
    first, second = two_instances
    first.add(TENANT)
    wait_until(lambda: second.allows(TENANT))
    plain_sql(postgres, f"DELETE FROM {first.table_name}")
    assert wait_until(lambda: not second.allows(TENANT)) < 1.0


def test_init_db_is_idempotent_and_installs_one_trigger(
    postgres: PostgresCluster, table_name: str
) -> None:
    registry = OriginRegistry(postgres.url(), table_name=table_name)
    registry.create_schema()
    registry.create_schema()
    with psycopg.connect(postgres.url().replace("+psycopg", "")) as connection:
        count = connection.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
            (table_name,),
        ).fetchone()
    assert count == (1,)


def test_nothing_is_cached_while_the_channel_is_not_listened_to(
    postgres: PostgresCluster, table_name: str
) -> None:
    registry = OriginRegistry(postgres.url(), table_name=table_name, cache_ttl=3600)
    registry.create_schema()
    registry._listener = None
    registry._closed = True  # never starts listening
    registry.allows(TENANT)
    assert len(registry.cache) == 0


@pytest.mark.parametrize("noticed_by", ["ping deadline", "silence"])
def test_a_hung_listener_stops_the_cache_being_trusted(
    two_instances: tuple[OriginRegistry, OriginRegistry],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    noticed_by: str,
) -> None:
    """A listening server process that stops answering (here: stopped with SIGSTOP, while
    the kernel keeps its connection alive) is noticed within about LISTEN_FRESH seconds:
    a revocation made elsewhere then takes effect at once instead of after the TTL."""
    if noticed_by == "silence":  # a ping that never times out: only its silence tells
        monkeypatch.setattr(registry_module, "LISTEN_PING_TIMEOUT", 60.0)
    first, second = two_instances
    first.add(TENANT)
    wait_until(lambda: second.allows(TENANT))  # cached for an hour
    listener = second._listener
    assert listener is not None
    hung = listener.backend_pid
    assert hung is not None
    caplog.set_level(logging.WARNING, logger="flask_cors.origin_registry")
    os.kill(hung, signal.SIGSTOP)
    try:
        noticed = wait_until(lambda: not second.listening, limit=registry_module.LISTEN_FRESH + 2)
        assert noticed < registry_module.LISTEN_FRESH + 1
        first.remove(TENANT)  # its notification cannot reach the stopped process
        assert second.allows(TENANT) is False
        if noticed_by == "ping deadline":  # the listener connects again by itself
            wait_until(lambda: second.listening)
            assert listener.backend_pid != hung
    finally:
        os.kill(hung, signal.SIGCONT)
    wait_until(lambda: second.listening)
    assert second.allows(TENANT) is False
    messages = [r.getMessage() for r in caplog.records if r.name == "flask_cors.origin_registry"]
    assert messages, "the hang was not logged"
    assert len(messages) == len(set(messages)) <= 2, messages  # once per transition


# --- failing closed, staying up, recovering ------------------------------------------------


def get(app: Flask, origin: str = TENANT) -> tuple[Any, float]:
    start = time.perf_counter()
    response = app.test_client().get("/", headers={"Origin": origin})
    return response, time.perf_counter() - start


def outage_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "flask_cors" and r.levelno >= logging.ERROR]


def assert_fails_closed(app: Flask, caplog: pytest.LogCaptureFixture, reason: str) -> float:
    caplog.clear()
    with caplog.at_level(logging.ERROR, logger="flask_cors"):
        response, elapsed = get(app)
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok"
    assert ACAO not in response.headers
    assert response.headers["Vary"] == "Origin"
    lines = outage_lines(caplog)
    assert len(lines) == 1, lines
    assert lines[0].exc_info is None  # one line with the reason, no stack trace
    assert reason in lines[0].getMessage()
    # Origins the resource allows by itself never need the database.
    assert get(app, STATIC)[0].headers[ACAO] == STATIC
    return elapsed


def test_server_down_fails_closed_and_recovers_by_itself(
    postgres: PostgresCluster, table_name: str, caplog: pytest.LogCaptureFixture
) -> None:
    app = make_app(postgres.url(), table_name, retry_interval=0.2)
    registry = listening(registry_for(app))
    registry.add(TENANT)
    assert get(app)[0].headers[ACAO] == TENANT
    postgres.stop()
    try:
        wait_until(lambda: not registry.listening)  # dropping the channel empties the cache
        elapsed = assert_fails_closed(app, caplog, "is unavailable")
        assert elapsed < 0.5
        # Within the retry interval requests fail at once, without trying the server.
        assert get(app)[1] < 0.05
    finally:
        postgres.start()
    wait_until(lambda: ACAO in get(app)[0].headers)
    wait_until(lambda: registry.listening)
    registry.remove(TENANT)
    assert ACAO not in get(app)[0].headers


def test_wrong_password_fails_closed(
    postgres: PostgresCluster, table_name: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        app = make_app(postgres.url(password="wrong"), table_name)
    assert any("not ready at start-up" in r.getMessage() for r in caplog.records)
    assert_fails_closed(app, caplog, "password authentication failed")
    assert "wrong" not in caplog.text


def test_pool_exhausted_fails_closed_after_the_timeout(
    postgres: PostgresCluster, table_name: str, caplog: pytest.LogCaptureFixture
) -> None:
    app = make_app(postgres.url(), table_name, pool_size=1, max_overflow=0, retry_interval=0)
    registry = listening(registry_for(app))
    registry.add(TENANT)
    registry.cache.clear()
    engine = registry._engine_pair()[0]
    with engine.connect():  # the only connection of the pool
        elapsed = assert_fails_closed(app, caplog, "QueuePool limit")
    assert 0.2 < elapsed < 0.6
    assert get(app)[0].headers[ACAO] == TENANT


def test_a_locked_table_fails_closed_after_the_timeout(
    postgres: PostgresCluster, table_name: str, caplog: pytest.LogCaptureFixture
) -> None:
    app = make_app(postgres.url(), table_name, retry_interval=0)
    registry = listening(registry_for(app))
    registry.add(TENANT)
    registry.cache.clear()
    locked = threading.Event()
    release = threading.Event()

    def hold_lock() -> None:
        with psycopg.connect(postgres.url().replace("+psycopg", "")) as connection:
            connection.execute(f"LOCK TABLE {table_name} IN ACCESS EXCLUSIVE MODE")  # type: ignore[arg-type]
            locked.set()
            release.wait(10)

    holder = threading.Thread(target=hold_lock)
    holder.start()
    try:
        locked.wait(10)
        elapsed = assert_fails_closed(app, caplog, "timeout")
        assert elapsed < 0.6
    finally:
        release.set()
        holder.join()
    assert get(app)[0].headers[ACAO] == TENANT
