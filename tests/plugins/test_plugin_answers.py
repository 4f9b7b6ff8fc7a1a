"""What a plugin answers is checked the same way for every request hook.

An answer of the wrong type (a ``vary`` string, which would be split into one name per
character; a ``match_origin`` answer that is neither ``True``, ``False`` nor ``None``)
fails the request closed: no CORS headers, one logged ``CORSPluginError`` naming the
plugin and the hook, never a 500; ``raise_plugin_errors`` raises it.
"""

from __future__ import annotations

import logging
from collections.abc import Generator, Iterator
from typing import Any

import pytest
from plugin_apps import ALLOWED, Recorder, cors_headers, make_app
from plugin_apps import request_for as send

from flask_cors import hookimpl
from flask_cors.pipeline import CORSPluginError

NAME = "wrong_answers"


class Answers:
    """A plugin registered as ``wrong_answers`` that gives ``answer`` to ``hook`` and has
    no opinion anywhere else."""

    def __init__(self, hook: str, answer: object, name: str | None = NAME) -> None:
        if name is not None:
            self.__name__ = name  # the name pluggy registers the object under
        self.hook = hook
        self.answer = answer

    def _for(self, hook: str) -> Any:
        return self.answer if hook == self.hook else None

    @hookimpl
    def resolve_options(self) -> Any:
        return self._for("resolve_options")

    @hookimpl
    def match_origin(self) -> Any:
        return self._for("match_origin")

    @hookimpl
    def build_preflight(self) -> Any:
        return self._for("build_preflight")

    @hookimpl
    def build_response(self) -> Any:
        return self._for("build_response")

    @hookimpl
    def add_headers(self) -> Any:
        return self._for("add_headers")

    @hookimpl
    def vary(self) -> Any:
        return self._for("vary")


#: (hook, a wrong answer): each would otherwise be used as it is, split, or silently
#: read as "no" or "no headers".
WRONG_ANSWERS = [
    ("resolve_options", "yes"),
    ("resolve_options", {"origins": "*"}),
    ("resolve_options", True),
    ("resolve_options", []),
    ("match_origin", "yes"),
    ("match_origin", "false"),
    ("match_origin", 1),
    ("match_origin", []),
    ("build_preflight", ["Access-Control-Allow-Origin"]),
    ("build_preflight", ""),
    ("build_preflight", 0),
    ("build_response", "*"),
    ("build_response", [("Access-Control-Allow-Origin", "*")]),
    ("build_response", ()),
    ("add_headers", "X-Extra: 1"),
    ("add_headers", [("X-Extra", "1")]),
    ("add_headers", {"X-Extra": 1}),
    ("vary", "X-Tenant"),
    ("vary", b"X-Tenant"),
    ("vary", {"X-Tenant": True}),
    ("vary", 5),
    ("vary", ["X-Tenant", 5]),
    ("vary", ["X Tenant"]),
    ("vary", ["X-A\r\nSet-Cookie: a=b"]),
]


@pytest.mark.parametrize(("hook", "answer"), WRONG_ANSWERS)
def test_a_wrong_answer_fails_closed_with_an_error_naming_plugin_and_hook(
    hook: str, answer: object, caplog: pytest.LogCaptureFixture
) -> None:
    recorder = Recorder()
    client = make_app(Answers(hook, answer), recorder).test_client()
    with caplog.at_level(logging.DEBUG, logger="flask_cors"):
        response = send(client, hook)
    assert response.status_code == 200
    assert cors_headers(response) == {}
    assert response.headers["Vary"] == "Origin"
    assert "Set-Cookie" not in response.headers
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    message = errors[0].getMessage()
    assert "without CORS headers" in message
    assert NAME in message
    assert hook in message
    assert "\n" not in message
    assert "\r" not in message
    assert errors[0].exc_info is None  # the message says it all; no pipeline traceback
    (decision,) = recorder.decisions
    assert (decision.outcome, decision.reason) == ("error", "plugin error: CORSPluginError")


@pytest.mark.parametrize(("hook", "answer"), WRONG_ANSWERS)
def test_a_wrong_answer_raises_with_raise_plugin_errors(
    hook: str, answer: object, hook_path: str
) -> None:
    client = make_app(Answers(hook, answer), raise_plugin_errors=True).test_client()
    with pytest.raises(CORSPluginError) as caught:
        send(client, hook)
    assert caught.value.hook == hook
    assert NAME in str(caught.value)
    # Called one by one, the pipeline knows which plugin answered; through pluggy's
    # caller it names every plugin that implements the hook.
    assert caught.value.plugin == (NAME if hook_path == "direct" else None)


def test_a_vary_string_is_not_split_into_characters() -> None:
    response = (
        make_app(Answers("vary", "X-Tenant")).test_client().get("/", headers={"Origin": ALLOWED})
    )
    assert response.headers["Vary"] == "Origin"
    assert "Access-Control-Allow-Origin" not in response.headers


class Names:
    """An iterable of header names that is neither a list nor a tuple."""

    def __init__(self, *names: str) -> None:
        self.names = names

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)


@pytest.mark.parametrize(
    ("hook", "answer", "expected"),
    [
        ("vary", ["X-Tenant"], {"Vary": "Origin, X-Tenant"}),
        ("vary", ("X-Tenant", "X-Region"), {"Vary": "Origin, X-Tenant, X-Region"}),
        ("vary", Names("X-Tenant"), {"Vary": "Origin, X-Tenant"}),
        ("vary", [], {"Vary": "Origin"}),
        ("add_headers", {"Timing-Allow-Origin": ALLOWED}, {"Timing-Allow-Origin": ALLOWED}),
        ("add_headers", {}, {"Access-Control-Allow-Origin": ALLOWED}),
        ("match_origin", False, {"Vary": "Origin"}),
        ("match_origin", True, {"Access-Control-Allow-Origin": ALLOWED}),
        ("build_response", {}, {"Vary": "Origin"}),
        ("resolve_options", False, {}),
    ],
)
def test_answers_of_the_right_type_are_used(
    hook: str, answer: object, expected: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="flask_cors"):
        response = (
            make_app(Answers(hook, answer)).test_client().get("/", headers={"Origin": ALLOWED})
        )
    assert not caplog.records
    for name, value in expected.items():
        assert response.headers.get(name) == value
    if hook == "resolve_options":
        assert "Vary" not in response.headers


def test_an_unnamed_plugin_is_named_by_its_class(caplog: pytest.LogCaptureFixture) -> None:
    client = make_app(Answers("match_origin", "yes", name=None)).test_client()
    with caplog.at_level(logging.ERROR, logger="flask_cors"):
        client.get("/", headers={"Origin": ALLOWED})
    (error,) = caplog.records
    assert f"{__name__}.Answers" in error.getMessage()
    assert "match_origin" in error.getMessage()


class PassThrough:
    """A wrapper on ``vary``: the pipeline must then call the hook through pluggy."""

    @hookimpl(wrapper=True)
    def vary(self) -> Generator[None, Any, Any]:
        return (yield)


def test_through_pluggys_caller_every_implementing_plugin_is_named() -> None:
    client = make_app(
        Answers("vary", "X-Tenant"), PassThrough(), raise_plugin_errors=True
    ).test_client()
    with pytest.raises(CORSPluginError) as caught:
        client.get("/", headers={"Origin": ALLOWED})
    message = str(caught.value)
    assert caught.value.hook == "vary"
    assert caught.value.plugin is None
    assert "one of the plugins" in message
    assert repr(NAME) in message
    assert "'vary'" in message  # the default plugin, registered as 'vary'
