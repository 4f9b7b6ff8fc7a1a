"""Remembered answers: a request answered from the pipeline's caches gets what a fresh one does.

With nothing but the default plugins, the answer to an actual request is remembered per
endpoint, path and ``Origin``. These tests send the same request again and again, with
whatever may differ between the requests (the view's own headers, an exception, a view
function replaced, debug logging, an observer) changing in between.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable

import pytest
from flask import Flask, Response, abort, request
from werkzeug.datastructures import Headers
from werkzeug.test import TestResponse

import flask_cors.extension
import flask_cors.pipeline
from flask_cors import CORS, cross_origin, hookimpl
from flask_cors.decision import Decision
from flask_cors.options import build_options
from flask_cors.pipeline import DECISION_CACHE_SIZE

pytestmark = pytest.mark.usefixtures("without_installed_plugins")

ALLOWED = "https://client.example"
OTHER = "https://other.example"
DENIED = "https://evil.example"


def cors_headers(response: TestResponse) -> list[tuple[str, str]]:
    """The CORS headers and ``Vary`` lines of ``response``, in order."""
    return [
        (name, value)
        for name, value in response.headers
        if name.lower().startswith("access-control-") or name.lower() == "vary"
    ]


def toggling_app(**cors_kwargs: object) -> Flask:
    """An app whose ``/api/item`` view adds the headers named in its query string."""
    app = Flask("remembered")

    @app.get("/api/item")
    def item() -> tuple[str, dict[str, str]]:
        extra = {}
        if "vary" in request.args:
            extra["Vary"] = "Accept-Encoding"
        if "acao" in request.args:
            extra["Access-Control-Allow-Origin"] = "https://view.example"
        if "cookie" in request.args:
            extra["Set-Cookie"] = "session=1; Secure; HttpOnly"
        if "fail" in request.args:
            abort(409)
        return "item", extra

    @app.get("/plain")
    def plain() -> str:
        return "plain"

    CORS(app, resources={r"/api/*": {}}, **cors_kwargs)
    return app


def fresh(origin: str | None, path: str = "/api/item", **cors_kwargs: object) -> TestResponse:
    """What a brand-new app answers: nothing remembered yet."""
    headers = {} if origin is None else {"Origin": origin}
    return toggling_app(**cors_kwargs).test_client().get(path, headers=headers)


CASES = [
    pytest.param({"origins": [ALLOWED]}, ALLOWED, "/api/item", id="allowed"),
    pytest.param({"origins": [ALLOWED]}, DENIED, "/api/item", id="denied"),
    pytest.param({"origins": [ALLOWED]}, None, "/api/item", id="no-origin"),
    pytest.param({"origins": [ALLOWED]}, "https://bad.example/", "/api/item", id="malformed"),
    pytest.param({"origins": [ALLOWED]}, ALLOWED, "/plain", id="outside-the-resources"),
    pytest.param({"origins": [ALLOWED]}, ALLOWED, "/missing", id="not-found"),
    pytest.param({}, DENIED, "/api/item", id="any-origin"),
    pytest.param(
        {"origins": [ALLOWED], "supports_credentials": True}, ALLOWED, "/api/item", id="credentials"
    ),
    pytest.param(
        {"origins": [ALLOWED], "expose_headers": ["X-Total"]}, ALLOWED, "/api/item", id="exposed"
    ),
    pytest.param(
        {"origins": [ALLOWED], "always_send": False}, None, "/api/item", id="always-send-off"
    ),
]


@pytest.mark.parametrize(("cors_kwargs", "origin", "path"), CASES)
def test_repeated_request_gets_what_a_fresh_app_answers(cors_kwargs, origin, path):
    client = toggling_app(**cors_kwargs).test_client()
    headers = {} if origin is None else {"Origin": origin}
    expected = cors_headers(fresh(origin, path, **cors_kwargs))

    answers = [cors_headers(client.get(path, headers=headers)) for _ in range(3)]

    assert answers == [expected] * 3


def test_origins_of_one_path_are_remembered_apart():
    client = toggling_app(origins=[ALLOWED, OTHER]).test_client()

    for _ in range(2):
        for origin in (ALLOWED, OTHER, DENIED):
            response = client.get("/api/item", headers={"Origin": origin})
            assert response.headers.get("Access-Control-Allow-Origin") == (
                None if origin == DENIED else origin
            )
            assert response.headers["Vary"] == "Origin"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("vary", [("Vary", "Accept-Encoding, Origin")]),
        ("acao", [("Access-Control-Allow-Origin", ALLOWED), ("Vary", "Origin")]),
        ("cookie", [("Access-Control-Allow-Origin", ALLOWED), ("Vary", "Origin")]),
    ],
)
def test_remembered_answer_merges_with_what_the_view_adds_this_time(query, expected):
    client = toggling_app(origins=[ALLOWED]).test_client()
    client.get("/api/item", headers={"Origin": ALLOWED})

    response = client.get(f"/api/item?{query}=1", headers={"Origin": ALLOWED})

    if query == "vary":
        assert response.headers.getlist("Vary") == ["Accept-Encoding, Origin"]
        assert response.headers["Access-Control-Allow-Origin"] == ALLOWED
    else:
        assert cors_headers(response) == expected
    if query == "cookie":
        assert response.headers["Set-Cookie"].startswith("session=1")


def test_remembered_denial_still_merges_with_the_views_vary():
    client = toggling_app(origins=[ALLOWED]).test_client()
    client.get("/api/item", headers={"Origin": DENIED})

    response = client.get("/api/item?vary=1", headers={"Origin": DENIED})

    assert response.headers.getlist("Vary") == ["Accept-Encoding, Origin"]
    assert "Access-Control-Allow-Origin" not in response.headers


@pytest.mark.parametrize(("intercept", "expect_cors"), [(False, False), (True, True)])
def test_error_response_after_remembered_answers_follows_intercept_exceptions(
    intercept, expect_cors
):
    client = toggling_app(origins=[ALLOWED], intercept_exceptions=intercept).test_client()
    for _ in range(2):
        assert (
            client.get("/api/item", headers={"Origin": ALLOWED}).headers[
                "Access-Control-Allow-Origin"
            ]
            == ALLOWED
        )

    failed = client.get("/api/item?fail=1", headers={"Origin": ALLOWED})
    again = client.get("/api/item", headers={"Origin": ALLOWED})

    assert failed.status_code == 409
    assert ("Access-Control-Allow-Origin" in failed.headers) is expect_cors
    assert again.headers["Access-Control-Allow-Origin"] == ALLOWED


def test_endpoint_given_another_view_function_is_resolved_afresh():
    app = toggling_app(origins=[ALLOWED])
    client = app.test_client()
    assert (
        client.get("/api/item", headers={"Origin": OTHER}).headers.get(
            "Access-Control-Allow-Origin"
        )
        is None
    )

    @cross_origin(origins=[OTHER])
    def replacement() -> str:
        return "replaced"

    app.view_functions["item"] = replacement
    response = client.get("/api/item", headers={"Origin": OTHER})

    assert response.get_data(as_text=True) == "replaced"
    assert response.headers["Access-Control-Allow-Origin"] == OTHER


def test_decorator_only_app_gets_the_same_answer_every_time():
    app = Flask("decorated")

    @app.get("/only")
    @cross_origin(origins=[ALLOWED])
    def only() -> str:
        return "only"

    client = app.test_client()
    answers = {
        origin: [cors_headers(client.get("/only", headers={"Origin": origin})) for _ in range(3)]
        for origin in (ALLOWED, DENIED)
    }

    assert answers[ALLOWED] == [[("Access-Control-Allow-Origin", ALLOWED), ("Vary", "Origin")]] * 3
    assert answers[DENIED] == [[("Vary", "Origin")]] * 3


def test_debug_logging_switched_on_later_logs_every_decision(caplog):
    client = toggling_app(origins=[ALLOWED]).test_client()
    for _ in range(3):
        client.get("/api/item", headers={"Origin": DENIED})

    with caplog.at_level(logging.DEBUG, logger="flask_cors"):
        for _ in range(2):
            client.get("/api/item", headers={"Origin": DENIED})

    decisions = [r for r in caplog.records if r.getMessage().startswith("CORS denied")]
    assert len(decisions) == 2


def test_observer_registered_after_remembered_answers_sees_every_later_request():
    app = toggling_app(origins=[ALLOWED])
    client = app.test_client()
    for _ in range(3):
        client.get("/api/item", headers={"Origin": ALLOWED})
    seen: list[str] = []

    class Recorder:
        @hookimpl
        def observe_decision(self, decision: Decision) -> None:
            seen.append(decision.outcome)

    app.extensions["cors"].pm.register(Recorder())
    for origin in (ALLOWED, DENIED, ALLOWED):
        client.get("/api/item", headers={"Origin": origin})

    assert seen == ["allowed", "denied", "allowed"]


def test_plugin_registered_after_remembered_answers_decides_the_next_request():
    app = toggling_app(origins=[ALLOWED])
    client = app.test_client()
    for _ in range(3):
        assert (
            client.get("/api/item", headers={"Origin": ALLOWED}).headers[
                "Access-Control-Allow-Origin"
            ]
            == ALLOWED
        )

    class DenyAll:
        @hookimpl(tryfirst=True)
        def match_origin(self) -> bool:
            return False

    app.extensions["cors"].pm.register(DenyAll())

    assert (
        "Access-Control-Allow-Origin"
        not in client.get("/api/item", headers={"Origin": ALLOWED}).headers
    )


RequestSender = Callable[[int], dict[str, str]]


@pytest.mark.parametrize(
    "vary_by",
    [
        pytest.param(lambda i: {"Origin": f"https://c{i}.example"}, id="origins"),
        pytest.param(
            lambda i: {"Origin": "https://" + "x" * 300 + f"{i}.example"}, id="long-origins"
        ),
    ],
)
def test_remembered_answers_stay_bounded(vary_by: RequestSender):
    app = toggling_app(origins=[ALLOWED])
    client = app.test_client()
    pipeline = app.extensions["cors"].pipeline

    for i in range(DECISION_CACHE_SIZE + 300):
        response = client.get("/api/item", headers=vary_by(i))
        assert response.headers["Vary"] == "Origin"

    assert len(pipeline._routes) <= DECISION_CACHE_SIZE
    assert len(pipeline._cache) <= DECISION_CACHE_SIZE


@pytest.mark.parametrize("query", ["", "vary=1", "acao=1"])
@pytest.mark.parametrize("origin", [ALLOWED, DENIED, None])
def test_answers_are_the_same_without_the_raw_header_list_shortcut(monkeypatch, query, origin):
    """Where Werkzeug's ``Headers`` keeps no plain list, header lines go through its API."""
    headers = {} if origin is None else {"Origin": origin}
    path = f"/api/item?{query}"
    expected = cors_headers(
        toggling_app(origins=[ALLOWED]).test_client().get(path, headers=headers)
    )
    monkeypatch.setattr(flask_cors.pipeline, "_RAW_HEADERS_CLASS", None)
    client = toggling_app(origins=[ALLOWED]).test_client()

    answers = [cors_headers(client.get(path, headers=headers)) for _ in range(3)]

    assert answers == [expected] * 3


