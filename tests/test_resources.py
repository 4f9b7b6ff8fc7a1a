"""Resource patterns: which request paths get which options."""

from __future__ import annotations

import re

import pytest
from flask import Flask, request

from flask_cors import CORS

pytestmark = pytest.mark.usefixtures("without_installed_plugins")


def tagged_app(resources: object) -> Flask:
    """A catch-all app where every resource allows exactly one origin: its tag.

    A request then shows which resource won by the ``Access-Control-Allow-Origin`` it gets
    back when it sends no ``Origin`` (``always_send`` with one literal origin).
    """
    app = Flask("resources")

    @app.route("/")
    @app.route("/<path:anything>")
    def catch_all(anything: str = "") -> str:
        return request.path

    CORS(app, resources=resources)
    return app


def winner(app: Flask, path: str) -> str | None:
    value = app.test_client().get(path).headers.get("Access-Control-Allow-Origin")
    return value.removeprefix("https://") if value else None


def tag(name: str) -> dict[str, str]:
    return {"origins": f"https://{name}"}


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/api", "api"),
        ("/api/", "api"),
        ("/api/x", "api"),
        ("/api/x/y", "api"),
        ("/apiary", None),
        ("/ap", None),
        ("/x/api/y", None),
        ("/API/x", None),
        ("/Api", None),
    ],
)
def test_glob_like_pattern_matches_from_start_on_segment_boundary(path, expected):
    app = tagged_app({r"/api/*": tag("api")})

    assert winner(app, path) == expected


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("/docs", "/docs", "docs"),
        ("/docs", "/docs/", None),
        ("/docs", "/docs/page", None),
        ("/docs", "/docsearch", None),
        ("/docs", "/doc", None),
        ("/docs", "/DOCS", None),
        ("/api/v1.0", "/api/v1.0", "docs"),
        ("/api/v1.0", "/api/v1x0", None),
        ("/api/v1.0", "/api/v1.0/private", None),
        ("/a+b", "/a+b", "docs"),
        ("/a+b", "/aab", None),
    ],
)
def test_literal_pattern_matches_exactly_that_path(pattern, path, expected):
    app = tagged_app({pattern: tag("docs")})

    assert winner(app, path) == expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/api", "api"),
        ("/api/users", "api"),
        ("/api/v1", "v1"),
        ("/api/v1/users", "v1"),
        ("/api/v1/special", "special"),
        ("/api/v1/special/sub", "spec-pattern"),
        ("/api/v1/specific", "spec-pattern"),
        ("/api/v1/spec", "spec-pattern"),
        ("/api/v10", "api"),
        ("/elsewhere", "fallback"),
        ("/", "fallback"),
    ],
)
@pytest.mark.parametrize("reverse", [False, True], ids=["declared", "reversed"])
def test_most_specific_resource_wins(path, expected, reverse):
    resources = {
        r"/*": tag("fallback"),
        r"/api/*": tag("api"),
        r"/api/v1/*": tag("v1"),
        r"/api/v1/spec.*": tag("spec-pattern"),
        r"/api/v1/special": tag("special"),
    }
    if reverse:
        resources = dict(reversed(resources.items()))
    app = tagged_app(resources)

    assert winner(app, path) == expected


@pytest.mark.parametrize("reverse", [False, True], ids=["pattern-first", "literal-first"])
def test_literal_beats_pattern_with_the_same_prefix(reverse):
    resources = {r"/docs.*": tag("pattern"), "/docs": tag("literal")}
    if reverse:
        resources = dict(reversed(resources.items()))
    app = tagged_app(resources)

    assert winner(app, "/docs") == "literal"
    assert winner(app, "/docs/page") == "pattern"
    assert winner(app, "/docsearch") == "pattern"


