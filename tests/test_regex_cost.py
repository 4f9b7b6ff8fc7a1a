"""No configured pattern can stall a worker: every match costs about linear time.

Patterns whose backtracking could explode run on RE2; the rest stay on ``re``. Timings are
asserted with a wide margin (the guarantee is about a millisecond; CI machines are slow), on
inputs that take ``re`` seconds.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from flask_cors import CORS, CORSConfigError
from flask_cors._regex import LinearPattern, compile_bounded, is_linear
from flask_cors.resources import path_matcher

pytestmark = pytest.mark.usefixtures("without_installed_plugins")

#: What runs on RE2 needs google-re2: skipped in the no-re2 session only (conftest.py).
RE2 = pytest.mark.re2

#: What one match may cost here: the guarantee is ~1 ms, this leaves room for slow machines.
BUDGET = 0.02

NESTED = r"https://([a-z0-9]+-?)+\.example\.com"


def slowest(call: Callable[[], object], repeat: int = 3) -> float:
    """The fastest of a few runs (noise only ever adds time)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return min(times)


def app_with(**kwargs: Any) -> Flask:
    app = Flask("costly")

    @app.route("/<path:anything>")
    def anything(anything: str) -> str:
        return "ok"

    CORS(app, **kwargs)
    return app


# --- the patterns of the report ----------------------------------------------------------


@pytest.mark.re2
@pytest.mark.parametrize("length", [27, 29, 31, 33, 1024])
def test_nested_quantifier_origin_regex_answers_a_long_hostile_origin_at_once(length: int) -> None:
    client = app_with(origins=[NESTED]).test_client()
    hostile = ("https://" + "a" * length)[: length - 1] + "!"

    took = slowest(lambda: client.get("/x", headers={"Origin": hostile}))

    assert took < BUDGET + 0.05  # the whole request, not only the match
    response = client.get("/x", headers={"Origin": hostile})
    assert "Access-Control-Allow-Origin" not in response.headers


@pytest.mark.re2
def test_nested_quantifier_origin_regex_still_allows_what_it_describes() -> None:
    client = app_with(origins=[NESTED]).test_client()
    for origin, allowed in [
        ("https://my-app.example.com", True),
        ("https://a1-b2-c3.example.com", True),
        ("https://my--app.example.com", False),
        ("https://evil.net", False),
    ]:
        response = client.get("/x", headers={"Origin": origin})
        assert (response.headers.get("Access-Control-Allow-Origin") == origin) is allowed, origin


@pytest.mark.re2
def test_polynomial_resource_pattern_answers_a_long_path_at_once() -> None:
    client = app_with(resources={r"/api/.*/.*/.*/export": {}}).test_client()
    path = "/api/" + "a/" * 497 + "x"

    took = slowest(lambda: client.get(path, headers={"Origin": "https://a.example"}))

    assert took < BUDGET + 0.05
    covered = client.get("/api/a/b/c/export", headers={"Origin": "https://a.example"})
    assert covered.headers["Access-Control-Allow-Origin"] == "https://a.example"
    assert "Access-Control-Allow-Origin" not in client.get(path).headers


@pytest.mark.re2
def test_costly_allow_headers_pattern_answers_a_long_header_name_at_once() -> None:
    client = app_with(allow_headers=[r"x-([a-z]+-?)+"]).test_client()
    name = "x-" + "a" * 4000 + "!"
    headers = {
        "Origin": "https://a.example",
        "Access-Control-Request-Method": "PUT",
        "Access-Control-Request-Headers": name,
    }

    took = slowest(lambda: client.options("/x", headers=headers))

    assert took < BUDGET + 0.05
    headers["Access-Control-Request-Headers"] = "x-trace-id"
    answer = client.options("/x", headers=headers)
    assert answer.headers["Access-Control-Allow-Headers"] == "x-trace-id"


# --- a generated family --------------------------------------------------------------------


def costly_family() -> list[tuple[str, str]]:
    """Patterns that make a backtracking engine explode, each with an input that does it."""
    family = []
    for atom in ("a", "[a-z]", r"\w", "."):
        family += [
            (f"({atom}+)+b", "a" * 40 + "!"),
            (f"({atom}*)*b", "a" * 40 + "!"),
            (f"({atom}|{atom}{atom})*b", "a" * 40 + "!"),
            (f"({atom}?){{25}}{atom}{{25}}", "a" * 25),
            (f"(?:{atom}*-)*{atom}*b", "a-" * 30 + "!"),
        ]
    for count in (2, 3, 4):
        family.append(("/x" + "/.*" * count + "/end", "/x" + "/" * 3000))
    return family


