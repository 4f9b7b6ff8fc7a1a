"""``origins`` with a function: called with the request's Origin (only a serialized origin
as browsers send it, never ``null``), after the literals and patterns; ``True`` allows it,
anything else denies it, and a failure is logged once and fails closed."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from flask_cors import CORS, CORSConfigError, cross_origin
from flask_cors.grammar import is_serialized_origin, serialize_origin
from flask_cors.lint import collecting
from flask_cors.tools.cli import cors as cors_group

pytestmark = pytest.mark.usefixtures("without_installed_plugins")

LITERAL = "https://app.example.com"
TENANT = "https://t1.tenants.example"
STRANGER = "https://evil.example.net"


class Tenants:
    """An origins function that records every origin it is asked about."""

    def __init__(self, *allowed: str, answer: object = None, error: Exception | None = None):
        self.allowed = frozenset(allowed)
        self.answer = answer
        self.error = error
        self.calls: list[str] = []

    def __call__(self, origin: str) -> Any:
        self.calls.append(origin)
        if self.error is not None:
            raise self.error
        if self.answer is not None:
            return self.answer
        return origin in self.allowed


def tenant_origin(tenants: Tenants) -> Callable[[str], Any]:
    """A plain function around ``tenants`` (named ``module.tenant_origin.<locals>.check``)."""

    def check(origin: str) -> Any:
        return tenants(origin)

    return check


def build_app() -> Flask:
    """An app with ``/api/items`` (GET, PUT) and an index."""
    app = Flask("callable_origins")

    @app.route("/")
    def index() -> str:
        return "index"

    @app.route("/api/items", methods=["GET", "PUT"])
    def items() -> str:
        return "items"

    return app


def send_preflight(
    client: FlaskClient,
    path: str = "/api/items",
    *,
    origin: str,
    request_headers: str | None = None,
) -> Any:
    headers = {"Origin": origin, "Access-Control-Request-Method": "PUT"}
    if request_headers is not None:
        headers["Access-Control-Request-Headers"] = request_headers
    return client.options(path, headers=headers)


def cors_headers_of(response: Any) -> dict[str, str]:
    return {k: v for k, v in response.headers if k.lower().startswith("access-control-")}


def vary_names(response: Any) -> list[str]:
    return [n.strip() for line in response.headers.getlist("Vary") for n in line.split(",")]


def name_of(function: Callable[..., Any]) -> str:
    return f"{function.__module__}.{function.__qualname__}"


def client_with(origins: Any, **options: Any) -> FlaskClient:
    app = build_app()
    CORS(app, origins=origins, **options)
    return app.test_client()


def get(client: FlaskClient, origin: str | None) -> Any:
    return client.get("/api/items", headers={} if origin is None else {"Origin": origin})


def error_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "flask_cors" and r.levelno >= logging.ERROR]


# --- allowed and denied ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("in_list", "origin", "allowed", "asked"),
    [
        (False, TENANT, True, True),
        (False, STRANGER, False, True),
        (False, LITERAL, False, True),
        (True, LITERAL, True, False),  # the literal answers first: the function is not asked
        (True, TENANT, True, True),
        (True, STRANGER, False, True),
        (True, "https://x.partner.example", True, False),  # the glob answers first
    ],
)
def test_function_alone_or_after_literals_and_patterns_decides(in_list, origin, allowed, asked):
    tenants = Tenants(TENANT)
    origins = [LITERAL, "https://*.partner.example", tenants] if in_list else tenants
    client = client_with(origins)

    response = get(client, origin)

    assert response.status_code == 200
    if allowed:
        assert response.headers.getlist("Access-Control-Allow-Origin") == [origin]
    else:
        assert "Access-Control-Allow-Origin" not in response.headers
    assert "Origin" in vary_names(response)
    assert tenants.calls == ([origin] if asked else [])


@pytest.mark.parametrize(
    "origin",
    [
        "null",
        "NULL",
        "https://T1.tenants.example",  # browsers send lower case
        "HTTPS://t1.tenants.example",
        "https://t1.tenants.example:443",  # browsers leave the default port out
        "http://t1.tenants.example:80",
        "https://t1.tenants.example/",
        "https://t1.tenants.example/path",
        "https://t1.tenants.example.",
        "https://t1..tenants.example",
        "https://-t1.tenants.example",
        "https://t1.tenants.example:99999",
        "https://t1.tenants.example:08443",
        "https://user@t1.tenants.example",
        "t1.tenants.example",
        "*",
        "https://*.tenants.example",
        "https://t1.tenants.example,https://t2.tenants.example",
        "https://t1.tenants.example\x00",
        "https://t1.tenants.exämple",
        "https://" + "a" * 64 + ".example",
        "https://" + "a" * 2000 + ".example",
        "http://[::1",
        "http://1.2.3",
    ],
)
def test_function_is_never_asked_about_null_or_a_malformed_origin(origin):
    tenants = Tenants(answer=True)  # it would allow anything it were asked about
    client = client_with(tenants)

    response = get(client, origin)

    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response.headers
    assert "Origin" in vary_names(response)
    assert tenants.calls == []


@pytest.mark.parametrize(
    "origin",
    [
        "http://localhost:5173",
        "http://127.0.0.1:8000",
        "http://[::1]:3000",
        "https://xn--bcher-kva.example",
        "chrome-extension://abcdefghijklmnop",
        "http://t1.tenants.example:0",
    ],
)
def test_function_is_asked_about_every_serialized_origin(origin):
    tenants = Tenants(origin)
    client = client_with(tenants)

    response = get(client, origin)

    assert response.headers.getlist("Access-Control-Allow-Origin") == [origin]
    assert tenants.calls == [origin]


def test_null_listed_next_to_a_function_is_allowed_by_the_literal_alone():
    tenants = Tenants(answer=True)
    client = client_with(["null", tenants])

    response = get(client, "null")

    assert response.headers.getlist("Access-Control-Allow-Origin") == ["null"]
    assert tenants.calls == []


@pytest.mark.parametrize(
    ("where", "how"),
    [
        ("keyword", lambda app, fn: CORS(app, origins=fn)),
        ("resource", lambda app, fn: CORS(app, resources={"/api/*": {"origins": [fn]}})),
        ("config", lambda app, fn: (app.config.update(CORS_ORIGINS=fn), CORS(app))),
        ("config list", lambda app, fn: (app.config.update(CORS_ORIGINS=[fn]), CORS(app))),
    ],
)
def test_function_works_wherever_origins_is_set(where, how):
    tenants = Tenants(TENANT)
    app = build_app()
    how(app, tenant_origin(tenants))
    client = app.test_client()

    assert get(client, TENANT).headers.get("Access-Control-Allow-Origin") == TENANT
    assert "Access-Control-Allow-Origin" not in get(client, STRANGER).headers
    assert tenants.calls == [TENANT, STRANGER]


def test_decorated_view_takes_a_function():
    tenants = Tenants(TENANT)
    app = Flask("decorated")

    @app.route("/tenant", methods=["GET", "PUT"])
    @cross_origin(origins=tenant_origin(tenants), supports_credentials=True)
    def tenant() -> str:
        return "tenant"

    client = app.test_client()
    allowed = client.get("/tenant", headers={"Origin": TENANT})
    denied = client.get("/tenant", headers={"Origin": STRANGER})
    preflight = send_preflight(client, "/tenant", origin=TENANT)

    assert allowed.headers.get("Access-Control-Allow-Origin") == TENANT
    assert allowed.headers.get("Access-Control-Allow-Credentials") == "true"
    assert cors_headers_of(denied) == {}
    assert preflight.headers.get("Access-Control-Allow-Origin") == TENANT
    assert "PUT" in preflight.headers.get("Access-Control-Allow-Methods", "")
    assert all("Origin" in vary_names(r) for r in (allowed, denied, preflight))


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [(TENANT, True), (STRANGER, False), ("null", False), ("https://T1.tenants.example", False)],
)
def test_preflight_is_decided_by_the_function(origin, allowed):
    tenants = Tenants(TENANT)
    client = client_with(tenants)

    response = send_preflight(client, origin=origin, request_headers="Content-Type")

    assert response.status_code == 200
    if allowed:
        assert response.headers.get("Access-Control-Allow-Origin") == TENANT
        assert "PUT" in response.headers["Access-Control-Allow-Methods"]
        assert response.headers.get("Access-Control-Allow-Headers") == "Content-Type"
    else:
        assert cors_headers_of(response) == {}
    assert "Origin" in vary_names(response)
    assert set(tenants.calls) <= {TENANT, STRANGER}


# --- what the answer carries ---------------------------------------------------------------


@pytest.mark.parametrize("send_wildcard", [False, True])
def test_allowed_origin_is_echoed_never_star_and_varies_on_origin(send_wildcard):
    client = client_with(Tenants(TENANT), send_wildcard=send_wildcard)

    allowed = get(client, TENANT)
    without_origin = get(client, None)

    assert allowed.headers.getlist("Access-Control-Allow-Origin") == [TENANT]
    assert "Origin" in vary_names(allowed)
    assert "Access-Control-Allow-Origin" not in without_origin.headers
    assert "Origin" in vary_names(without_origin)


@pytest.mark.parametrize(
    ("origins", "sent"),
    [
        (lambda fn: fn, None),  # a function gives no single origin
        (lambda fn: ["https://b.example", fn, LITERAL], LITERAL),  # the first literal, sorted
    ],
)
def test_always_send_without_origin_sends_only_a_literal(origins, sent):
    tenants = Tenants(answer=True)
    client = client_with(origins(tenants), always_send=True)

    response = get(client, None)

    assert response.headers.get("Access-Control-Allow-Origin") == sent
    assert "Origin" in vary_names(response)
    assert tenants.calls == []


def test_credentials_with_a_function_echo_the_origin_with_credentials():
    client = client_with(Tenants(TENANT), supports_credentials=True)

    response = get(client, TENANT)

    assert response.headers.get("Access-Control-Allow-Origin") == TENANT
    assert response.headers.get("Access-Control-Allow-Credentials") == "true"


# --- failures: fail closed, logged once ----------------------------------------------------


def test_exception_fails_closed_and_is_logged_once(caplog):
    caplog.set_level(logging.DEBUG, logger="flask_cors")
    tenants = Tenants(error=LookupError("tenant store\nis down"))
    check = tenant_origin(tenants)
    client = client_with([LITERAL, check])

    responses = [get(client, TENANT) for _ in range(3)]
    preflight = send_preflight(client, origin=TENANT)
    literal = get(client, LITERAL)

    for response in [*responses, preflight]:
        assert response.status_code == 200
        assert cors_headers_of(response) == {}
        assert "Origin" in vary_names(response)
    assert literal.headers.get("Access-Control-Allow-Origin") == LITERAL
    errors = error_records(caplog)
    assert len(errors) == 1
    message = errors[0].getMessage()
    assert name_of(check) in message
    assert f"'{TENANT}'" in message
    assert "LookupError: tenant store\\nis down" in message  # escaped: one line
    assert errors[0].exc_info is not None  # one traceback, with the first record only
    again = [r for r in caplog.records if "failed again" in r.getMessage()]
    assert again
    assert all(r.levelno == logging.DEBUG and r.exc_info is None for r in again)
    assert "failures so far" in again[-1].getMessage()


@pytest.mark.parametrize("answer", [None, 1, "yes", [TENANT], 0])
def test_answer_that_is_not_a_bool_denies_and_is_logged_once(caplog, answer):
    caplog.set_level(logging.DEBUG, logger="flask_cors")

    def sloppy(origin: str) -> Any:
        return answer

    client = client_with(sloppy)

    responses = [get(client, TENANT) for _ in range(3)]

    assert all(cors_headers_of(r) == {} for r in responses)
    assert all("Origin" in vary_names(r) for r in responses)
    errors = error_records(caplog)
    assert len(errors) == 1
    assert name_of(sloppy) in errors[0].getMessage()
    assert "not True or False" in errors[0].getMessage()
    assert errors[0].exc_info is None


def test_function_listed_by_several_resources_is_reported_once(caplog):
    caplog.set_level(logging.WARNING, logger="flask_cors")
    check = tenant_origin(Tenants(error=RuntimeError("down")))
    app = build_app()
    CORS(app, resources={"/api/*": {"origins": check}, "/*": {"origins": [check]}})
    client = app.test_client()

    client.get("/api/items", headers={"Origin": TENANT})
    client.get("/", headers={"Origin": TENANT})

    assert len(error_records(caplog)) == 1


def test_failing_function_never_logs_above_debug_for_null_or_literals(caplog):
    caplog.set_level(logging.DEBUG, logger="flask_cors")
    tenants = Tenants(error=RuntimeError("down"))
    client = client_with([LITERAL, tenants])

    get(client, "null")
    get(client, LITERAL)

    assert error_records(caplog) == []
    assert tenants.calls == []


# --- start-up --------------------------------------------------------------------------------


async def async_origin(origin: str) -> bool:
    await asyncio.sleep(0)
    return True


def no_argument() -> bool:
    return True


@pytest.mark.parametrize(
    ("origins", "says"),
    [
        (["*", lambda origin: True], "would never be called"),
        (async_origin, "coroutine function"),
        (no_argument, "cannot be called with one argument"),
        ([LITERAL, lambda a, b: True], "cannot be called with one argument"),
    ],
)
def test_unusable_function_fails_at_start_up_naming_origins(origins, says):
    with pytest.raises(CORSConfigError, match=says) as caught:
        CORS(build_app(), origins=origins)
    assert caught.value.option == "origins"


def test_decorator_with_unusable_function_fails_where_it_is_written():
    with pytest.raises(CORSConfigError, match="cannot be called with one argument"):
        cross_origin(origins=no_argument)(lambda: "view")


@pytest.mark.parametrize(
    "function",
    [
        frozenset({TENANT}).__contains__,
        Tenants(TENANT),
        lambda origin, *rest: origin == TENANT,
    ],
    ids=["bound built-in", "callable object", "extra optional arguments"],
)
def test_any_callable_of_one_argument_is_taken(function):
    client = client_with([LITERAL, function])

    assert get(client, TENANT).headers.get("Access-Control-Allow-Origin") == TENANT


# --- the lint, flask cors routes and explain ----------------------------------------------


def findings_of(**options: Any) -> list[Any]:
    app = build_app()
    with collecting():
        CORS(app, **options)
    return list(app.extensions["cors"].linter.findings)


@pytest.mark.parametrize("supports_credentials", [False, True])
def test_lint_says_it_cannot_probe_the_function(supports_credentials):
    check = tenant_origin(Tenants())

    found = findings_of(origins=[LITERAL, check], supports_credentials=supports_credentials)

    assert [f.id for f in found] == ["origin-callable"]  # no credentials-any-origin
    assert found[0].severity == "info"
    assert name_of(check) in found[0].problem
    assert ("credentialed" in found[0].problem) is supports_credentials


def test_lint_strict_app_with_a_function_starts():
    app = build_app()
    CORS(app, origins=tenant_origin(Tenants(TENANT)), supports_credentials=True, lint_strict=True)

    assert get(app.test_client(), TENANT).headers.get("Access-Control-Allow-Origin") == TENANT


def routes_app(check: Callable[[str], Any]) -> Flask:
    app = build_app()
    CORS(app, resources={"/api/*": {"origins": [LITERAL, check]}})
    return app


def test_routes_names_the_function_by_its_qualified_name():
    check = tenant_origin(Tenants())
    app = routes_app(check)

    text = app.test_cli_runner().invoke(cors_group, ["routes"])
    document = app.test_cli_runner().invoke(cors_group, ["routes", "--format", "json"])

    assert text.exit_code == 0, text.output
    assert f"{LITERAL}, fn:{name_of(check)}" in text.output
    route = next(r for r in json.loads(document.output)["routes"] if r["rule"] == "/api/items")
    assert route["options"]["origins"]["value"] == [LITERAL, f"fn:{name_of(check)}"]


@pytest.mark.parametrize(
    ("origin", "tenants", "says", "allowed"),
    [
        (TENANT, Tenants(TENANT), "answered by the origins function", True),
        (STRANGER, Tenants(TENANT), "answered by the origins function", False),
        (LITERAL, Tenants(), "a literal or pattern of origins answered; the function", True),
        ("null", Tenants(), "is never asked", False),
        (TENANT, Tenants(error=RuntimeError("down")), "raised or answered no bool", False),
    ],
)
def test_explain_names_the_function_and_what_it_decided(origin, tenants, says, allowed, caplog):
    check = tenant_origin(tenants)
    app = routes_app(check)

    result = app.test_cli_runner().invoke(cors_group, ["explain", "/api/items", "--origin", origin])

    origin_line = next(line for line in result.output.splitlines() if line.startswith("Origin:"))
    assert name_of(check) in origin_line
    assert says in origin_line
    assert ("Verdict: allowed" in result.output) is allowed
    if not allowed and origin == STRANGER:
        assert f"or have the origins function {name_of(check)} allow it" in result.output


# --- the grammar's check --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "https://a.example",
        "http://localhost:5173",
        "http://localhost:80",
        "https://a.example:443",
        "https://a.example:8443",
        "ws://a.example:80",
        "http://a.example:0",
        "http://a.example:00",
        "http://a.example:65535",
        "http://a.example:65536",
        "http://1.2.3.4",
        "http://1.2.3.4:8080",
        "http://01.2.3.4",
        "http://1.2.3",
        "http://[::1]:3000",
        "http://[0:0::1]",
        "null",
        "https://A.example",
        "HTTPS://a.example",
        "chrome-extension://abc",
        "https://a..b",
        "https://-a.b",
        "https://a-.b",
        "https://" + "a" * 63 + ".b",
        "https://" + "a" * 64 + ".b",
        "https://" + ".".join(["a" * 60] * 4),
        "https://" + ".".join(["a" * 60] * 5),
        "https://xn--bcher-kva.example",
        "https://bücher.example",
        "https://a.example/",
        "https://a.example.",
        "https://a_b.example",
        "http+x://a.example",
        "1.example",
        "",
    ],
)
def test_is_serialized_origin_agrees_with_serialize_origin(text):
    assert is_serialized_origin(text) == (serialize_origin(text) == text)


@pytest.mark.parametrize(("origin", "status"), [(TENANT, 200), (STRANGER, 403), ("null", 403)])
def test_cross_origin_protection_lets_through_what_the_function_allows(origin, status):
    tenants = Tenants(TENANT)
    client = client_with(tenants, cross_origin_protection=True)

    response = client.put("/api/items", headers={"Origin": origin, "Sec-Fetch-Site": "cross-site"})

    assert response.status_code == status
    assert "null" not in tenants.calls
