"""Plugins that fail, lie or observe: the pipeline fails closed and records what happened."""

from __future__ import annotations

import logging
from collections.abc import Mapping

import pytest
from flask import Request
from plugin_apps import ALLOWED, PREFLIGHT, Recorder, cors_headers, make_app, request_for

from flask_cors import hookimpl
from flask_cors.decision import Decision

ACAO = "Access-Control-Allow-Origin"


class Boom(RuntimeError):
    pass


class RaisesIn:
    """A plugin that raises in one hook (and has no opinion elsewhere)."""

    def __init__(self, hook: str) -> None:
        self.hook = hook

    def _maybe(self, hook: str) -> None:
        if hook == self.hook:
            raise Boom(f"plugin failed in {hook}")

    @hookimpl
    def resolve_options(self) -> None:
        self._maybe("resolve_options")

    @hookimpl
    def match_origin(self) -> None:
        self._maybe("match_origin")

    @hookimpl
    def build_preflight(self) -> None:
        self._maybe("build_preflight")

    @hookimpl
    def build_response(self) -> None:
        self._maybe("build_response")

    @hookimpl
    def vary(self) -> None:
        self._maybe("vary")


DECISION_HOOKS = ["resolve_options", "match_origin", "build_preflight", "build_response", "vary"]


@pytest.mark.parametrize("hook", DECISION_HOOKS)
def test_a_failing_plugin_fails_closed(hook: str, caplog: pytest.LogCaptureFixture) -> None:
    recorder = Recorder()
    client = make_app(RaisesIn(hook), recorder).test_client()
    with caplog.at_level(logging.ERROR, logger="flask_cors"):
        response = request_for(client, hook)
    assert response.status_code == 200
    assert cors_headers(response) == {}
    assert response.headers["Vary"] == "Origin"
    errors = [r for r in caplog.records if r.name == "flask_cors" and r.levelno == logging.ERROR]
    assert len(errors) == 1
    assert errors[0].exc_info is not None
    assert errors[0].exc_info[0] is Boom
    assert "without CORS headers" in errors[0].getMessage()
    (decision,) = recorder.decisions
    assert decision.outcome == "error"
    assert decision.reason == "plugin error: Boom"
    assert decision.headers == {"Vary": "Origin"}
    assert decision.origin == ALLOWED


@pytest.mark.parametrize("hook", DECISION_HOOKS)
def test_raise_plugin_errors_makes_it_raise(hook: str) -> None:
    client = make_app(RaisesIn(hook), raise_plugin_errors=True).test_client()
    with pytest.raises(Boom):
        request_for(client, hook)


def test_the_app_keeps_serving_after_a_failure() -> None:
    class FailsOnce:
        failed = False

        @hookimpl
        def match_origin(self) -> None:
            if not self.failed:
                self.failed = True
                raise Boom("transient")

    client = make_app(FailsOnce()).test_client()
    assert cors_headers(client.get("/", headers={"Origin": ALLOWED})) == {}
    assert client.get("/", headers={"Origin": ALLOWED}).headers["Access-Control-Allow-Origin"] == (
        ALLOWED
    )