def assert_denied_from_now_on(app: Flask) -> None:
    """The denied origin gets no Access-Control-Allow-Origin, however often it asks."""
    client = app.test_client()
    for _ in range(3):
        response = client.get("/api/item", headers={"Origin": DENIED})
        assert "Access-Control-Allow-Origin" not in response.headers


def run_before_request_handlers(app: Flask, ctx: object) -> None:
    """``app.preprocess_request``: Flask 3.2 passes it the context, earlier Flasks do not."""
    if "ctx" in inspect.signature(app.preprocess_request).parameters:
        app.preprocess_request(ctx)  # type: ignore[call-arg]
    else:
        app.preprocess_request()


class AllowEveryOrigin:
    @hookimpl(tryfirst=True)
    def match_origin(self) -> bool:
        return True


def test_answer_worked_out_while_a_plugin_came_and_went_is_not_served_later():
    """Another thread may register a plugin, and unregister it again, while a request is
    between its look-up of the remembered answers and the end of ``finish``. Emulated here
    step by step: what that request works out with the plugin must not outlive it."""
    app = toggling_app(origins=[ALLOWED])
    pipeline = app.extensions["cors"].pipeline
    plugin = AllowEveryOrigin()
    with app.test_request_context("/api/item", headers={"Origin": DENIED}) as ctx:
        current = request._get_current_object()  # type: ignore[attr-defined]
        run_before_request_handlers(app, ctx)
        key = ("item", "/api/item", DENIED)
        memo = (pipeline._routes, key, app.view_functions["item"])  # what after_request read
        pipeline.pm.register(plugin)
        answered = pipeline.finish(current, app.make_response("item"), memo)
        pipeline.pm.unregister(plugin)
    assert answered.headers["Access-Control-Allow-Origin"] == DENIED

    assert_denied_from_now_on(app)


