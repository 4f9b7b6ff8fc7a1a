"""Concurrency: real servers on loopback, many client threads, every response checked against
the headers its own request deserves; and two apps with different plugins side by side.

Counts and timeouts are bounded: at most a few thousand requests per test, each with a
10 second socket timeout.
"""

from __future__ import annotations

import http.client
import logging
import random
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from flask import Flask, Response, request
from robustness_support import (
    ACAC,
    ACAH,
    ACAM,
    ACAO,
    ACEH,
    ACMA,
    CORS_PREFIX,
    Policy,
    call,
    concurrency_app,
    concurrency_policy,
    make_environ,
    model_header_allows,
    new_app,
)
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.serving import make_server

from flask_cors import CORS, hookimpl

HERE = Path(__file__).resolve().parent
SOCKET_TIMEOUT = 10.0
CLIENT_THREADS = 16
_SET_HEADERS = (ACAM, ACAH, ACEH)


@dataclass(frozen=True)
class Call:
    request_id: str
    method: str
    target: str
    origin: str | None
    acrm: str | None = None
    acrh: str | None = None

    @property
    def preflight(self) -> bool:
        return self.method == "OPTIONS" and self.acrm is not None

    def headers(self) -> dict[str, str]:
        out = {"X-Req-Id": self.request_id}
        if self.origin is not None:
            out["Origin"] = self.origin
        if self.acrm is not None:
            out["Access-Control-Request-Method"] = self.acrm
        if self.acrh is not None:
            out["Access-Control-Request-Headers"] = self.acrh
        return out


def _split(value: str) -> frozenset[str]:
    return frozenset(t.strip().lower() for t in value.split(",") if t.strip())


def normalise(headers: list[tuple[str, str]]) -> tuple[dict[str, Any], frozenset[str]]:
    """The CORS headers (list-valued ones as sets) and the Vary names of a response."""
    cors: dict[str, Any] = {}
    vary: set[str] = set()
    for name, value in headers:
        key = name.lower()
        if key.startswith(CORS_PREFIX):
            assert key not in cors, f"{name} sent twice"
            cors[key] = _split(value) if key in _SET_HEADERS else value
        elif key == "vary":
            vary |= _split(value)
    return cors, frozenset(vary)


def deserved(policy: Policy | None, c: Call) -> tuple[dict[str, Any], frozenset[str]]:
    """The CORS headers and Vary names that request ``c`` deserves."""
    if policy is None:
        return {}, frozenset()
    if not c.preflight:
        vary = frozenset({"origin"})
        acao = policy.acao_for(c.origin)
        if acao is None:
            return {}, vary
        cors: dict[str, Any] = {ACAO: acao}
        if policy.credentials:
            cors[ACAC] = "true"
        if policy.expose:
            cors[ACEH] = frozenset(h.lower() for h in policy.expose)
        return cors, vary
    vary = frozenset({"origin", "access-control-request-method", "access-control-request-headers"})
    assert c.origin is not None
    assert c.acrm is not None
    if not policy.allows(c.origin):
        return {}, vary
    cors = {ACAO: c.origin}
    if policy.credentials:
        cors[ACAC] = "true"
    if policy.expose:
        cors[ACEH] = frozenset(h.lower() for h in policy.expose)
    if c.acrm not in policy.allowed_methods:
        return cors, vary
    cors[ACAM] = frozenset(m.lower() for m in policy.allowed_methods)
    if policy.max_age is not None:
        cors[ACMA] = str(policy.max_age)
    asked = [n.strip().lower() for n in (c.acrh or "").split(",") if n.strip()]
    allowed = {n for n in asked if model_header_allows(policy.allow_headers, n)}
    if allowed:
        cors[ACAH] = frozenset(allowed)
    return cors, vary


_ORIGINS = [
    None,
    "https://a1.alpha.test",
    "https://A2.alpha.test",
    "https://a3.alpha.test",
    "https://x.beta.test",
    "https://qq.BETA.test",
    "https://x1.beta.test",
    "https://x.beta.test.evil.net",
    "https://evil.test",
    "null",
]
_PATHS = [
    "/alpha/x",
    "/alpha",
    "/alpha/x%20y",
    "/alpha%2Fz",
    "/alphabet/x",
    "/beta/%C3%BC",
    "/beta/a+b",
    "/beta/deep/er/path",
    "/Beta/x",
    "/none/x",
    "/gamma",
]


def make_calls(count: int, seed: int) -> list[Call]:
    rng = random.Random(seed)
    calls = []
    for i in range(count):
        origin = rng.choice(_ORIGINS)
        target = rng.choice(_PATHS) + f"?n={i}"
        if origin is not None and rng.random() < 0.35:
            acrm = rng.choice(["GET", "POST", "PUT", "DELETE", "PATCH"])
            names = rng.sample(["x-beta", "x-alpha", "content-type", f"x-req-{i}"], 2)
            calls.append(Call(f"r{i}", "OPTIONS", target, origin, acrm, ",".join(names)))
        else:
            method = rng.choice(["GET", "POST", "PUT", "DELETE"])
            calls.append(Call(f"r{i}", method, target, origin))
    return calls


