"""The origin patterns plugin, found through its entry point, in real Flask apps."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_cors_origin_patterns import (
    EXTENSION_KEY,
    OriginPatterns,
    PatternError,
    compile_pattern,
    public_suffix_list,
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
        app.config["CORS_ORIGIN_PATTERNS"] = patterns
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
        "http://localhost",  # :* is any port or none, as in the core's origins
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
        "*://example.com",
        "example.com",
        "https://*.example.com:8*",
    ],
)
def test_unsafe_or_malformed_patterns_fail_at_start_up(pattern: str) -> None:
    with pytest.raises(CORSConfigError, match="CORS_ORIGIN_PATTERNS") as caught:
        make_app([pattern])
    assert repr(pattern.strip().lower())[1:-1] in str(caught.value) or pattern in str(caught.value)


PSL = "Public Suffix List"


@pytest.mark.parametrize(
    ("pattern", "suffix", "source"),
    [
        ("https://*.com", "com", "a top-level domain"),
        ("https://*.dev", "dev", "a top-level domain"),
        ("https://*.co.uk", "co.uk", "ICANN section"),
        ("https://*.co.at", "co.at", "ICANN section"),
        ("https://*.com.au", "com.au", "ICANN section"),
        ("https://*.kawasaki.jp", "kawasaki.jp", "ICANN section"),  # under the rule *.kawasaki.jp
        ("https://*.trycloudflare.com", "trycloudflare.com", "private section"),
        ("https://*.r2.dev", "r2.dev", "private section"),
        ("https://*.github.io", "github.io", "private section"),
        ("https://*.herokuapp.com", "herokuapp.com", "private section"),
        ("https://*.pages.dev", "pages.dev", "private section"),
        ("https://*.blogspot.com", "blogspot.com", "private section"),
        ("HTTPS://*.TryCloudflare.COM", "trycloudflare.com", "private section"),
    ],
)
def test_wildcard_on_a_public_suffix_fails_at_start_up_naming_pattern_and_suffix(
    pattern: str, suffix: str, source: str
) -> None:
    with pytest.raises(CORSConfigError, match="CORS_ORIGIN_PATTERNS") as caught:
        make_app([pattern])
    message = str(caught.value)
    assert repr(pattern) in message
    if source == "a top-level domain":
        assert f"{suffix!r} is a public suffix ({source})" in message
    else:
        version = public_suffix_list().version
        assert f"{suffix!r} is a public suffix ({PSL} {version}, {source})" in message


@pytest.mark.parametrize(
    ("pattern", "covered"),
    [
        ("https://*.amazonaws.com", ".amazonaws.com"),  # anyone's S3 bucket site
        ("https://*.salesforce.com", ".salesforce.com"),
        ("https://*.kawasaki.jp", None),  # is itself one: rule *.kawasaki.jp
    ],
)
def test_wildcard_covering_a_public_suffix_fails_at_start_up(
    pattern: str, covered: str | None
) -> None:
    with pytest.raises(PatternError) as caught:
        compile_pattern(pattern)
    message = str(caught.value)
    assert repr(pattern) in message
    if covered is None:
        assert "is a public suffix" in message
    else:
        assert "the wildcard covers the public suffix '" in message
        assert f"{covered}' ({PSL} " in message


@pytest.mark.parametrize(
    ("pattern", "origin"),
    [
        ("https://*.example.com", "https://app.example.com"),
        ("https://*.example.co.uk", "https://app.example.co.uk"),
        ("https://*.mycompany.co.at", "https://a.b.mycompany.co.at"),
        ("https://*.me.github.io", "https://x.me.github.io"),
        ("https://*.myapp.pages.dev", "https://preview.myapp.pages.dev"),
        ("https://*.city.kawasaki.jp", "https://www.city.kawasaki.jp"),  # exception rule
        ("http://*.localhost:*", "http://app.localhost:3000"),
        ("https://*.first.example", "https://a.first.example"),
    ],
)
def test_wildcard_on_an_own_domain_under_a_public_suffix_is_fine(pattern: str, origin: str) -> None:
    regex = compile_pattern(pattern)
    assert regex.fullmatch(origin)
    assert not regex.fullmatch(f"{origin}.evil.net")


def test_own_domain_wildcard_does_not_reach_a_neighbour() -> None:
    regex = compile_pattern("https://*.mycompany.co.uk")
    assert regex.fullmatch("https://app.mycompany.co.uk")
    assert not regex.fullmatch("https://app.othercompany.co.uk")


def test_the_list_is_the_packaged_public_suffix_list_with_its_version() -> None:
    suffixes = public_suffix_list()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}\S*", suffixes.version)
    assert suffixes.package.startswith("publicsuffixlist ")
    assert suffixes.section("co.uk") == "ICANN"
    assert suffixes.section("trycloudflare.com") == "private"
    assert suffixes.section("example.com") is None
    assert public_suffix_list() is suffixes  # loaded once per process


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("https://*.hosting.example", "'hosting.example' is a public suffix (listed in"),
        ("https://*.corp.example", "covers the public suffix 'pages.corp.example' (listed in"),
    ],
)
def test_extra_public_suffixes_from_config(pattern: str, message: str) -> None:
    app = Flask("extra")
    app.config["CORS_ORIGIN_PATTERNS"] = [pattern]
    app.config["CORS_ORIGIN_PATTERNS_PUBLIC_SUFFIXES"] = [
        ".Hosting.Example",
        "pages.corp.example",
    ]
    with pytest.raises(CORSConfigError, match="CORS_ORIGIN_PATTERNS") as caught:
        CORS(app)
    assert f"{message} CORS_ORIGIN_PATTERNS_PUBLIC_SUFFIXES)" in str(caught.value)


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