@pytest.mark.re2
@pytest.mark.parametrize(("pattern", "hostile"), costly_family())
def test_generated_costly_patterns_run_in_linear_time(pattern: str, hostile: str) -> None:
    compiled = compile_bounded("origins", "test", pattern, re.IGNORECASE)

    assert isinstance(compiled, LinearPattern)
    assert slowest(lambda: compiled.fullmatch(hostile * 20)) < BUDGET


@pytest.mark.parametrize(
    "pattern",
    [
        r"https://[a-z0-9-]+\.example\.com",
        r"https?://(www\.)?example\.(com|org)",
        r"http://localhost:\d+",
        r"https://.*\.partner\.example\.org",
        r"/users/\d+/posts/.*",
        r"/[^/]*/[^/]*/x",
        r"/api/v1/r001/*",
        r"x-[a-z]+-.*",
    ],
)
def test_everyday_patterns_stay_on_re_and_stay_fast(pattern: str) -> None:
    compiled = compile_bounded("origins", "test", pattern, re.IGNORECASE)

    assert is_linear(pattern, re.IGNORECASE)
    assert isinstance(compiled, re.Pattern)
    for hostile in ("a" * 8000 + "!", "/" * 8000 + "!", "https://" + "a." * 4000 + "!"):
        assert slowest(lambda h=hostile: compiled.fullmatch(h)) < BUDGET  # type: ignore[misc]


@pytest.mark.parametrize(
    ("glob", "origin"),
    [
        ("https://*.example.com", "https://a.b.example.com"),
        ("https://*.example.com:*", "https://a.example.com:8443"),
        ("http://*.localhost:*", "http://app.localhost:5173"),
    ],
)
def test_origin_glob_runs_on_re_and_answers_a_hostile_origin_at_once(
    glob: str, origin: str
) -> None:
    # security.md: a glob always runs on re, in linear time (its regex is written by
    # flask_cors; the shape check alone would send it to RE2).
    app = app_with(origins=[glob])
    client = app.test_client()
    options = app.extensions["cors"].scopes[0].table.resources[0].options
    scheme = origin.partition("://")[0]
    hostiles = [
        f"{scheme}://" + "a" * 1000 + "!",
        f"{scheme}://" + ("a-" * 31 + "a.") * 15 + "x",
        f"{scheme}://" + "a." * 500 + "example.co",
    ]

    (matcher,) = options.origins.patterns
    assert isinstance(matcher, re.Pattern)
    for hostile in hostiles:
        headers = {"Origin": hostile[:1024]}
        assert slowest(lambda h=headers: client.get("/x", headers=h)) < BUDGET + 0.05  # type: ignore[misc]
        assert "Access-Control-Allow-Origin" not in client.get("/x", headers=headers).headers
    allowed = client.get("/x", headers={"Origin": origin})
    assert allowed.headers["Access-Control-Allow-Origin"] == origin


def test_costly_pattern_with_a_lookaround_is_refused_at_start_up() -> None:
    with pytest.raises(CORSConfigError, match="linear-time engine") as caught:
        CORS(Flask("refused"), origins=[r"https://([a-z]+-?)+(?<!-)\.example\.com"])
    assert caught.value.option == "origins"
    assert "keyword arguments to CORS()" in str(caught.value)


@pytest.mark.re2
def test_a_compiled_costly_pattern_is_bounded_too() -> None:
    client = app_with(origins=[re.compile(NESTED)]).test_client()
    hostile = "https://" + "a" * 40 + "!"
    assert slowest(lambda: client.get("/x", headers={"Origin": hostile})) < BUDGET + 0.05


# --- resource patterns on RE2 keep their meaning -------------------------------------------


@pytest.mark.re2
@pytest.mark.parametrize(
    ("pattern", "path", "covered"),
    [
        (r"/api/(v|vv)+/items", "/api/vvv/items", True),
        (r"/api/(v|vv)+/items", "/api/vvv/items/5", True),
        (r"/api/(v|vv)+/items", "/api/vvv/itemsx", False),
        (r"/api/(v|vv)+/items", "/api/v3/items", False),
        (r"/api/(a|ab)+/", "/api/ab/x", True),
        (r"/api/(a|ab)+/", "/api/ab", False),
        (r"/api/.*/.*/export", "/api/a/b/export", True),
        (r"/api/.*/.*/export", "/api/a/b/export/csv", True),
        (r"/api/.*/.*/export", "/api/a/b/exports", False),
    ],
)
def test_resource_patterns_run_on_re2_cover_the_same_paths(
    pattern: str, path: str, covered: bool
) -> None:
    linear = path_matcher(pattern)
    backtracking = re.compile(rf"(?:{pattern})(?:(?<=/)|(?=/|\Z))")

    assert isinstance(linear, LinearPattern)
    assert bool(linear.match(path)) is covered
    assert bool(backtracking.match(path)) is covered