def send(port: int, c: Call) -> tuple[int, list[tuple[str, str]], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=SOCKET_TIMEOUT)
    try:
        conn.request(c.method, c.target, headers=c.headers())
        response = conn.getresponse()
        body = response.read()
        return response.status, response.getheaders(), body
    finally:
        conn.close()


def check_call(
    port: int, c: Call, resolve: Callable[[str], Policy | None] = concurrency_policy
) -> str | None:
    """Send ``c``; describe what is wrong with its response, or return None."""
    status, headers, body = send(port, c)
    path = unquote(c.target.split("?", 1)[0])
    want = deserved(resolve(path), c)
    got = normalise(headers)
    problems = []
    if got != want:
        problems.append(f"CORS headers {got} instead of {want}")
    if c.preflight and resolve(path) is not None:
        if not (200 <= status < 300 and body == b""):
            problems.append(f"preflight answered {status} {body!r}")
    elif path.startswith(("/alpha", "/beta", "/none", "/gamma", "/Beta")) and c.method != "OPTIONS":
        expected_body = f"{c.request_id}|{path}".encode()
        echo = {k.lower(): v for k, v in headers}.get("x-echo-id")
        if status != 200 or body != expected_body or echo != c.request_id:
            problems.append(f"view answer {status} {body!r} echo {echo!r}")
    return f"{c}: {'; '.join(problems)}" if problems else None


def run_calls(port: int, calls: list[Call], **kwargs: Any) -> list[str]:
    with ThreadPoolExecutor(max_workers=CLIENT_THREADS) as pool:
        results = list(pool.map(lambda c: check_call(port, c, **kwargs), calls))
    return [r for r in results if r is not None]


@contextmanager
def werkzeug_server(app: Any) -> Iterator[int]:
    logger = logging.getLogger("werkzeug")
    level = logger.level
    logger.setLevel(logging.ERROR)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server.server_port
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        logger.setLevel(level)
    assert not thread.is_alive()


def test_threaded_werkzeug_server_answers_each_request_on_its_own() -> None:
    calls = make_calls(3000, seed=7)
    started = time.perf_counter()
    with werkzeug_server(concurrency_app()) as port:
        failures = run_calls(port, calls)
    elapsed = time.perf_counter() - started
    assert failures == [], f"{len(failures)} of {len(calls)} wrong, e.g. {failures[:3]}"
    assert elapsed < 120, elapsed


@contextmanager
def gunicorn_server(tmp_path: Path) -> Iterator[int]:
    log_path = tmp_path / "gunicorn.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--worker-class",
                "gthread",
                "--workers",
                "2",
                "--threads",
                "8",
                "--bind",
                "127.0.0.1:0",
                "--graceful-timeout",
                "5",
                "--chdir",
                str(HERE),
                "robustness_support:concurrency_app()",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=HERE,
        )
    try:
        port = None
        deadline = time.monotonic() + 30
        while port is None and time.monotonic() < deadline:
            found = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", log_path.read_text())
            if found:
                port = int(found.group(1))
            elif process.poll() is not None:
                break
            else:
                time.sleep(0.1)
        assert port is not None, log_path.read_text()
        # Wait until a worker answers.
        while time.monotonic() < deadline:
            try:
                status, _headers, body = send(port, Call("boot", "GET", "/__whoami", None))
            except OSError:
                time.sleep(0.1)
                continue
            assert status == 200
            assert "/src/flask_cors/" in body.decode(), body
            break
        else:
            pytest.fail("gunicorn did not answer within 30 s:\n" + log_path.read_text())
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@pytest.mark.soak
def test_gunicorn_gthread_workers_answer_each_request_on_its_own(tmp_path: Path) -> None:
    calls = make_calls(3000, seed=11)
    started = time.perf_counter()
    with gunicorn_server(tmp_path) as port:
        failures = run_calls(port, calls)
    elapsed = time.perf_counter() - started
    assert failures == [], f"{len(failures)} of {len(calls)} wrong, e.g. {failures[:3]}"
    assert elapsed < 120, elapsed


# --- two apps, two plugin sets --------------------------------------------------------------


class PluginSuffixMatcher:
    """Allows every origin under ``.plugin.test``; no opinion otherwise."""

    def __init__(self) -> None:
        self.calls = 0
        self._lock = threading.Lock()

    @hookimpl
    def match_origin(self, origin: str) -> bool | None:
        with self._lock:
            self.calls += 1
        return True if origin.lower().endswith(".plugin.test") else None


class DenyEverything:
    @hookimpl(tryfirst=True)
    def match_origin(self) -> bool:
        return False


ONE = Policy(origins=("https://one.test",), expose=("X-One",))
TWO = Policy(origins=("https://two.test",), credentials=True, max_age=5)


def _echo_app(name: str) -> Flask:
    app = new_app(name)

    @app.route("/<path:rest>", methods=["GET", "POST", "PUT", "DELETE"])
    def echo(rest: str) -> Response:
        request_id = request.headers.get("X-Req-Id", "")
        response = Response(f"{request_id}|{request.path}", mimetype="text/plain")
        response.headers["X-Echo-Id"] = request_id
        return response

    return app


