"""Two gunicorn servers (separate processes) share one PostgreSQL registry."""

from __future__ import annotations

import http.client
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask_cors_origin_registry import OriginRegistry
from pgcluster import PostgresCluster, free_port

TENANT = "https://tenant.example"
HERE = Path(__file__).resolve().parent


class Server:
    def __init__(self, url: str, table: str) -> None:
        self.port = free_port()
        env = dict(os.environ)
        env.update(
            FLASK_CORS_REGISTRY_URL=url,
            FLASK_CORS_REGISTRY_TABLE=table,
            FLASK_CORS_REGISTRY_CACHE_TTL="3600",  # only notifications can expire an answer
            FLASK_CORS_REGISTRY_RETRY_INTERVAL="0.2",
        )
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
                "--worker-class",
                "gthread",
                "--threads",
                "2",
                "--log-level",
                "warning",
                "--chdir",
                str(HERE),
                "registry_server_app:create_app()",
            ],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.statuses: list[int] = []

    def request(self, method: str, path: str, origin: str = TENANT) -> tuple[int, str | None]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request(method, path, headers={"Origin": origin})
            response = connection.getresponse()
            response.read()
            self.statuses.append(response.status)
            return response.status, response.getheader("Access-Control-Allow-Origin")
        finally:
            connection.close()

    def allows(self, origin: str = TENANT) -> bool:
        status, allowed = self.request("GET", "/api/items", origin)
        assert status == 200
        return allowed == origin

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 30
        while True:
            assert self.process.poll() is None, self.process.communicate()[1]
            try:
                self.request("GET", "/api/items")
                return
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.1)

    def stop(self) -> str:
        self.process.terminate()
        try:
            _, errors = self.process.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, errors = self.process.communicate()
        return errors


@pytest.fixture
def servers(postgres: PostgresCluster, table_name: str) -> Iterator[tuple[Server, Server]]:
    setup = OriginRegistry(postgres.url(), table_name=table_name)
    setup.create_schema()
    setup.close()
    first, second = Server(postgres.url(), table_name), Server(postgres.url(), table_name)
    try:
        first.wait_ready()
        second.wait_ready()
        yield first, second
    finally:
        for server in (first, second):
            errors = server.stop()
            assert "Traceback" not in errors, errors
        assert 500 not in first.statuses + second.statuses


def until(condition: object, limit: float = 5.0) -> float:
    start = time.perf_counter()
    while not condition():  # type: ignore[operator]
        assert time.perf_counter() - start < limit, f"not within {limit} s"
    return time.perf_counter() - start


def test_two_servers_share_one_registry_with_instant_revocation(
    servers: tuple[Server, Server], postgres: PostgresCluster
) -> None:
    first, second = servers
    # Every worker of the second server has its refusal cached (TTL one hour).
    until(lambda: all(not second.allows() for _ in range(8)))
    time.sleep(0.5)  # every worker listens by now
    adds, removes = [], []
    for _ in range(10):
        assert first.request("POST", f"/admin/add?origin={TENANT}")[0] == 200
        # Until every worker of the second server has seen the change (each listens on
        # its own connection, so they learn of it a few milliseconds apart).
        adds.append(until(lambda: all(second.allows() for _ in range(4)), 1.0))
        assert first.request("POST", f"/admin/remove?origin={TENANT}")[0] == 200
        removes.append(until(lambda: not any(second.allows() for _ in range(4)), 1.0))
    print(
        f"\ncross-instance latency over {len(removes)} changes: add visible after median "
        f"{statistics.median(adds) * 1000:.1f} ms (max {max(adds) * 1000:.1f} ms), removal "
        f"after median {statistics.median(removes) * 1000:.1f} ms "
        f"(max {max(removes) * 1000:.1f} ms)"
    )
    assert max(removes) < 1.0

    # PostgreSQL stopped and restarted mid-run: closed in between, recovered after.
    first.request("POST", f"/admin/add?origin={TENANT}")
    until(second.allows)
    postgres.stop()
    try:
        outage = [server.allows() for server in (first, second) for _ in range(10)]
        assert not any(outage)  # fail closed, and 200 (checked on every request)
    finally:
        postgres.start()
    recovered = until(lambda: first.allows() and second.allows(), 10.0)
    print(f"allowed again {recovered * 1000:.0f} ms after PostgreSQL was back")
    time.sleep(1.0)  # the channels are listened to again
    first.request("POST", f"/admin/remove?origin={TENANT}")
    assert until(lambda: not any(second.allows() for _ in range(4)), 1.0) < 1.0
