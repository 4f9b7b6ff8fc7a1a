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


@pytest.mark.parametrize("length", [27, 29, 31, 33, 1024])
def test_nested_quantifier_origin_regex_answers_a_long_hostile_origin_at_once(length: int) -> None:
    client = app_with(origins=[NESTED]).test_client()
    hostile = ("https://" + "a" * length)[: length - 1] + "!"

    took = slowest(lambda: client.get("/x", headers={"Origin": hostile}))

    assert took < BUDGET + 0.05  # the whole request, not only the match
    response = client.get("/x", headers={"Origin": hostile})
    assert "Access-Control-Allow-Origin" not in response.headers


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


def test_polynomial_resource_pattern_answers_a_long_path_at_once() -> None:
    client = app_with(resources={r"/api/.*/.*/.*/export": {}}).test_client()
    path = "/api/" + "a/" * 497 + "x"

    took = slowest(lambda: client.get(path, headers={"Origin": "https://a.example"}))

    assert took < BUDGET + 0.05
    covered = client.get("/api/a/b/c/export", headers={"Origin": "https://a.example"})
    assert covered.headers["Access-Control-Allow-Origin"] == "https://a.example"
    assert "Access-Control-Allow-Origin" not in client.get(path).headers


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


def test_costly_pattern_with_a_lookaround_is_refused_at_start_up() -> None:
    with pytest.raises(CORSConfigError, match="linear-time engine") as caught:
        CORS(Flask("refused"), origins=[r"https://([a-z]+-?)+(?<!-)\.example\.com"])
    assert caught.value.option == "origins"
    assert "keyword arguments to CORS()" in str(caught.value)


def test_a_compiled_costly_pattern_is_bounded_too() -> None:
    client = app_with(origins=[re.compile(NESTED)]).test_client()
    hostile = "https://" + "a" * 40 + "!"
    assert slowest(lambda: client.get("/x", headers={"Origin": hostile})) < BUDGET + 0.05


# --- resource patterns on RE2 keep their meaning -------------------------------------------


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
