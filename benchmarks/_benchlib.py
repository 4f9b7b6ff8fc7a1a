"""Shared pieces of the benchmarks: where the two flask_cors packages come from, the
configurations, the three apps and the prebuilt WSGI environs of every scenario.

Two packages share the import name ``flask_cors``: ours (``/work/main/src``, imported as
``flask_cors``) and the reference Flask-Cors 6.0.5 (installed into ``benchmarks/_ref`` and
imported as ``flask_cors_ref``). :func:`load_ours` and :func:`load_reference` check where
each one really came from, so that a stray global install is never measured by mistake.
"""

from __future__ import annotations

import importlib.util
import io
import os
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
SRC = ROOT / "src"
REF_VERSION = "6.0.5"
REF_TARGET = BENCH_DIR / "_ref" / "flask_cors6"
REF_PACKAGE = REF_TARGET / "flask_cors"
REF_NAME = "flask_cors_ref"

# Our package must win over any other ``flask_cors`` on the path.
if str(SRC) not in sys.path:
    sys.path.insert(0, str(SRC))

#: Plugins installed in the venv (entry points) would otherwise join every app of ours:
#: the benchmarks measure the core pipeline with its default plugins only. Set here, it
#: also reaches the gunicorn servers that server.py starts.
os.environ["FLASK_CORS_DISABLE_PLUGIN_AUTOLOAD"] = "1"
#: The default plugins, under the names they are registered with.
DEFAULT_PLUGINS = frozenset({"resolve", "origins", "preflight", "response", "vary"})


# --- the two packages --------------------------------------------------------------------


def pip_install(*args: str) -> None:
    """Run pip of the running interpreter (the project venv under ``make bench``)."""
    cmd = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*cmd, *args], check=True)


def ensure_reference() -> None:
    """Install Flask-Cors 6.0.5 into benchmarks/_ref unless it is already there."""
    dist_info = REF_TARGET / f"flask_cors-{REF_VERSION}.dist-info"
    if (REF_PACKAGE / "__init__.py").is_file() and dist_info.is_dir():
        return
    print(f"installing the reference flask-cors=={REF_VERSION} into {REF_TARGET} ...")
    REF_TARGET.mkdir(parents=True, exist_ok=True)
    pip_install("--target", str(REF_TARGET), f"flask-cors=={REF_VERSION}", "--no-deps", "--upgrade")


def _inside(path: str | None, folder: Path) -> bool:
    return path is not None and Path(path).resolve().is_relative_to(folder.resolve())


