"""Real-server figures: gunicorn (gthread workers) on 127.0.0.1, driven by wrk.

Each of the three apps (bare Flask, Flask-Cors 6.0.5, ours) is served by its own gunicorn
on a free loopback port; ``wrk`` loads one at a time for a fixed time, in interleaved
rounds. The script reports the median requests per second and the ratios between the
apps, and stops every server it started.

    .venv/bin/python benchmarks/server.py       # 3 scenarios x 3 apps x 2 rounds x 5 s
    .venv/bin/python benchmarks/server.py --duration 10 --rounds 1 --scenarios denied:large

Needs ``wrk`` (Debian: ``apt-get update && apt-get install -y wrk``; installed by the
script when it runs as root) and gunicorn (installed into the running venv when missing).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _benchlib as lib

HOST = "127.0.0.1"
DEFAULT_SCENARIOS = ("allowed_get:small", "preflight:small", "allowed_get:large")


def ensure_tools() -> None:
    try:
        import gunicorn  # noqa: F401
    except ImportError:
        print("installing gunicorn into", sys.prefix)
        lib.pip_install("gunicorn")
    if shutil.which("wrk") is None:
        if os.geteuid() == 0 and shutil.which("apt-get"):
            print("installing wrk with apt-get")
            subprocess.run(["apt-get", "update", "-qq"], check=True)
            subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)
        else:
            raise SystemExit("wrk is missing: apt-get update && apt-get install -y wrk")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def request_headers(scenario: str, config: str) -> tuple[str, dict[str, str]]:
    environ = lib.environ_for(scenario, config)
    headers = {
        key[5:].replace("_", "-").title(): value
        for key, value in environ.items()
        if key.startswith("HTTP_") and key != "HTTP_HOST"
    }
    return environ["REQUEST_METHOD"], headers


class Server:
    """One gunicorn serving one app on a loopback port; stopped on exit, whatever happens."""

    def __init__(self, impl: str, config: str, threads: int) -> None:
        self.port = free_port()
        self.impl = impl
        self.config = config
        cmd = [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"{HOST}:{self.port}",
            "--workers",
            "1",
            "--worker-class",
            "gthread",
            "--threads",
            str(threads),
            "--keep-alive",
            "5",
            "--log-level",
            "warning",
            "--chdir",
            str(lib.BENCH_DIR),
            f"_benchlib:make_app({impl!r}, {config!r})",
        ]
        self.process = subprocess.Popen(cmd, start_new_session=True)

    def wait_ready(self, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn for {self.impl} exited with {self.process.returncode}")
            try:
                self.fetch("GET", {})
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit(f"gunicorn for {self.impl} did not start") from None
                time.sleep(0.1)

    def check(self, scenario: str) -> None:
        """The server answers ``scenario`` with the expected status and allowed origin."""
        method, headers = request_headers(scenario, self.config)
        status, got = self.fetch(method, headers)
        acao = got.get("access-control-allow-origin")
        want_status, want_origins = lib.expected(self.impl, scenario, self.config)
        if status != want_status or acao != (want_origins[0] if want_origins else None):
            raise SystemExit(f"{self.impl}, {scenario}: unexpected answer {status}, ACAO {acao!r}")

    def fetch(self, method: str, headers: dict[str, str]) -> tuple[int, dict[str, str]]:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=5)
        try:
            conn.request(method, lib.ROUTE, headers=headers)
            response = conn.getresponse()
            response.read()
            return response.status, {k.lower(): v for k, v in response.getheaders()}
        finally:
            conn.close()

    def cpu_seconds(self) -> float:
        """CPU time used so far by this server's processes (master and worker), from /proc."""
        total = 0
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rpartition(")")[2].split()
            except OSError:
                continue
            if int(fields[2]) == self.process.pid:  # process group: start_new_session
                total += int(fields[11]) + int(fields[12])  # utime + stime
        return total / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)


def wrk_script(folder: Path, method: str, headers: dict[str, str]) -> Path:
    lines = [f'wrk.method = "{method}"']
    lines += [f'wrk.headers["{name}"] = "{value}"' for name, value in headers.items()]
    path = folder / f"{method.lower()}_{abs(hash(tuple(headers.items())))}.lua"
    path.write_text("\n".join(lines) + "\n")
    return path


