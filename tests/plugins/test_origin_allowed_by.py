"""The decision record names the plugin whose ``match_origin`` allowed the ``Origin``
(``origin_allowed_by``): ``"origins"`` for the resource's own option, else the plugin."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import pytest
from flask import Flask
from plugin_apps import Recorder

from flask_cors import CORS, hookimpl

LISTED = "https://listed.example"
PARTNER = "https://partner.example"


class Partners:
    """Allows ``PARTNER``; no opinion on any other origin."""

    __name__ = "partners"

    @hookimpl
    def match_origin(self, origin: str) -> bool | None:
        return True if origin == PARTNER else None


class Wrapper:
    """A wrapper on ``match_origin``: pluggy's caller then answers for every plugin."""

    __name__ = "wrapper"

    @hookimpl(wrapper=True)
    def match_origin(self) -> Generator[None, Any, Any]:
        return (yield)


def decisions_for(*plugins: object, origins: object = (LISTED,), **requests: str) -> list[Any]:
    recorder = Recorder()
    app = Flask("allowed_by")
    CORS(app, origins=list(origins), plugins=[*plugins, recorder], plugin_discovery=False)

    @app.route("/", methods=["GET", "PUT"])
    def index() -> str:
        return "ok"

    client = app.test_client()
    for origin in requests.values():
        client.get("/", headers={"Origin": origin})
    client.options("/", headers={"Origin": PARTNER, "Access-Control-Request-Method": "PUT"})
    return [(d.outcome, d.origin_allowed_by) for d in recorder.decisions]


def test_the_resources_own_origins_are_named_origins() -> None:
    assert decisions_for(listed=LISTED, other="https://other.example") == [
        ("allowed", "origins"),
        ("denied", None),
        ("denied", None),  # the preflight from PARTNER
    ]


def test_a_plugin_that_allowed_the_origin_is_named(hook_path: str) -> None:
    by_plugin = "partners" if hook_path == "direct" else "partners or origins"
    by_option = "origins" if hook_path == "direct" else "partners or origins"
    assert decisions_for(Partners(), partner=PARTNER, listed=LISTED) == [
        ("allowed", by_plugin),
        ("allowed", by_option),
        ("allowed", by_plugin),  # the preflight
    ]


def test_through_pluggys_caller_every_implementing_plugin_is_named() -> None:
    assert decisions_for(Partners(), Wrapper(), partner=PARTNER)[0] == (
        "allowed",
        "wrapper or partners or origins",  # in pluggy's call order
    )


def test_no_plugin_is_named_where_no_match_origin_allowed() -> None:
    """Any origin with send_wildcard: a malformed Origin gets the same '*' as everyone,
    and no match_origin allowed it."""
    recorder = Recorder()
    app = Flask("wildcard")
    CORS(app, send_wildcard=True, plugins=[recorder], plugin_discovery=False)
    app.add_url_rule("/", "index", lambda: "ok")
    client = app.test_client()
    client.get("/", headers={"Origin": "https://a b.example"})
    client.get("/")
    assert [(d.outcome, d.origin_allowed_by) for d in recorder.decisions] == [
        ("allowed", None),
        ("not_cors", None),
    ]


@pytest.mark.parametrize("outcome", ["allowed", "denied"])
def test_as_dict_carries_the_field(outcome: str) -> None:
    origin = LISTED if outcome == "allowed" else "https://other.example"
    recorder = Recorder()
    app = Flask("as_dict")
    CORS(app, origins=[LISTED], plugins=[recorder], plugin_discovery=False)
    app.add_url_rule("/", "index", lambda: "ok")
    app.test_client().get("/", headers={"Origin": origin})
    (decision,) = recorder.decisions
    expected = "origins" if outcome == "allowed" else None
    assert decision.as_dict()["origin_allowed_by"] == expected
