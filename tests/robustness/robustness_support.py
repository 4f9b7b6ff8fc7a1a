"""Apps, reference models and request helpers shared by the robustness tests.

The models here are written from the documented behaviour, not from the implementation:
a literal origin matches case-insensitively, a string regex must match the whole origin
(ignoring case), a compiled pattern keeps its own flags, and ``"*"`` matches anything. A
serialized origin is printable ASCII without spaces or commas, so nothing else is ever
copied into ``Access-Control-Allow-Origin``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, Response, request
from hypothesis import HealthCheck, settings
from werkzeug.test import EnvironBuilder

from flask_cors import CORS, cross_origin

# --- hypothesis profiles ----------------------------------------------------------------

#: ``CORS_ROBUSTNESS_PROFILE=cors-robustness-deep`` runs ten times more examples.
PROFILE_ENV = "CORS_ROBUSTNESS_PROFILE"
settings.register_profile(
    "cors-robustness",
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
settings.register_profile(
    "cors-robustness-deep",
    parent=settings.get_profile("cors-robustness"),
    max_examples=2500,
)
PROFILE = settings.get_profile(os.environ.get(PROFILE_ENV, "cors-robustness"))


def scaled(examples: int) -> settings:
    """The active profile with ``examples`` examples (times ten under the deep profile)."""
    factor = PROFILE.max_examples / 250
    return settings(PROFILE, max_examples=max(1, int(examples * factor)))


# --- header names -------------------------------------------------------------------------

ACAO = "access-control-allow-origin"
ACAC = "access-control-allow-credentials"
ACAM = "access-control-allow-methods"
ACAH = "access-control-allow-headers"
ACEH = "access-control-expose-headers"
ACMA = "access-control-max-age"
CORS_PREFIX = "access-control-"

DEFAULT_METHODS = frozenset({"GET", "HEAD", "POST", "OPTIONS", "PUT", "PATCH", "DELETE"})
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_REGEX_MARKERS = frozenset("*\\]?$^[(){}|+")


def is_token(value: str) -> bool:
    return _TOKEN.fullmatch(value) is not None


def is_serialized_origin_shape(origin: str) -> bool:
    """What may be echoed: printable ASCII, no space, no comma, at most 1,024 characters."""
    return 0 < len(origin) <= 1024 and all(0x21 <= ord(c) <= 0x7E and c != "," for c in origin)


# --- the reference model of one resource's options ----------------------------------------

OriginEntry = str | re.Pattern[str]


def model_origin_allows(configured: Iterable[OriginEntry], origin: str) -> bool:
    """The obviously-correct origin check."""
    for entry in configured:
        if isinstance(entry, re.Pattern):
            if entry.fullmatch(origin):
                return True
        elif entry == "*":
            return True
        elif _REGEX_MARKERS.isdisjoint(entry):
            if entry.lower() == origin.lower():
                return True
        elif re.fullmatch(entry, origin, re.IGNORECASE):
            return True
    return False


def model_header_allows(configured: Iterable[str] | None, name: str) -> bool:
    if configured is None:
        return True
    for entry in configured:
        if entry == "*":
            return True
        if _REGEX_MARKERS.isdisjoint(entry):
            if entry.lower() == name.lower():
                return True
        elif re.fullmatch(entry, name, re.IGNORECASE):
            return True
    return False


@dataclass(frozen=True)
class Policy:
    """What one resource is configured with, and what it therefore must send."""

    origins: tuple[OriginEntry, ...] = ("*",)
    credentials: bool = False
    send_wildcard: bool = False
    vary: bool = True
    methods: frozenset[str] | None = None
    allow_headers: tuple[str, ...] | None = None
    expose: tuple[str, ...] = ()
    max_age: int | None = None
    tag: str = ""

    @property
    def any_origin(self) -> bool:
        return "*" in self.origins

    @property
    def static(self) -> bool:
        """Same CORS headers for every request: ``*`` sent to everyone."""
        return self.any_origin and self.send_wildcard

    @property
    def single(self) -> str | None:
        """What a request without ``Origin`` gets: the first literal origin, sorted."""
        literals = [
            origin
            for origin in self.origins
            if isinstance(origin, str) and origin != "*" and _REGEX_MARKERS.isdisjoint(origin)
        ]
        return min(literals) if literals else None

    @property
    def allowed_methods(self) -> frozenset[str]:
        return DEFAULT_METHODS if self.methods is None else self.methods

    def allows(self, origin: str) -> bool:
        if self.static:
            # "*" for everyone echoes nothing, so even a malformed Origin gets it.
            return True
        return is_serialized_origin_shape(origin) and model_origin_allows(self.origins, origin)

    def acao_for(self, origin: str | None) -> str | None:
        """The ``Access-Control-Allow-Origin`` an actual request deserves."""
        if origin is None:
            return "*" if self.any_origin else self.single
        if not self.allows(origin):
            return None
        return "*" if self.static else origin

    def kwargs(self) -> dict[str, Any]:
        out: dict[str, Any] = {"origins": list(self.origins)}
        if self.credentials:
            out["supports_credentials"] = True
        if self.send_wildcard:
            out["send_wildcard"] = True
        if not self.vary:
            out["vary_header"] = False
        if self.methods is not None:
            out["methods"] = sorted(self.methods)
        if self.allow_headers is not None:
            out["allow_headers"] = list(self.allow_headers)
        if self.expose:
            out["expose_headers"] = list(self.expose)
        if self.max_age is not None:
            out["max_age"] = self.max_age
        return out


# --- apps -----------------------------------------------------------------------------------


def _view_response(endpoint: str) -> Response:
    body = f"{endpoint}|{request.method}|{request.path}"
    response = Response(body, status=200, mimetype="text/plain")
    response.headers["X-View"] = endpoint
    response.headers["Vary"] = "Accept-Encoding"
    return response


def add_routes(app: Flask, decorate: Callable[[Any], Any] | None = None) -> None:
    """The routes every property app has; ``decorate`` wraps the ``/decorated`` view."""

    def root() -> Response:
        return _view_response("root")

    def items() -> Response:
        return _view_response("items")

    def api(rest: str) -> Response:
        return _view_response("api")

    def files(rest: str) -> Response:
        return _view_response("files")

    def open_view() -> Response:
        return _view_response("open")

    def decorated() -> Response:
        return _view_response("decorated")

    if decorate is not None:
        decorated = decorate(decorated)
    app.add_url_rule("/", "root", root)
    app.add_url_rule("/items", "items", items, methods=["GET", "POST", "PUT", "DELETE", "PATCH"])
    app.add_url_rule("/api/<path:rest>", "api", api, methods=["GET", "POST"])
    app.add_url_rule("/files/<path:rest>", "files", files)
    app.add_url_rule("/open", "open", open_view)
    app.add_url_rule("/decorated", "decorated", decorated, methods=["GET", "POST"])


LITERALS = ("https://app.example.com", "http://localhost:8080", "https://MiXeD.Example.org")
REGEXES: tuple[OriginEntry, ...] = (
    r"https://[a-z0-9-]+\.example\.com",
    r"http://localhost:\d{2,5}",
    re.compile(r"https://Cased\.example"),
)


@dataclass
class Setup:
    """One configuration under test: the CORS app, a CORS-free twin, and its model."""

    name: str
    app: Flask
    control: Flask
    #: (request path, matched endpoint or None, request method) -> policy or None (no CORS).
    resolve: Callable[[str, str | None], Policy | None]
    policies: tuple[Policy, ...] = field(default_factory=tuple)


def _under(path: str, base: str) -> bool:
    return path == base or path.startswith(base + "/")


def _everywhere(policy: Policy) -> Callable[[str, str | None], Policy | None]:
    return lambda path, endpoint: policy


def new_app(name: str) -> Flask:
    """A Flask app in testing mode whose CORS gets the built-in plugins only.

    Plugins installed in the environment (entry points) are not loaded: these tests pin
    down what a plain install of flask_cors does.
    """
    app = Flask(f"robust_{name}")
    app.testing = True
    app.config["CORS_PLUGIN_DISCOVERY"] = False
    return app


def build_setup(name: str) -> Setup:
    control = new_app(f"{name}_control")
    add_routes(control)
    app = new_app(name)
    simple: Mapping[str, Policy] = {
        "default": Policy(),
        "literal": Policy(origins=LITERALS),
        "single": Policy(origins=("https://only.example",)),
        "regex": Policy(origins=REGEXES),
        "credentials": Policy(origins=LITERALS, credentials=True, expose=("X-Total",)),
        "wildcard": Policy(send_wildcard=True),
        "novary": Policy(origins=LITERALS, vary=False),
        "headers": Policy(
            origins=LITERALS[:2],
            allow_headers=("X-Custom", "content-type", r"x-re-[a-z]+"),
            methods=frozenset({"GET", "PUT"}),
            max_age=600,
        ),
    }
    if name in simple:
        policy = simple[name]
        add_routes(app)
        if name == "default":
            CORS(app)
        else:
            CORS(app, **policy.kwargs())
        return Setup(name, app, control, _everywhere(policy), (policy,))
    if name == "resources":
        add_routes(app)
        api = Policy(origins=LITERALS[:2], max_age=60, tag="api")
        public = Policy(send_wildcard=True, max_age=60, tag="public")
        files = Policy(origins=REGEXES, credentials=True, max_age=60, tag="files")
        opened = Policy(max_age=60, vary=False, tag="open")
        CORS(
            app,
            max_age=60,
            resources={
                "/api/*": api.kwargs(),
                "/api/public/*": public.kwargs(),
                r"/files/[^/]+\.json": files.kwargs(),
                "/open": opened.kwargs(),
            },
        )

        def resolve(path: str, endpoint: str | None) -> Policy | None:
            if _under(path, "/api/public"):
                return public
            if _under(path, "/api"):
                return api
            parts = path.split("/")
            if (
                len(parts) >= 3
                and parts[1] == "files"
                and parts[2].endswith(".json")
                and len(parts[2]) > len(".json")
            ):
                return files
            if path == "/open":  # a literal resource: that path exactly
                return opened
            return None

        return Setup(name, app, control, resolve, (api, public, files, opened))
    if name == "decorated":
        policy = Policy(origins=LITERALS[:2], credentials=True, methods=frozenset({"GET", "POST"}))
        add_routes(app, decorate=cross_origin(**policy.kwargs()))
        return Setup(
            name,
            app,
            control,
            lambda path, endpoint: policy if endpoint == "decorated" else None,
            (policy,),
        )
    raise KeyError(name)


SETUP_NAMES = (
    "default",
    "literal",
    "single",
    "regex",
    "credentials",
    "wildcard",
    "resources",
    "novary",
    "headers",
    "decorated",
)

_SETUPS: dict[str, Setup] = {}


def get_setup(name: str) -> Setup:
    if name not in _SETUPS:
        _SETUPS[name] = build_setup(name)
    return _SETUPS[name]


# --- raw WSGI calls -----------------------------------------------------------------------

_BASE_ENVIRON = EnvironBuilder(path="/", base_url="http://localhost/").get_environ()


def wsgi_path(path: str) -> str:
    """A decoded request path as a WSGI server puts it into ``PATH_INFO``."""
    return path.encode("utf-8").decode("latin-1")


def make_environ(
    path_info: str,
    method: str,
    headers: Mapping[str, str | None],
) -> dict[str, Any]:
    """A WSGI environ with the given raw values; ``None`` header values are left out."""
    environ = dict(_BASE_ENVIRON)
    environ["PATH_INFO"] = path_info
    environ["REQUEST_METHOD"] = method
    environ["QUERY_STRING"] = ""
    for name, value in headers.items():
        if value is not None:
            environ["HTTP_" + name.upper().replace("-", "_")] = value
    return environ


@dataclass
class Result:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def all(self, name: str) -> list[str]:
        return [v for k, v in self.headers if k.lower() == name.lower()]

    def get(self, name: str) -> str | None:
        values = self.all(name)
        return values[0] if values else None

    def cors(self) -> dict[str, str]:
        return {k.lower(): v for k, v in self.headers if k.lower().startswith(CORS_PREFIX)}

    def vary_tokens(self) -> list[str]:
        tokens: list[str] = []
        for value in self.all("Vary"):
            tokens.extend(t.strip().lower() for t in value.split(",") if t.strip())
        return tokens


def call(app: Flask, environ: Mapping[str, Any]) -> Result:
    """Run ``app.wsgi_app`` on a copy of ``environ``; exceptions propagate."""
    captured: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        captured["status"] = status
        captured["headers"] = headers
        return lambda data: None

    iterable = app.wsgi_app(dict(environ), start_response)
    try:
        body = b"".join(iterable)
    finally:
        close = getattr(iterable, "close", None)
        if close is not None:
            close()
    return Result(int(captured["status"].split(" ", 1)[0]), list(captured["headers"]), body)


def routed(app: Flask, environ: Mapping[str, Any]) -> tuple[str, str | None, str]:
    """(request.path, endpoint or None, request.method) as Flask's router sees them."""
    ctx = app.request_context(dict(environ))
    ctx.match_request()
    req = ctx.request
    endpoint = req.url_rule.endpoint if req.url_rule is not None else None
    return req.path, endpoint, req.method


