"""Every program under examples/ runs and does what the documentation says it does.

The documentation includes these files verbatim, so these tests keep its code honest.
"""

from __future__ import annotations

import importlib.util
import logging
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from flask.testing import FlaskClient

import flask_cors

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
PLUGIN_PACKAGE = EXAMPLES / "plugin_package"

#: Every Python file under examples/, and the test below that runs it.
EXERCISED = {
    "blueprints.py": "test_blueprints_*",
    "configuration.py": "test_configuration_*",
    "decorator.py": "test_decorator_*",
    "demo.py": "test_demo_*",
    "demo_apps.py": "test_demo_*",
    "hooks.py": "test_hook_*",
    "protection.py": "test_protection_*",
    "lint.py": "test_lint_*",
    "quickstart.py": "test_quickstart_*",
    "security.py": "test_security_*",
    "testing_app.py": "test_testing_*",
    "test_testing_app.py": "test_testing_*",
    "troubleshooting.py": "test_troubleshooting_*",
    "plugin_package/flask_cors_denylist.py": "test_plugin_package_*",
    "plugin_package/test_flask_cors_denylist.py": "test_plugin_package_*",
}


def load(relative: str) -> ModuleType:
    """Import an example file under a name of its own (examples/ is not a package)."""
    path = EXAMPLES / relative
    name = "example_" + relative.removesuffix(".py").replace("/", "_")
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def cors_headers(response: Any) -> dict[str, str]:
    return {
        name: value
        for name, value in response.headers.items()
        if name.startswith("Access-Control-") or name in ("Vary", "Timing-Allow-Origin")
    }


def preflight(client: FlaskClient, path: str, origin: str, method: str, headers: str = "") -> Any:
    request_headers = {"Origin": origin, "Access-Control-Request-Method": method}
    if headers:
        request_headers["Access-Control-Request-Headers"] = headers
    return client.options(path, headers=request_headers)


def test_every_example_file_is_exercised() -> None:
    found = {
        str(path.relative_to(EXAMPLES))
        for path in EXAMPLES.rglob("*.py")
        if "__pycache__" not in path.parts
    }
    assert found == set(EXERCISED), "add a test for each new example and list it in EXERCISED"


# --- quickstart ------------------------------------------------------------------------


