"""Every behavioural statement of docs/configuration.md, docs/decorator.md and
docs/blueprints.md, checked through the test client.

``STATEMENTS`` is a table, one row per statement: the page, the section heading, the words of
the statement as the page writes them, and the check that makes it true. A test id names the
page and the section (``configuration.md::supports_credentials::...``). The words must be
found in that section: a reworded statement fails here until its check has been looked at
again. Every section of the three pages has rows, or says in ``NO_STATEMENTS`` why not.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import logging
import re
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest
from flask import Blueprint, Flask, abort, request
from flask.testing import FlaskClient
from werkzeug.middleware.proxy_fix import ProxyFix

import flask_cors
from flask_cors import CORS, CORSConfigError, cross_origin
from flask_cors.lint import LOG_RECORD_ATTRIBUTE, CORSLintError, Finding, collecting
from flask_cors.tools.cli import cors as cors_commands

pytestmark = pytest.mark.usefixtures("without_installed_plugins")

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = ("configuration.md", "decorator.md", "blueprints.md")

ORIGIN = "https://app.example.com"
OTHER = "https://other.example"


# --- apps and requests ----------------------------------------------------------------------


def new_app(name: str = "documented") -> Flask:
    """An app serving every path (GET, POST, PUT, DELETE, PATCH) through one catch-all view."""
    app = Flask(name)
    methods = ["GET", "POST", "PUT", "DELETE", "PATCH"]

    @app.route("/", defaults={"path": ""}, methods=methods)
    @app.route("/<path:path>", methods=methods)
    def anything(path: str) -> str:
        return f"served {path}"

    return app


def client_of(**kwargs: Any) -> FlaskClient:
    app = new_app()
    CORS(app, **kwargs)
    return app.test_client()


def get(client: FlaskClient, path: str = "/", origin: str | None = ORIGIN) -> Any:
    return client.get(path, headers={"Origin": origin} if origin else {})


def preflight(
    client: FlaskClient, path: str = "/", origin: str = ORIGIN, method: str = "PUT", **extra: str
) -> Any:
    headers = {"Origin": origin, "Access-Control-Request-Method": method}
    headers.update({name.replace("_", "-"): value for name, value in extra.items()})
    return client.options(path, headers=headers)


def allowed(response: Any, origin: str = ORIGIN) -> bool:
    return bool(response.headers.get("Access-Control-Allow-Origin") == origin)


def vary(response: Any) -> list[str]:
    return [v.strip() for line in response.headers.getlist("Vary") for v in line.split(",")]


def allows_origin(origins: Any, origin: str, **kwargs: Any) -> bool:
    return allowed(get(client_of(origins=origins, **kwargs), origin=origin), origin)


def covered(resources: Any, path: str, app: Flask | None = None, **kwargs: Any) -> bool:
    """Whether ``path`` gets CORS headers with these ``resources``."""
    app = app or new_app()
    CORS(app, resources=resources, **kwargs)
    return allowed(get(app.test_client(), path))


def raises_config_error(make: Callable[[], object], option: str | None = None) -> str:
    with pytest.raises(CORSConfigError) as caught:
        make()
    if option is not None:
        assert caught.value.option == option, caught.value
    return str(caught.value)


def load_example(name: str) -> ModuleType:
    path = ROOT / "examples" / name
    spec = importlib.util.spec_from_file_location(f"documented_{path.stem}", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def ctx(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> SimpleNamespace:
    """What a check may need besides the test client."""
    caplog.set_level(logging.DEBUG, logger="flask_cors")

    def findings() -> list[Finding]:
        return [
            getattr(r, LOG_RECORD_ATTRIBUTE)
            for r in caplog.records
            if hasattr(r, LOG_RECORD_ATTRIBUTE)
        ]

    return SimpleNamespace(
        caplog=caplog, monkeypatch=monkeypatch, tmp_path=tmp_path, findings=findings
    )


# --- configuration.md -----------------------------------------------------------------------


def options_come_from_the_first_place_that_sets_them(ctx: Any) -> None:
    app = new_app()
    app.config["CORS_MAX_AGE"] = 1
    CORS(app, max_age=2, resources={"/a/*": {"max_age": 3}, "/b/*": {}})
    client = app.test_client()
    assert preflight(client, "/a/x").headers["Access-Control-Max-Age"] == "3"
    assert preflight(client, "/b/x").headers["Access-Control-Max-Age"] == "2"
    configured = new_app()
    configured.config["CORS_MAX_AGE"] = 1
    CORS(configured)
    assert preflight(configured.test_client()).headers["Access-Control-Max-Age"] == "1"
    assert "Access-Control-Max-Age" not in preflight(client_of()).headers


def decorated_view_uses_its_arguments_then_config_then_defaults(ctx: Any) -> None:
    app = Flask("decorated")
    app.config["CORS_MAX_AGE"] = 5
    app.config["CORS_EXPOSE_HEADERS"] = ["X-Config"]

    @app.get("/v")
    @cross_origin(max_age=7)
    def view() -> str:
        return "v"

    CORS(app, expose_headers=["X-Keyword"], resources={"/v": {"origins": OTHER}})
    client = app.test_client()
    assert preflight(client, "/v", method="GET").headers["Access-Control-Max-Age"] == "7"
    actual = get(client, "/v")
    assert allowed(actual)  # the resource's origins do not apply: the default, any origin
    assert actual.headers["Access-Control-Expose-Headers"] == "X-Config"


def configuration_is_read_once_at_start_up(ctx: Any) -> None:
    app = new_app()
    app.config["CORS_ORIGINS"] = [ORIGIN]
    CORS(app)
    app.config["CORS_ORIGINS"] = [OTHER]  # too late: nothing is read per request
    client = app.test_client()
    assert allowed(get(client))
    assert not allowed(get(client, origin=OTHER), OTHER)
    raises_config_error(lambda: cross_origin(max_age="soon")(lambda: "v"), "max_age")


def decorated_view_is_checked_against_the_config_at_cors_app(ctx: Any) -> None:
    app = Flask("refused")
    app.config["CORS_SUPPORTS_CREDENTIALS"] = True

    @app.get("/v")
    @cross_origin(origins="*", send_wildcard=True)
    def view() -> str:
        return "v"

    raises_config_error(lambda: CORS(app))


def decorated_view_without_cors_app_is_checked_on_first_request(ctx: Any) -> None:
    app = Flask("late")
    app.config["CORS_SUPPORTS_CREDENTIALS"] = True

    @app.get("/v")
    @cross_origin(origins="*", send_wildcard=True)
    def view() -> str:
        return "v"

    client = app.test_client()
    responses = [get(client, "/v") for _ in range(3)]
    assert [r.status_code for r in responses] == [200, 200, 200]
    assert not any("Access-Control-Allow-Origin" in r.headers for r in responses)
    errors = [r for r in ctx.caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1
    assert "send_wildcard" in errors[0].getMessage()


def wrong_type_or_value_names_option_and_source(ctx: Any) -> None:
    message = raises_config_error(lambda: CORS(new_app(), max_age="soon"), "max_age")
    assert "keyword arguments to CORS()" in message
    app = new_app()
    app.config["CORS_METHODS"] = 5
    assert "app config CORS_METHODS" in raises_config_error(lambda: CORS(app), "methods")
    resource = raises_config_error(
        lambda: CORS(new_app(), resources={"/api/*": {"max_age": -1}}), "max_age"
    )
    assert "resources['/api/*']" in resource


def misspelt_option_is_a_finding_not_an_error(ctx: Any) -> None:
    """Issue 19 item 1: a misspelt option is ignored (any origin stays allowed) and logged."""
    client = client_of(orgins=[ORIGIN])
    assert allowed(get(client, origin=OTHER), OTHER)
    app = new_app()
    app.config["CORS_ALLOWED_HEADERS"] = ["X-Token"]
    CORS(app)
    unknown = [f for f in ctx.findings() if f.id == "unknown-option"]
    assert [f.option for f in unknown] == ["orgins", "CORS_ALLOWED_HEADERS"]
    assert "did you mean 'origins'?" in unknown[0].fix
    with pytest.raises(CORSLintError, match="unknown-option"):
        CORS(new_app(), orgins=[ORIGIN], lint_strict=True)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        *[(word, True) for word in ("true", "yes", "on", "1", "TRUE", " Yes ")],
        *[(word, False) for word in ("false", "no", "off", "0", "FALSE", " Off ")],
    ],
)
def test_boolean_strings_are_read_as_meant(text: str, value: bool) -> None:
    """configuration.md, "How values are read": boolean strings (issue 19 item 1)."""
    response = get(client_of(vary_header=text, origins=[ORIGIN]))
    assert ("Origin" in vary(response)) is value
    app = new_app()
    app.config["CORS_SUPPORTS_CREDENTIALS"] = text
    CORS(app, origins=[ORIGIN])
    credentialed = get(app.test_client()).headers.get("Access-Control-Allow-Credentials")
    assert (credentialed == "true") is value


@pytest.mark.parametrize("value", ["maybe", "", None, 1, 0, 1.0])
def test_other_boolean_values_are_config_errors(value: object) -> None:
    """configuration.md, "How values are read": any other value is a CORSConfigError."""
    raises_config_error(lambda: CORS(new_app(), vary_header=value), "vary_header")
    raises_config_error(lambda: CORS(new_app(), trace_hooks=value), "trace_hooks")


def app_settings_read_booleans_the_same_way(ctx: Any) -> None:
    app = new_app()
    app.config["CORS_LINT_STRICT"] = "yes"
    with pytest.raises(CORSLintError):
        CORS(app, supports_credentials=True)
    vary_off = get(client_of(origins=[ORIGIN], vary_header="no"))
    assert allowed(vary_off)
    assert "Vary" not in vary_off.headers


def comma_strings_are_split(ctx: Any) -> None:
    client = client_of(methods="GET, POST,", expose_headers="X-A, ,X-B")
    answer = preflight(client, method="POST")
    assert answer.headers["Access-Control-Allow-Methods"] == "GET, POST"
    assert "Access-Control-Allow-Methods" not in preflight(client, method="PUT").headers
    assert get(client).headers["Access-Control-Expose-Headers"] == "X-A, X-B"
    app = new_app()
    CORS(
        app,
        supports_credentials=True,
        max_age=90000,
        lint_ignore="credentials-any-origin, max-age-capped",
        blocked_plugins="vary, ",
    )
    state = app.extensions["cors"]
    assert {f.id for f in state.linter.ignored} == {"credentials-any-origin", "max-age-capped"}
    assert "vary" not in registered(app)


def allow_headers_and_origins_split_only_without_regex_characters(ctx: Any) -> None:
    listed = client_of(allow_headers="Content-Type, X-Token")
    answer = preflight(listed, Access_Control_Request_Headers="content-type,x-token")
    assert answer.headers["Access-Control-Allow-Headers"] == "content-type, x-token"
    pattern = client_of(allow_headers="X-(A|B), *")  # one regex: not split, not "any"
    refused = preflight(pattern, Access_Control_Request_Headers="x-a,x-other")
    assert "Access-Control-Allow-Headers" not in refused.headers
    assert allows_origin(f"{ORIGIN}, {OTHER}", OTHER)
    assert allows_origin(r"https://app\.example\.com|https://other\.example", OTHER)


# resources


def resources_accepts_dict_list_string_and_pattern(ctx: Any) -> None:
    assert covered({"/api/*": {}}, "/api/x")
    assert covered(["/a/*", "/api/*"], "/api/x")
    assert covered("/api/*", "/api/x")
    assert covered(re.compile(r"/api/.*"), "/api/x")
    assert not covered("/api/*", "/other")
    assert allowed(get(client_of(), "/any/path"))  # the default: every path
    app = new_app()
    app.config["CORS_RESOURCES"] = {"/api/*": {}}
    CORS(app)
    assert allowed(get(app.test_client(), "/api/x"))
    assert not allowed(get(app.test_client(), "/other"))


def resources_is_not_an_option_of_a_resource_or_the_decorator(ctx: Any) -> None:
    CORS(new_app(), resources={"/api/*": {"resources": "/other"}})

    @cross_origin(resources="/x")  # type: ignore[call-arg]
    def view() -> str:
        return "v"

    app = Flask("view")
    app.add_url_rule("/v", "v", view)
    CORS(app, resources=[])
    assert [f.option for f in ctx.findings() if f.id == "unknown-option"] == [
        "resources",
        "resources",
    ]


def resource_patterns_see_the_routed_path(ctx: Any) -> None:
    assert covered(["/x y"], "/x%20y")  # percent-decoded once
    assert not covered(["/x%20y"], "/x%20y")
    assert covered(["/a+b"], "/a+b")  # + kept as +
    assert not covered(["/a b"], "/a+b")
    assert not covered(["/API/*"], "/api/x")  # case-sensitive
    assert covered(["/API/*"], "/API/x")


@pytest.mark.parametrize(
    ("pattern", "path", "is_covered"),
    [
        ("/api/*", "/api", True),
        ("/api/*", "/api/x/y", True),
        ("/api/*", "/apiary", False),
        ("/api/.*", "/api", True),
        ("/api/.*", "/apiary", False),
        (r"/api/v[0-9]/", "/api/v1/anything/below", True),
        (r"/api/v[0-9]/", "/api/v1", False),
        (r"/api\/admin\/.*", "/api/admin/x", True),
        (r"/api\/admin\/.*", "/api/admin", True),
        (r"/api\/admin\/.*", "/api/administrator", False),
        ("/api/v1.0", "/api/v1.0", True),
        ("/api/v1.0", "/api/v1x0", False),
        ("/api/", "/api/", True),
        ("/api/", "/api/x", False),
        ("/a+b|c", "/a+b|c", True),
        ("*", "/any/thing", True),
        ("", "/any/thing", True),
    ],
)
def test_resource_pattern_covers(pattern: str, path: str, is_covered: bool) -> None:
    """configuration.md, "resources": patterns start at the beginning of the path and end on
    a segment boundary; strings without regex characters are literal paths."""
    assert covered([pattern], path) is is_covered


@pytest.mark.re2
def test_resource_boundary_is_the_same_on_re2() -> None:
    """configuration.md, "resources": the rule is the same whichever engine runs a pattern."""
    costly = "/api/.*/.*/.*/export"  # run on RE2 (its matching time could explode on re)
    assert covered([costly], "/api/a/b/c/export")
    assert covered([costly], "/api/a/b/c/export/x")
    assert not covered([costly], "/api/a/b/c/exports")


def most_specific_resource_wins(ctx: Any) -> None:
    def origin_for(resources: dict[str, Any], path: str) -> str | None:
        app = new_app()
        CORS(app, resources=resources)
        client = app.test_client()
        for origin in (ORIGIN, OTHER):
            if allowed(get(client, path, origin), origin):
                return origin
        return None

    longer = {"/api/*": {"origins": OTHER}, "/api/admin/*": {"origins": ORIGIN}}
    assert origin_for(longer, "/api/admin/x") == ORIGIN
    literal = {"/api/.*": {"origins": OTHER}, "/api": {"origins": ORIGIN}}
    assert origin_for(literal, "/api") == ORIGIN
    declared = {r"/api/(a|b)": {"origins": ORIGIN}, r"/api/(a|c)": {"origins": OTHER}}
    assert origin_for(declared, "/api/a") == ORIGIN
    declared_other_way = {r"/api/(a|c)": {"origins": OTHER}, r"/api/(a|b)": {"origins": ORIGIN}}
    assert origin_for(declared_other_way, "/api/a") == OTHER


def list_of_patterns_share_keyword_config_and_defaults(ctx: Any) -> None:
    app = new_app()
    app.config["CORS_MAX_AGE"] = 60
    CORS(app, resources=["/a/*", "/b/*"], origins=[ORIGIN])
    client = app.test_client()
    for path in ("/a/x", "/b/x"):
        answer = preflight(client, path)
        assert allowed(answer)
        assert answer.headers["Access-Control-Max-Age"] == "60"
        assert not allowed(get(client, path, OTHER), OTHER)


def routed_app() -> Flask:
    app = Flask("routed")
    app.url_map.strict_slashes = False
    for rule in ("/api/admin/users", "/api/teams/", "/items/<int:n>", "/f/<float:x>"):
        app.add_url_rule(rule, rule, lambda **kwargs: "routed")
    app.add_url_rule("/u/<uuid:u>", "u", lambda u: "routed")
    app.add_url_rule("/docs/<name>/", "docs", lambda name: "routed", strict_slashes=True)
    return app


@pytest.mark.parametrize(
    ("resource", "path", "is_covered"),
    [
        ("/api/admin/users", "/api/admin/users/", True),
        ("/api/admin/users/", "/api/admin/users/", False),
        ("/api/admin/users/", "/api/admin/users", False),
        ("/api/teams/", "/api/teams", True),
        ("/items/7", "/items/007", True),
        ("/items/3", "/items/%D9%A3", True),
        ("/items/007", "/items/007", False),
        ("/f/1.5", "/f/1.50", True),
        ("/u/" + str(uuid.UUID(int=10)), "/u/" + str(uuid.UUID(int=10)).upper(), True),
        ("/docs/x/", "/docs/x/", True),
        ("/docs/x", "/docs/x/", False),
        ("/not/routed/", "/not/routed/", True),
        ("/not/routed", "/not/routed/", False),
    ],
)
def test_one_route_one_policy(resource: str, path: str, is_covered: bool) -> None:
    """configuration.md, "resources": every spelling a rule serves is matched as the rule
    spells it; a path no route serves is matched as it is."""
    app = routed_app()
    CORS(app, resources=[resource])
    response = get(app.test_client(), path)
    assert allowed(response) is is_covered, response.status_code


# origins


@pytest.mark.parametrize(
    ("origins", "origin", "is_allowed"),
    [
        ("*", "https://anyone.example", True),
        ("https://App.Example.com", ORIGIN, True),
        ("http://[::1]:3000", "http://[::1]:3000", True),
        ("https://bücher.example", "https://xn--bcher-kva.example", True),
        ("null", "null", True),
        (f"{ORIGIN}/", ORIGIN, False),
        ("https://*.example.com", "https://a.b.example.com", True),
        ("https://*.example.com", "https://example.com", False),
        ("https://*.example.com", "https://evilexample.com", False),
        ("http://localhost:*", "http://localhost", True),
        ("http://localhost:*", "http://localhost:5173", True),
        ("https://*.github.io", "https://me.github.io", False),
        ("https://*.co.uk", "https://shop.co.uk", False),
        ("https://*.168.1.1", "https://192.168.1.1", False),
        ("http://127.0.0.1:*", "http://127.0.0.1:8080", True),
        ("https://*.*.example.com", "https://a.b.example.com", False),
        ("https://*.example.*", "https://a.example.com", False),
        ("https://*.example.com.", "https://a.example.com.", False),
        (r"https://[a-z]+\.example\.com", "https://a.example.com", True),
        (r"https://[a-z]+\.example\.com", "https://A.EXAMPLE.COM", True),
        (r"https://[a-z]+\.example\.com", "https://a.example.com.evil.net", False),
        (r"http[s]?://(localhost|127\.0\.0\.1):*", "http://localhost:5100", True),
        (r"http[s]?://(localhost|127\.0\.0\.1):*", "http://127.0.0.1", True),
        (r"http[s]?://(localhost|127\.0\.0\.1):*", "http://localhostx", False),
        (r"http[s]?://(localhost|127\.0\.0\.1):*", "http://evil.net:5100", False),
    ],
)
def test_origin_grammar(origins: str, origin: str, is_allowed: bool) -> None:
    """configuration.md, "origins": literal, glob, broken glob and regex, in that order."""
    assert allows_origin([origins], origin) is is_allowed


def broken_globs_are_reported(ctx: Any) -> None:
    CORS(new_app(), origins=["https://*.*.example.com"])
    assert "origin-glob-broken" in {f.id for f in ctx.findings()}
    with pytest.raises(CORSLintError, match="origin-glob-broken"):
        CORS(new_app(), origins=["https://*.github.io"], lint_strict=True)
    CORS(new_app(), origins=[r"http://(localhost|127\.0\.0\.1):*"])
    assert "origin-regex-any-port" in {f.id for f in ctx.findings()}


def literal_with_whitespace_is_an_error_and_commas_make_a_list(ctx: Any) -> None:
    raises_config_error(lambda: CORS(new_app(), origins=["https://a .example"]), "origins")
    raises_config_error(lambda: CORS(new_app(), origins=["https://a\x07.example"]), "origins")
    app = new_app()
    app.config["CORS_ORIGINS"] = f"{ORIGIN},{OTHER}"
    CORS(app)
    assert allowed(get(app.test_client(), origin=OTHER), OTHER)
    assert "origins-comma-string" in {f.id for f in ctx.findings()}


def allowed_origin_is_sent_back_as_sent(ctx: Any) -> None:
    client = client_of(origins=["https://app.EXAMPLE.com"])
    assert get(client, origin=ORIGIN).headers["Access-Control-Allow-Origin"] == ORIGIN


# methods


def methods_are_upper_cased_tokens_matched_exactly(ctx: Any) -> None:
    client = client_of(methods=["get", "patch"])
    assert preflight(client, method="PATCH").headers["Access-Control-Allow-Methods"] == (
        "GET, PATCH"
    )
    lower = preflight(client, method="patch")
    assert allowed(lower)
    assert "Access-Control-Allow-Methods" not in lower.headers
    raises_config_error(lambda: CORS(new_app(), methods=["GET POST"]), "methods")
    default = preflight(client_of(), method="DELETE").headers["Access-Control-Allow-Methods"]
    assert default == "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT"
    raises_config_error(lambda: CORS(new_app(), methods="*"), "methods")


# allow_headers


def allow_headers_answers_the_allowed_requested_names(ctx: Any) -> None:
    client = client_of(allow_headers=["Content-Type", r"X-Custom-\d+"])
    answer = preflight(client, Access_Control_Request_Headers="content-type,x-custom-12,x-no")
    assert answer.headers["Access-Control-Allow-Headers"] == "content-type, x-custom-12"
    whole = preflight(client, Access_Control_Request_Headers="x-custom-12x")
    assert "Access-Control-Allow-Headers" not in whole.headers  # the regex must match it all
    echoed = preflight(
        client_of(origins=[ORIGIN], supports_credentials=True),
        Access_Control_Request_Headers="x-anything,x-more",
    )
    assert echoed.headers["Access-Control-Allow-Headers"] == "x-anything, x-more"
    cased = preflight(
        client_of(allow_headers=["x-token"]), Access_Control_Request_Headers="X-Token"
    )
    assert cased.headers["Access-Control-Allow-Headers"] == "X-Token"


# expose_headers


def expose_headers_on_allowed_responses(ctx: Any) -> None:
    client = client_of(origins=[ORIGIN], expose_headers=["X-Total", "x-total", "X-Page"])
    exposed = get(client).headers["Access-Control-Expose-Headers"].split(", ")
    assert sorted(exposed) == ["X-Page", "X-Total"]
    assert "Access-Control-Expose-Headers" not in get(client, origin=OTHER).headers
    assert preflight(client).headers["Access-Control-Expose-Headers"]
    raises_config_error(lambda: CORS(new_app(), expose_headers=["X Total"]), "expose_headers")
    assert "Access-Control-Expose-Headers" not in get(client_of()).headers  # default: None


# supports_credentials


def credentials_header_on_allowed_responses_and_preflights(ctx: Any) -> None:
    client = client_of(origins=[ORIGIN], supports_credentials=True)
    assert get(client).headers["Access-Control-Allow-Credentials"] == "true"
    assert preflight(client).headers["Access-Control-Allow-Credentials"] == "true"
    assert "Access-Control-Allow-Credentials" not in get(client, origin=OTHER).headers
    assert "Access-Control-Allow-Credentials" not in get(client_of()).headers  # default: off


def credentials_with_any_origin_reflect_it_and_are_a_finding(ctx: Any) -> None:
    client = client_of(supports_credentials=True)
    assert allowed(get(client, origin=OTHER), OTHER)
    assert [f.id for f in ctx.findings()] == ["credentials-any-origin"]
    with pytest.raises(CORSLintError, match="credentials-any-origin"):
        CORS(new_app(), supports_credentials=True, lint_strict=True)
    raises_config_error(lambda: CORS(new_app(), supports_credentials=True, send_wildcard=True))


# max_age


def max_age_values(ctx: Any) -> None:
    for value, sent in [(600, "600"), ("600", "600"), (timedelta(minutes=2), "120"), (0, "0")]:
        assert preflight(client_of(max_age=value)).headers["Access-Control-Max-Age"] == sent
    assert "Access-Control-Max-Age" not in preflight(client_of(max_age=None)).headers
    for wrong in (-1, "ten", timedelta(seconds=1.5), True):
        raises_config_error(lambda wrong=wrong: CORS(new_app(), max_age=wrong), "max_age")


# send_wildcard


def send_wildcard_sends_a_star_the_same_for_everyone(ctx: Any) -> None:
    client = client_of(origins="*", send_wildcard=True)
    for response in (get(client), get(client, origin=OTHER), get(client, origin=None)):
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert "Origin" not in vary(response)


# vary_header


def vary_on_every_response_that_depends_on_the_origin(ctx: Any) -> None:
    app = new_app()

    @app.after_request
    def existing(response: Any) -> Any:
        response.headers["Vary"] = "Accept-Encoding, origin"
        return response

    CORS(app, origins=[ORIGIN])
    client = app.test_client()
    for response in (get(client), get(client, origin=OTHER), get(client, origin=None)):
        assert vary(response) == ["Accept-Encoding", "origin"]  # kept, not added twice
    plain = client_of(origins=[ORIGIN])
    for response in (get(plain), get(plain, origin=OTHER), get(plain, origin=None)):
        assert vary(response) == ["Origin"]
    assert vary(preflight(plain)) == [
        "Origin",
        "Access-Control-Request-Method",
        "Access-Control-Request-Headers",
    ]
    off = client_of(origins=[ORIGIN], vary_header=False)
    assert "Vary" not in get(off).headers
    assert "Vary" not in preflight(off).headers


# automatic_options


def protected_app(**kwargs: Any) -> Flask:
    app = Flask("protected")

    @app.before_request
    def authenticate() -> Any:
        if "Authorization" not in request.headers:
            abort(401)
        return None

    @app.get("/api/items")  # no OPTIONS listed by the view
    def items() -> str:
        return "items"

    @app.delete("/api/items")
    def delete_items() -> str:
        return "deleted"

    CORS(app, origins=[ORIGIN], **kwargs)
    return app


def allowed_preflights_are_answered_before_the_app(ctx: Any) -> None:
    client = protected_app().test_client()
    answer = preflight(client, "/api/items", method="DELETE")
    assert answer.status_code == 200
    assert answer.data == b""
    assert allowed(answer)
    assert answer.headers["Access-Control-Allow-Methods"]
    refused = preflight(client, "/api/items", origin=OTHER, method="DELETE")
    assert refused.status_code == 401  # not allowed: through the app like any request


def middleware_before_cors_turns_answering_in_front_off(ctx: Any) -> None:
    app = Flask("wrapped")

    @app.before_request
    def authenticate() -> Any:
        abort(401)

    @app.get("/api/items")
    def items() -> str:
        return "items"

    app.wsgi_app = ProxyFix(app.wsgi_app)  # type: ignore[method-assign]
    CORS(app, origins=[ORIGIN])
    assert preflight(app.test_client(), "/api/items", method="GET").status_code == 401
    warnings = [r for r in ctx.caplog.records if r.levelno == logging.WARNING]
    assert any("ProxyFix" in r.getMessage() or "wsgi_app" in r.getMessage() for r in warnings)


def preflight_is_judged_by_the_route_serving_the_method(ctx: Any) -> None:
    app = Flask("two_views")

    @app.get("/doc")
    @cross_origin(origins=[OTHER])
    def read() -> str:
        return "doc"

    @app.delete("/doc")
    @cross_origin(origins=[ORIGIN])
    def delete() -> str:
        return "deleted"

    client = app.test_client()
    assert allowed(preflight(client, "/doc", method="DELETE"))
    assert not allowed(preflight(client, "/doc", origin=OTHER, method="DELETE"), OTHER)
    # No route serves PUT at /doc: through the app, judged by the route serving the path.
    unrouted = preflight(client, "/doc", origin=OTHER, method="PUT")
    assert allowed(unrouted, OTHER)
    assert "Access-Control-Allow-Methods" in unrouted.headers


def automatic_options_off_sends_preflights_through_the_app(ctx: Any) -> None:
    client = protected_app(automatic_options=False).test_client()
    assert preflight(client, "/api/items", method="GET").status_code == 401
    app = Flask("own_options")

    @app.route("/api/items", methods=["GET", "OPTIONS"])
    def items() -> Any:
        return ("own answer", 203) if request.method == "OPTIONS" else "items"

    CORS(app, origins=[ORIGIN], automatic_options=False)
    answer = preflight(app.test_client(), "/api/items", method="GET")
    assert (answer.status_code, answer.data) == (203, b"own answer")
    assert allowed(answer)


def route_listing_options_answers_its_own_preflights(ctx: Any) -> None:
    app = Flask("options_view")

    @app.route("/doc", methods=["OPTIONS"])
    def options() -> Any:
        return "", 204

    @app.delete("/doc")
    def delete() -> str:
        return "deleted"

    CORS(app, resources={"/doc": {"origins": [ORIGIN], "methods": ["DELETE"]}})
    answer = preflight(app.test_client(), "/doc", method="DELETE")
    assert answer.status_code == 204
    assert answer.headers["Access-Control-Allow-Methods"] == "DELETE"


# intercept_exceptions


def error_responses_get_cors_headers_whatever_intercept_exceptions_says(ctx: Any) -> None:
    for setting in (True, False):
        app = Flask("errors")

        @app.get("/missing")
        def missing() -> str:
            abort(404)

        @app.get("/teapot")
        def teapot() -> str:
            abort(418)

        @app.errorhandler(418)
        def handled(error: Exception) -> Any:
            return "handled", 418

        @app.get("/broken")
        def broken() -> str:
            raise RuntimeError("broken")

        CORS(app, intercept_exceptions=setting)
        client = app.test_client()
        for path, status in (("/missing", 404), ("/teapot", 418), ("/broken", 500)):
            response = get(client, path)
            assert response.status_code == status
            assert allowed(response), (setting, path)


# always_send


def always_send_answers_requests_without_origin(ctx: Any) -> None:
    def sent(**kwargs: Any) -> str | None:
        value = get(client_of(**kwargs), origin=None).headers.get("Access-Control-Allow-Origin")
        return None if value is None else str(value)

    assert sent() == "*"
    assert sent(supports_credentials=True) is None
    assert sent(origins=[OTHER, ORIGIN, r"https://x\..*"]) == ORIGIN
    assert sent(origins=[r"https://x\.example"]) is None
    assert sent(always_send=False) is None


# allow_private_network


def private_network_access_is_answered_when_on(ctx: Any) -> None:
    def answer(**kwargs: Any) -> str | None:
        response = preflight(
            client_of(origins=[ORIGIN], **kwargs),
            method="GET",
            Access_Control_Request_Private_Network="true",
        )
        value = response.headers.get("Access-Control-Allow-Private-Network")
        return None if value is None else str(value)

    assert answer(allow_private_network=True) == "true"
    assert answer() == "false"


# app settings


def app_settings_keyword_over_config_and_not_per_resource(ctx: Any) -> None:
    app = new_app()
    app.config["CORS_LINT_STRICT"] = True
    CORS(app, lint_strict=False, supports_credentials=True)  # the keyword argument wins
    assert app.extensions["cors"].linter.strict is False
    CORS(new_app(), resources={"/*": {"lint_strict": True, "supports_credentials": True}})

    @cross_origin(trace_hooks=True)  # type: ignore[call-arg]
    def view() -> str:
        return "v"

    decorated = Flask("decorated")
    decorated.add_url_rule("/v", "v", view)
    CORS(decorated, resources=[])
    unknown = [f.option for f in ctx.findings() if f.id == "unknown-option"]
    assert unknown == ["lint_strict", "trace_hooks"]
    with pytest.raises(CORSConfigError, match="first CORS"):
        CORS(app, trace_hooks=True)


class Marker:
    """A plugin that marks allowed responses."""

    @flask_cors.hookimpl
    def add_headers(self, origin: str | None) -> dict[str, str]:
        return {"X-Marked": "yes"}


def plugin_module(ctx: Any) -> str:
    """A module ``documented_plugin`` on ``sys.path``, not imported yet."""
    module = ctx.tmp_path / "documented_plugin.py"
    module.write_text(
        "import flask_cors\n"
        "class Stamp:\n"
        "    @flask_cors.hookimpl\n"
        "    def add_headers(self, origin):\n"
        "        return {'X-Stamp': 'yes'}\n"
        "stamp = Stamp()\n"
        "@flask_cors.hookimpl\n"
        "def vary(options):\n"
        "    return ['X-Module']\n"
    )
    ctx.monkeypatch.syspath_prepend(str(ctx.tmp_path))
    ctx.monkeypatch.delitem(sys.modules, "documented_plugin", raising=False)
    return "documented_plugin"


def plugins_are_objects_or_imported_names(ctx: Any) -> None:
    plugin_module(ctx)
    client = client_of(
        origins=[ORIGIN], plugins=[Marker(), "documented_plugin:stamp", "documented_plugin"]
    )
    response = get(client)
    assert response.headers["X-Marked"] == "yes"
    assert response.headers["X-Stamp"] == "yes"
    assert "X-Module" in vary(response)


def plugins_are_called_before_entry_points_and_defaults(ctx: Any) -> None:
    ctx.monkeypatch.delenv("FLASK_CORS_DISABLE_PLUGIN_AUTOLOAD")

    class Mine:
        @flask_cors.hookimpl
        def match_origin(self, origin: str) -> None:
            return None

    app = new_app()
    mine = Mine()
    CORS(app, plugins=[mine])
    pm = app.extensions["cors"].pm
    # pluggy calls the implementations from the end of this list to its start.
    called = [impl.plugin for impl in reversed(pm.hook.match_origin.get_hookimpls())]
    kinds = [
        "explicit" if p is mine else "default" if pm.get_name(p) == "origins" else "entry"
        for p in called
    ]
    assert kinds[0] == "explicit"
    assert kinds[-1] == "default"
    assert set(kinds[1:-1]) <= {"entry"}


def installed_entry_points() -> set[str]:
    return {ep.name for ep in importlib.metadata.entry_points(group="flask_cors")}


def registered(app: Flask) -> set[str]:
    return {name for name, plugin in app.extensions["cors"].pm.list_name_plugin() if plugin}


def plugin_discovery_and_its_switches(ctx: Any) -> None:
    ctx.monkeypatch.delenv("FLASK_CORS_DISABLE_PLUGIN_AUTOLOAD")
    found = installed_entry_points()
    app = new_app()
    CORS(app)
    assert found <= registered(app)
    quiet = new_app()
    CORS(quiet, plugin_discovery=False)
    assert not found & registered(quiet)
    ctx.monkeypatch.setenv("FLASK_CORS_DISABLE_PLUGIN_AUTOLOAD", "1")
    off = new_app()
    CORS(off)
    assert not found & registered(off)
    # Discovered plugins without settings are inert: the answers are those without them.
    for path, origin in (("/x", ORIGIN), ("/x", "null"), ("/x", OTHER)):
        with_plugins = get(app.test_client(), path, origin)
        without = get(off.test_client(), path, origin)
        assert dict(with_plugins.headers) == dict(without.headers)


def blocked_plugins_are_never_registered(ctx: Any) -> None:
    module = plugin_module(ctx)
    app = new_app()
    CORS(app, blocked_plugins=["vary", f"{module}:stamp"], plugins=[f"{module}:stamp"])
    names = registered(app)
    assert "vary" not in names
    assert f"{module}:stamp" not in names
    assert module not in sys.modules  # never imported
    raises_config_error(lambda: CORS(new_app(), blocked_plugins=["resolve"]), "blocked_plugins")
    message = raises_config_error(
        lambda: CORS(new_app(), blocked_plugins=["varry"]), "blocked_plugins"
    )
    assert "'vary'" in message


def trace_hooks_logs_every_hook_call(ctx: Any) -> None:
    get(client_of(trace_hooks=True))
    traced = [r.getMessage() for r in ctx.caplog.records if r.levelno == logging.DEBUG]
    assert any("hook trace" in m and "match_origin" in m for m in traced)


class Failing:
    @flask_cors.hookimpl
    def match_origin(self, origin: str, options: Any) -> bool:
        raise RuntimeError("plugin failed")


def plugin_errors_fail_closed_unless_raised(ctx: Any) -> None:
    response = get(client_of(plugins=[Failing()]))
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response.headers
    assert any(r.levelno == logging.ERROR for r in ctx.caplog.records)
    app = new_app()
    app.testing = True  # Flask re-raises what propagates to it
    CORS(app, plugins=[Failing()], raise_plugin_errors=True)
    with pytest.raises(RuntimeError, match="plugin failed"):
        get(app.test_client())


def lint_strict_turns_findings_into_errors(ctx: Any) -> None:
    with pytest.raises(CORSLintError) as caught:
        CORS(new_app(), origins=[f"{ORIGIN}/"], lint_strict=True)
    assert isinstance(caught.value, CORSConfigError)
    assert "origin-trailing-slash" in str(caught.value)
    CORS(new_app(), allow_private_network=True, lint_strict=True)  # info: logged only
    assert [f.id for f in ctx.findings()] == ["private-network"]
    for strict, status in ((True, 1), (False, 0)):  # a warning fails the check when strict
        app = new_app()
        app.config["CORS_LINT_STRICT"] = strict
        app.config["CORS_ORIGINS"] = [f"{ORIGIN}/"]
        with collecting():
            CORS(app)
        assert app.test_cli_runner().invoke(cors_commands, ["check"]).exit_code == status


def lint_ignore_silences_ids(ctx: Any) -> None:
    app = new_app()
    app.config["CORS_LINT_IGNORE"] = ["origin-trailing-slash"]
    app.config["CORS_ORIGINS"] = [f"{ORIGIN}/"]
    CORS(app, lint_strict=True)
    assert ctx.findings() == []
    result = app.test_cli_runner().invoke(cors_commands, ["check"])
    assert "origin-trailing-slash" in result.output
    raises_config_error(lambda: CORS(new_app(), lint_ignore=["no-such-check"]), "lint_ignore")


# --- decorator.md ------------------------------------------------------------------------------


def decorator_takes_per_resource_options_only(ctx: Any) -> None:
    @cross_origin(origins=[ORIGIN], lint_strict=True)  # type: ignore[call-arg]
    def view() -> str:
        return "v"

    app = Flask("decorated")
    app.add_url_rule("/v", "v", view)
    assert allowed(get(app.test_client(), "/v"))
    assert [f.option for f in ctx.findings() if f.id == "unknown-option"] == ["lint_strict"]
    with pytest.raises(TypeError, match="keyword arguments only"):
        cross_origin(ORIGIN)  # type: ignore[misc]


def decorator_misspelt_option_is_a_finding(ctx: Any) -> None:
    """Issue 19 item 1: ``cross_origin(orgins=...)`` is no error at import time."""

    @cross_origin(orgins=[ORIGIN])  # type: ignore[call-arg]
    def view() -> str:
        return "v"

    app = Flask("misspelt")
    app.add_url_rule("/v", "v", view)
    assert ctx.findings() == []  # not before the options are built for an app
    assert allowed(get(app.test_client(), "/v", OTHER), OTHER)  # any origin stays allowed
    assert [f.option for f in ctx.findings()] == ["orgins"]
    strict = Flask("strict")
    strict.add_url_rule("/v", "v", view)
    with pytest.raises(CORSLintError, match="unknown-option"):
        CORS(strict, resources=[], lint_strict=True)


def decorated_view_answers_options_itself(ctx: Any) -> None:
    app = Flask("auto")

    @app.route("/v", methods=["GET"])
    @cross_origin(origins=[ORIGIN])
    def view() -> str:
        return "v"

    assert "OPTIONS" in next(app.url_map.iter_rules("view")).methods  # type: ignore[operator]
    answer = preflight(app.test_client(), "/v", method="GET")
    assert (answer.status_code, answer.data) == (200, b"")
    assert allowed(answer)


def decorated_view_without_automatic_options_gets_the_preflight(ctx: Any) -> None:
    app = Flask("manual")

    @app.route("/doc", methods=["GET", "OPTIONS"])
    @cross_origin(origins=[ORIGIN, OTHER], automatic_options=False)
    def read() -> Any:
        return ("by the view", 203) if request.method == "OPTIONS" else "doc"

    @app.delete("/doc")
    @cross_origin(origins=[ORIGIN], methods=["DELETE"])
    def delete() -> str:
        return "deleted"

    client = app.test_client()
    answer = preflight(client, "/doc", method="DELETE")
    assert (answer.status_code, answer.data) == (203, b"by the view")
    assert answer.headers["Access-Control-Allow-Methods"] == "DELETE"  # the DELETE view's
    assert not allowed(preflight(client, "/doc", origin=OTHER, method="DELETE"), OTHER)


def decorator_works_with_or_without_cors_app_and_wins(ctx: Any) -> None:
    for with_cors in (False, True):
        app = Flask("both")

        @app.get("/api/v")
        @cross_origin(origins=[ORIGIN])
        def view() -> str:
            return "v"

        if with_cors:
            CORS(app, resources={"/api/*": {"origins": [OTHER]}})
        client = app.test_client()
        assert allowed(get(client, "/api/v"))
        assert not allowed(get(client, "/api/v", OTHER), OTHER)


def decorator_above_the_route_does_nothing_and_is_reported(ctx: Any) -> None:
    app = Flask("above")

    @cross_origin(origins=[ORIGIN])
    @app.get("/v")
    def view() -> str:
        return "v"

    CORS(app, resources=[])
    assert "Access-Control-Allow-Origin" not in get(app.test_client(), "/v").headers
    assert [f.id for f in ctx.findings()] == ["cross-origin-above-route"]
    result = app.test_cli_runner().invoke(cors_commands, ["check"])
    assert "cross-origin-above-route" in result.output


def refused_view_options_without_cors_app_are_reported_by_check(ctx: Any) -> None:
    app = Flask("refused_view")
    app.config["CORS_SUPPORTS_CREDENTIALS"] = True

    @app.get("/v")
    @cross_origin(origins="*", send_wildcard=True)
    def view() -> str:
        return "v"

    result = app.test_cli_runner().invoke(cors_commands, ["check"])
    assert result.exit_code == 1
    assert "config-refused" in result.output


def no_decorator_and_no_cors_app_means_no_headers(ctx: Any) -> None:
    app = Flask("plain")
    app.add_url_rule("/closed", "closed", lambda: "closed")
    assert "Access-Control-Allow-Origin" not in get(app.test_client(), "/closed").headers


# --- blueprints.md ------------------------------------------------------------------------------


def blueprint_settings_apply_once_registered_with_the_url_prefix(ctx: Any) -> None:
    api = Blueprint("api", __name__, url_prefix="/api")
    inner = Blueprint("inner", __name__, url_prefix="/inner")
    api.add_url_rule("/items", "items", lambda: "items")
    inner.add_url_rule("/deep", "deep", lambda: "deep")
    api.register_blueprint(inner)
    CORS(api, resources={"/api/inner/*": {"origins": [ORIGIN]}, "/api/items": {}})
    app = Flask("blueprints")
    app.add_url_rule("/outside", "outside", lambda: "outside")
    assert EXTENSION not in app.extensions  # nothing before registration
    app.register_blueprint(api)
    client = app.test_client()
    assert allowed(get(client, "/api/inner/deep"))  # a nested blueprint, full path
    assert not allowed(get(client, "/api/inner/deep", OTHER), OTHER)
    assert allowed(get(client, "/api/items", OTHER), OTHER)
    assert "Access-Control-Allow-Origin" not in get(client, "/outside").headers


EXTENSION = "cors"


def one_extension_object_serves_many_apps(ctx: Any) -> None:
    cors = CORS(origins=[OTHER], max_age=60)
    first, second = new_app("first"), new_app("second")
    first.config["CORS_EXPOSE_HEADERS"] = ["X-First"]
    cors.init_app(first, origins=[ORIGIN])  # init_app's keyword arguments win
    cors.init_app(second)
    first.config["CORS_EXPOSE_HEADERS"] = ["X-Later"]  # the config at init_app counts
    assert first.extensions[EXTENSION] is not second.extensions[EXTENSION]
    assert not any(value is first for value in vars(cors).values())
    one, two = first.test_client(), second.test_client()
    assert allowed(get(one))
    assert get(one).headers["Access-Control-Expose-Headers"] == "X-First"
    assert preflight(one).headers["Access-Control-Max-Age"] == "60"
    assert allowed(get(two, origin=OTHER), OTHER)
    assert not allowed(get(two))


def blueprint_call_is_separate_from_the_app_wide_one(ctx: Any) -> None:
    module = load_example("blueprints.py")
    client = module.create_app().test_client()
    profile = get(client, "/api/profile")
    assert allowed(profile)
    assert "Access-Control-Expose-Headers" not in profile.headers
    news = get(client, "/public/news", OTHER)
    assert news.headers["Access-Control-Expose-Headers"] == "X-Request-Id"
    assert "Access-Control-Allow-Origin" not in get(client, "/health").headers


def blueprint_settings_first_app_resources_as_fallback(ctx: Any) -> None:
    api = Blueprint("api", __name__, url_prefix="/api")
    api.add_url_rule("/items", "items", lambda: "items")
    api.add_url_rule("/other", "other", lambda: "other")
    CORS(api, resources={"/api/items": {"origins": [ORIGIN]}})
    app = Flask("fallback")
    CORS(app, origins=[OTHER])
    app.register_blueprint(api)
    client = app.test_client()
    assert allowed(get(client, "/api/items"))
    assert not allowed(get(client, "/api/items", OTHER), OTHER)
    assert allowed(get(client, "/api/other", OTHER), OTHER)  # the app-wide fallback


def second_cors_call_adds_resources_in_front(ctx: Any) -> None:
    """Issue 19 item 1: a second CORS(app) is no error; its resources come first."""
    app = new_app()
    CORS(app, resources={"/api/admin/*": {"origins": [OTHER]}})
    CORS(app, resources={"/api/*": {"origins": [ORIGIN]}})
    client = app.test_client()
    response = get(client, "/api/admin/users")
    assert allowed(response)  # the later call's resource, though less specific
    assert response.headers.getlist("Access-Control-Allow-Origin") == [ORIGIN]
    assert not allowed(get(client, "/api/admin/users", OTHER), OTHER)
    assert allowed(get(client, "/api/x"))
    message = raises_config_error(lambda: CORS(app, lint_strict=True), "lint_strict")
    assert "first CORS" in message


# --- the table ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Statement:
    page: str
    section: str
    #: The statement's words as the page writes them (whitespace aside).
    words: str
    check: Callable[[Any], None]

    @property
    def id(self) -> str:
        return f"{self.page}::{self.section}::{self.check.__name__}"


def _rows(page: str, section: str, *rows: tuple[str, Callable[[Any], None]]) -> list[Statement]:
    return [Statement(page, section, words, check) for words, check in rows]


C, D, B = PAGES

STATEMENTS: list[Statement] = [
    *_rows(
        C,
        "Where options come from",
        (
            "taken from the first of these that sets it",
            options_come_from_the_first_place_that_sets_them,
        ),
        (
            "the keyword arguments of `CORS(app)` and the resource dictionaries do not apply to it",
            decorated_view_uses_its_arguments_then_config_then_defaults,
        ),
        (
            "Configuration is read, checked and compiled once",
            configuration_is_read_once_at_start_up,
        ),
        (
            "and again against the app config when `CORS(app)` runs after the view is registered",
            decorated_view_is_checked_against_the_config_at_cors_app,
        ),
        (
            "or else on its first request",
            decorated_view_without_cors_app_is_checked_on_first_request,
        ),
        (
            "A value of the wrong type or a value that cannot work raises",
            wrong_type_or_value_names_option_and_source,
        ),
        (
            "so `orgins=[...]` leaves the default, any origin, in force",
            misspelt_option_is_a_finding_not_an_error,
        ),
        ("Nothing is checked per request.", configuration_is_read_once_at_start_up),
    ),
    *_rows(
        C,
        "How values are read",
        ('So `vary_header="no"` turns `Vary` off', app_settings_read_booleans_the_same_way),
        ("split a string at commas", comma_strings_are_split),
        (
            "split a string only when it has no regular-expression character",
            allow_headers_and_origins_split_only_without_regex_characters,
        ),
    ),
    *_rows(
        C,
        "resources",
        (
            "or one pattern (a `str` or a compiled `re.Pattern`)",
            resources_accepts_dict_list_string_and_pattern,
        ),
        (
            "Not an option of a resource or of the decorator.",
            resources_is_not_an_option_of_a_resource_or_the_decorator,
        ),
        (
            "percent-decoded once, `+` kept as `+`, case-sensitive",
            resource_patterns_see_the_routed_path,
        ),
        ("When several patterns match, the most specific wins", most_specific_resource_wins),
        (
            "every pattern gets the keyword-argument, config and default values",
            list_of_patterns_share_keyword_config_and_defaults,
        ),
    ),
    *_rows(
        C,
        "origins",
        ("reported at start-up (lint id `origin-glob-broken`", broken_globs_are_reported),
        (
            "A literal with whitespace or a control character is an error.",
            literal_with_whitespace_is_an_error_and_commas_make_a_list,
        ),
        (
            "An allowed origin is sent back exactly as the browser sent it",
            allowed_origin_is_sent_back_as_sent,
        ),
    ),
    *_rows(
        C,
        "methods",
        (
            "Names are upper-cased and must be HTTP tokens",
            methods_are_upper_cased_tokens_matched_exactly,
        ),
    ),
    *_rows(
        C,
        "allow_headers",
        (
            "a name that is not allowed is left out",
            allow_headers_answers_the_allowed_requested_names,
        ),
    ),
    *_rows(
        C,
        "expose_headers",
        (
            "on allowed responses, preflight answers included",
            expose_headers_on_allowed_responses,
        ),
    ),
    *_rows(
        C,
        "supports_credentials",
        (
            "adds `Access-Control-Allow-Credentials: true` to allowed responses and preflights",
            credentials_header_on_allowed_responses_and_preflights,
        ),
        (
            "and the lint logs the finding `credentials-any-origin` at start-up",
            credentials_with_any_origin_reflect_it_and_are_a_finding,
        ),
    ),
    *_rows(C, "max_age", ("With `None` no header is sent", max_age_values)),
    *_rows(
        C,
        "send_wildcard",
        (
            "send `Access-Control-Allow-Origin: *` instead of the request's origin",
            send_wildcard_sends_a_star_the_same_for_everyone,
        ),
        (
            "Cannot be combined with `supports_credentials`.",
            credentials_with_any_origin_reflect_it_and_are_a_finding,
        ),
    ),
    *_rows(
        C,
        "vary_header",
        (
            "allowed, denied and requests without `Origin` alike",
            vary_on_every_response_that_depends_on_the_origin,
        ),
    ),
    *_rows(
        C,
        "automatic_options",
        ("before any of the app's handlers run", allowed_preflights_are_answered_before_the_app),
        (
            "flask_cors then answers no preflight in front",
            middleware_before_cors_turns_answering_in_front_off,
        ),
        (
            "A preflight is judged by the route that serves the method it asks for.",
            preflight_is_judged_by_the_route_serving_the_method,
        ),
        (
            "A route that lists `OPTIONS` among its methods answers its own preflights",
            route_listing_options_answers_its_own_preflights,
        ),
        (
            "With `False` the preflight goes through the app like any request",
            automatic_options_off_sends_preflights_through_the_app,
        ),
    ),
    *_rows(
        C,
        "intercept_exceptions",
        ("it has no effect", error_responses_get_cors_headers_whatever_intercept_exceptions_says),
    ),
    *_rows(
        C,
        "always_send",
        (
            "otherwise the alphabetically first literal origin",
            always_send_answers_requests_without_origin,
        ),
    ),
    *_rows(
        C,
        "allow_private_network",
        (
            "with `Access-Control-Allow-Private-Network: true`",
            private_network_access_is_answered_when_on,
        ),
    ),
    *_rows(
        C,
        "App settings",
        (
            "keyword arguments win over config, config over the default",
            app_settings_keyword_over_config_and_not_per_resource,
        ),
    ),
    *_rows(
        C,
        "plugins",
        ("Plugins to register on the app's plugin manager.", plugins_are_objects_or_imported_names),
        (
            "a hook calls them before the plugins found through entry points",
            plugins_are_called_before_entry_points_and_defaults,
        ),
    ),
    *_rows(
        C,
        "plugin_discovery",
        ("turns discovery off for the whole process", plugin_discovery_and_its_switches),
        (
            "A discovered plugin that the app gives no settings stays inert",
            plugin_discovery_and_its_switches,
        ),
    ),
    *_rows(
        C, "blocked_plugins", ("`resolve` cannot be blocked.", blocked_plugins_are_never_registered)
    ),
    *_rows(
        C,
        "trace_hooks",
        ("Log every hook call, its arguments and its result", trace_hooks_logs_every_hook_call),
    ),
    *_rows(
        C,
        "raise_plugin_errors",
        ("With `True` the exception propagates", plugin_errors_fail_closed_unless_raised),
    ),
    *_rows(
        C,
        "lint_strict",
        ("`info` findings stay log records", lint_strict_turns_findings_into_errors),
    ),
    *_rows(
        C, "lint_ignore", ("`flask cors check` lists them as ignored", lint_ignore_silences_ids)
    ),
    *_rows(
        D,
        "The `cross_origin` decorator",
        ("(not `resources`, and not the app settings)", decorator_takes_per_resource_options_only),
        (
            "The keyword arguments and resources of `CORS(app)` do not apply to decorated views.",
            decorated_view_uses_its_arguments_then_config_then_defaults,
        ),
        (
            "A misspelt option name (`orgins=[...]`) is ignored",
            decorator_misspelt_option_is_a_finding,
        ),
        ("the route gets `OPTIONS` added to its methods", decorated_view_answers_options_itself),
        (
            "also when another view serves the method the preflight asks for",
            decorated_view_without_automatic_options_gets_the_preflight,
        ),
        (
            "A decorated view's options take precedence over any resource pattern",
            decorator_works_with_or_without_cors_app_and_wins,
        ),
        (
            "Written *above* the route decorator, `cross_origin` does nothing",
            decorator_above_the_route_does_nothing_and_is_reported,
        ),
        (
            "`CORS(app)` raises `CORSConfigError` for the decorated views registered by then",
            decorated_view_is_checked_against_the_config_at_cors_app,
        ),
        (
            "logs the error once, on its first request",
            decorated_view_without_cors_app_is_checked_on_first_request,
        ),
        (
            "`flask cors check` reports it either way",
            refused_view_options_without_cors_app_are_reported_by_check,
        ),
        ("it gets no CORS headers", no_decorator_and_no_cors_app_means_no_headers),
    ),
    *_rows(
        B,
        "A blueprint of its own",
        (
            "(and to blueprints nested inside it)",
            blueprint_settings_apply_once_registered_with_the_url_prefix,
        ),
    ),
    *_rows(
        B,
        "One extension object, many apps",
        ("the same object serves any number of apps", one_extension_object_serves_many_apps),
        (
            "the `expose_headers` of `cors` do not apply there",
            blueprint_call_is_separate_from_the_app_wide_one,
        ),
        (
            "the app-wide resources are the fallback",
            blueprint_settings_first_app_resources_as_fallback,
        ),
    ),
    *_rows(
        B,
        "Calling `CORS(app)` again",
        (
            "adds its resources *in front of* those of the earlier calls",
            second_cors_call_adds_resources_in_front,
        ),
    ),
]

#: Statements checked by the parametrized tests above (section -> test function), and the
#: examples that tests/test_examples.py runs for a section.
ELSEWHERE: dict[tuple[str, str], str] = {
    (C, "How values are read"): "test_boolean_strings_are_read_as_meant",
    (C, "resources"): "test_resource_pattern_covers, test_one_route_one_policy",
    (C, "origins"): "test_origin_grammar",
    (C, "cross_origin_protection"): (
        "tests/test_cross_origin_protection.py, tests/test_protection_tools.py"
    ),
    (C, "A function of the origin"): "tests/test_callable_origins.py",
    (D, "The `cross_origin` decorator"): "tests/test_examples.py::test_decorator_views",
    (B, "One extension object, many apps"): (
        "tests/test_examples.py::test_blueprints_factory_builds_independent_apps"
    ),
    (C, "Where options come from"): "tests/test_examples.py::test_configuration_*",
}

#: Sections with no behavioural statement of their own.
NO_STATEMENTS = {
    (C, "Configuration reference"): "the page title",
    (C, "Per-resource options"): "an introduction: where the options below can be set",
    (C, "The API"): "rendered from docstrings",
    (C, "Typed keyword arguments"): "checked by mypy (tests/test_typing.py)",
    (C, "Reference"): "rendered from docstrings",
    (B, "Blueprints and application factories"): "the page title",
}


#: Sections of features still being built: their statements are to be added here (or to the
#: feature's own tests, named in ELSEWHERE) when the feature lands.
PENDING: dict[tuple[str, str], str] = {}


def _normal(text: str) -> str:
    return " ".join(text.split())


def sections(page: str) -> dict[str, str]:
    """Each heading of ``page`` (backticks kept) with the text up to the next heading."""
    found: dict[str, str] = {}
    heading = ""
    for line in (DOCS / page).read_text().splitlines():
        match = re.match(r"#{1,4} (.+)", line)
        if match:
            heading = match.group(1).strip()
            found[heading.strip("`")] = ""
        elif heading:
            found[heading.strip("`")] += line + "\n"
    return found


@pytest.mark.parametrize("statement", STATEMENTS, ids=lambda s: s.id)
def test_doc_statement_holds(statement: Statement, ctx: SimpleNamespace) -> None:
    statement.check(ctx)


@pytest.mark.parametrize("statement", STATEMENTS, ids=lambda s: s.id)
def test_doc_statement_is_in_its_section(statement: Statement) -> None:
    text = sections(statement.page).get(statement.section)
    assert text is not None, f"{statement.page} has no section {statement.section!r}"
    assert _normal(statement.words) in _normal(text), (
        f"{statement.page}, {statement.section!r} no longer says {statement.words!r}: "
        "check the new wording and update the row"
    )


@pytest.mark.parametrize("page", PAGES)
def test_every_section_has_checked_statements(page: str) -> None:
    checked = {s.section for s in STATEMENTS if s.page == page}
    checked |= {section for (p, section) in ELSEWHERE if p == page}
    exempt = {section for (p, section) in {**NO_STATEMENTS, **PENDING} if p == page}
    missing = set(sections(page)) - checked - exempt
    assert not missing, f"{page}: add statements of these sections to STATEMENTS: {missing}"
