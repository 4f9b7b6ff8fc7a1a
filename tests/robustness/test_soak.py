"""Soak: 200,000 requests with random origins and random paths through ``app.wsgi_app``;
traced memory must stay bounded (the resource table caches at most 4,096 paths)."""

from __future__ import annotations

import gc
import random
import string
import sys
import time
import tracemalloc

import pytest
from flask import Flask, Response, request
from robustness_support import ACAO, call, make_environ, new_app

from flask_cors import CORS

REQUESTS = 200_000
WARM_UP = 20_000
BULK = 140_000
TRACED = 40_000
TURNOVER = 10_000
CHECK_EVERY = 997
#: Bounds well above what a bounded cache costs and far below what one entry per distinct
#: path would: 140,000 paths are over 280,000 blocks, and 30,000 traced paths over 3 MB.
MAX_BLOCK_GROWTH = 40_000
MAX_TRACED_GROWTH = 1024 * 1024

ALLOWED = "https://ok.soak.test"


def soak_app() -> Flask:
    app = new_app("soak")
    CORS(
        app,
        resources={
            "/api/*": {"origins": [ALLOWED, r"https://[a-z]+\.regex\.soak\.test"]},
            "/api/public/*": {"origins": "*", "send_wildcard": True},
            r"/files/.+\.txt": {"origins": [ALLOWED], "supports_credentials": True},
        },
    )

    @app.route("/<path:rest>", methods=["GET", "POST", "OPTIONS"])
    def anything(rest: str) -> Response:
        return Response(request.path, mimetype="text/plain")

    return app


def _random_request(rng: random.Random) -> tuple[str, str, str | None, str | None]:
    word = "".join(
        rng.choices(string.ascii_letters + string.digits + "-._~%+", k=rng.randint(1, 24))
    )
    path = rng.choice(["/api/", "/api/public/", "/files/", "/other/", "/api/v1/"]) + word
    if rng.random() < 0.3:
        path += ".txt"
    roll = rng.random()
    if roll < 0.3:
        origin: str | None = ALLOWED
    elif roll < 0.5:
        origin = f"https://{''.join(rng.choices(string.ascii_lowercase, k=8))}.regex.soak.test"
    elif roll < 0.9:
        origin = f"https://{rng.getrandbits(64):x}.example"
    else:
        origin = None
    method = "OPTIONS" if rng.random() < 0.2 else rng.choice(["GET", "POST"])
    acrm = "POST" if method == "OPTIONS" else None
    return path, method, origin, acrm


@pytest.mark.soak
def test_soak_memory_stays_bounded() -> None:
    """200,000 requests in three phases, all through ``app.wsgi_app``:

    1. warm-up (20,000): caches fill;
    2. bulk (140,000): ``sys.getallocatedblocks`` (cheap) must not keep climbing;
    3. traced (40,000) under tracemalloc: the first 10,000 replace every cached path
       (allocated before tracing began), after which traced memory must stay flat.

    Tracing all 200,000 requests would cost five times the CPU for the same verdict.
    """
    app = soak_app()
    rng = random.Random(20240601)
    counters = {"allowed": 0, "checked": 0}

    def run(count: int, first: int) -> None:
        for i in range(first, first + count):
            path, method, origin, acrm = _random_request(rng)
            environ = make_environ(
                path, method, {"Origin": origin, "Access-Control-Request-Method": acrm}
            )
            result = call(app, environ)
            assert result.status == 200, (path, method, result.status)
            if i % CHECK_EVERY == 0:
                counters["checked"] += 1
                acao = result.all(ACAO)
                assert len(acao) <= 1
                if acao and acao[0] != "*":
                    # The only resource with a single origin sends it to requests without one.
                    assert acao[0] == (origin or ALLOWED), (origin, acao)
                    counters["allowed"] += origin is not None

    started = time.perf_counter()
    run(WARM_UP, 0)
    gc.collect()
    blocks_start = sys.getallocatedblocks()
    block_marks = []
    done = WARM_UP
    while done < WARM_UP + BULK:
        run(BULK // 4, done)
        done += BULK // 4
        gc.collect()
        block_marks.append(sys.getallocatedblocks() - blocks_start)
    bulk_seconds = time.perf_counter() - started

    tracemalloc.start()
    try:
        run(TURNOVER, done)
        gc.collect()
        traced_start, _ = tracemalloc.get_traced_memory()
        traced_marks = []
        for step in range(3):
            run((TRACED - TURNOVER) // 3, done + TURNOVER + step * (TRACED - TURNOVER) // 3)
            gc.collect()
            traced_marks.append(tracemalloc.get_traced_memory()[0] - traced_start)
        traced_end, traced_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    elapsed = time.perf_counter() - started
    traced_growth = traced_end - traced_start
    print(
        f"\nsoak: {WARM_UP + BULK + TRACED} requests in {elapsed:.1f} s "
        f"(untraced {WARM_UP + BULK} in {bulk_seconds:.1f} s); allocated blocks after "
        f"warm-up: {block_marks}; traced memory after turnover {traced_start / 1024:.0f} KiB, "
        f"then {[round(m / 1024, 1) for m in traced_marks]} KiB, peak {traced_peak / 1024:.0f} KiB"
    )
    assert WARM_UP + BULK + TRACED == REQUESTS
    assert max(block_marks) < MAX_BLOCK_GROWTH, block_marks
    assert traced_growth < MAX_TRACED_GROWTH, traced_marks
    assert counters["checked"] > 150
    assert counters["allowed"] > 0
