"""Origin registry under load: 1,000 tenants, static list vs SQLite registry vs PostgreSQL.

Three gunicorn servers (1 worker, gthread) on 127.0.0.1 serve the same route: one lists
the 1,000 tenant origins in ``CORS(app, origins=[...])``, two keep them in the origin
registry (a SQLite file, and a throwaway PostgreSQL cluster started and stopped by this
script). ``wrk`` sends each request from a random origin: 90 % one of the tenants, 10 %
one of 100 unknown origins. After a warm-up run (the registry cache holds every origin),
the servers are loaded in interleaved rounds; the script prints requests per second, p99
latency and the ratio to the static app.

    .venv/bin/python benchmarks/registry.py                  # 3 rounds x 3 apps x 5 s
    .venv/bin/python benchmarks/registry.py --duration 10 --rounds 1

Needs ``wrk`` (installed with apt-get when running as root), gunicorn and the PostgreSQL
server binaries (Debian ``postgresql``).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent / "plugins" / "flask-cors-origin-registry" / "tests"))

import server as http_bench  # noqa: E402
from pgcluster import start_cluster  # noqa: E402
from registry_app import ROUTE, TENANTS, UNKNOWN  # noqa: E402

HOST = "127.0.0.1"
KINDS = ("static", "sqlite", "postgresql")


class Server(http_bench.Server):
    def __init__(self, kind: str, url: str | None, threads: int, ttl: float | None) -> None:
        self.port = http_bench.free_port()
        self.impl = kind
        env = dict(os.environ)
        env.pop("FLASK_CORS_DISABLE_PLUGIN_AUTOLOAD", None)
        if url:
            env["FLASK_CORS_REGISTRY_URL"] = url
            if ttl is not None:
                env["FLASK_CORS_REGISTRY_CACHE_TTL"] = str(ttl)
        app = f"registry_app:make_app({'static' if kind == 'static' else 'registry'!r})"
        cmd = [sys.executable, "-m", "gunicorn", "--bind", f"{HOST}:{self.port}"]
        cmd += ["--workers", "1", "--worker-class", "gthread", "--threads", str(threads)]
        cmd += ["--keep-alive", "5", "--log-level", "warning", "--chdir", str(BENCH), app]
        self.process = subprocess.Popen(cmd, start_new_session=True, env=env)

    def fetch(self, method: str, headers: dict[str, str]) -> tuple[int, dict[str, str]]:
        connection = http_bench.http.client.HTTPConnection(HOST, self.port, timeout=5)
        try:
            connection.request(method, ROUTE, headers=headers)
            response = connection.getresponse()
            response.read()
            return response.status, {k.lower(): v for k, v in response.getheaders()}
        finally:
            connection.close()


def lua_script(folder: Path) -> Path:
    tenants = ", ".join(f'"{origin}"' for origin in TENANTS)
    unknown = ", ".join(f'"{origin}"' for origin in UNKNOWN)
    path = folder / "random_origin.lua"
    path.write_text(
        f"local tenants = {{{tenants}}}\n"
        f"local unknown = {{{unknown}}}\n"
        "math.randomseed(os.time())\n"
        "request = function()\n"
        "  local origin\n"
        "  if math.random() < 0.9 then origin = tenants[math.random(#tenants)]\n"
        "  else origin = unknown[math.random(#unknown)] end\n"
        f'  return wrk.format("GET", "{ROUTE}", {{["Origin"] = origin}})\n'
        "end\n"
    )
    return path


def run_wrk(
    port: int, script: Path, duration: int, connections: int
) -> tuple[float, float, int, int]:
    """(requests per second, p99 latency in ms, non-2xx responses, requests)."""
    cmd = ["wrk", "--threads", "1", "--connections", str(connections), "--latency"]
    cmd += ["--duration", f"{duration}s", "--timeout", "5s", "--script", str(script)]
    cmd.append(f"http://{HOST}:{port}{ROUTE}")
    text = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", text)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    latency = float(p99.group(1)) * scale[p99.group(2)] if p99 else float("nan")
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    count = re.search(r"(\d+) requests in", text)
    requests = int(count.group(1)) if count else 0
    return rps, latency, int(bad.group(1)) if bad else 0, requests


def check(server: Server) -> None:
    """Tenants allowed, unknown origins refused, before anything is measured."""
    for origin, allowed in ((TENANTS[7], True), (UNKNOWN[3], False)):
        status, headers = server.fetch("GET", {"Origin": origin})
        got = headers.get("access-control-allow-origin")
        if status != 200 or (got == origin) is not allowed:
            raise SystemExit(f"{server.impl}: {origin} answered {status}, ACAO {got!r}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--ttl",
        type=float,
        default=300.0,
        help="registry cache TTL in seconds (default 300: a warm cache; the plugin's "
        "own default is 5 on SQLite, 60 on PostgreSQL)",
    )
    args = parser.parse_args()
    http_bench.ensure_tools()
    from flask_cors_origin_registry import OriginRegistry

    cluster = start_cluster()
    servers: dict[str, Server] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="cors-registry-bench-") as tmp:
            urls = {"sqlite": f"sqlite:///{tmp}/origins.sqlite3", "postgresql": cluster.url()}
            for url in urls.values():
                registry = OriginRegistry(url)
                registry.add_many(TENANTS)
                registry.close()
            for kind in KINDS:
                servers[kind] = Server(kind, urls.get(kind), args.threads, args.ttl)
            script = lua_script(Path(tmp))
            for server in servers.values():
                server.wait_ready()
                check(server)
                run_wrk(server.port, script, 2, args.connections)  # warm-up: fills caches
            figures: dict[str, list[tuple[float, float, int]]] = {kind: [] for kind in KINDS}
            cpu: dict[str, list[float]] = {kind: [] for kind in KINDS}
            print(
                f"gunicorn: 1 worker, gthread, {args.threads} threads; wrk: 1 thread, "
                f"{args.connections} connections, {args.rounds} x {args.duration} s per app; "
                "origins: 90 % of 1,000 tenants, 10 % of 100 unknown"
            )
            for number in range(args.rounds):
                order = KINDS[number % 3 :] + KINDS[: number % 3]
                for kind in order:
                    used = servers[kind].cpu_seconds()
                    *result, count = run_wrk(
                        servers[kind].port, script, args.duration, args.connections
                    )
                    per_request = (servers[kind].cpu_seconds() - used) / max(count, 1) * 1e6
                    figures[kind].append((result[0], result[1], int(result[2])))
                    cpu[kind].append(per_request)
                    print(
                        f"  round {number + 1} {kind:<10} {result[0]:>8.0f} req/s, "
                        f"p99 {result[1]:.2f} ms, server CPU {per_request:.0f} µs/request, "
                        f"non-2xx {result[2]}"
                    )
                    time.sleep(0.5)
    finally:
        for server in servers.values():
            server.stop()
        cluster.destroy()
    static = statistics.median(rps for rps, _, _ in figures["static"])
    print()
    static_cpu = statistics.median(cpu["static"])
    print(
        "| origins kept in | req/s (median) | p99 ms (median) | req/s vs static list "
        "| server CPU µs/request | CPU: static / this |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for kind in KINDS:
        rps = statistics.median(r for r, _, _ in figures[kind])
        p99 = statistics.median(p for _, p, _ in figures[kind])
        label = {"static": "static list", "sqlite": "registry, SQLite"}.get(
            kind, "registry, PostgreSQL"
        )
        used = statistics.median(cpu[kind])
        print(
            f"| {label} | {rps:.0f} | {p99:.2f} | {rps / static:.3f} | {used:.0f} "
            f"| {static_cpu / used:.3f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