def test_answer_worked_out_for_a_view_swapped_in_meanwhile_is_not_remembered():
    """Another thread may swap an endpoint's view function, and swap it back, while a
    request is between reading the view and resolving its options. Emulated step by step:
    the answer worked out for the other view must not be kept under the first one."""
    app = toggling_app(origins=[ALLOWED])
    pipeline = app.extensions["cors"].pipeline
    plain = app.view_functions["item"]

    @cross_origin(origins="*")
    def open_view() -> str:
        return "open"

    with app.test_request_context("/api/item", headers={"Origin": DENIED}):
        current = request._get_current_object()  # type: ignore[attr-defined]
        memo = (pipeline._routes, ("item", "/api/item", DENIED), plain)  # read: plain
        app.view_functions["item"] = open_view  # swapped in before the options are resolved
        answered = pipeline.finish(current, app.make_response("open"), memo)
        app.view_functions["item"] = plain  # and back
    assert answered.headers["Access-Control-Allow-Origin"] == DENIED

    assert_denied_from_now_on(app)


class LookAlikeHeaders:
    """Works like Werkzeug's ``Headers`` (by handing everything to one) without its ``_list``."""

    def __init__(self, inner: Headers) -> None:
        object.__setattr__(self, "_inner", inner)

    def __getattr__(self, name: str) -> object:
        if name == "_list":
            raise AttributeError(name)
        return getattr(self._inner, name)

    def __iter__(self):
        return iter(self._inner)

    def __len__(self) -> int:
        return len(self._inner)

    def __contains__(self, key: object) -> bool:
        return key in self._inner

    def __getitem__(self, key: str) -> str:
        return self._inner[key]

    def __setitem__(self, key: str, value: str) -> None:
        self._inner[key] = value

    def __delitem__(self, key: str) -> None:
        del self._inner[key]


