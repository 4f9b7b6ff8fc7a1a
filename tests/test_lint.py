"""The configuration lint: every check id, its severity, strict mode and the ignore list."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
import warnings
from collections.abc import Callable
from typing import Any

import pytest
from flask import Blueprint, Flask
from flask.wrappers import Response

import flask_cors
from flask_cors import CORS, CORSConfigError, CORSLintWarning, CORSSecurityWarning, cross_origin
from flask_cors.lint import (
    CHECKS,
    LOG_RECORD_ATTRIBUTE,
    CORSLintError,
    Finding,
    check_resource_pattern,
    collecting,
)

Logged = Callable[[], list[Finding]]

pytestmark = pytest.mark.usefixtures("without_installed_plugins")

ORIGIN = "https://app.example.com"


def new_app(name: str = "linted") -> Flask:
    app = Flask(name)

    @app.get("/api/items")
    def items() -> str:
        return "items"

    return app


def findings_of(app: Flask | None = None, **kwargs: Any) -> list[Finding]:
    """Every finding of ``CORS(app, **kwargs)``, recorded without warning."""
    app = app or new_app()
    with collecting():
        CORS(app, **kwargs)
    return list(app.extensions["cors"].linter.findings)


def ids_of(findings: list[Finding]) -> set[str]:
    return {finding.id for finding in findings}


# --- every id: a configuration that triggers it -------------------------------------------

TRIGGERS: list[tuple[str, str, dict[str, Any]]] = [
    ("credentials-any-origin", "error", {"supports_credentials": True}),
    ("null-origin", "error", {"origins": [ORIGIN, "null"], "supports_credentials": True}),
    ("null-origin", "info", {"origins": [ORIGIN, "null"]}),
    ("null-origin", "info", {"origins": [r"https://app\.example\.com|null"]}),
    ("origin-has-path", "warning", {"origins": "https://app.example.com/login"}),
    ("origin-glob", "info", {"origins": "https://*.example.com"}),
    ("origin-glob", "info", {"origins": "http://localhost:*"}),
    ("origin-glob-broken", "warning", {"origins": "https://*.*.example.com"}),
    ("origin-glob-broken", "warning", {"origins": "https://*.github.io"}),
    ("origin-regex-any-port", "info", {"origins": r"http[s]?://(localhost|127\.0\.0\.1):*"}),
    ("origins-comma-string", "warning", {"origins": "https://a.example,https://b.example"}),
    ("origin-regex-never-matches", "warning", {"origins": r"https://app\.example\.com/"}),
    ("origin-callable", "info", {"origins": [ORIGIN, lambda origin: origin == ORIGIN]}),
    ("origin-trailing-slash", "warning", {"origins": "https://app.example.com/"}),
    ("origin-missing-scheme", "warning", {"origins": "app.example.com"}),
    ("origin-missing-scheme", "warning", {"origins": "localhost:3000"}),
    ("origin-default-port", "warning", {"origins": "https://app.example.com:443"}),
    ("origin-default-port", "warning", {"origins": "http://app.example.com:80"}),
    ("origin-uppercase", "info", {"origins": ["https://App.Example.com", "https://b.example"]}),
    (
        "http-origin-with-credentials",
        "warning",
        {"origins": "http://app.example.com", "supports_credentials": True},
    ),
    (
        "http-origin-with-credentials",
        "warning",
        {"origins": r"https?://app\.example\.com", "supports_credentials": True},
    ),
    ("origin-regex-unescaped-dot", "warning", {"origins": r"https://app.example\.com"}),
    ("origin-regex-unescaped-dot", "warning", {"origins": r"https://.*.example.com"}),
    ("origin-regex-too-broad", "error", {"origins": r"https://.*example\.com"}),
    ("origin-regex-too-broad", "error", {"origins": r"https://example\.com.*"}),
    ("origin-regex-too-broad", "error", {"origins": r"https://.*"}),
    (
        "origin-regex-too-broad",
        "error",
        {"origins": re.compile(r"https://(app|admin).example.com")},
    ),
    ("origin-regex-too-broad", "error", {"origins": r"https://app\.example\.(com|[a-z]{2})"}),
    ("origin-regex-too-broad", "error", {"origins": r"https://(www\.)?example\.[a-z]+"}),
    ("origin-regex-too-broad", "error", {"origins": r"https://[a-z0-9-]+\.com"}),
    ("resource-glob", "info", {"resources": {"/api*": {}}}),
    ("resource-glob", "warning", {"resources": {"/files/*.txt": {}}}),
    ("resource-glob", "warning", {"resources": ["/api/*/items"]}),
    ("resource-literal-looks-regex", "warning", {"resources": {"/files/.+": {}}}),
    ("resource-literal-looks-regex", "warning", {"resources": ["/a|/b"]}),
    ("resource-literal-looks-regex", "info", {"resources": ["/tags/c+d"]}),
    ("max-age-capped", "info", {"max_age": 86400}),
    ("max-age-capped", "warning", {"max_age": 86401}),
    (
        "wildcard-with-credentials",
        "warning",
        {"origins": ORIGIN, "supports_credentials": True, "expose_headers": "*"},
    ),
    ("private-network", "info", {"allow_private_network": True}),
    ("protection-any-origin", "warning", {"cross_origin_protection": True}),
]


@pytest.mark.parametrize(
    ("check", "severity", "kwargs"),
    TRIGGERS,
    ids=[f"{check}-{index}" for index, (check, _, _) in enumerate(TRIGGERS)],
)
def test_each_check_is_triggered(check: str, severity: str, kwargs: dict[str, Any]) -> None:
    found = [f for f in findings_of(**kwargs) if f.id == check]

    assert found, f"{check} not reported for {kwargs}"
    assert found[0].severity == severity
    assert found[0].problem
    assert found[0].fix
    assert found[0].where.startswith("resource ")
    assert found[0].source  # where the value came from


def test_every_id_has_a_trigger() -> None:
    others = {"multiple-cors-layers", "unknown-option", "cross-origin-above-route"}
    triggered = {check for check, _, _ in TRIGGERS} | others
    assert triggered == set(CHECKS)


CLEAN: list[dict[str, Any]] = [
    {},
    {"origins": ORIGIN, "supports_credentials": True},
    {"origins": [ORIGIN, "https://b.example:8443"], "supports_credentials": True},
    # allow_headers "*" is answered by echoing the requested names: fine with credentials.
    {"origins": ORIGIN, "supports_credentials": True, "allow_headers": "*"},
    {"origins": ORIGIN, "supports_credentials": True, "expose_headers": ["X-Total"]},
    {"origins": "http://localhost:3000", "supports_credentials": True},
    {"origins": r"http://localhost:\d+", "supports_credentials": True},
    {"origins": r"https://[a-z0-9-]+\.example\.com", "supports_credentials": True},
    {"origins": re.compile(r"https://(www\.)?example\.com")},
    {"origins": r"https://pr-\d+\.preview\.example"},
    {"origins": r"http://[a-z]+\.localhost:\d+", "supports_credentials": True},
    {"expose_headers": "*"},
    {"max_age": 7200},
    {"resources": {"/api/*": {}, r"/api/v2/.*": {}, r"/files/.*\.txt": {}, "/": {}}},
    {"resources": "*"},
    {"resources": {"/api/v1.0": {}, "/files/report.txt": {}}},
]


@pytest.mark.parametrize("kwargs", CLEAN, ids=[str(i) for i in range(len(CLEAN))])
def test_clean_configurations_pass(kwargs: dict[str, Any]) -> None:
    assert findings_of(**kwargs) == []
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        CORS(new_app(), lint_strict=True, **kwargs)


@pytest.mark.parametrize(
    ("pattern", "also"),
    [
        (r"https://app\.example\.(com|[a-z]{2})", "https://app.example.zz"),
        (r"https://(www\.)?example\.[a-z]+", "https://example.xyz"),
        (r"https://example\.com.*", "https://example.com.evil.net"),
        (r"https://.*example\.com", "https://evil-example.com"),
        (r"https://[a-z]+\.com", "https://evil.com"),
    ],
)
def test_credentialed_regex_matching_other_hosts_is_refused_under_lint_strict(
    pattern: str, also: str
) -> None:
    with pytest.raises(CORSLintError, match="origin-regex-too-broad") as caught:
        CORS(new_app(), origins=[pattern], supports_credentials=True, lint_strict=True)
    assert repr(also) in caught.value.finding.problem


def test_every_check_is_one_function_whose_docstring_is_its_summary() -> None:
    from flask_cors import lint

    for check, summary in CHECKS.items():
        function = getattr(lint, check.replace("-", "_"))
        assert (function.__doc__ or "").startswith(summary), check


# --- the app as a whole: a second CORS layer ---------------------------------------------


def add_cors_headers(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


class CorsMiddleware:
    def __init__(self, app: Any) -> None:
        self.app = app

    def __call__(self, environ: Any, start_response: Any) -> Any:
        return self.app(environ, start_response)


def test_after_request_cors_function_is_another_layer(logged_findings: Logged) -> None:
    app = new_app()
    app.after_request(add_cors_headers)

    CORS(app, origins=ORIGIN)

    (finding,) = logged_findings()
    assert finding.id == "multiple-cors-layers"
    assert "add_cors_headers" in finding.message


def test_other_cors_extension_and_middleware_are_other_layers() -> None:
    app = new_app()
    app.extensions["other_cors"] = object()
    app.wsgi_app = CorsMiddleware(app.wsgi_app)  # type: ignore[method-assign]

    found = findings_of(app, origins=ORIGIN)

    assert [f.id for f in found] == ["multiple-cors-layers", "multiple-cors-layers"]
    assert "app.extensions['other_cors']" in found[0].problem
    assert "CorsMiddleware" in found[1].problem
    assert found[0].where == "app 'linted'"


def test_flask_cors_alone_is_one_layer() -> None:
    app = new_app()
    CORS(app, origins=ORIGIN)
    assert findings_of(new_app(), origins=ORIGIN) == []
    assert app.after_request_funcs[None]  # our own hook is not counted


# --- messages ------------------------------------------------------------------------------


def test_message_names_resource_source_and_fix(logged_findings: Logged) -> None:
    app = new_app()
    app.config["CORS_MAX_AGE"] = 100000
    CORS(app, resources={"/api/*": {"origins": "https://app.example.com/"}})

    messages = {finding.id: finding.message for finding in logged_findings()}
    slash = messages["origin-trailing-slash"]
    assert "resource '/api/*'" in slash
    assert "resources['/api/*']" in slash
    assert "Fix: write 'https://app.example.com'" in slash
    assert "app config CORS_MAX_AGE" in messages["max-age-capped"]
    assert "7200" in messages["max-age-capped"]


# --- how findings reach the user: log records, never Python warnings ------------------------


def test_finding_is_a_log_record_of_the_flask_cors_logger_carrying_the_finding(
    caplog: pytest.LogCaptureFixture,
) -> None:
    CORS(new_app(), supports_credentials=True)

    (record,) = [r for r in caplog.records if hasattr(r, LOG_RECORD_ATTRIBUTE)]
    finding = getattr(record, LOG_RECORD_ATTRIBUTE)
    assert record.name == "flask_cors"
    assert record.levelno == logging.WARNING  # severity "error": the app still serves
    assert isinstance(finding, Finding)
    assert (finding.id, finding.severity) == ("credentials-any-origin", "error")
    assert record.getMessage() == finding.message
    assert finding.message.startswith("CORS lint credentials-any-origin (error) on resource")


@pytest.mark.parametrize(
    ("kwargs", "check", "level"),
    [
        ({"supports_credentials": True}, "credentials-any-origin", logging.WARNING),
        ({"origins": "https://app.example.com/"}, "origin-trailing-slash", logging.WARNING),
        ({"allow_private_network": True}, "private-network", logging.INFO),
    ],
)
def test_finding_log_level_follows_its_severity(
    logged_findings: Logged, caplog: pytest.LogCaptureFixture, kwargs: Any, check: str, level: int
) -> None:
    CORS(new_app(), **kwargs)

    (record,) = [r for r in caplog.records if hasattr(r, LOG_RECORD_ATTRIBUTE)]
    assert getattr(record, LOG_RECORD_ATTRIBUTE).id == check
    assert record.levelno == level


def test_app_with_findings_starts_under_warnings_as_errors_and_logs_each_finding_once(
    logged_findings: Logged,
) -> None:
    """A test suite run with ``filterwarnings = error`` can create an app with findings."""
    app = new_app()

    @app.get("/files/a")
    def files() -> str:
        return "a"

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # Two resources with the same options: one problem, one log record.
        CORS(app, resources=["/api/*", "/files/*"], supports_credentials=True)
        response = app.test_client().get("/api/items", headers={"Origin": ORIGIN})

    assert [f.id for f in logged_findings()] == ["credentials-any-origin"]
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    # Recorded for each resource all the same (flask cors check lists where it applies).
    linter = app.extensions["cors"].linter
    assert [f.where for f in linter.findings] == ["resource '/api/*'", "resource '/files/*'"]


def test_findings_reach_standard_error_without_logging_configuration() -> None:
    """docs/lint.md, "Where findings appear": without any logging configuration, errors and
    warnings are printed to standard error; with ``-W error`` the app still starts."""
    script = (
        "from flask import Flask; from flask_cors import CORS; "
        "CORS(Flask('plain'), supports_credentials=True)"
    )
    env = {**os.environ, "FLASK_CORS_DISABLE_PLUGIN_AUTOLOAD": "1"}
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", script],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith("CORS lint credentials-any-origin (error) on resource")
    assert result.stderr.count("CORS lint") == 1


def test_findings_are_logged_once_per_app(logged_findings: Logged) -> None:
    for _ in range(2):
        app = new_app()
        CORS(app, origins="https://app.example.com/")
        CORS(app, origins="https://app.example.com/", resources="/api/*")

    assert [f.id for f in logged_findings()] == ["origin-trailing-slash"] * 2


def test_warning_categories_are_kept_but_never_emitted() -> None:
    assert issubclass(CORSLintWarning, CORSSecurityWarning)
    assert flask_cors.CORSLintWarning is CORSLintWarning
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        CORS(new_app(), supports_credentials=True, origins="https://app.example.com/")


def test_info_findings_are_logged_not_warned(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="flask_cors")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        CORS(new_app(), allow_private_network=True, max_age=86400)

    text = caplog.text
    assert "private-network" in text
    assert "max-age-capped" in text


def test_blueprint_findings_name_the_blueprint(logged_findings: Logged) -> None:
    app = new_app()
    blueprint = Blueprint("api", __name__, url_prefix="/v1")
    CORS(blueprint, origins="https://app.example.com/")
    app.register_blueprint(blueprint)

    (finding,) = logged_findings()
    assert "of blueprint 'api'" in finding.message


def test_resource_pattern_check_names_the_glob() -> None:
    (leading,) = check_resource_pattern("*.json", "keyword argument resources")
    assert "leading '*'" in leading.problem
    assert r"r'.*\.json'" in leading.fix
    (suffix,) = check_resource_pattern("/api*")
    assert suffix.severity == "info"
    assert "every path that starts with '/api'" in suffix.problem
    (inner,) = check_resource_pattern("/v1*/items")
    assert "repeats the character before it ('1')" in inner.problem
    assert check_resource_pattern("/api/*") == []
    assert check_resource_pattern(r"/api/(v1|v2)*") == []


# --- strict mode and the ignore list --------------------------------------------------------


@pytest.mark.parametrize("how", ["keyword", "config"])
def test_strict_turns_findings_into_config_errors(how: str) -> None:
    app = new_app()
    kwargs: dict[str, Any] = {"supports_credentials": True}
    if how == "keyword":
        kwargs["lint_strict"] = True
    else:
        app.config["CORS_LINT_STRICT"] = True

    with pytest.raises(CORSConfigError, match="credentials-any-origin") as caught:
        CORS(app, **kwargs)

    assert isinstance(caught.value, CORSLintError)
    assert caught.value.id == "credentials-any-origin"
    assert caught.value.option == "origins"
    assert "lint_ignore" in str(caught.value)


def test_strict_leaves_info_findings_alone() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        CORS(new_app(), lint_strict=True, allow_private_network=True)


def test_strict_must_be_a_boolean() -> None:
    with pytest.raises(CORSConfigError, match="lint_strict"):
        CORS(new_app(), lint_strict="maybe")


@pytest.mark.parametrize("how", ["keyword", "config-list", "config-string"])
def test_ignore_silences_ids_one_by_one(how: str) -> None:
    app = new_app()
    ignored = ["credentials-any-origin", "max-age-capped"]
    kwargs: dict[str, Any] = {"supports_credentials": True, "max_age": 90000}
    if how == "keyword":
        kwargs["lint_ignore"] = ignored
    elif how == "config-list":
        app.config["CORS_LINT_IGNORE"] = ignored
    else:
        app.config["CORS_LINT_IGNORE"] = "credentials-any-origin, max-age-capped"

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        CORS(app, lint_strict=True, **kwargs)

    linter = app.extensions["cors"].linter
    assert linter.findings == []
    assert ids_of(linter.ignored) == set(ignored)


def test_ignoring_one_id_keeps_the_others(logged_findings: Logged) -> None:
    app = new_app()
    CORS(
        app,
        origins="https://app.example.com/",
        max_age=90000,
        lint_ignore=["origin-trailing-slash"],
    )
    assert [f.id for f in logged_findings()] == ["max-age-capped"]


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (["credentials-any-orign"], "did you mean 'credentials-any-origin'"),
        ([3], "not a lint id"),
        (5, "expected a list"),
    ],
)
def test_ignore_list_is_validated(value: object, problem: str) -> None:
    with pytest.raises(CORSConfigError, match=problem) as caught:
        CORS(new_app(), lint_ignore=value)
    assert caught.value.option == "lint_ignore"


# --- decorated views -------------------------------------------------------------------------


def decorated_app(**config: Any) -> Flask:
    app = Flask("views")
    app.config.update(config)
    app.testing = True

    @app.get("/v")
    @cross_origin(origins=["https://app.example.com/"], supports_credentials=True)
    def view() -> str:
        return "v"

    return app


def test_decorator_options_are_linted_when_first_built(logged_findings: Logged) -> None:
    app = decorated_app()
    client = app.test_client()

    client.get("/v", headers={"Origin": ORIGIN})
    (finding,) = logged_findings()
    client.get("/v", headers={"Origin": ORIGIN})  # built once: no second record

    assert logged_findings() == [finding]
    assert finding.id == "origin-trailing-slash"
    assert "cross_origin() on endpoint" in finding.message


def test_decorator_options_follow_strict_and_ignore(caplog: pytest.LogCaptureFixture) -> None:
    loud = decorated_app(CORS_LINT_STRICT=True, CORS_RAISE_PLUGIN_ERRORS=True).test_client()
    with pytest.raises(CORSLintError, match="origin-trailing-slash"):
        loud.get("/v", headers={"Origin": ORIGIN})

    # Raised while a request resolves its options: the pipeline fails closed and logs it.
    quiet = decorated_app(CORS_LINT_STRICT=True).test_client()
    response = quiet.get("/v", headers={"Origin": ORIGIN})
    assert "Access-Control-Allow-Origin" not in response.headers
    assert "origin-trailing-slash" in caplog.text

    relaxed = decorated_app(
        CORS_LINT_STRICT=True, CORS_LINT_IGNORE=["origin-trailing-slash"]
    ).test_client()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert relaxed.get("/v", headers={"Origin": ORIGIN}).status_code == 200


def test_decorator_import_time_validation_does_not_lint() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")

        @cross_origin(supports_credentials=True)
        def view() -> str:
            return "v"


# --- start-up only -------------------------------------------------------------------------


def test_requests_never_run_the_lint(monkeypatch: pytest.MonkeyPatch) -> None:
    from flask_cors import lint

    app = new_app()
    CORS(app, origins=ORIGIN)

    def fail(*args: Any) -> Any:
        raise AssertionError("lint ran during a request")

    for name in ("check_options", "check_app", "check_resource_pattern"):
        monkeypatch.setattr(lint, name, fail)
    client = app.test_client()
    response = client.get("/api/items", headers={"Origin": ORIGIN})
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    preflight = client.options(
        "/api/items", headers={"Origin": ORIGIN, "Access-Control-Request-Method": "PUT"}
    )
    assert preflight.status_code == 200


def test_findings_are_reported_once() -> None:
    linter = flask_cors.lint.Linter(ignore=())
    finding = Finding("private-network", "info", "resource '/'", "x", "y", "p", "f")
    with collecting():
        linter.report([finding, finding])
        linter.report([finding])
    assert linter.findings == [finding]


def test_a_config_setting_shared_by_many_views_is_reported_once(
    logged_findings: Logged,
) -> None:
    app = new_app()
    app.config["CORS_ORIGINS"] = [r"https://.*example\.com"]
    for number in range(5):
        app.add_url_rule(f"/v{number}", f"v{number}", cross_origin()(lambda: "v"))
    client = app.test_client()

    for number in range(5):
        client.get(f"/v{number}", headers={"Origin": ORIGIN})

    assert [f.id for f in logged_findings()] == ["origin-regex-too-broad"]


def test_a_strict_finding_on_a_view_registered_first_fails_at_start_up() -> None:
    app = new_app()
    app.add_url_rule("/v", "v", cross_origin(origins="*", supports_credentials=True)(lambda: "v"))

    with pytest.raises(CORSLintError, match="credentials-any-origin"):
        CORS(app, resources=[], lint_strict=True)


def test_a_strict_finding_blocks_every_request_of_every_view_it_touches() -> None:
    app = new_app()
    CORS(app, resources=[], lint_strict=True)
    for number in range(3):
        app.add_url_rule(
            f"/v{number}",
            f"v{number}",
            cross_origin(origins="*", supports_credentials=True)(lambda: "v"),
        )
    client = app.test_client()

    for _ in range(2):
        for number in range(3):
            response = client.get(f"/v{number}", headers={"Origin": "https://evil.example"})
            assert response.status_code == 200
            assert "Access-Control-Allow-Origin" not in response.headers
