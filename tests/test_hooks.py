"""Plugins: every pipeline step is a pluggy hook that an app's plugins can answer."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask, abort
from flask import request as flask_request

import flask_cors
from flask_cors import CORS, hookimpl
from flask_cors.options import build_options

pytestmark = pytest.mark.usefixtures("without_installed_plugins")

ORIGIN = "https://client.example"


def app_with(*plugins: object, name: str = "hooked", **cors_kwargs: object) -> Flask:
    app = Flask(name)

    @app.route("/")
    def index() -> str:
        return "index"

    @app.route("/<path:anything>", methods=["GET", "PUT", "PATCH"])
    def catch_all(anything: str) -> str:
        return "caught"

    CORS(app, **cors_kwargs)
    for plugin in plugins:
        app.extensions["cors"].pm.register(plugin)
    return app


def get(app: Flask, path: str = "/", origin: str | None = ORIGIN):
    headers = {} if origin is None else {"Origin": origin}
    return app.test_client().get(path, headers=headers)


class TrustedSubdomains:
    """Allows every https origin under trusted.example; no opinion on anything else."""

    @hookimpl
    def match_origin(self, origin: str) -> bool | None:
        if origin.startswith("https://") and origin.endswith(".trusted.example"):
            return True
        return None


class DenyEverything:
    @hookimpl
    def match_origin(self, origin, options, request) -> bool:
        return False


# --- match_origin ------------------------------------------------------------------------


def test_match_origin_plugin_replaces_the_default_on_its_app_only():
    hooked = app_with(TrustedSubdomains(), name="hooked", origins="https://listed.example")
    plain = app_with(name="plain", origins="https://listed.example")

    assert get(hooked, origin="https://a.trusted.example").headers[
        "Access-Control-Allow-Origin"
    ] == ("https://a.trusted.example")
    assert (
        "Access-Control-Allow-Origin" not in get(plain, origin="https://a.trusted.example").headers
    )


def test_match_origin_plugin_returning_none_defers_to_the_default():
    app = app_with(TrustedSubdomains(), origins="https://listed.example")

    listed = get(app, origin="https://listed.example")
    unlisted = get(app, origin="https://unlisted.example")

    assert listed.headers["Access-Control-Allow-Origin"] == "https://listed.example"
    assert "Access-Control-Allow-Origin" not in unlisted.headers


def test_match_origin_plugin_returning_false_denies_even_configured_origins():
    app = app_with(DenyEverything())

    response = get(app)

    assert "Access-Control-Allow-Origin" not in response.headers
    assert response.headers["Vary"] == "Origin"


def test_match_origin_plugin_sees_the_resolved_options_and_request():
    seen: list[tuple[str, str, str]] = []

    class Recorder:
        @hookimpl
        def match_origin(self, origin, options, request):
            seen.append((origin, options.resource, request.path))

    app = app_with(Recorder(), resources={r"/api/*": {}})

    get(app, "/api/thing")

    assert seen == [(ORIGIN, "/api/*", "/api/thing")]


def test_match_origin_never_sees_a_hostile_origin():
    seen: list[str] = []

    class Recorder:
        @hookimpl
        def match_origin(self, origin):
            seen.append(origin)
            return True

    app = app_with(Recorder())

    response = app.test_client().get("/", environ_overrides={"HTTP_ORIGIN": "https://a\r\nb"})

    assert seen == []
    assert "Access-Control-Allow-Origin" not in response.headers


def test_unregistering_a_plugin_restores_the_default():
    plugin = DenyEverything()
    app = app_with(plugin)
    pm = app.extensions["cors"].pm

    denied = get(app)
    pm.unregister(plugin)
    allowed = get(app)

    assert "Access-Control-Allow-Origin" not in denied.headers
    assert allowed.headers["Access-Control-Allow-Origin"] == ORIGIN


def test_custom_origin_matcher_makes_a_static_configuration_vary():
    app = app_with(TrustedSubdomains(), send_wildcard=True)

    response = get(app, origin="https://x.trusted.example")

    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Vary"] == "Origin"


def test_tryfirst_plugin_answers_before_later_registered_ones():
    class AllowAll:
        @hookimpl(tryfirst=True)
        def match_origin(self):
            return True

    app = app_with(AllowAll(), DenyEverything(), origins="https://none.example")

    assert get(app).headers["Access-Control-Allow-Origin"] == ORIGIN


# --- resolve_options ---------------------------------------------------------------------


class PrivateIsOff:
    @hookimpl
    def resolve_options(self, request):
        return False if request.path.startswith("/private") else None


def test_resolve_options_false_switches_cors_off_for_the_request(cors_headers):
    app = app_with(PrivateIsOff())

    private = get(app, "/private/data")
    public = get(app, "/public/data")

    assert cors_headers(private) == {}
    assert "Vary" not in private.headers
    assert public.headers["Access-Control-Allow-Origin"] == ORIGIN


def test_resolve_options_false_leaves_preflight_to_the_app(preflight):
    app = app_with(PrivateIsOff())

    @app.before_request
    def deny():
        abort(401)

    client = app.test_client()

    assert preflight(client, "/private/data").status_code == 401
    assert preflight(client, "/public/data").status_code == 200


def test_resolve_options_may_return_other_options(preflight):
    special = build_options(
        [("a test plugin", {"origins": "https://special.example", "max_age": 7})],
        resource="special",
    )

    class Special:
        @hookimpl
        def resolve_options(self, request):
            return special if request.path == "/special" else None

    app = app_with(Special())
    client = app.test_client()

    answer = preflight(client, "/special", origin="https://special.example")
    other = client.get("/special", headers={"Origin": ORIGIN})
    elsewhere = client.get("/elsewhere", headers={"Origin": ORIGIN})

    assert answer.headers["Access-Control-Allow-Origin"] == "https://special.example"
    assert answer.headers["Access-Control-Max-Age"] == "7"
    assert "Access-Control-Allow-Origin" not in other.headers
    assert elsewhere.headers["Access-Control-Allow-Origin"] == ORIGIN


def test_resolve_options_can_enable_cors_where_no_resource_matches():
    everywhere = build_options([], resource="plugin")

    class Everywhere:
        @hookimpl
        def resolve_options(self):
            return everywhere

    app = app_with(Everywhere(), resources=r"/api/*")

    assert get(app, "/not-api").headers["Access-Control-Allow-Origin"] == ORIGIN


# --- build_preflight ---------------------------------------------------------------------


def test_build_preflight_plugin_decides_the_preflight_headers(preflight):
    seen: list[tuple[str, tuple[str, ...]]] = []

    class OnlyWhatWasAsked:
        @hookimpl
        def build_preflight(self, origin, request_method, request_headers):
            seen.append((request_method, request_headers))
            return {
                "Access-Control-Allow-Origin": origin,
                "Access-Control-Allow-Methods": request_method,
                "Access-Control-Allow-Headers": ", ".join(request_headers),
            }

    app = app_with(OnlyWhatWasAsked(), methods=["GET"])

    response = preflight(app.test_client(), "/x", method="PATCH", request_headers="X-A, x-b")

    assert seen == [("PATCH", ("X-A", "x-b"))]
    assert response.headers["Access-Control-Allow-Methods"] == "PATCH"
    assert response.headers["Access-Control-Allow-Headers"] == "X-A, x-b"
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN


def test_build_preflight_plugin_returning_empty_mapping_sets_no_headers(preflight, cors_headers):
    class Nothing:
        @hookimpl
        def build_preflight(self):
            return {}

    app = app_with(Nothing())

    response = preflight(app.test_client(), "/x")

    assert response.status_code == 200
    assert cors_headers(response) == {}
    assert "Origin" in response.headers["Vary"]


def test_build_preflight_plugin_returning_none_defers(preflight):
    class NoOpinion:
        @hookimpl
        def build_preflight(self):
            return None

    app = app_with(NoOpinion(), max_age=3)

    response = preflight(app.test_client(), "/x")

    assert response.headers["Access-Control-Max-Age"] == "3"


# --- build_response ----------------------------------------------------------------------


def test_build_response_plugin_decides_the_response_headers():
    class ExposeOnSuccess:
        @hookimpl
        def build_response(self, origin, options, request):
            headers = {"Access-Control-Allow-Origin": origin or "*"}
            if request.path != "/gone":
                headers["Access-Control-Expose-Headers"] = "X-Ok"
            return headers

    app = app_with(ExposeOnSuccess())

    @app.route("/gone")
    def gone():
        abort(410)

    ok = get(app, "/")
    failed = get(app, "/gone")
    no_origin = get(app, "/", origin=None)

    assert ok.headers["Access-Control-Expose-Headers"] == "X-Ok"
    assert "Access-Control-Expose-Headers" not in failed.headers
    assert failed.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert no_origin.headers["Access-Control-Allow-Origin"] == "*"


def test_build_response_wrapper_sees_and_changes_the_result():
    seen: list[dict[str, str]] = []

    class Wrapper:
        @hookimpl(wrapper=True)
        def build_response(self, origin, options, request):
            headers = yield
            seen.append(dict(headers))
            return {**headers, "Access-Control-Expose-Headers": "X-Wrapped"}

    app = app_with(Wrapper(), expose_headers="X-Configured")

    response = get(app)

    assert seen == [
        {"Access-Control-Allow-Origin": ORIGIN, "Access-Control-Expose-Headers": "X-Configured"}
    ]
    assert response.headers["Access-Control-Expose-Headers"] == "X-Wrapped"
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN


def test_plugin_headers_with_control_characters_are_never_sent(cors_headers):
    class Injector:
        @hookimpl
        def build_response(self, origin):
            return {"Access-Control-Allow-Origin": f"{origin}\r\nSet-Cookie: x=1"}

    app = app_with(Injector())

    response = get(app)

    assert cors_headers(response) == {}
    assert "Set-Cookie" not in response.headers


# --- vary --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("contribution", "expected"),
    [
        (["Accept-Language"], {"Origin", "Accept-Language"}),
        (("Accept-Language", "Cookie"), {"Origin", "Accept-Language", "Cookie"}),
        (["origin"], {"Origin"}),
        (None, {"Origin"}),
        ([], {"Origin"}),
    ],
)
def test_vary_contributions_are_merged(vary_of, contribution, expected):
    class Contributes:
        @hookimpl
        def vary(self):
            return contribution

    app = app_with(Contributes())

    names = vary_of(get(app))

    assert {name.lower() for name in names} == {name.lower() for name in expected}
    assert len(names) == len(expected)


def test_vary_plugin_sees_whether_the_request_is_a_preflight(preflight, vary_of):
    class PreflightOnly:
        @hookimpl
        def vary(self, preflight):
            return ["X-Preflight"] if preflight else None

    app = app_with(PreflightOnly())
    client = app.test_client()

    assert "X-Preflight" in vary_of(preflight(client, "/x"))
    assert "X-Preflight" not in vary_of(client.get("/x", headers={"Origin": ORIGIN}))


def test_vary_hook_not_called_when_vary_header_is_off():
    calls: list[bool] = []

    class Contributes:
        @hookimpl
        def vary(self, preflight):
            calls.append(preflight)
            return ["X-Never"]

    app = app_with(Contributes(), vary_header=False)

    response = get(app)

    assert calls == []
    assert "Vary" not in response.headers


# --- the pluggy fast path and tracing ----------------------------------------------------


class NoOpEverywhere:
    """Implements every hook with no opinion, forcing the pipeline through pluggy."""

    @hookimpl
    def resolve_options(self):
        return None

    @hookimpl
    def match_origin(self):
        return None

    @hookimpl
    def build_preflight(self):
        return None

    @hookimpl
    def build_response(self):
        return None

    @hookimpl
    def vary(self):
        return None


def _requests(client) -> list[tuple[int, list[tuple[str, str]]]]:
    calls = [
        client.get("/", headers={"Origin": ORIGIN}),
        client.get("/", headers={"Origin": "https://denied.example"}),
        client.get("/"),
        client.options(
            "/x",
            headers={
                "Origin": ORIGIN,
                "Access-Control-Request-Method": "PUT",
                "Access-Control-Request-Headers": "x-a, x-b",
            },
        ),
        client.options("/x", headers={"Origin": ORIGIN, "Access-Control-Request-Method": "DELETE"}),
        client.get("/other/path", headers={"Origin": ORIGIN}),
    ]
    return [
        (response.status_code, sorted(h for h in response.headers if h[0] != "Content-Length"))
        for response in calls
    ]


def _tracing(app: Flask) -> list[str]:
    lines: list[str] = []
    pm = app.extensions["cors"].pm
    pm.trace.root.setwriter(lines.append)
    pm.enable_tracing()
    return lines


CONFIG = {
    "resources": {r"/": {"origins": [ORIGIN]}, r"/x": {"methods": ["PUT"], "max_age": 9}},
    "expose_headers": "X-Total",
    "supports_credentials": True,
    "origins": [ORIGIN, "https://second.example"],
}


@pytest.mark.parametrize(
    "setup",
    [
        pytest.param(lambda app: None, id="direct"),
        pytest.param(_tracing, id="tracing"),
        pytest.param(lambda app: app.extensions["cors"].pm.register(NoOpEverywhere()), id="pluggy"),
    ],
)
def test_behaviour_is_identical_with_or_without_the_fast_path(setup: Callable[[Flask], object]):
    reference = app_with(name="reference", **CONFIG)
    subject = app_with(name="subject", **CONFIG)
    setup(subject)

    assert _requests(subject.test_client()) == _requests(reference.test_client())


def test_tracing_reports_every_pipeline_step(preflight):
    app = app_with()
    lines = _tracing(app)

    preflight(app.test_client(), "/x")
    text = "".join(lines)

    for hook in ("resolve_options", "match_origin", "build_preflight", "vary"):
        assert hook in text


def test_hookcall_monitoring_sees_calls_and_can_be_undone():
    app = app_with()
    pm = app.extensions["cors"].pm
    called: list[str] = []

    undo = pm.add_hookcall_monitoring(
        lambda hook_name, impls, kwargs: called.append(hook_name), lambda *args: None
    )
    with_monitor = get(app)
    seen_while_monitoring = list(called)
    undo()
    without_monitor = get(app)

    assert "match_origin" in seen_while_monitoring
    assert "build_response" in seen_while_monitoring
    assert called == seen_while_monitoring
    assert with_monitor.headers == without_monitor.headers


def test_plugin_registered_after_requests_takes_effect():
    app = app_with()
    before = get(app)

    app.extensions["cors"].pm.register(DenyEverything())
    after = get(app)

    assert before.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert "Access-Control-Allow-Origin" not in after.headers


def test_hookimpl_marker_is_exported():
    assert flask_cors.hookimpl is hookimpl
    assert hookimpl.project_name == "flask_cors"


@pytest.mark.parametrize("hook", ["match_origin", "build_response", "vary", "resolve_options"])
def test_a_plugin_step_is_called_on_every_request_despite_the_decision_cache(hook):
    calls: list[str] = []

    class Counting:
        pass

    def record(**_kwargs: object) -> None:
        calls.append(hook)

    # Marked below staticmethod: pluggy before 1.6 reads the marker off the function only.
    setattr(Counting, hook, staticmethod(flask_cors.hookimpl(record)))
    app = Flask("counting")
    CORS(app, origins=["https://client.example"], plugins=[Counting()])

    @app.get("/")
    def index() -> str:
        return "ok"

    client = app.test_client()
    for _ in range(3):
        response = client.get("/", headers={"Origin": "https://client.example"})
        assert response.headers["Access-Control-Allow-Origin"] == "https://client.example"

    assert calls == [hook] * 3


def test_the_suite_runs_both_hook_paths(hook_path: str) -> None:
    class Plain:
        pass

    app = app_with(Plain())
    pipeline = app.extensions["cors"].pipeline

    direct = {"resolve_options", "match_origin", "build_preflight", "build_response", "vary"}
    if hook_path == "direct":
        assert pipeline._steps.direct == direct
    else:
        assert pipeline._steps.direct == frozenset()


def test_a_hook_without_wrappers_answers_as_pluggys_own_caller_does() -> None:
    class First:
        @hookimpl(tryfirst=True)
        def match_origin(self) -> None:
            return None

        @hookimpl(tryfirst=True)
        def add_headers(self, origin: str | None) -> dict[str, str] | None:
            return {"X-First": "1"} if origin else None

        @hookimpl(tryfirst=True)
        def vary(self) -> list[str]:
            return ["X-First"]

    class Second:
        @hookimpl
        def match_origin(self, origin: str) -> bool | None:
            return True if origin.endswith(".trusted") else None

        @hookimpl
        def add_headers(self) -> None:
            return None

        @hookimpl
        def vary(self) -> tuple[str, ...]:
            return ("X-Second",)

    app = app_with(First(), Second(), origins=["https://listed.example"])
    state = app.extensions["cors"]
    steps, hook = state.pipeline._steps, state.pm.hook
    cases = {"https://a.trusted": True, "https://listed.example": True, "https://b.example": False}
    for origin, allowed in cases.items():
        with app.test_request_context("/", headers={"Origin": origin}):
            request = flask_request._get_current_object()  # type: ignore[attr-defined]
            options = state.pipeline.resolve_options(request)
            given = {"app": app, "options": options, "request": request}
            assert steps.match_origin(origin=origin, **given) is hook.match_origin(
                origin=origin, **given
            )
            added = hook.add_headers(origin=origin, preflight=False, **given)
            assert steps.add_headers(origin=origin, preflight=False, **given) == added[0]
            names = [name for result in hook.vary(preflight=False, **given) for name in result]
            assert steps.vary(preflight=False, **given) == names == ["X-First", "X-Second"]

        response = app.test_client().get("/", headers={"Origin": origin})

        assert (response.headers.get("Access-Control-Allow-Origin") == origin) is allowed
        assert response.headers.get("X-First") == ("1" if allowed else None)
        assert response.headers["Vary"] == "Origin, X-First, X-Second"