def test_quickstart_open_app_allows_everyone() -> None:
    client = load("quickstart.py").create_open_app().test_client()
    response = client.get("/", headers={"Origin": "https://anywhere.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "https://anywhere.example"


def test_quickstart_api_only() -> None:
    client = load("quickstart.py").create_app().test_client()
    origin = "https://app.example.com"
    assert (
        client.get("/api/users", headers={"Origin": origin}).headers["Access-Control-Allow-Origin"]
        == origin
    )
    answer = preflight(client, "/api/users", origin, "POST", "content-type")
    assert answer.status_code == 200
    assert answer.headers["Access-Control-Allow-Headers"] == "content-type"
    assert client.post("/api/users", headers={"Origin": origin}).status_code == 201
    assert "Access-Control-Allow-Origin" not in client.get("/", headers={"Origin": origin}).headers
    denied = client.get("/api/users", headers={"Origin": "https://other.example"})
    assert "Access-Control-Allow-Origin" not in denied.headers


# --- configuration ---------------------------------------------------------------------


@pytest.fixture
def configured() -> FlaskClient:
    client: FlaskClient = load("configuration.py").create_app().test_client()
    return client


def test_configuration_resource_dict_wins(configured: FlaskClient) -> None:
    response = configured.get("/api/public/status", headers={"Origin": "https://any.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "https://any.example"
    answer = preflight(configured, "/api/public/status", "https://any.example", "PUT")
    assert answer.headers["Access-Control-Max-Age"] == "86400"


def test_configuration_keyword_arguments_beat_the_config(configured: FlaskClient) -> None:
    allowed = configured.get("/api/items", headers={"Origin": "https://app.example.com"})
    assert cors_headers(allowed) == {
        "Access-Control-Allow-Origin": "https://app.example.com",
        "Access-Control-Expose-Headers": "X-Total-Count",
        "Vary": "Origin",
    }
    from_config = configured.get("/api/items", headers={"Origin": "https://config.example"})
    assert "Access-Control-Allow-Origin" not in from_config.headers


def test_configuration_regex_origins_match_whole_origins(configured: FlaskClient) -> None:
    preview = "https://pr-12.preview.example"
    assert (
        configured.get("/api/items", headers={"Origin": preview}).headers[
            "Access-Control-Allow-Origin"
        ]
        == preview
    )
    evil = configured.get("/api/items", headers={"Origin": preview + ".evil.net"})
    assert "Access-Control-Allow-Origin" not in evil.headers


def test_configuration_config_value_used_where_nothing_overrides(
    configured: FlaskClient,
) -> None:
    answer = preflight(configured, "/api/items", "https://app.example.com", "PUT")
    assert answer.headers["Access-Control-Max-Age"] == "600"  # CORS_MAX_AGE, a timedelta


def test_configuration_tenant_function_decides_after_the_literal() -> None:
    client = load("configuration.py").create_tenant_app().test_client()
    for origin in ("https://app.example.com", "https://tenant-two.example"):
        allowed = client.get("/api/account", headers={"Origin": origin})
        assert allowed.headers["Access-Control-Allow-Origin"] == origin
        assert allowed.headers["Access-Control-Allow-Credentials"] == "true"
    stranger = client.get("/api/account", headers={"Origin": "https://tenant-three.example"})
    assert "Access-Control-Allow-Origin" not in stranger.headers
    assert stranger.headers["Vary"] == "Origin"


def test_configuration_admin_resource(configured: FlaskClient) -> None:
    admin = "https://admin.example.com"
    answer = preflight(configured, "/api/admin/users", admin, "POST", "content-type,x-csrf-token")
    assert cors_headers(answer) == {
        "Access-Control-Allow-Origin": admin,
        "Access-Control-Allow-Credentials": "true",
        "Access-Control-Expose-Headers": "X-Total-Count",
        "Access-Control-Allow-Methods": "GET, POST",
        "Access-Control-Allow-Headers": "content-type, x-csrf-token",
        "Access-Control-Max-Age": "600",
        "Vary": "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
    }
    refused = preflight(configured, "/api/admin/users", admin, "DELETE")
    assert "Access-Control-Allow-Methods" not in refused.headers
    other = configured.get("/api/admin/users", headers={"Origin": "https://app.example.com"})
    assert "Access-Control-Allow-Origin" not in other.headers


# --- decorator ---------------------------------------------------------------------------


def test_decorator_views() -> None:
    client = load("decorator.py").create_app().test_client()
    anyone = client.get("/open", headers={"Origin": "https://x.example"})
    assert anyone.headers["Access-Control-Allow-Origin"] == "https://x.example"
    assert anyone.headers["Access-Control-Expose-Headers"] == "X-Version"

    shop = "https://shop.example"
    answer = preflight(client, "/orders", shop, "POST", "content-type")
    assert answer.status_code == 200
    assert answer.headers["Access-Control-Allow-Credentials"] == "true"
    assert answer.headers["Access-Control-Max-Age"] == "600"
    order = client.post("/orders", headers={"Origin": shop})
    assert order.headers["Access-Control-Allow-Origin"] == shop
    assert (
        "Access-Control-Allow-Origin"
        not in client.get("/orders", headers={"Origin": "https://x.example"}).headers
    )

    manual = preflight(client, "/manual", shop, "GET")
    assert manual.status_code == 204
    assert manual.headers["Access-Control-Allow-Origin"] == shop
    assert client.get("/manual", headers={"Origin": shop}).json == {"handled": "by the view"}

    closed = client.get("/closed", headers={"Origin": shop})
    assert "Access-Control-Allow-Origin" not in closed.headers


# --- blueprints ---------------------------------------------------------------------------


def test_blueprints_factory_builds_independent_apps() -> None:
    module = load("blueprints.py")
    first, second = module.create_app(), module.create_app({"TESTING": True})
    for app in (first, second):
        client = app.test_client()
        app_origin = "https://app.example.com"
        profile = client.get("/api/profile", headers={"Origin": app_origin})
        assert profile.headers["Access-Control-Allow-Origin"] == app_origin
        assert profile.headers["Access-Control-Allow-Credentials"] == "true"
        other = client.get("/api/profile", headers={"Origin": "https://x.example"})
        assert "Access-Control-Allow-Origin" not in other.headers
        news = client.get("/public/news", headers={"Origin": "https://x.example"})
        assert news.headers["Access-Control-Allow-Origin"] == "https://x.example"
        assert news.headers["Access-Control-Expose-Headers"] == "X-Request-Id"
        health = client.get("/health", headers={"Origin": "https://x.example"})
        assert "Access-Control-Allow-Origin" not in health.headers


# --- security ---------------------------------------------------------------------------


def test_security_credentials_and_csrf() -> None:
    app = load("security.py").create_app("test-secret")
    client = app.test_client()
    origin = "https://app.example.com"
    start = client.get("/api/session", headers={"Origin": origin})
    assert start.headers["Access-Control-Allow-Credentials"] == "true"
    token = start.json["csrf"]
    assert client.post("/api/transfer", headers={"Origin": origin}).status_code == 403
    done = client.post("/api/transfer", headers={"Origin": origin, "X-CSRF-Token": token})
    assert done.status_code == 200
    assert done.headers["Access-Control-Allow-Origin"] == origin
    forbidden = client.post("/api/transfer", headers={"Origin": origin})
    # The refusal is readable by the trusted page (an error response gets CORS headers).
    assert forbidden.headers["Access-Control-Allow-Origin"] == origin
    stranger = client.get("/api/session", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in stranger.headers


# --- troubleshooting ---------------------------------------------------------------------


def test_troubleshooting_debug_log_names_the_refused_origin(
    caplog: pytest.LogCaptureFixture,
) -> None:
    module = load("troubleshooting.py")
    logger = module.enable_cors_debug_logging()
    handlers = list(logger.handlers)
    try:
        client = module.create_app().test_client()
        with caplog.at_level(logging.DEBUG, logger="flask_cors"):
            client.get("/api/data", headers={"Origin": "https://stranger.example"})
        assert any("https://stranger.example" in record.getMessage() for record in caplog.records)
    finally:
        for handler in handlers:
            logger.removeHandler(handler)
        logger.setLevel(logging.NOTSET)


# --- hooks --------------------------------------------------------------------------------


@pytest.fixture
def hook_app() -> Any:
    return load("hooks.py").create_app()


def test_hook_configure_and_match_origin(hook_app: Any) -> None:
    client = hook_app.test_client()
    tenant = client.get("/api/items", headers={"Origin": "https://tenant-a.example"})
    assert tenant.headers["Access-Control-Allow-Origin"] == "https://tenant-a.example"
    configured = client.get("/api/items", headers={"Origin": "https://app.example.com"})
    assert configured.headers["Access-Control-Allow-Origin"] == "https://app.example.com"


def test_hook_tryfirst_deny_list_wins(hook_app: Any) -> None:
    client = hook_app.test_client()
    denied = client.get("/api/items", headers={"Origin": "https://tenant-b.example"})
    assert "Access-Control-Allow-Origin" not in denied.headers
    assert hook_app.extensions["audit"].denied[-1]["origin"] == "https://tenant-b.example"


def test_hook_resolve_options_switches_cors_off(hook_app: Any) -> None:
    client = hook_app.test_client()
    response = client.get("/internal/metrics", headers={"Origin": "https://app.example.com"})
    assert cors_headers(response) == {}


def test_hook_build_preflight_read_only(hook_app: Any) -> None:
    client = hook_app.test_client()
    origin = "https://app.example.com"
    assert "Access-Control-Allow-Methods" in preflight(client, "/api/items", origin, "PUT").headers
    hook_app.config["READ_ONLY"] = True
    refused = preflight(client, "/api/items", origin, "PUT")
    assert refused.headers["Access-Control-Allow-Origin"] == origin
    assert "Access-Control-Allow-Methods" not in refused.headers


def test_hook_build_response_wrapper_and_add_headers(hook_app: Any) -> None:
    client = hook_app.test_client()
    origin = "https://app.example.com"
    response = client.get("/api/items", headers={"Origin": origin})
    assert response.headers["Timing-Allow-Origin"] == origin
    assert response.headers["Access-Control-Expose-Headers"] == "X-Request-Id"
    answer = preflight(client, "/api/items", origin, "PUT")
    assert "Timing-Allow-Origin" not in answer.headers


def test_hook_plugin_settings_per_resource_and_vary(hook_app: Any) -> None:
    client = hook_app.test_client()
    partner = {"Origin": "https://partner.example"}
    feed = client.get("/api/partners/feed", headers=partner)
    elsewhere = client.get("/api/items", headers=partner)
    assert feed.headers["Access-Control-Allow-Origin"] == "https://partner.example"
    assert feed.headers["Vary"] == "Origin, X-Tenant"
    assert "Access-Control-Allow-Origin" not in elsewhere.headers
    assert elsewhere.headers["Vary"] == "Origin"


def test_hook_plugin_settings_are_checked_at_start_up() -> None:
    from flask import Flask

    hooks = load("hooks.py")
    app = Flask("bad")
    with pytest.raises(flask_cors.CORSConfigError, match=r"partners.*https:// origins"):
        flask_cors.CORS(
            app,
            plugins=[hooks.PartnerOrigins()],
            resources={"/x": {"plugins": {"partners": ["http://insecure.example"]}}},
        )
    with pytest.raises(flask_cors.CORSConfigError, match=r"no registered plugin.*'partner'"):
        flask_cors.CORS(
            Flask("typo"),
            plugins=[hooks.PartnerOrigins()],
            resources={"/x": {"plugins": {"partner": ["https://p.example"]}}},
        )


def test_hook_observe_decision_records_denials(hook_app: Any) -> None:
    client = hook_app.test_client()
    client.get("/api/items", headers={"Origin": "https://stranger.example"})
    record = hook_app.extensions["audit"].denied[-1]
    assert record["outcome"] == "denied"
    assert record["origin"] == "https://stranger.example"


# --- the plugin package ---------------------------------------------------------------------


@pytest.fixture
def plugin_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(PLUGIN_PACKAGE))
    monkeypatch.delitem(sys.modules, "flask_cors_denylist", raising=False)


def test_plugin_package_own_tests_pass(plugin_on_path: None) -> None:
    tests = load("plugin_package/test_flask_cors_denylist.py")
    names = [name for name in dir(tests) if name.startswith("test_")]
    assert names
    for name in names:
        getattr(tests, name)()


def test_plugin_package_is_found_through_its_entry_point(
    plugin_on_path: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tomllib
    from flask import Flask

    from flask_cors import CORS

    project = tomllib.loads((PLUGIN_PACKAGE / "pyproject.toml").read_text())["project"]
    entry_points = project["entry-points"]["flask_cors"]
    assert entry_points == {"denylist": "flask_cors_denylist"}
    # What installing the distribution would leave on sys.path: its metadata.
    dist_info = tmp_path / "flask_cors_denylist-1.0.0.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {project['name']}\nVersion: {project['version']}\n"
    )
    lines = [f"{name} = {target}" for name, target in entry_points.items()]
    (dist_info / "entry_points.txt").write_text("[flask_cors]\n" + "\n".join(lines) + "\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delenv("FLASK_CORS_DISABLE_PLUGIN_AUTOLOAD", raising=False)

    app = Flask(__name__)
    app.config["DENYLIST_ORIGINS"] = ["https://evil.example"]
    CORS(app)

    @app.get("/")
    def index() -> str:
        return "index"

    assert app.extensions["cors"].pm.has_plugin("denylist")
    client = app.test_client()
    assert (
        "Access-Control-Allow-Origin"
        not in client.get("/", headers={"Origin": "https://evil.example"}).headers
    )
    assert (
        client.get("/", headers={"Origin": "https://good.example"}).headers[
            "Access-Control-Allow-Origin"
        ]
        == "https://good.example"
    )

    blocked = Flask(__name__)
    blocked.config["DENYLIST_ORIGINS"] = ["https://evil.example"]
    CORS(blocked, blocked_plugins=["denylist"])
    assert not blocked.extensions["cors"].pm.has_plugin("denylist")


# --- the demo -----------------------------------------------------------------------------


@pytest.fixture
def demo_modules(monkeypatch: pytest.MonkeyPatch) -> tuple[ModuleType, ModuleType]:
    monkeypatch.syspath_prepend(str(EXAMPLES))
    import demo
    import demo_apps

    return demo, demo_apps


def test_demo_api_records_cors_headers(demo_modules: tuple[ModuleType, ModuleType]) -> None:
    _, demo_apps = demo_modules
    page_origin = "http://127.0.0.1:8000"
    api = demo_apps.create_api_app(page_origin)
    client = api.test_client()
    got = client.get("/api/simple?call=t1", headers={"Origin": page_origin})
    assert got.headers["Access-Control-Allow-Origin"] == page_origin
    refused = client.get("/api/partner?call=t2", headers={"Origin": page_origin})
    assert "Access-Control-Allow-Origin" not in refused.headers
    record = client.get("/api/inspect/t2", headers={"Origin": page_origin}).json
    assert record["exchanges"][0]["response_cors_headers"] == {"Vary": "Origin"}
    assert client.get("/api/inspect/unknown").json == {"exchanges": []}
    partner = client.get("/api/partner", headers={"Origin": demo_apps.PARTNER_ORIGIN})
    assert partner.headers["Access-Control-Allow-Origin"] == demo_apps.PARTNER_ORIGIN
    session = client.post("/api/session", headers={"Origin": page_origin})
    assert session.headers["Access-Control-Allow-Credentials"] == "true"
    assert "Partitioned" in session.headers["Set-Cookie"]


def test_demo_page_points_at_the_api(demo_modules: tuple[ModuleType, ModuleType]) -> None:
    _, demo_apps = demo_modules
    page = demo_apps.create_page_app("http://localhost:8001").test_client().get("/")
    assert page.status_code == 200
    assert b'const API = "http://localhost:8001";' in page.data


def test_demo_main_serves_and_prints_the_url(
    demo_modules: tuple[ModuleType, ModuleType],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import urllib.request

    demo, _ = demo_modules
    monkeypatch.setenv("DEMO_PAGE_PORT", "0")
    monkeypatch.setenv("DEMO_API_PORT", "0")
    seen: list[bytes] = []

    def visit_then_stop() -> None:
        url = capsys.readouterr().out.split("Open ")[1].split()[0]
        with urllib.request.urlopen(url, timeout=5) as response:
            seen.append(response.read())
        raise KeyboardInterrupt

    demo.main(visit_then_stop)
    assert b"flask_cors demo" in seen[0]
    assert "Stopping." in capsys.readouterr().out


# --- the configuration lint -----------------------------------------------------------------


def test_lint_example_logs_its_findings_at_start_up(logged_findings: Any) -> None:
    module = load("lint.py")
    app = module.create_app()
    client = app.test_client()
    client.get("/widget", headers={"Origin": "https://partner.example"})
    ids = {f.id for f in logged_findings() if f.severity != "info"}
    assert ids == {
        "null-origin",
        "origin-regex-too-broad",
        "credentials-any-origin",
        "origin-regex-unescaped-dot",
        "wildcard-with-credentials",
        "resource-glob",
        "origin-trailing-slash",
    }
    # The glob does not cover the file it was written for.
    report = client.get("/files/report.txt", headers={"Origin": "https://x.example"})
    assert "Access-Control-Allow-Origin" not in report.headers


def test_lint_fixed_example_is_clean_and_works() -> None:
    import warnings

    module = load("lint.py")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        app = module.create_fixed_app()
        client = app.test_client()
        widget = client.get("/widget", headers={"Origin": "https://partner.example"})
    assert widget.headers["Access-Control-Allow-Origin"] == "https://partner.example"
    account = client.get("/api/account", headers={"Origin": "https://app.example.com"})
    assert account.headers["Access-Control-Allow-Credentials"] == "true"
    evil = client.get("/api/account", headers={"Origin": "https://evilexample.com"})
    assert "Access-Control-Allow-Origin" not in evil.headers
    report = client.get("/files/report.txt", headers={"Origin": "https://x.example"})
    assert report.headers["Access-Control-Allow-Origin"] == "https://x.example"
    assert "Access-Control-Allow-Credentials" not in report.headers


def test_lint_example_with_accepted_findings() -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        app = load("lint.py").create_app_with_accepted_findings()
    linter = app.extensions["cors"].linter
    assert linter.strict
    assert linter.findings == []
    assert {finding.id for finding in linter.ignored} == {"max-age-capped", "private-network"}


# --- flask_cors.testing and flask cors explain ----------------------------------------------


def test_testing_example_suite_passes(tmp_path: Path) -> None:
    import os
    import subprocess

    # The suite runs as a user's would: with the plugin from its entry point, under a
    # configuration of its own rather than this project's.
    (tmp_path / "pytest.ini").write_text("[pytest]\nfilterwarnings = error\n")
    env = {**os.environ, "FLASK_CORS_DISABLE_PLUGIN_AUTOLOAD": "1"}
    env.pop("PYTEST_ADDOPTS", None)
    ini = str(tmp_path / "pytest.ini")
    options = ["-q", "-p", "no:cacheprovider", "-p", "no:cov", "-c", ini, "--rootdir", "."]
    result = subprocess.run(
        [sys.executable, "-m", "pytest", *options, "test_testing_app.py"],
        cwd=EXAMPLES,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "6 passed" in result.stdout


@pytest.mark.parametrize(
    "name", sorted(path.name for path in (EXAMPLES / "explain_output").glob("*.txt"))
)
def test_testing_explain_output_in_the_docs_is_real(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shlex

    from flask_cors.tools.cli import cors

    monkeypatch.setenv("FLASK_CORS_DISABLE_PLUGIN_AUTOLOAD", "1")
    command, *output, status = (EXAMPLES / "explain_output" / name).read_text().splitlines()
    prefix = "$ flask --app examples/testing_app.py cors "
    assert command.startswith(prefix)
    app = load("testing_app.py").create_app()
    result = app.test_cli_runner().invoke(cors, shlex.split(command.removeprefix(prefix)))
    assert result.output.splitlines() == output
    assert status == f"[exit status {result.exit_code}]"
