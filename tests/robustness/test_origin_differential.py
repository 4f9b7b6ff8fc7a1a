"""Differential property: the default origin matcher, driven through real requests, agrees
with the reference model in ``robustness_support.model_origin_allows``."""

from __future__ import annotations

import re
from collections.abc import Sequence

import pytest
from flask import Flask
from hypothesis import given
from hypothesis import strategies as st
from robustness_strategies import hostile_origin, plausible_origin, raw_text
from robustness_support import (
    ACAO,
    OriginEntry,
    add_routes,
    call,
    is_serialized_origin_shape,
    make_environ,
    model_origin_allows,
    new_app,
    scaled,
)

from flask_cors import CORS

TABLE: dict[str, tuple[OriginEntry, ...]] = {
    "literals": (
        "https://app.example.com",
        "http://localhost:8080",
        "https://MiXeD.Example.org",
        "null",
        "https://a.example.com:8443",
    ),
    "regexes": (
        r"https://[a-z0-9-]+\.example\.com",
        r"https://.*\.wild\.test",
        r"http://localhost:\d{2,5}",
        r"https://(app|admin)\.corp\.test|http://legacy\.corp\.test",
        r"^https://anchored\.test$",
        re.compile(r"https://Cased\.example"),
        re.compile(r"https://flagged\.example", re.IGNORECASE),
    ),
    "mixed": (
        "https://app.example.com",
        r"https://[a-z]+\.mixed\.test",
        re.compile(r"http://127\.0\.0\.1:\d+"),
    ),
    "any": ("*",),
    "any_and_literal": ("https://app.example.com", "*"),
}


def _entry_regex(entry: OriginEntry) -> re.Pattern[str]:
    if isinstance(entry, re.Pattern):
        return entry
    if entry == "*":
        return re.compile(r"[a-z]+://[a-z.]+")
    if any(c in entry for c in "*\\]?$^[(){}|+"):
        return re.compile(entry, re.IGNORECASE)
    return re.compile(re.escape(entry), re.IGNORECASE)


def _mutations(value: str) -> list[str]:
    return [
        value,
        value.upper(),
        value.swapcase(),
        value + "/",
        value + ".evil.net",
        value + ":1",
        "x" + value,
        value[:-1],
        value.replace("https", "http", 1),
        value.replace(".", "x", 1),
        value + "\r\n",
        value + " ",
    ]


def origins_for(entries: Sequence[OriginEntry]) -> st.SearchStrategy[str]:
    """Origins near the configured ones: matches, near misses and noise."""
    matching = [st.from_regex(_entry_regex(e), fullmatch=True) for e in entries]
    near = st.one_of(*matching).flatmap(lambda v: st.sampled_from(_mutations(v)))
    return st.one_of(*matching, near, plausible_origin, hostile_origin, raw_text)


_APPS: dict[str, Flask] = {}


def app_for(name: str, entries: Sequence[OriginEntry]) -> Flask:
    app = _APPS.get(name)
    if app is None:
        app = new_app(f"differential_{name}")
        add_routes(app)
        CORS(app, origins=list(entries))
        _APPS[name] = app
    return app


def decided(app: Flask, origin: str) -> tuple[bool, bool]:
    """(allowed on an actual request, allowed on a preflight) for ``origin``."""
    actual = call(app, make_environ("/items", "GET", {"Origin": origin}))
    preflight = call(
        app,
        make_environ(
            "/items",
            "OPTIONS",
            {"Origin": origin, "Access-Control-Request-Method": "PUT"},
        ),
    )
    results = []
    for result in (actual, preflight):
        values = result.all(ACAO)
        assert values in ([], [origin]), (values, origin)
        results.append(bool(values))
    return results[0], results[1]


def expected(entries: Sequence[OriginEntry], origin: str) -> bool:
    return is_serialized_origin_shape(origin) and model_origin_allows(entries, origin)


@pytest.mark.parametrize("name", sorted(TABLE))
@scaled(400)
@given(data=st.data())
def test_matcher_agrees_with_model(name: str, data: st.DataObject) -> None:
    entries = TABLE[name]
    origin = data.draw(origins_for(entries), label="origin")
    want = expected(entries, origin)
    assert decided(app_for(name, entries), origin) == (want, want), (origin, entries)


_literal_origin = st.builds(
    lambda scheme, host, port: f"{scheme}://{host}{port}",
    st.sampled_from(["http", "https", "HTTP"]),
    st.from_regex(r"[a-zA-Z0-9-]{1,8}(\.[a-zA-Z0-9-]{1,8}){0,2}", fullmatch=True),
    st.sampled_from(["", ":8080", ":1"]),
)
_regex_pool: list[OriginEntry] = [
    r"https://[a-z0-9-]+\.example\.com",
    r"https?://localhost(:\d+)?",
    r"https://x\.test|https://y\.test",
    r"https://.+\.deep\.test",
    re.compile(r"https://Strict\.test"),
]


@scaled(150)
@given(
    entries=st.lists(
        st.one_of(_literal_origin, st.sampled_from(_regex_pool)), min_size=1, max_size=5
    ),
    data=st.data(),
)
def test_matcher_agrees_with_model_for_generated_lists(
    entries: list[OriginEntry], data: st.DataObject
) -> None:
    app = new_app("differential_generated")
    add_routes(app)
    CORS(app, origins=list(entries))
    for _ in range(5):
        origin = data.draw(origins_for(entries), label="origin")
        want = expected(entries, origin)
        assert decided(app, origin) == (want, want), (origin, entries)


def test_model_knows_the_classic_traps() -> None:
    entries = TABLE["regexes"]
    assert not model_origin_allows(entries, "https://a.example.com.evil.net")
    assert not model_origin_allows(entries, "https://admin.corp.test.evil.net")
    assert model_origin_allows(entries, "HTTPS://A.EXAMPLE.COM")
    assert not model_origin_allows(entries, "https://cased.example")
    assert model_origin_allows(entries, "https://FLAGGED.example")
    app = app_for("regexes", entries)
    assert decided(app, "https://a.example.com.evil.net") == (False, False)
    assert decided(app, "https://app.corp.test") == (True, True)