@pytest.mark.parametrize(
    ("hook", "headers"),
    [
        ("build_response", {"Access-Control-Allow-Origin": f"{ALLOWED}\r\nSet-Cookie: a=b"}),
        ("build_response", {"Access-Control-Allow-Origin": f"{ALLOWED}\nX-Injected: 1"}),
        ("build_response", {"X-Bad Name": "1"}),
        ("build_response", {"X-Bad-Value": "a\x00b"}),
        ("build_preflight", {"Access-Control-Allow-Origin": f"{ALLOWED}\rX: y"}),
    ],
)
def test_a_plugin_returning_an_unsafe_header_fails_closed(
    hook: str, headers: Mapping[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    class Injects:
        pass

    def build(self: object) -> Mapping[str, str]:
        return headers

    setattr(Injects, hook, hookimpl(build))
    recorder = Recorder()
    client = make_app(Injects(), recorder).test_client()
    with caplog.at_level(logging.ERROR, logger="flask_cors"):
        response = request_for(client, hook)
    assert response.status_code == 200
    assert cors_headers(response) == {}
    assert "Set-Cookie" not in response.headers
    assert "X-Injected" not in response.headers
    assert response.headers["Vary"] == "Origin"
    assert recorder.decisions[0].outcome == "error"
    assert recorder.decisions[0].reason == "plugin error: CORSPluginError"
    (error,) = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert hook in error.getMessage()
    assert "Injects" in error.getMessage()  # the plugin, registered without a name


# --- observers ---------------------------------------------------------------------------


def test_observers_cannot_change_the_response(caplog: pytest.LogCaptureFixture) -> None:
    class Meddler:
        @hookimpl
        def observe_decision(self, decision: Decision, request: Request) -> dict[str, str]:
            decision.headers["Access-Control-Allow-Origin"] = "*"  # type: ignore[index]
            return {"X-Observer": "1"}

    class Raises:
        @hookimpl
        def observe_decision(self) -> None:
            raise Boom("observer failed")

    plain = make_app().test_client().get("/", headers={"Origin": ALLOWED})
    with caplog.at_level(logging.ERROR, logger="flask_cors"):
        observed = make_app(Meddler()).test_client().get("/", headers={"Origin": ALLOWED})
        raising = make_app(Raises()).test_client().get("/", headers={"Origin": ALLOWED})
    for response in (observed, raising):
        assert response.status_code == 200
        assert dict(response.headers) == dict(plain.headers)
        assert response.get_data() == b"body"
    messages = [r for r in caplog.records if "observer failed" in r.getMessage()]
    assert len(messages) == 2
    assert {r.exc_info[0] for r in messages if r.exc_info} == {TypeError, Boom}


def test_observer_errors_raise_with_raise_plugin_errors() -> None:
    class Raises:
        @hookimpl
        def observe_decision(self) -> None:
            raise Boom("observer failed")

    client = make_app(Raises(), raise_plugin_errors=True).test_client()
    with pytest.raises(Boom):
        client.get("/", headers={"Origin": ALLOWED})


def test_a_failing_observer_does_not_hide_the_record_from_later_ones() -> None:
    class Raises:
        @hookimpl(tryfirst=True)
        def observe_decision(self) -> None:
            raise Boom("first observer failed")

    recorder = Recorder()
    response = make_app(recorder, Raises()).test_client().get("/", headers={"Origin": ALLOWED})
    # Each observer is called on its own: the one after the failing one still gets the
    # record, and the response is not affected.
    assert [d.outcome for d in recorder.decisions] == ["allowed"]
    assert response.headers[ACAO] == ALLOWED


# --- decision records --------------------------------------------------------------------


def test_decision_record_for_each_outcome() -> None:
    recorder = Recorder()
    app = make_app(recorder, resources={r"/api/*": {"origins": [ALLOWED]}})

    @app.get("/api/x")
    def api() -> str:
        return "api"

    client = app.test_client()
    client.get("/api/x", headers={"Origin": ALLOWED})
    client.get("/api/x", headers={"Origin": "https://evil.example"})
    client.get("/api/x")
    client.get("/", headers={"Origin": ALLOWED})
    client.options("/api/x", headers={**PREFLIGHT, "Access-Control-Request-Headers": "X-A"})
    client.options("/api/x", headers={"Origin": ALLOWED, "Access-Control-Request-Method": "BAD M"})
    outcomes = [(d.outcome, d.reason) for d in recorder.decisions]
    assert outcomes == [
        ("allowed", "origin allowed"),
        ("denied", "origin not allowed"),
        ("not_cors", "the request has no Origin; always_send is on"),
        ("not_cors", "no resource matches the path"),
        ("allowed", "preflight allowed"),
        ("denied", "Access-Control-Request-Method is not a method name"),
    ]
    allowed, denied, no_origin, no_resource, preflight, _ = recorder.decisions
    assert allowed.resource == "/api/*"
    assert allowed.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert allowed.headers["Vary"] == "Origin"
    assert allowed.preflight is False
    assert "Access-Control-Allow-Origin" not in denied.headers
    assert denied.origin == "https://evil.example"
    assert no_origin.origin is None
    assert no_resource.resource is None
    assert no_resource.headers == {}
    assert preflight.preflight is True
    assert preflight.method == "OPTIONS"
    assert preflight.headers["Access-Control-Allow-Headers"].lower() == "x-a"
    with pytest.raises(TypeError):
        preflight.headers["X"] = "y"  # type: ignore[index]
    assert set(allowed.as_dict()) == {
        "outcome",
        "reason",
        "method",
        "path",
        "origin",
        "resource",
        "preflight",
        "headers",
        "origin_allowed_by",
    }


def test_decision_record_escapes_the_origin_and_path() -> None:
    recorder = Recorder()
    client = make_app(recorder).test_client()
    hostile = "https://a.example\r\nX: 1\u202e\x00\\"
    client.get(
        "/%0a%1b[31m",
        environ_overrides={"HTTP_ORIGIN": hostile.encode().decode("latin-1")},
    )
    (decision,) = recorder.decisions
    assert decision.outcome == "denied"
    assert decision.reason == "the Origin is not a valid serialized origin"
    assert decision.origin is not None
    assert decision.origin.isascii()
    assert decision.origin.isprintable()
    assert decision.origin.startswith("https://a.example\\r\\nX: 1")
    assert decision.origin.endswith("\\\\")
    assert decision.path.isprintable()
    assert "\\n" in decision.path
    assert "\\x1b" in decision.path


def test_failed_record_keeps_the_escaped_origin() -> None:
    recorder = Recorder()
    client = make_app(RaisesIn("match_origin"), recorder).test_client()
    client.get("/", headers={"Origin": "https://caf\u00e9.example".encode().decode("latin-1")})
    (decision,) = recorder.decisions
    # A non-ASCII origin is refused before any plugin sees it.
    assert decision.outcome == "denied"
    assert decision.origin is not None
    assert decision.origin.isascii()


def test_plugin_header_value_outside_ascii_fails_closed() -> None:
    class NonAscii:
        @hookimpl
        def build_response(self, origin: str | None) -> Mapping[str, str]:
            return {ACAO: origin or "*", "Access-Control-Expose-Headers": "X-\u20ac"}

    response = make_app(NonAscii()).test_client().get("/", headers={"Origin": ALLOWED})

    assert response.status_code == 200
    assert ACAO not in response.headers
    assert "Origin" in response.headers.get("Vary", "")


def test_failing_plugin_leaves_vary_alone_when_vary_header_is_off() -> None:
    class Raises:
        @hookimpl
        def match_origin(self) -> bool:
            raise Boom("matcher failed")

    app = make_app(Raises(), vary_header=False)
    response = app.test_client().get("/", headers={"Origin": ALLOWED})

    assert ACAO not in response.headers
    assert "Vary" not in response.headers


def test_resolve_options_returning_something_else_fails_closed() -> None:
    class Wrong:
        @hookimpl
        def resolve_options(self) -> object:
            return {"not": "options"}

    response = make_app(Wrong()).test_client().get("/", headers={"Origin": ALLOWED})

    assert response.status_code == 200
    assert ACAO not in response.headers
    assert "Origin" in response.headers.get("Vary", "")
