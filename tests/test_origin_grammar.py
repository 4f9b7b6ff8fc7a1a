"""One origin grammar (docs/configuration.md, "How an origin string is read"): literal,
glob, broken glob, regex; and the parser the plugins share."""

from __future__ import annotations

import pytest
from flask import Flask

from flask_cors import CORS, CORSConfigError
from flask_cors.grammar import glob_regex, parse_origin, read_origin, serialize_origin

pytestmark = pytest.mark.usefixtures("without_installed_plugins")

_QUIET = [
    "origin-glob",
    "origin-glob-broken",
    "origin-regex-any-port",
    "origins-comma-string",
    "http-origin-with-credentials",
]


def _allowed(client, origin: str) -> bool:
    response = client.get("/", headers={"Origin": origin})
    return response.headers.get("Access-Control-Allow-Origin") == origin


@pytest.mark.parametrize(
    ("origins", "origin", "allowed"),
    [
        # A string with "://*" that is not a valid glob matches nothing, never a regex.
        ("https://*.*.example.com", "https://evilexample.com", False),
        ("https://*.*.example.com", "https://a.b.example.com", False),
        ("https://*.example.*", "https://xexample.evil.net", False),
        ("https://*.example.*", "https://a.example.com", False),
        ("https://*.example.com.", "https://aexample.com.", False),
        ("https://*.example.com.", "https://a.example.com", False),
        ("https://*", "https://evil.net", False),
        ("http://*:3000", "http://evil.net:3000", False),
        # A glob on a public suffix matches nothing, as the origin-patterns plugin refuses it.
        ("https://*.github.io", "https://attacker.github.io", False),
        ("https://*.co.uk", "https://evil.co.uk", False),
        ("https://*.com", "https://evil.com", False),
        ("https://*.amazonaws.com", "https://bucket.s3.amazonaws.com", False),
        # ... while one on a domain of one's own works, and *.localhost too.
        ("https://*.example.com", "https://app.example.com", True),
        ("http://*.localhost:*", "http://app.localhost:3000", True),
        # IPv6 literals are literals.
        ("http://[::1]:3000", "http://[::1]:3000", True),
        ("http://[::1]:3000", "http://[::1]:3001", False),
        ("http://[0:0:0:0:0:0:0:1]", "http://[::1]", True),
        # host:* is any port or none.
        ("http://localhost:*", "http://localhost", True),
        ("http://localhost:*", "http://localhost:5100", True),
        ("http://localhost:*", "http://localhost.evil.net", False),
        # A regex ending in ":*" after the host: any port or none, never another host.
        (r"http[s]?://(localhost|127\.0\.0\.1):*", "http://localhost:5100", True),
        (r"http[s]?://(localhost|127\.0\.0\.1):*", "https://127.0.0.1", True),
        (r"http[s]?://(localhost|127\.0\.0\.1):*", "http://localhost:5100.evil.net", False),
        (r"http[s]?://(localhost|127\.0\.0\.1):*", "http://evil.net:5100", False),
        (r"http[s]?://(localhost|127\.0\.0\.1):*", "http://localhostx", False),
    ],
)
def test_origin_string_means_one_thing(cors_client, origins, origin, allowed):
    client = cors_client(origins=origins, supports_credentials=True, lint_ignore=_QUIET)

    assert _allowed(client, origin) is allowed


@pytest.mark.parametrize(
    "origins",
    ["https://*.*.example.com", "https://*.example.*", "https://*.example.com.", "https://*.co.uk"],
)
def test_broken_or_public_suffix_glob_is_a_startup_finding(origins, logged_findings):
    app = Flask("globbed")

    CORS(app, origins=[origins])

    assert "origin-glob-broken" in [f.id for f in logged_findings()]


@pytest.mark.parametrize(
    "origins", ["https://*.*.example.com", "https://*.github.io", "https://*.example.*"]
)
def test_broken_glob_is_an_error_under_lint_strict(origins):
    app = Flask("strict")

    with pytest.raises(CORSConfigError, match="origin-glob-broken"):
        CORS(app, origins=[origins], lint_strict=True)


@pytest.mark.parametrize(
    "config",
    [
        "https://a.example,https://b.example",
        "https://a.example, https://b.example",
        " https://a.example ,https://b.example,",
    ],
)
def test_comma_separated_origins_config_is_read_as_the_list_it_spells(config, logged_findings):
    app = Flask("comma")
    app.config["CORS_ORIGINS"] = config

    CORS(app)
    assert "origins-comma-string" in [f.id for f in logged_findings()]

    @app.get("/")
    def index() -> str:
        return "ok"

    client = app.test_client()
    for origin in ("https://a.example", "https://b.example"):
        assert _allowed(client, origin)
    assert not _allowed(client, "https://c.example")


def test_regex_with_a_comma_is_not_split(cors_client):
    client = cors_client(origins=r"https://a{1,2}\.example", lint_ignore=_QUIET)

    assert _allowed(client, "https://aa.example")
    assert not _allowed(client, "https://a.example,https://aa.example")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://Example.COM", "https://example.com"),
        ("https://example.com:443", "https://example.com"),
        ("http://example.com:8080", "http://example.com:8080"),
        ("https://bücher.example", "https://xn--bcher-kva.example"),
        ("http://[::1]:3000", "http://[::1]:3000"),
        ("http://[0:0::1]", "http://[::1]"),
        ("http://127.0.0.1:5000", "http://127.0.0.1:5000"),
        ("null", None),
        ("NULL", None),
        ("*", None),
        ("https://*.example.com", None),
        ("https://example.com/", None),
        ("https://example.com/path", None),
        ("example.com", None),
        ("https://example.com:99999", None),
        ("https://exa mple.com", None),
        ("https://a.com,https://b.com", None),
        ("https://[::1", None),
        ("https://[zz::1]", None),
        ("https://300.1.1.1", None),
        ("https://-bad.example", None),
        ("https://user@example.com", None),
        ("", None),
    ],
)
def test_serialize_origin_gives_what_a_browser_sends_or_none(text, expected):
    assert serialize_origin(text) == expected


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("*", "any"),
        (".*", "any"),
        ("null", "literal"),
        ("https://app.example.com", "literal"),
        ("http://[::1]:3000", "literal"),
        ("https://app.example.com/", "literal"),  # never matches: the lint says so
        ("https://*.example.com", "glob"),
        ("http://localhost:*", "glob"),
        ("https://*.example.com:*", "glob"),
        ("https://*.*.example.com", "broken"),
        ("https://*.co.uk", "broken"),
        ("https://*.10.0.0.1", "broken"),
        (r"https://.*\.example\.com", "regex"),
        (r"https://(a|b)\.example\.com:*", "regex"),
    ],
)
def test_read_origin_classifies_each_string_one_way(text, kind):
    assert read_origin(text).kind == kind


def test_parse_origin_keeps_the_written_port_for_the_lint():
    origin = parse_origin("https://example.com:443")

    assert origin is not None
    assert origin.port == 443
    assert origin.written() == "https://example.com:443"
    assert origin.serialize() == "https://example.com"


def test_glob_regex_is_none_for_what_is_no_glob():
    assert glob_regex("https://example.com") is None
    assert glob_regex(r"https://.*\.example\.com") is None