def run_wrk(port: int, script: Path, duration: int, connections: int) -> dict[str, float]:
    cmd = [
        "wrk",
        "--threads",
        "1",
        "--connections",
        str(connections),
        "--duration",
        f"{duration}s",
        "--timeout",
        "5s",
        "--script",
        str(script),
        f"http://{HOST}:{port}{lib.ROUTE}",
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 30, check=True)
    text = out.stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
    count = re.search(r"(\d+) requests in", text)
    latency = re.search(r"Latency\s+([\d.]+)(us|ms|s)", text)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    errors = re.search(r"Socket errors:.*", text)
    if rps is None:
        raise SystemExit(f"cannot read wrk output:\n{text}\n{out.stderr}")
    scale = {"us": 1.0, "ms": 1000.0, "s": 1e6}
    result = {
        "rps": float(rps.group(1)),
        "latency_us": float(latency.group(1)) * scale[latency.group(2)] if latency else -1.0,
        "non_2xx": float(bad.group(1)) if bad else 0.0,
        "requests": float(count.group(1)) if count else 0.0,
    }
    if errors:
        print(f"    wrk: {errors.group(0)}")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=5, help="seconds of wrk per run")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved runs per app")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=4, help="gunicorn gthread threads")
    parser.add_argument(
        "--scenarios",
        nargs="+",
        default=list(DEFAULT_SCENARIOS),
        metavar="SCENARIO:CONFIG",
        help=f"from {', '.join(lib.SCENARIOS)} x {', '.join(lib.CONFIGS)}",
    )
    args = parser.parse_args()
    ensure_tools()
    lib.load_ours()
    lib.load_reference()
    print(
        f"gunicorn: 1 worker, gthread, {args.threads} threads; wrk: 1 thread, "
        f"{args.connections} connections; {args.rounds} x {args.duration} s per app and "
        f"scenario, apps interleaved; all on {HOST}"
    )
    items = [(s.partition(":")[0], s.partition(":")[2] or "small") for s in args.scenarios]
    runs: dict[tuple[str, str], dict[str, list[float]]] = {
        item: {impl: [] for impl in lib.IMPLS} for item in items
    }
    cpu: dict[tuple[str, str], dict[str, list[float]]] = {
        item: {impl: [] for impl in lib.IMPLS} for item in items
    }
    with tempfile.TemporaryDirectory(prefix="cors-bench-") as tmp:
        for config in dict.fromkeys(config for _, config in items):
            servers = {impl: Server(impl, config, args.threads) for impl in lib.IMPLS}
            try:
                for server in servers.values():
                    server.wait_ready()
                    for scenario, cfg in items:
                        if cfg == config:
                            server.check(scenario)
                warm = wrk_script(Path(tmp), "GET", {})
                for server in servers.values():
                    run_wrk(server.port, warm, 1, args.connections)
                for r in range(args.rounds):
                    order = lib.IMPLS[r % 3 :] + lib.IMPLS[: r % 3]
                    for scenario, cfg in items:
                        if cfg != config:
                            continue
                        script = wrk_script(Path(tmp), *request_headers(scenario, config))
                        for impl in order:
                            server = servers[impl]
                            used = server.cpu_seconds()
                            figures = run_wrk(server.port, script, args.duration, args.connections)
                            used = server.cpu_seconds() - used
                            per_request = used / max(figures["requests"], 1.0) * 1e6
                            runs[(scenario, config)][impl].append(figures["rps"])
                            cpu[(scenario, config)][impl].append(per_request)
                            print(
                                f"  round {r + 1} {scenario}:{config:<6} {lib.LABELS[impl]:<17}"
                                f" {figures['rps']:>8.0f} req/s, mean latency "
                                f"{figures['latency_us'] / 1000:.2f} ms, "
                                f"server CPU {per_request:.0f} µs/request"
                                + (
                                    f", non-2xx {figures['non_2xx']:.0f}"
                                    if figures["non_2xx"]
                                    else ""
                                )
                            )
            finally:
                for server in servers.values():
                    server.stop()
    print()
    print(
        "| scenario | bare Flask req/s | flask-cors 6 req/s | ours req/s "
        "| flask-cors 6 / bare | ours / bare | ours / flask-cors 6 |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for (scenario, config), figures in runs.items():
        bare, ref, ours = (statistics.median(figures[impl]) for impl in lib.IMPLS)
        print(
            f"| {scenario}:{config} | {bare:.0f} | {ref:.0f} | {ours:.0f} | {ref / bare:.3f} "
            f"| {ours / bare:.3f} | {ours / ref:.3f} |"
        )
    print()
    print("Server CPU time per request (gunicorn master + worker; robust on a busy machine):")
    print()
    print(
        "| scenario | bare Flask µs | flask-cors 6 µs | ours µs "
        "| flask-cors 6 overhead µs | ours overhead µs |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for (scenario, config), figures in cpu.items():
        bare, ref, ours = (statistics.median(figures[impl]) for impl in lib.IMPLS)
        print(
            f"| {scenario}:{config} | {bare:.0f} | {ref:.0f} | {ours:.0f} | {ref - bare:+.0f} "
            f"| {ours - bare:+.0f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