def endpoint_for_method(app: Flask, environ: Mapping[str, Any], method: str) -> str | None:
    """The endpoint of the rule that serves ``method`` at the request's path, or ``None``."""
    from werkzeug.exceptions import HTTPException
    from werkzeug.routing import RequestRedirect

    adapter = app.url_map.bind_to_environ(dict(environ))
    try:
        rule, _args = adapter.match(method=method, return_rule=True)
    except (HTTPException, RequestRedirect):
        return None
    return str(rule.endpoint)


def has_dot_segment(path: str) -> bool:
    """Whether ``path`` has a ``.`` or ``..`` segment, raw or percent-encoded."""
    dots = (".", "..", "%2e", "%2e%2e", ".%2e", "%2e.")
    return any(segment.lower() in dots for segment in path.split("/"))


# --- the app served by real servers in the concurrency tests ------------------------------

ALPHA = Policy(
    origins=("https://a1.alpha.test", "https://a2.alpha.test"),
    credentials=True,
    expose=("X-Alpha",),
    max_age=100,
    methods=frozenset({"GET", "POST"}),
    tag="alpha",
)
BETA = Policy(
    origins=(r"https://[a-z]+\.beta\.test",),
    allow_headers=("x-beta",),
    methods=frozenset({"GET", "PUT", "DELETE"}),
    tag="beta",
)


def concurrency_policy(path: str) -> Policy | None:
    if _under(path, "/alpha"):
        return ALPHA
    if _under(path, "/beta"):
        return BETA
    return None


def concurrency_app() -> Flask:
    """Two resources with different options, and an echo view behind every path."""
    import flask_cors

    app = new_app("concurrency")
    CORS(app, resources={"/alpha/*": ALPHA.kwargs(), "/beta/*": BETA.kwargs()})

    @app.route("/__whoami")
    def whoami() -> str:
        return flask_cors.__file__

    @app.route("/<path:rest>", methods=["GET", "POST", "PUT", "DELETE"])
    def echo(rest: str) -> Response:
        request_id = request.headers.get("X-Req-Id", "")
        response = Response(f"{request_id}|{request.path}", mimetype="text/plain")
        response.headers["X-Echo-Id"] = request_id
        return response

    return app