def two_apps() -> tuple[Flask, Flask, PluginSuffixMatcher]:
    one, two = _echo_app("one"), _echo_app("two")
    CORS(one, **ONE.kwargs())
    CORS(two, **TWO.kwargs())
    plugin = PluginSuffixMatcher()
    one.extensions["cors"].pm.register(plugin, name="suffix")
    return one, two, plugin


def one_allows(origin: str | None) -> bool:
    if origin is None:
        return False
    return ONE.allows(origin) or origin.lower().endswith(".plugin.test")


_TWO_APP_ORIGINS = [
    None,
    "https://one.test",
    "https://two.test",
    "https://TWO.test",
    "https://x.plugin.test",
    "https://two.test.plugin.test",
    "https://evil.test",
]


def expected_for(app_name: str, c: Call) -> tuple[dict[str, Any], frozenset[str]]:
    if app_name == "two":
        return deserved(TWO, c)
    if c.preflight:
        raise AssertionError("only actual requests here")
    vary = frozenset({"origin"})
    if c.origin is None:
        return deserved(ONE, c)
    if not one_allows(c.origin):
        return {}, vary
    return {ACAO: c.origin, ACEH: frozenset({"x-one"})}, vary


def _mixed_calls(count: int, seed: int) -> list[tuple[str, Call]]:
    rng = random.Random(seed)
    out = []
    for i in range(count):
        app_name = rng.choice(["one", "two"])
        origin = rng.choice(_TWO_APP_ORIGINS[1:])
        out.append((app_name, Call(f"m{i}", rng.choice(["GET", "POST"]), f"/p/{i}", origin)))
    return out


def test_two_apps_in_process_keep_their_own_plugins_and_options() -> None:
    one, two, plugin = two_apps()
    apps = {"one": one, "two": two}
    calls = _mixed_calls(4000, seed=3)
    toggling = threading.Event()
    toggling.set()

    def toggle_deny_plugin_on_one() -> int:
        pm = one.extensions["cors"].pm
        flips = 0
        while toggling.is_set():
            blocker = DenyEverything()
            pm.register(blocker, name="deny")
            pm.unregister(blocker)
            flips += 1
        return flips

    def check(item: tuple[str, Call]) -> str | None:
        app_name, c = item
        environ = make_environ(c.target, c.method, c.headers())
        result = call(apps[app_name], environ)
        got = normalise(result.headers)
        want = expected_for(app_name, c)
        if app_name == "one":
            # A deny-all plugin comes and goes on app one: it may deny, never allow more.
            if got != want and got != ({}, want[1]):
                return f"one {c}: {got} instead of {want}"
            return None
        if got != want:
            return f"two {c}: {got} instead of {want}"
        if result.body != f"{c.request_id}|{c.target}".encode():
            return f"two {c}: body {result.body!r}"
        return None

    with ThreadPoolExecutor(max_workers=9) as pool:
        toggler = pool.submit(toggle_deny_plugin_on_one)
        try:
            results = list(pool.map(check, calls, chunksize=50))
        finally:
            toggling.clear()
        flips = toggler.result(timeout=30)
    failures = [r for r in results if r is not None]
    assert failures == [], f"{len(failures)} of {len(calls)} wrong, e.g. {failures[:3]}"
    assert flips > 0
    assert plugin.calls > 0

    # Quiet again: app one answers exactly as its own plugin says.
    for app_name, c in calls[:400]:
        got = normalise(call(apps[app_name], make_environ(c.target, c.method, c.headers())).headers)
        assert got == expected_for(app_name, c), (app_name, c)


def test_two_apps_behind_one_threaded_server_do_not_share_settings() -> None:
    one, two, _plugin = two_apps()
    dispatcher = DispatcherMiddleware(
        Response("no app here", status=404), {"/one": one.wsgi_app, "/two": two.wsgi_app}
    )
    rng = random.Random(5)
    calls = []
    for i in range(1200):
        app_name = rng.choice(["one", "two"])
        origin = rng.choice(_TWO_APP_ORIGINS)
        calls.append((app_name, Call(f"d{i}", "GET", f"/{app_name}/p/{i}", origin)))

    def check(item: tuple[str, Call]) -> str | None:
        app_name, c = item
        status, headers, body = send(port, c)
        got = normalise(headers)
        want = expected_for(app_name, c)
        if status != 200 or body != f"{c.request_id}|/p/{c.target.rsplit('/', 1)[1]}".encode():
            return f"{app_name} {c}: {status} {body!r}"
        if got != want:
            return f"{app_name} {c}: {got} instead of {want}"
        return None

    with werkzeug_server(dispatcher) as port, ThreadPoolExecutor(CLIENT_THREADS) as pool:
        results = list(pool.map(check, calls))
    failures = [r for r in results if r is not None]
    assert failures == [], f"{len(failures)} of {len(calls)} wrong, e.g. {failures[:3]}"