class SubclassedHeaders(Headers):
    pass


@pytest.mark.parametrize("headers_class", [LookAlikeHeaders, SubclassedHeaders])
def test_response_class_with_its_own_headers_object_gets_the_same_answers(headers_class):
    class OwnResponse(Response):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            self.headers = headers_class(self.headers)

    app = toggling_app(origins=[ALLOWED])
    app.response_class = OwnResponse
    client = app.test_client()

    responses = [client.get("/api/item", headers={"Origin": ALLOWED}) for _ in range(3)]

    assert [response.status_code for response in responses] == [200] * 3
    assert [cors_headers(response) for response in responses] == [
        [("Access-Control-Allow-Origin", ALLOWED), ("Vary", "Origin")]
    ] * 3


def test_decision_cache_entry_serves_only_the_options_object_it_was_worked_out_for():
    """Cache keys hold the options' id; an entry found under that id but worked out for
    another options object (whose id was freed and handed on) is not used."""
    app = toggling_app(origins=[ALLOWED])
    pipeline = app.extensions["cors"].pipeline
    client = app.test_client()
    client.get("/plain")  # outside the resources: nothing cached
    client.get("/api/item", headers={"Origin": DENIED})
    ((key, (options, answer)),) = pipeline._cache.items()
    impostor = build_options([("test", {"origins": "*"})])
    granted = (answer[0], answer[1], (("Access-Control-Allow-Origin", DENIED),), *answer[3:])
    pipeline._cache[key] = (impostor, granted)
    pipeline._routes.clear()

    response = client.get("/api/item", headers={"Origin": DENIED})

    assert options is not impostor
    assert "Access-Control-Allow-Origin" not in response.headers


def test_decorated_view_options_built_by_two_first_requests_at_once_are_one_object(monkeypatch):
    """The second builder (emulated by building again from inside the first) finishes first;
    both callers then use the options it kept."""
    app = Flask("decorated-race")
    CORS(app, resources={r"/api/*": {}})

    @app.get("/late")
    @cross_origin(origins=[ALLOWED])
    def late() -> str:
        return "late"

    state = app.extensions["cors"]
    spec = late.__flask_cors__
    real_build = flask_cors.extension.build_options
    inner: list[object] = []

    def build_twice(*args: object, **kwargs: object) -> object:
        if not inner:
            inner.append(None)
            inner[0] = state.view_options(spec)
        return real_build(*args, **kwargs)

    monkeypatch.setattr(flask_cors.extension, "build_options", build_twice)
    state._view_options.pop(spec, None)

    outer = state.view_options(spec)

    assert outer is inner[0] is state.view_options(spec)