def load_reference() -> ModuleType:
    """Import the reference package as ``flask_cors_ref`` (its modules import relatively)."""
    ensure_reference()
    module = sys.modules.get(REF_NAME)
    if module is None:
        spec = importlib.util.spec_from_file_location(
            REF_NAME,
            REF_PACKAGE / "__init__.py",
            submodule_search_locations=[str(REF_PACKAGE)],
        )
        if spec is None or spec.loader is None:
            raise SystemExit(f"cannot load the reference package from {REF_PACKAGE}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[REF_NAME] = module
        spec.loader.exec_module(module)
    for name in (REF_NAME, f"{REF_NAME}.extension", f"{REF_NAME}.core"):
        where = getattr(sys.modules.get(name), "__file__", None)
        if not _inside(where, REF_PACKAGE):
            raise SystemExit(f"reference module {name} comes from {where}, not {REF_PACKAGE}")
    return module


def load_ours() -> ModuleType:
    """Import our package and check that it is the one in ``src/``."""
    import flask_cors

    for name in ("flask_cors", "flask_cors.extension", "flask_cors.pipeline"):
        module = importlib.import_module(name)
        if not _inside(module.__file__, SRC / "flask_cors"):
            raise SystemExit(
                f"{name} comes from {module.__file__}, not {SRC / 'flask_cors'}: run with "
                "the project venv (.venv/bin/python) or `make bench`"
            )
    return flask_cors


def check_default_plugins(app: Any) -> None:
    """Fail unless our app runs with the default plugins only."""
    pm = app.extensions["cors"].pm
    names = {name for name, plugin in pm.list_name_plugin() if plugin is not None}
    if not names <= DEFAULT_PLUGINS:
        raise SystemExit(f"our app has extra CORS plugins: {sorted(names - DEFAULT_PLUGINS)}")


def versions() -> dict[str, str]:
    """Versions of everything a figure depends on."""
    from importlib.metadata import version

    ours = load_ours()
    return {
        "python": sys.version.split()[0],
        "flask": version("flask"),
        "werkzeug": version("werkzeug"),
        "pluggy": version("pluggy"),
        "flask_cors (ours)": f"{ours.__version__} from {Path(ours.__file__).parent}",
        "flask_cors (reference)": f"{REF_VERSION} from {REF_PACKAGE}",
    }


# --- configurations ----------------------------------------------------------------------

#: The one route of every app (it matches a late resource pattern of the LARGE config).
ROUTE = "/api/v1/r190/items"
ALLOWED_SMALL = "https://admin.example.com"
ALLOWED_LARGE = "https://client450.example.com"
DENIED = "https://evil.example.net"
ORIGIN_REGEX = r"https://.*\.partner\.example\.org"


@dataclass(frozen=True)
class Config:
    name: str
    origins: list[str]
    resources: dict[str, dict[str, Any]]
    allowed_origin: str

    @property
    def literal_origins(self) -> list[str]:
        return [o for o in self.origins if o != ORIGIN_REGEX]


def _small() -> Config:
    origins = ["https://app.example.com", ALLOWED_SMALL, ORIGIN_REGEX]
    return Config("small", origins, {r"/api/*": {"origins": origins}}, ALLOWED_SMALL)


def _large() -> Config:
    origins = [f"https://client{i:03d}.example.com" for i in range(500)] + [ORIGIN_REGEX]
    resources = {f"/api/v1/r{i:03d}/*": {"origins": origins} for i in range(200)}
    return Config("large", origins, resources, ALLOWED_LARGE)


CONFIGS = {"small": _small(), "large": _large()}
IMPLS = ("bare", "ref", "ours")
LABELS = {
    "bare": "bare Flask",
    "ref": f"flask-cors {REF_VERSION}",
    "ours": "ours",
    "ours+observer": "ours + an observe_decision plugin",
    "ours+matcher": "ours + a match_origin plugin with no opinion",
    "ours+headers": "ours + an add_headers plugin",
    "ours+all3": "ours + all three plugins",
    "ours+callable": "ours + a function after the origins (asked on denied only)",
    "bare+post": "bare Flask (the route also takes POST)",
    "ours+post": "ours, cross_origin_protection off",
    "ours+protection": "ours, cross_origin_protection on",
}


def _view() -> str:
    return "hello"


#: Apps of ours with third-party plugins (names of :func:`third_party_plugins`): a plugin
#: must cost its own call.
PLUGIN_APPS: dict[str, tuple[str, ...]] = {
    "ours+observer": ("observer",),
    "ours+matcher": ("matcher",),
    "ours+headers": ("headers",),
    "ours+all3": ("observer", "matcher", "headers"),
    # Not a plugin: the small origins list plus a function of the origin, asked only about
    # the origins the list does not allow (here the denied one): it costs its own call.
    "ours+callable": (),
}

#: The origins the function of ``ours+callable`` allows (none of the scenarios' origins).
TENANT_ORIGINS = frozenset({"https://t1.tenants.example", "https://t2.tenants.example"})


def tenant_origin(origin: str) -> bool:
    """The function of ``ours+callable``: a set lookup, as an app keeping origins would."""
    return origin in TENANT_ORIGINS


def third_party_plugins(names: Iterable[str]) -> list[object]:
    """Small third-party plugins: an ``observe_decision`` that counts, a ``match_origin``
    with no opinion, an ``add_headers`` that adds one header to allowed answers."""
    hookimpl = load_ours().hookimpl

    class Observer:
        seen = 0

        @hookimpl
        def observe_decision(self, decision: Any) -> None:
            self.seen += 1

    class Matcher:
        @hookimpl
        def match_origin(self, origin: str) -> None:
            return None

    class Headers:
        @hookimpl
        def add_headers(self, origin: str | None) -> dict[str, str] | None:
            return {"Timing-Allow-Origin": origin} if origin else None

    kinds = {"observer": Observer, "matcher": Matcher, "headers": Headers}
    return [kinds[name]() for name in names]


def make_app(impl: str, config: str = "small") -> Any:
    """A Flask app with :data:`ROUTE` (GET and PUT) and, unless bare, CORS on it."""
    from flask import Flask

    app = Flask(f"bench_{impl}_{config}")
    app.add_url_rule(ROUTE, "items", _view, methods=["GET", "PUT"])
    cfg = CONFIGS[config]
    if impl == "ours":
        load_ours().CORS(app, resources=cfg.resources)
        check_default_plugins(app)
    elif impl == "ours+callable":
        origins = [*cfg.origins, tenant_origin]
        resources = {
            path: {**options, "origins": origins} for path, options in cfg.resources.items()
        }
        load_ours().CORS(app, resources=resources)
        check_default_plugins(app)
    elif impl in PLUGIN_APPS:
        plugins = third_party_plugins(PLUGIN_APPS[impl])
        load_ours().CORS(app, resources=cfg.resources, plugins=plugins)
    elif impl == "ref":
        load_reference().CORS(app, resources=cfg.resources)
    elif impl != "bare":
        raise ValueError(f"unknown implementation {impl!r}")
    return app


#: Apps of the cross-origin protection figures (small configuration; the route also takes
#: POST): bare Flask, ours without protection, ours with it on.
PROTECTION_IMPLS = ("bare+post", "ours+post", "ours+protection")
#: An allowed GET (protection never judges it), a POST from a denied origin of another site
#: (refused: 403), a POST from the allowed origin (let through: a literal origin) and a
#: POST from the API's own origin (let through by Sec-Fetch-Site).
PROTECTION_SCENARIOS = ("allowed_get", "refused_post", "allowed_post", "same_origin_post")


def make_protection_app(impl: str) -> Any:
    """A Flask app with :data:`ROUTE` (GET, PUT and POST) and, unless bare, our CORS on it
    (small configuration), with ``cross_origin_protection`` on for ``ours+protection``."""
    from flask import Flask

    app = Flask(f"bench_{impl.replace('+', '_')}")
    app.add_url_rule(ROUTE, "items", _view, methods=["GET", "PUT", "POST"])
    resources = CONFIGS["small"].resources
    if impl == "ours+post":
        load_ours().CORS(app, resources=resources)
    elif impl == "ours+protection":
        load_ours().CORS(app, resources=resources, cross_origin_protection=True)
    elif impl != "bare+post":
        raise ValueError(f"unknown implementation {impl!r}")
    if impl != "bare+post":
        check_default_plugins(app)
    return app


def make_floor_app(config: str = "small", *, before: bool = True, vary: bool = False) -> Any:
    """Bare Flask plus our shape of hooks doing nothing: a pass-through wrapper of
    ``app.wsgi_app`` (``before``) and an ``after_request`` function (``vary``: that appends
    one ``Vary: Origin`` line): the price Flask and Werkzeug ask before any CORS logic."""
    app = make_app("bare", config)
    inner = app.wsgi_app

    def passing(environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("REQUEST_METHOD") == "OPTIONS" and "HTTP_ORIGIN" in environ:
            pass
        return inner(environ, start_response)

    def after(response: Any) -> Any:
        if vary:
            response.headers.add("Vary", "Origin")
        return response

    if before:
        app.wsgi_app = passing  # type: ignore[method-assign]
    app.after_request(after)
    return app


# --- scenarios ---------------------------------------------------------------------------

SCENARIOS = ("allowed_get", "preflight", "no_origin", "denied")
REQUEST_HEADERS = "Content-Type, X-Requested-With"


def environ_for(scenario: str, config: str) -> dict[str, Any]:
    """A complete WSGI environ for one scenario; copy it before every request."""
    from werkzeug.test import EnvironBuilder

    cfg = CONFIGS[config]
    headers: dict[str, str] = {}
    method = "GET"
    if scenario == "allowed_get":
        headers["Origin"] = cfg.allowed_origin
    elif scenario == "preflight":
        method = "OPTIONS"
        headers["Origin"] = cfg.allowed_origin
        headers["Access-Control-Request-Method"] = "PUT"
        headers["Access-Control-Request-Headers"] = REQUEST_HEADERS
    elif scenario == "denied":
        headers["Origin"] = DENIED
    elif scenario in ("refused_post", "allowed_post", "same_origin_post"):
        # A form post, as a current browser sends it.
        method = "POST"
        own = scenario == "same_origin_post"
        headers["Origin"] = {
            "refused_post": DENIED,
            "allowed_post": cfg.allowed_origin,
            "same_origin_post": "http://bench.local",
        }[scenario]
        headers["Sec-Fetch-Site"] = "same-origin" if own else "cross-site"
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    elif scenario != "no_origin":
        raise ValueError(f"unknown scenario {scenario!r}")
    builder = EnvironBuilder(
        path=ROUTE, method=method, headers=headers, base_url="http://bench.local"
    )
    try:
        environ = builder.get_environ()
    finally:
        builder.close()
    environ["wsgi.input"] = io.BytesIO(b"")
    return environ


def expected(impl: str, scenario: str, config: str) -> tuple[int, list[str]]:
    """Status and ``Access-Control-Allow-Origin`` values the app must answer with.

    Without ``Origin`` both packages send the alphabetically first literal origin
    (``always_send`` is on by default).
    """
    cfg = CONFIGS[config]
    if impl == "ours+protection" and scenario == "refused_post":
        return 403, []
    if impl in ("bare", "bare+post") or scenario in ("denied", "refused_post", "same_origin_post"):
        return 200, []
    if scenario == "allowed_post":
        return 200, [cfg.allowed_origin]
    if scenario in ("allowed_get", "preflight"):
        return 200, [cfg.allowed_origin]
    # Without Origin both send the alphabetically first literal origin (always_send).
    return 200, sorted(cfg.literal_origins)[:1]


class Capture:
    """A ``start_response`` that remembers the status and headers."""

    def __init__(self) -> None:
        self.status = ""
        self.headers: list[tuple[str, str]] = []

    def __call__(self, status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        self.status = status
        self.headers = headers
        return None

    def values(self, name: str) -> list[str]:
        return [v for k, v in self.headers if k.lower() == name.lower()]


def call(wsgi: Callable[..., Iterable[bytes]], environ: dict[str, Any]) -> tuple[Capture, bytes]:
    """One full request: environ copy, call, body consumed, iterable closed."""
    capture = Capture()
    body = wsgi(environ.copy(), capture)
    try:
        data = b"".join(body)
    finally:
        close = getattr(body, "close", None)
        if close is not None:
            close()
    return capture, data


def check(impl: str, app: Any, scenario: str, config: str) -> None:
    """Fail loudly unless the app answers ``scenario`` as expected."""
    capture, _ = call(app.wsgi_app, environ_for(scenario, config))
    status, origins = expected(impl, scenario, config)
    got = int(capture.status.split()[0])
    acao = capture.values("Access-Control-Allow-Origin")
    problems = []
    if got != status:
        problems.append(f"status {got} != {status}")
    if acao != origins:
        problems.append(f"Access-Control-Allow-Origin {acao[:3]!r}... != {origins[:3]!r}...")
    if impl != "bare" and scenario == "preflight":
        methods = ",".join(capture.values("Access-Control-Allow-Methods"))
        allowed = ",".join(capture.values("Access-Control-Allow-Headers")).lower()
        if "PUT" not in methods or "x-requested-with" not in allowed:
            problems.append(f"preflight not granted (methods {methods!r}, headers {allowed!r})")
    if problems:
        raise SystemExit(f"{LABELS[impl]}, {scenario}, {config}: " + "; ".join(problems))
