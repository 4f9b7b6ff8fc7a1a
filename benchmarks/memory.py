"""Memory stays bounded: many requests with random origins and random paths through our app.

Every request has a fresh random ``Origin`` (allowed through the regex, or denied) and a
fresh random path under the CORS resource, so every per-path cache sees only misses. The
script reports RSS and tracemalloc figures at checkpoints and checks that, once the
resource path cache is full, neither grows. The ``answers`` column gives the entries of
the pipeline's decision cache and of its remembered answers (each capped at 2,048).

    .venv/bin/python benchmarks/memory.py                 # 200,000 requests
    .venv/bin/python benchmarks/memory.py --requests 50000 --no-tracemalloc
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _benchlib as lib

#: Growth allowed between the first checkpoint after warm-up and the end.
RSS_SLACK_KIB = 4096
TRACED_SLACK_KIB = 512


def rss_kib() -> int:
    """Resident set size of this process, from /proc (Linux)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


def make_app() -> Any:
    from flask import Flask

    flask_cors = lib.load_ours()
    app = Flask("memory")

    @app.route("/api/<path:rest>", methods=["GET", "PUT"])
    def item(rest: str) -> str:
        return "ok"

    flask_cors.CORS(
        app,
        resources={r"/api/*": {"origins": ["https://app.example.com", lib.ORIGIN_REGEX]}},
    )
    return app


def _noop(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
    return None


def path_caches(app: Any) -> list[int]:
    """Sizes of the path caches of our resource tables (for the report only)."""
    state = app.extensions.get("cors")
    sizes = []
    for scope in getattr(state, "scopes", []):
        cache = getattr(getattr(scope, "table", None), "_cache", None)
        if cache is not None:
            sizes.append(len(cache))
    return sizes


def answer_caches(app: Any) -> str:
    """The pipeline keeps no answer cache: only the resource tables' path caches grow."""
    return "-"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200_000)
    parser.add_argument("--checkpoints", type=int, default=10)
    parser.add_argument("--no-tracemalloc", action="store_true", help="RSS only (faster)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    app = make_app()
    wsgi = app.wsgi_app
    base = lib.environ_for("allowed_get", "small")
    rng = random.Random(args.seed)
    step = max(1, args.requests // args.checkpoints)
    # The path cache holds 4096 paths; the first checkpoint after it is full is the baseline.
    warmup = min(args.requests, max(step, 8192))
    allowed = denied = 0

    if not args.no_tracemalloc:
        tracemalloc.start()
    print(
        f"{args.requests} requests, random origins and paths, "
        f"tracemalloc: {not args.no_tracemalloc}"
    )
    print(
        f"{'requests':>9} {'RSS KiB':>9} {'traced KiB':>11} {'peak KiB':>9} "
        f"{'path cache':>10} {'answers':>10} {'s':>6}"
    )
    rows: list[tuple[int, int, int]] = []
    started = time.perf_counter()
    for i in range(1, args.requests + 1):
        environ = base.copy()
        environ["PATH_INFO"] = f"/api/items/{rng.getrandbits(40):x}/detail"
        if rng.random() < 0.5:
            environ["HTTP_ORIGIN"] = f"https://t{rng.getrandbits(32):x}.partner.example.org"
        else:
            environ["HTTP_ORIGIN"] = f"https://x{rng.getrandbits(32):x}.example.net"
        if rng.random() < 0.1:
            environ["REQUEST_METHOD"] = "OPTIONS"
            environ["HTTP_ACCESS_CONTROL_REQUEST_METHOD"] = "PUT"
            environ["HTTP_ACCESS_CONTROL_REQUEST_HEADERS"] = f"x-h{rng.getrandbits(16):x}"
        captured: list[list[tuple[str, str]]] = []

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> None:
            captured.append(headers)  # noqa: B023

        body = wsgi(environ, start_response)
        for _chunk in body:
            pass
        body.close()
        if any(k == "Access-Control-Allow-Origin" for k, _ in captured[0]):
            allowed += 1
        else:
            denied += 1
        if i % step == 0 or i == args.requests:
            gc.collect()
            traced, peak = tracemalloc.get_traced_memory() if tracemalloc.is_tracing() else (0, 0)
            rss = rss_kib()
            if i >= warmup:
                rows.append((i, rss, traced // 1024))
            caches = ",".join(str(n) for n in path_caches(app)) or "?"
            print(
                f"{i:>9} {rss:>9} {traced // 1024:>11} {peak // 1024:>9} {caches:>10} "
                f"{answer_caches(app):>10} {time.perf_counter() - started:>6.1f}"
            )
    print(f"allowed: {allowed}, denied: {denied}")
    if len(rows) < 2:
        print("too few checkpoints after warm-up to judge growth")
        return 0
    (n0, rss0, traced0), (n1, rss1, traced1) = rows[0], rows[-1]
    rss_growth, traced_growth = rss1 - rss0, traced1 - traced0
    print(f"growth from request {n0} to {n1}: RSS {rss_growth:+} KiB, traced {traced_growth:+} KiB")
    ok = rss_growth <= RSS_SLACK_KIB and (args.no_tracemalloc or traced_growth <= TRACED_SLACK_KIB)
    caches = path_caches(app)
    if caches and max(caches) > 4096:
        ok = False
        print(f"path cache above its cap: {caches}")
    print(
        f"{'PASS' if ok else 'FAIL'}  memory bounded (RSS growth <= {RSS_SLACK_KIB} KiB, "
        f"traced growth <= {TRACED_SLACK_KIB} KiB after warm-up)"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
