"""One reading of booleans and durations for the core and every plugin:
``flask_cors.options.parse_bool`` and ``parse_duration``."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask_cors_origin_registry import registry_for

from flask_cors import CORS, CORSConfigError
from flask_cors.options import parse_bool, parse_duration

ORIGIN = "https://a.example"


def takes_part(app: Flask, plugin: str) -> bool:
    infos = {info.name: info for info in app.extensions["cors"].pm.plugin_infos()}
    return infos[plugin].takes_part


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (600, 600),
        ("600", 600),
        (" 600 ", 600),
        (timedelta(minutes=10), 600),
        (0.25, 0.25),
        ("0.25", 0.25),
        (timedelta(milliseconds=250), 0.25),
    ],
)
def test_parse_duration_reads_seconds(value: object, expected: float) -> None:
    assert parse_duration("x", "here", value) == expected


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("1s", "expected seconds"),
        ("-1", "expected seconds"),
        (True, "expected seconds"),
        (None, "expected seconds"),
        (float("inf"), "expected seconds"),
        ("\u0661", "expected seconds"),  # an Arabic-Indic digit
        (-1, "must not be negative"),
        (timedelta(seconds=-1), "must not be negative"),
    ],
)
def test_parse_duration_refuses_what_is_no_duration(value: object, problem: str) -> None:
    with pytest.raises(CORSConfigError) as caught:
        parse_duration("x", "here", value)
    assert (caught.value.option, caught.value.source) == ("x", "here")
    assert problem in caught.value.problem


@pytest.mark.parametrize("value", [0.5, "0.5", timedelta(milliseconds=500)])
def test_whole_durations_refuse_a_fraction(value: object) -> None:
    with pytest.raises(CORSConfigError):
        parse_duration("max_age", "here", value, whole=True)
    assert parse_duration("max_age", "here", "5", whole=True) == 5


@pytest.mark.parametrize(
    ("value", "accepted"),
    [(600, True), ("600", True), (timedelta(minutes=10), True), ("1s", False), (-1, False)],
)
def test_the_core_and_the_registry_read_durations_alike(
    value: object, accepted: bool, tmp_path: Path
) -> None:
    """``max_age`` and ``CORS_REGISTRY_CACHE_TTL`` accept and refuse the same values."""

    def core() -> None:
        CORS(Flask("core"), max_age=value, plugin_discovery=False)

    def registry() -> None:
        app = Flask("registry")
        app.config["CORS_REGISTRY_URL"] = f"sqlite:///{tmp_path / 'r.sqlite3'}"
        app.config["CORS_REGISTRY_CACHE_TTL"] = value
        CORS(app)
        assert registry_for(app).cache.ttl == 600

    for build in (core, registry):
        if accepted:
            build()
        else:
            with pytest.raises(CORSConfigError):
                build()


@pytest.mark.parametrize(
    ("word", "value"),
    [
        *[(word, True) for word in ("true", "Yes", " on ", "1")],
        *[(word, False) for word in ("false", "NO", "off", "0")],
    ],
)
def test_the_core_and_the_audit_log_read_booleans_alike(word: str, value: bool) -> None:
    assert parse_bool("x", "here", word) is value
    app = Flask("audited")
    app.config["CORS_AUDIT_ENABLED"] = word
    app.config["CORS_VARY_HEADER"] = word
    CORS(app)
    assert takes_part(app, "audit_log") is value
    app.add_url_rule("/", "index", lambda: "ok")
    response = app.test_client().get("/", headers={"Origin": ORIGIN})
    assert ("Vary" in response.headers) is value


@pytest.mark.parametrize("value", ["maybe", 1, None])
def test_the_audit_log_refuses_what_the_core_refuses(value: object) -> None:
    with pytest.raises(CORSConfigError):
        CORS(Flask("core"), vary_header=value, plugin_discovery=False)
    app = Flask("audited")
    app.config["CORS_AUDIT_ENABLED"] = value
    with pytest.raises(CORSConfigError, match="CORS_AUDIT_ENABLED"):
        CORS(app)