@pytest.mark.parametrize(
    ("resources", "expected"),
    [
        ({r"/v[0-9]+": tag("first"), r"/v\d+": tag("second")}, "first"),
        ({r"/v\d+": tag("second"), r"/v[0-9]+": tag("first")}, "second"),
    ],
)
def test_declaration_order_breaks_remaining_ties(resources, expected):
    app = tagged_app(resources)

    assert winner(app, "/v2") == expected


@pytest.mark.parametrize(
    ("resources", "path", "expected"),
    [
        (r"/a\+b", "/a+b", True),
        (r"/a\+b", "/a%2Bb", True),
        (r"/a\+b", "/a%20b", False),
        (r"/a b", "/a%20b", True),
        (r"/a b", "/a+b", False),
        (r"/x%2Fy", "/x%252Fy", True),
        (r"/x%2Fy", "/x%2Fy", False),
        (r"/x/y", "/x%2Fy", True),
        (r"/x/y", "/x%252Fy", False),
        (r"/caf\u00e9", "/caf%C3%A9", True),
    ],
)
def test_path_is_the_routers_path(resources, path, expected):
    app = tagged_app({resources: tag("hit")})

    assert (winner(app, path) == "hit") is expected


def test_router_path_is_what_the_view_sees():
    app = tagged_app(r"/nothing")

    assert app.test_client().get("/a+b%2Bc%252F").data == b"/a+b+c%2F"


@pytest.mark.parametrize(
    ("resources", "path", "expected"),
    [
        ("/api/*", "/api/x", True),
        ("/api/*", "/other", False),
        (["/api/*", "/public/*"], "/public/x", True),
        (["/api/*", "/public/*"], "/private/x", False),
        (("/api/*",), "/api/x", True),
        (re.compile(r"/API/.*", re.IGNORECASE), "/api/x", True),
        (re.compile(r"/API/.*"), "/api/x", False),
        ([re.compile(r"/a/.*")], "/a/b", True),
        ("(?i)/api/.*", "/API/x", True),
        ("(?i)/api", "/API/x", True),
        ("(?i)/api", "/APIary", False),
        ("*", "/anything/at/all", True),
        ("", "/anything", True),
        (r"/.*", "/anything", True),
        ({r"/a/*": {}, r"/b/*": {}}, "/b/x", True),
        ({r"/a/*": {}, r"/b/*": {}}, "/c/x", False),
        ({re.compile(r"/c/.*"): {}}, "/c/x", True),
        ({}, "/anything", False),
        ([], "/anything", False),
    ],
)
def test_resources_given_as_string_list_pattern_or_dict(resources, path, expected):
    app = Flask("shapes")

    @app.route("/<path:anything>")
    def catch_all(anything: str) -> str:
        return "x"

    CORS(app, resources=resources)

    response = app.test_client().get(path, headers={"Origin": "https://c.example"})

    assert ("Access-Control-Allow-Origin" in response.headers) is expected


def test_default_resources_cover_every_path(cors_client):
    client = cors_client()

    for path in ("/", "/api/items", "/deep/nested/path"):
        assert client.get(path, headers={"Origin": "https://c.example"}).headers[
            "Access-Control-Allow-Origin"
        ] == ("https://c.example")


def test_repeated_requests_resolve_the_same_way():
    app = tagged_app({r"/api/*": tag("api"), r"/*": tag("fallback")})

    answers = [winner(app, path) for path in ["/api/x", "/other", "/api/x", "/other"] * 3]

    assert answers == ["api", "fallback", "api", "fallback"] * 3


def test_long_paths_resolve_like_short_ones():
    app = tagged_app({r"/api/*": tag("api"), r"/*": tag("fallback")})
    long_tail = "/".join(["segment"] * 100)

    assert winner(app, f"/api/{long_tail}") == "api"
    assert winner(app, f"/api/{long_tail}") == "api"
    assert winner(app, f"/other/{long_tail}") == "fallback"