# --- inline and scoped flags are part of the shape ------------------------------------------

REPORTED = r"(?i)/api/[a-z]+X[a-z]+X[a-z]+"


@pytest.mark.parametrize(
    ("pattern", "flags", "stays_on_re"),
    [
        (r"/api/[a-z]+X[a-z]+X[a-z]+", 0, True),
        pytest.param(r"/api/[a-z]+X[a-z]+X[a-z]+", re.IGNORECASE, False, marks=RE2),
        pytest.param(REPORTED, 0, False, marks=RE2),
        pytest.param(r"(?i)/api/[a-z]+X[a-z]+X[a-z]+X[a-z]+", 0, False, marks=RE2),
        pytest.param(r"(?i:/api/[a-z]+X[a-z]+X[a-z]+)", 0, False, marks=RE2),
        pytest.param(r"/api/(?i:[a-z]+X[a-z]+X[a-z]+)", 0, False, marks=RE2),
        pytest.param(r"/api/[a-z]+(?i:X)[a-z]+(?i:X)[a-z]+", 0, False, marks=RE2),
        (r"(?-i:/api/[a-z]+X[a-z]+X[a-z]+)", re.IGNORECASE, True),
        (r"/api/(?-i:[a-z]+X[a-z]+X[a-z]+)", re.IGNORECASE, True),
        pytest.param(r"/api/[a-z]+(?-i:X)[a-z]+(?-i:X)[a-z]+", re.IGNORECASE, False, marks=RE2),
        (r"/x/.*\n.*\n.*", 0, True),
        pytest.param(r"(?s)/x/.*\n.*\n.*", 0, False, marks=RE2),
        pytest.param(r"/x/(?s:.*\n.*\n.*)", 0, False, marks=RE2),
        pytest.param(r"/x/.*\n.*\n.*", re.DOTALL, False, marks=RE2),
        (r"(?-s:/x/.*\n.*\n.*)", re.DOTALL, True),
        pytest.param(r"/x/\w+\u00e9\w+\u00e9\w+", 0, False, marks=RE2),
        (r"(?a)/x/\w+\u00e9\w+\u00e9\w+", 0, True),
        (r"/x/(?a:\w+\u00e9\w+\u00e9\w+)", 0, True),
        pytest.param(r"(?a)/x/(?u:\w+\u00e9\w+\u00e9\w+)", 0, False, marks=RE2),
    ],
)
def test_inline_and_scoped_flags_decide_the_engine(
    pattern: str, flags: int, stays_on_re: bool
) -> None:
    compiled = compile_bounded("resources", "test", pattern, flags)

    assert is_linear(pattern, flags) is stays_on_re
    assert isinstance(compiled, re.Pattern if stays_on_re else LinearPattern)


@pytest.mark.re2
@pytest.mark.parametrize(
    ("pattern", "hostile"),
    [
        (REPORTED, "/api/" + "x" * 400 + "!"),
        (r"(?i)/api/[a-z]+X[a-z]+X[a-z]+X[a-z]+", "/api/" + "x" * 200 + "!"),
    ],
)
def test_case_insensitive_resource_runs_on_re2_and_still_covers_its_paths(
    pattern: str, hostile: str
) -> None:
    client = app_with(resources={pattern: {}}).test_client()
    origin = {"Origin": "https://a.example"}

    assert isinstance(path_matcher(pattern), LinearPattern)
    assert "Access-Control-Allow-Origin" not in client.get(hostile, headers=origin).headers
    covered = client.get("/api/aXbxCXd", headers=origin)
    assert covered.headers["Access-Control-Allow-Origin"] == "https://a.example"


@pytest.mark.re2
@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("origins", re.compile(r"https://(?i:[a-z]+X[a-z]+X[a-z]+)\.example")),
        ("origins", r"(?s)https://.*\n.*\n.*"),
        ("allow_headers", r"(?s)x-.*\n.*\n.*"),
        ("allow_headers", re.compile(r"x-[a-z]+(?i:Q)[a-z]+(?i:Q)[a-z]+")),
    ],
)
def test_origin_and_header_patterns_are_judged_with_their_inline_flags(
    option: str, value: object
) -> None:
    # The lint would rightly call these origins too broad; the engine is what is tested.
    app = app_with(**{option: [value]}, lint_ignore=["origin-regex-too-broad"])
    options = app.extensions["cors"].scopes[0].table.resources[0].options

    (matcher,) = (options.origins if option == "origins" else options.allow_headers).patterns

    assert isinstance(matcher, LinearPattern)
