"""The origin patterns plugin, found through its entry point, in real Flask apps."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_cors_origin_patterns import (
    EXTENSION_KEY,
    PUBLIC_SUFFIXES,
    OriginPatterns,
    PatternError,
    compile_pattern,
)
from hypothesis import given
from hypothesis import strategies as st

from flask_cors import CORS, CORSConfigError

ACAO = "Access-Control-Allow-Origin"
PATTERNS = ["https://*.example.com", "http://localhost:*"]
STATIC = "https://partner.example.org"


def make_app(patterns: object = PATTERNS, name: str = "patterns_app", **cors: Any) -> Flask:
    app = Flask(name)
    app.testing = True
    if patterns is not None:
        app.config["FLASK_CORS_ORIGIN_PATTERNS"] = patterns
    cors.setdefault("origins", [STATIC])
    CORS(app, **cors)

    @app.get("/")
    def index() -> str:
        return "ok"

    return app


@pytest.fixture(scope="module")
def client() -> FlaskClient:
    return make_app().test_client()


def allowed(client: FlaskClient, origin: str) -> bool:
    response = client.get("/", headers={"Origin": origin})
    assert response.headers["Vary"] == "Origin"
    return response.headers.get(ACAO) == origin


@pytest.mark.parametrize(
    "origin",
    [
        "https://a.example.com",
        "https://a.b.example.com",
        "https://x-1.example.com",
        "https://A.Example.COM",
        "http://localhost:5173",
        "http://localhost:1",
        "http://LOCALHOST:65535",
        STATIC,
    ],
)
def test_allowed(client: FlaskClient, origin: str) -> None:
    assert allowed(client, origin)


@pytest.mark.parametrize(
    "origin",
    [
        "https://example.com",  # the bare domain is not "one or more labels"
        "https://a.example.com.evil.net",  # never crosses into another host
        "https://a.example.com.",
        "https://evilexample.com",
        "https://a-example.com",
        "https://a.example.com:8443",  # no port in the pattern: default port only
        "http://a.example.com",  # scheme is exact
        "https://a..example.com",
        "https://-a.example.com",
        "https://.example.com",
        "https://a_b.example.com",
        "https://a.example.comm",
        "https://a.exampleXcom",
        "http://localhost",  # :* wants a port
        "http://localhost:",
        "http://localhost:123456",
        "http://localhost:80.evil.net",
        "http://localhost.evil.net:80",
        "https://localhost:5173",
        "null",
    ],
)
def test_refused(client: FlaskClient, origin: str) -> None:
    assert not allowed(client, origin)


@pytest.mark.parametrize(
    "pattern",
    [
        "https://*.com",
        "https://*.co.uk",
        "https://*.github.io",
        "https://*.herokuapp.com",
        "HTTPS://*.CO.UK",
        "https://*",
        "*",
        "https://*.*.example.com",
        "https://a*.example.com",
        "https://*example.com",
        "https://example.*",
        "https://*.127.0.0.1",
        "https://*.example.com/path",
        "https://*.example.com:",
        "https://*.exa mple.com",
        "https://*.bücher.example",
        "*://example.com",
        "example.com",
        "https://*.example.com:8*",
    ],
)
def test_unsafe_or_malformed_patterns_fail_at_start_up(pattern: str) -> None:
    with pytest.raises(CORSConfigError, match="FLASK_CORS_ORIGIN_PATTERNS") as caught:
        make_app([pattern])
    assert repr(pattern.strip().lower())[1:-1] in str(caught.value) or pattern in str(caught.value)


def test_public_suffix_message_explains() -> None:
    with pytest.raises(PatternError, match="public suffix"):
        compile_pattern("https://*.co.uk")
    assert "github.io" in PUBLIC_SUFFIXES


def test_own_domains_under_public_suffixes_are_fine() -> None:
    regex = compile_pattern("https://*.mycompany.co.uk")
    assert regex.fullmatch("https://app.mycompany.co.uk")
    assert not regex.fullmatch("https://app.othercompany.co.uk")
    assert compile_pattern("https://*.me.github.io").fullmatch("https://x.me.github.io")
    assert compile_pattern("http://*.localhost:*").fullmatch("http://app.localhost:3000")


def test_extra_public_suffixes_from_config() -> None:
    app = Flask("extra")
    app.config["FLASK_CORS_ORIGIN_PATTERNS"] = ["https://*.hosting.example"]
    app.config["FLASK_CORS_ORIGIN_PATTERNS_PUBLIC_SUFFIXES"] = [".Hosting.Example"]
    with pytest.raises(CORSConfigError, match="public suffix"):
        CORS(app)


def test_compiled_once_at_configure_to_anchored_regexes() -> None:
    app = make_app()
    compiled = app.extensions[EXTENSION_KEY]
    assert isinstance(compiled, OriginPatterns)
    assert compiled.sources == tuple(PATTERNS)
    assert all(isinstance(regex, re.Pattern) for regex in compiled.regexes)
    assert compiled.regexes[0].pattern.startswith("https://")
    # matches() uses fullmatch: a prefix or suffix match is not enough.
    assert not compiled.matches("https://a.example.com/")
    assert not compiled.matches("xhttps://a.example.com")


def test_string_setting_is_split() -> None:
    app = make_app("https://*.example.com, http://localhost:*")
    assert app.extensions[EXTENSION_KEY].sources == tuple(PATTERNS)


@pytest.mark.parametrize("value", [42, {"https://*.example.com": True}, [b"https://x.example"]])
def test_setting_must_be_a_list_of_strings(value: object) -> None:
    with pytest.raises(CORSConfigError, match="list of strings"):
        make_app(value)


def test_inactive_without_setting() -> None:
    app = make_app(None)
    assert EXTENSION_KEY not in app.extensions
    client = app.test_client()
    assert not allowed(client, "https://a.example.com")
    assert allowed(client, STATIC)


def test_blocked_by_name() -> None:
    app = make_app(blocked_plugins=["origin_patterns"])
    assert EXTENSION_KEY not in app.extensions
    assert not allowed(app.test_client(), "https://a.example.com")


def test_found_by_discovery() -> None:
    infos = {info.name: info for info in make_app().extensions["cors"].pm.plugin_infos()}
    assert infos["origin_patterns"].kind == "entry point"
    assert infos["origin_patterns"].distribution == "flask-cors-origin-patterns"


def test_preflight_for_a_pattern_origin(client: FlaskClient) -> None:
    response = client.options(
        "/",
        headers={"Origin": "https://a.example.com", "Access-Control-Request-Method": "DELETE"},
    )
    assert response.headers[ACAO] == "https://a.example.com"
    assert "DELETE" in response.headers["Access-Control-Allow-Methods"]


def test_per_app_patterns() -> None:
    first = make_app(["https://*.first.example"], name="first")
    second = make_app(["https://*.second.example"], name="second")
    assert allowed(first.test_client(), "https://a.first.example")
    assert not allowed(second.test_client(), "https://a.first.example")


_labels = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?", fullmatch=True)


@given(
    prefix=st.lists(_labels, min_size=1, max_size=4),
    evil=st.lists(_labels, min_size=1, max_size=3),
)
def test_never_crosses_into_another_host(prefix: list[str], evil: list[str]) -> None:
    regex = compile_pattern("https://*.example.com")
    host = ".".join(prefix)
    assert regex.fullmatch(f"https://{host}.example.com")
    assert not regex.fullmatch(f"https://{host}.example.com.{'.'.join(evil)}")
    assert not regex.fullmatch(f"https://{host}.example.com@{'.'.join(evil)}")


@given(st.text(max_size=60))
def test_only_origins_ending_in_the_domain_match(text: str) -> None:
    regex = compile_pattern("https://*.example.com")
    origin = f"https://{text}"
    if regex.fullmatch(origin.lower()):
        assert origin.lower().endswith(".example.com")
        assert "/" not in text
        assert ":" not in text
        assert "@" not in text
