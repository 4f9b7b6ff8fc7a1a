"""``cross_origin_protection``: unsafe requests from other sites refused before the app.

Every rule of docs/protection.md through the test client: method x Sec-Fetch-Site x
Origin x host x resource setting x report-only, behind ProxyFix and with SERVER_NAME, and
what the app's own handlers see (nothing) when a request is refused.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, Response, request
from werkzeug.middleware.proxy_fix import ProxyFix

from flask_cors import CORS, CORSConfigError, cross_origin, hookimpl
from flask_cors.decision import Decision

pytestmark = pytest.mark.usefixtures("without_installed_plugins")

ALLOWED = "https://app.example"
EVIL = "https://evil.example"
UNSAFE = ["POST", "PUT", "PATCH", "DELETE"]


class Observer:
    """An ``observe_decision`` plugin that keeps every record."""

    def __init__(self) -> None:
        self.records: list[Decision] = []

    @hookimpl
    def observe_decision(self, decision: Decision) -> None:
        self.records.append(decision)


class ProtectedApp:
    """An app whose handlers count what runs: ``before`` (before_request), ``after``
    (after_request), ``views`` (view calls), ``preprocessed`` (url_value_preprocessor)."""

    def __init__(self, *, setup: Callable[[Flask], None] | None = None, **cors: Any) -> None:
        self.before = 0
        self.after = 0
        self.views = 0
        self.preprocessed = 0
        self.observer = Observer()
        app = self.app = Flask("protected")
        app.config["CORS_PLUGINS"] = [self.observer]

        @app.url_value_preprocessor
        def preprocess(endpoint: str | None, values: dict[str, Any] | None) -> None:
            self.preprocessed += 1

        @app.before_request
        def count_before() -> None:
            self.before += 1

        @app.after_request
        def count_after(response: Response) -> Response:
            self.after += 1
            response.headers["X-After"] = "ran"
            return response

        def view() -> str:
            self.views += 1
            return f"{request.method} ran"

        methods = ["GET", "HEAD", "OPTIONS", *UNSAFE]
        app.add_url_rule("/api/items", "items", view, methods=methods)
        app.add_url_rule("/hooks/payment", "hook", view, methods=methods)
        app.add_url_rule("/api/read", "read", view, methods=["GET"])
        app.add_url_rule("/api/folder/", "folder", view, methods=["POST"])
        if setup is not None:
            setup(app)
        cors.setdefault(
            "resources",
            {
                "/hooks/*": {"origins": [ALLOWED], "cross_origin_protection": False},
                "/api/*": {"origins": [ALLOWED]},
            },
        )
        cors.setdefault("cross_origin_protection", True)
        CORS(app, **cors)
        self.client = app.test_client()

    def send(
        self,
        method: str = "POST",
        path: str = "/api/items",
        *,
        site: str | None = None,
        origin: str | None = None,
        host: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Any:
        sent = dict(headers or {})
        if site is not None:
            sent["Sec-Fetch-Site"] = site
        if origin is not None:
            sent["Origin"] = origin
        if host is not None:
            sent["Host"] = host
        return self.client.open(path, method=method, headers=sent)

    @property
    def handlers_ran(self) -> int:
        return self.before + self.after + self.views + self.preprocessed


# --- the rules, in Go's order ----------------------------------------------------------

#: method, Sec-Fetch-Site, Origin, Host (None: the test client's "localhost"), let through.
RULES = [
    # 1. GET, HEAD and OPTIONS are never refused.
    ("GET", "cross-site", EVIL, None, True),
    ("HEAD", "cross-site", EVIL, None, True),
    ("OPTIONS", "cross-site", EVIL, None, True),
    # 2. An Origin the resource's CORS policy allows.
    ("POST", "cross-site", ALLOWED, None, True),
    ("DELETE", "same-site", ALLOWED, None, True),
    ("PUT", None, ALLOWED, None, True),
    ("POST", "cross-site", "HTTPS://APP.EXAMPLE", None, True),
    # 3. Sec-Fetch-Site same-origin or none.
    ("POST", "same-origin", "http://localhost", None, True),
    ("PATCH", "same-origin", None, None, True),
    ("POST", "none", None, None, True),
    # 4. Neither Sec-Fetch-Site nor Origin: not a browser, or one too old to send them.
    ("POST", None, None, None, True),
    ("DELETE", None, None, None, True),
    # 5. Without Sec-Fetch-Site, an Origin whose host and port are the request's host.
    ("POST", None, "http://localhost", None, True),
    ("POST", None, "https://LocalHost", None, True),
    ("POST", None, "https://api.example", "api.example", True),
    ("PUT", None, "http://api.example:8443", "api.example:8443", True),
    ("POST", None, "http://localhost:5000", None, False),
    ("POST", None, "https://api.example", "api.example:8443", False),
    ("POST", None, EVIL, None, False),
    ("POST", None, "null", None, False),
    ("POST", None, "localhost", "localhost", False),
    # Everything else is refused: same-site and cross-site, whatever the host.
    *[(method, "cross-site", EVIL, None, False) for method in UNSAFE],
    ("POST", "same-site", "https://other.app.example", None, False),
    ("POST", "cross-site", "http://localhost", None, False),
    ("POST", "cross-site", None, None, False),
    ("POST", "same-site", None, None, False),
    ("POST", "Same-Origin", EVIL, None, False),
    ("POST", "bogus", EVIL, None, False),
    ("PROPFIND", "cross-site", EVIL, None, False),
]


@pytest.mark.parametrize(("method", "site", "origin", "host", "through"), RULES)
def test_unsafe_request_is_refused_unless_a_rule_lets_it_through(
    method: str, site: str | None, origin: str | None, host: str | None, through: bool
) -> None:
    app = ProtectedApp(
        setup=lambda a: a.add_url_rule("/api/dav", "dav", lambda: "dav", methods=["PROPFIND"])
    )
    path = "/api/dav" if method == "PROPFIND" else "/api/items"

    response = app.send(method, path, site=site, origin=origin, host=host)

    if through:
        assert response.status_code == 200
        assert app.views == 1
    else:
        assert response.status_code == 403
        assert response.mimetype == "text/plain"
        assert response.get_data(as_text=True).startswith("Cross-origin request refused: ")
        assert app.handlers_ran == 0


@pytest.mark.parametrize(
    ("site", "origin", "says"),
    [
        ("cross-site", EVIL, "Sec-Fetch-Site is cross-site and the Origin is not allowed"),
        ("same-site", EVIL, "Sec-Fetch-Site is same-site and the Origin is not allowed"),
        ("cross-site", None, "Sec-Fetch-Site is cross-site and the request has no Origin"),
        ("<b>x</b>", EVIL, "Sec-Fetch-Site is an unknown value and the Origin"),
        (None, EVIL, "no Sec-Fetch-Site, and the Origin is neither allowed by the CORS policy"),
    ],
)
def test_refusal_says_why_in_plain_text_without_request_values(
    site: str | None, origin: str | None, says: str
) -> None:
    app = ProtectedApp()

    response = app.send(site=site, origin=origin)

    body = response.get_data(as_text=True)
    assert response.status_code == 403
    assert says in body
    assert "evil" not in body
    assert "<b>" not in body
    assert body.endswith(".\n")


def test_refused_request_reaches_no_handler_of_the_app() -> None:
    app = ProtectedApp()

    response = app.send(site="cross-site", origin=EVIL)

    assert response.status_code == 403
    assert (app.preprocessed, app.before, app.views, app.after) == (0, 0, 0, 0)
    assert "X-After" not in response.headers
    assert "Access-Control-Allow-Origin" not in response.headers


def test_refused_request_body_is_never_read() -> None:
    app = ProtectedApp()

    response = app.client.post(
        "/api/items",
        data={"amount": "1000"},
        headers={"Sec-Fetch-Site": "cross-site", "Origin": EVIL},
    )

    assert response.status_code == 403
    assert app.handlers_ran == 0


@pytest.mark.parametrize(
    ("path", "method", "status"),
    [("/nowhere", "POST", 404), ("/api/read", "POST", 405), ("/api/folder", "POST", 308)],
)
def test_request_no_route_serves_is_left_to_the_app(path: str, method: str, status: int) -> None:
    app = ProtectedApp()

    response = app.send(method, path, site="cross-site", origin=EVIL)

    assert response.status_code == status
    assert app.views == 0


def test_policy_is_the_routed_views_so_a_resource_can_turn_it_off() -> None:
    app = ProtectedApp()

    hook = app.send(path="/hooks/payment", site="cross-site", origin="https://psp.example")
    api = app.send(path="/api/items", site="cross-site", origin="https://psp.example")

    assert hook.status_code == 200
    assert api.status_code == 403
    assert app.views == 1


def test_path_no_resource_covers_is_not_protected() -> None:
    app = ProtectedApp(resources={"/api/*": {"origins": [ALLOWED]}})

    response = app.send(path="/hooks/payment", site="cross-site", origin=EVIL)

    assert response.status_code == 200


def test_protection_is_off_by_default() -> None:
    app = ProtectedApp(cross_origin_protection=False)

    response = app.send(site="cross-site", origin=EVIL)

    assert response.status_code == 200
    assert app.views == 1


# --- where the setting comes from --------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "refused"),
    [
        (True, True),
        ("true", True),
        ("ON", True),
        (" yes ", True),
        ("1", True),
        (False, False),
        ("off", False),
        ("0", False),
        ("report-only", False),
        ("Report_Only", False),
    ],
)
def test_setting_is_read_as_a_boolean_or_report_only(value: object, refused: bool) -> None:
    app = ProtectedApp(cross_origin_protection=value)

    response = app.send(site="cross-site", origin=EVIL)

    assert response.status_code == (403 if refused else 200)


@pytest.mark.parametrize("value", ["maybe", "report", 1, 0, None, ["report-only"]])
def test_other_values_fail_at_start_up_naming_the_option(value: object) -> None:
    with pytest.raises(CORSConfigError, match="cross_origin_protection") as raised:
        ProtectedApp(cross_origin_protection=value)

    assert "report-only" in str(raised.value)


def test_config_key_turns_it_on_for_every_resource() -> None:
    flask_app = Flask("configured")
    flask_app.config["CORS_CROSS_ORIGIN_PROTECTION"] = "true"
    flask_app.add_url_rule("/api/items", "items", lambda: "ran", methods=["POST"])
    CORS(flask_app, origins=[ALLOWED])

    response = flask_app.test_client().post(
        "/api/items", headers={"Sec-Fetch-Site": "cross-site", "Origin": EVIL}
    )

    assert response.status_code == 403


# --- decorated views -----------------------------------------------------------------------


def _decorated(app: Flask) -> None:
    @app.post("/open/webhook")
    @cross_origin(origins=[ALLOWED], cross_origin_protection=False)
    def webhook() -> str:
        return "webhook ran"

    @app.post("/open/transfer")
    @cross_origin(origins=[ALLOWED])
    def transfer() -> str:
        return "transfer ran"


def test_cross_origin_view_turns_protection_off_for_itself() -> None:
    def setup(app: Flask) -> None:
        app.config["CORS_CROSS_ORIGIN_PROTECTION"] = True
        _decorated(app)

    app = ProtectedApp(setup=setup)

    webhook = app.send(path="/open/webhook", site="cross-site", origin=EVIL)
    transfer = app.send(path="/open/transfer", site="cross-site", origin=EVIL)

    assert webhook.status_code == 200
    assert transfer.status_code == 403
    assert app.before == 1


def test_cross_origin_view_registered_after_cors_is_refused_before_handlers() -> None:
    app = ProtectedApp(cross_origin_protection=False)

    @app.app.post("/late")
    @cross_origin(origins=[ALLOWED], cross_origin_protection=True)
    def late() -> str:
        return "late ran"

    refused = app.send(path="/late", site="cross-site", origin=EVIL)
    allowed = app.send(path="/late", site="cross-site", origin=ALLOWED)

    assert refused.status_code == 403
    assert allowed.status_code == 200
    assert app.before == 1


def test_cross_origin_view_without_cors_app_is_refused_before_the_view() -> None:
    app = Flask("decorated_only")
    ran: list[str] = []

    @app.before_request
    def before() -> None:
        ran.append("before")

    @app.post("/transfer")
    @cross_origin(origins=[ALLOWED], cross_origin_protection=True)
    def transfer() -> str:
        ran.append("view")
        return "transfer ran"

    client = app.test_client()
    refused = client.post("/transfer", headers={"Sec-Fetch-Site": "cross-site", "Origin": EVIL})
    allowed = client.post("/transfer", headers={"Sec-Fetch-Site": "cross-site", "Origin": ALLOWED})

    assert refused.status_code == 403
    assert allowed.status_code == 200
    assert allowed.headers["Access-Control-Allow-Origin"] == ALLOWED
    # Without CORS(app) nothing stands in front of the app: its before_request ran.
    assert ran == ["before", "before", "view"]


# --- report-only -----------------------------------------------------------------------------


def test_report_only_refuses_nothing_logs_and_observes_what_it_would_refuse(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="flask_cors")
    app = ProtectedApp(cross_origin_protection="report-only")

    refused = app.send(site="cross-site", origin=EVIL)
    allowed = app.send(site="cross-site", origin=ALLOWED)

    assert (refused.status_code, allowed.status_code) == (200, 200)
    assert app.views == 2
    outcomes = [record.outcome for record in app.observer.records]
    assert outcomes == ["would_refuse_cross_origin", "denied", "allowed"]
    warnings = [r for r in caplog.records if "report-only" in r.getMessage()]
    assert len(warnings) == 1
    assert warnings[0].levelno == logging.WARNING
    message = warnings[0].getMessage()
    assert "would refuse 'POST' '/api/items' from origin 'https://evil.example'" in message


# --- what observers and the log get --------------------------------------------------------


def test_refusal_reaches_observe_decision_once() -> None:
    app = ProtectedApp()

    app.send("DELETE", site="cross-site", origin=EVIL)

    [record] = app.observer.records
    assert record.outcome == "refused_cross_origin"
    assert record.reason.startswith("Sec-Fetch-Site is cross-site")
    assert (record.method, record.path, record.origin) == ("DELETE", "/api/items", EVIL)
    assert record.resource == "/api/*"
    assert record.preflight is False
    assert dict(record.headers) == {}


def test_refusal_is_logged_escaped_at_info(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="flask_cors")
    app = ProtectedApp()

    app.send(site="cross-site", origin="https://evil.example\x7f")

    [line] = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert "\x7f" not in line
    assert "\\x7f" in line


def test_audit_log_records_the_refusal(tmp_path: Path) -> None:
    audit = pytest.importorskip("flask_cors_audit_log")
    target = tmp_path / "audit.jsonl"
    app = Flask("audited")
    app.config[audit.CONFIG_FILE] = str(target)
    app.add_url_rule("/api/items", "items", lambda: "ran", methods=["POST"])
    CORS(
        app,
        origins=[ALLOWED],
        cross_origin_protection=True,
        plugins=["flask_cors_audit_log.plugin"],
    )

    app.test_client().post("/api/items", headers={"Sec-Fetch-Site": "cross-site", "Origin": EVIL})

    [line] = [json.loads(text) for text in target.read_text(encoding="ascii").splitlines()]
    assert line["outcome"] == "refused_cross_origin"
    assert line["origin"] == EVIL


class FailingMatcher:
    @hookimpl
    def match_origin(self, origin: str) -> bool:
        raise RuntimeError("store unreachable")


@pytest.mark.parametrize(
    ("site", "status", "asked"), [("cross-site", 403, True), ("same-origin", 200, False)]
)
def test_failing_match_origin_counts_as_not_allowed_and_is_asked_only_when_needed(
    caplog: pytest.LogCaptureFixture, site: str, status: int, asked: bool
) -> None:
    app = Flask("failing")
    app.add_url_rule("/api/items", "items", lambda: "ran", methods=["POST"])
    CORS(app, origins=[ALLOWED], cross_origin_protection=True, plugins=[FailingMatcher()])

    response = app.test_client().post(
        "/api/items", headers={"Sec-Fetch-Site": site, "Origin": ALLOWED}
    )

    # Rules 3 to 5 need no policy: a same-origin request never asks match_origin.
    assert response.status_code == status
    assert any("match_origin failed" in r.getMessage() for r in caplog.records) is asked


# --- the host as Flask sees it ---------------------------------------------------------------


def test_proxy_fix_wrapped_after_cors_judges_the_forwarded_host() -> None:
    app = ProtectedApp()
    app.app.wsgi_app = ProxyFix(app.app.wsgi_app, x_host=1, x_proto=1)  # type: ignore[method-assign]
    forwarded = {"X-Forwarded-Host": "api.example", "X-Forwarded-Proto": "https"}

    same = app.send(origin="https://api.example", host="10.0.0.5:8000", headers=forwarded)
    other = app.send(origin="https://10.0.0.5:8000", host="10.0.0.5:8000", headers=forwarded)

    assert same.status_code == 200
    assert other.status_code == 403


def test_without_proxy_fix_the_forwarded_host_does_not_count() -> None:
    app = ProtectedApp()

    response = app.send(
        origin="https://api.example",
        host="10.0.0.5:8000",
        headers={"X-Forwarded-Host": "api.example"},
    )

    assert response.status_code == 403


def test_server_name_host_is_the_one_compared() -> None:
    def configure(app: Flask) -> None:
        app.config["SERVER_NAME"] = "api.example:8443"

    app = ProtectedApp(setup=configure)

    same = app.send(origin="https://api.example:8443")
    other = app.send(origin="http://localhost")

    assert (same.status_code, other.status_code) == (200, 403)


# --- middleware wrapped before CORS(app): the before_request fallback --------------------------


def _proxied_first(app: Flask) -> None:
    app.wsgi_app = ProxyFix(app.wsgi_app, x_host=1)  # type: ignore[method-assign]


def test_middleware_before_cors_refuses_as_the_first_before_request(
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = ProtectedApp(setup=_proxied_first)

    refused = app.send(site="cross-site", origin=EVIL)
    forwarded = app.send(
        origin="https://api.example", host="10.0.0.5", headers={"X-Forwarded-Host": "api.example"}
    )

    assert refused.status_code == 403
    assert forwarded.status_code == 200
    # The weaker seam: url_value_preprocessors and after_request handlers run for the
    # refusal; before_request handlers (registered before CORS(app) too) and the view do not.
    assert (app.before, app.views) == (1, 1)
    assert app.preprocessed == 2
    assert refused.headers["X-After"] == "ran"
    assert [r.outcome for r in app.observer.records] == ["refused_cross_origin", "denied"]
    assert any("first before_request" in r.getMessage() for r in caplog.records)


# --- an origin trusted by one policy is not trusted by another --------------------------------


def test_origin_one_protected_resource_allows_is_refused_by_another() -> None:
    app = Flask("two_policies")
    for path in ("/a/save", "/b/save"):
        app.add_url_rule(path, path, lambda: "saved", methods=["POST"])
    CORS(
        app,
        resources={"/a/*": {"origins": ["https://a.example"]}, "/b/*": {"origins": [ALLOWED]}},
        cross_origin_protection=True,
    )
    client = app.test_client()

    def send(path: str, origin: str) -> int:
        headers = {"Sec-Fetch-Site": "cross-site", "Origin": origin}
        return client.post(path, headers=headers).status_code

    assert [send("/a/save", "https://a.example"), send("/b/save", "https://a.example")] == [
        200,
        403,
    ]
    assert [send("/b/save", ALLOWED), send("/a/save", ALLOWED)] == [200, 403]


def test_view_replaced_in_place_is_judged_by_its_own_policy() -> None:
    app = ProtectedApp(cross_origin_protection=False)
    first = app.send(path="/api/items", site="cross-site", origin=EVIL)

    @cross_origin(origins=[ALLOWED], cross_origin_protection=True)
    def replacement() -> str:
        return "replaced"

    app.app.view_functions["items"] = replacement
    refused = app.send(path="/api/items", site="cross-site", origin=EVIL)
    allowed = app.send(path="/api/items", site="cross-site", origin=ALLOWED)

    assert (first.status_code, refused.status_code, allowed.status_code) == (200, 403, 200)