def test_more_distinct_paths_than_the_cache_holds_still_resolve():
    app = tagged_app({r"/api/*": tag("api"), r"/*": tag("fallback")})
    client = app.test_client()

    answers = {
        client.get(f"/api/{number}").headers["Access-Control-Allow-Origin"]
        for number in range(4200)
    }

    assert answers == {"https://api"}
    assert winner(app, "/other/0") == "fallback"
    assert winner(app, "/api/0") == "api"


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("/test_acl*", "/test_acl_abort_404", True),
        ("/test_acl*", "/test_acl", True),
        ("/test_acl*", "/test_ac", False),
        ("/api*", "/api_v2", True),
        ("/api*", "/api/items", True),
        ("/api*", "/other/api", False),
        ("/api/*", "/api", True),
        ("/api/*", "/api/items/1", True),
        ("/api/*", "/apiary", False),
        ("/api/*", "/api_v2", False),
        ("/api/.*", "/api", True),
        ("/api/.*", "/api/items/1", True),
        ("/api/.*", "/apiary", False),
    ],
)
def test_pattern_ending_in_star_covers_what_its_writer_meant(pattern, path, expected):
    app = tagged_app({pattern: tag("star")})

    assert (winner(app, path) == "star") is expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/api/v1", "folder"),
        ("/api", "folder"),
        ("/api_v2", "starts-with"),
        ("/apiary", "starts-with"),
    ],
)
def test_folder_pattern_and_starts_with_pattern_rank_by_their_literal_prefix(path, expected):
    app = tagged_app({"/api*": tag("starts-with"), "/api/*": tag("folder")})

    assert winner(app, path) == expected


@pytest.mark.parametrize(
    "admin",
    [
        "^/api/admin/.*",
        r"\A/api/admin/.*",
        "(?i)^/api/admin/.*",
        "^^/api/admin/.*",
        re.compile("^/api/admin/.*"),
        re.compile("/api/admin/.*", re.IGNORECASE),
    ],
    ids=[
        "caret",
        "backslash-A",
        "flag-then-caret",
        "double-caret",
        "compiled-caret",
        "compiled-flag",
    ],
)
@pytest.mark.parametrize("reverse", [False, True], ids=["declared", "reversed"])
def test_anchored_pattern_keeps_its_rank(admin, reverse):
    entries = [("/api/*", tag("public")), (admin, tag("admin"))]
    app = tagged_app(dict(reversed(entries) if reverse else entries))

    assert winner(app, "/api/admin/users") == "admin"
    assert winner(app, "/api/items") == "public"


@pytest.mark.parametrize(
    "admin",
    [
        r"/api\/admin\/.*",
        r"\/api\/admin\/.*",
        r"(?:/api)/admin/.*",
        r"(?:/api/admin)(?:/.*)?",
        r"/api/(?:admin)/.*",
        re.compile(r"\/api\/admin\/.*"),
    ],
    ids=["escaped-inner", "escaped-all", "group-head", "group-folder", "group-word", "compiled"],
)
@pytest.mark.parametrize("reverse", [False, True], ids=["declared", "reversed"])
def test_pattern_ranks_by_what_it_can_match_not_by_its_spelling(admin, reverse):
    entries = [("/api/*", tag("public")), (admin, tag("admin"))]
    app = tagged_app(dict(reversed(entries) if reverse else entries))

    assert winner(app, "/api/admin/users") == "admin"
    assert winner(app, "/api/admin") == "admin"
    assert winner(app, "/api/items") == "public"


def test_escaped_slashes_do_not_demote_an_admin_resource_behind_any_origin(cors_client):
    admin = "https://admin.example"
    client = cors_client(
        resources={
            r"/api/*": {"origins": "*"},
            r"/api\/admin\/.*": {"origins": [admin], "supports_credentials": True},
        }
    )

    evil = client.get("/api/admin/users", headers={"Origin": "https://evil.example"})
    good = client.get("/api/admin/users", headers={"Origin": admin})

    assert "Access-Control-Allow-Origin" not in evil.headers
    assert good.headers["Access-Control-Allow-Origin"] == admin
