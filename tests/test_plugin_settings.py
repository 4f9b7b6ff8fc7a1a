"""App-level plugin settings: explicit plugins, blocking, tracing, observers, plugin errors."""

from __future__ import annotations

import logging

import pytest
from flask import Flask

from flask_cors import CORS, CORSConfigError, hookimpl

pytestmark = pytest.mark.usefixtures("without_installed_plugins")

ORIGIN = {"Origin": "https://client.example"}


def simple_app(name: str = "settings") -> Flask:
    app = Flask(name)

    @app.route("/")
    def index() -> str:
        return "index"

    return app


class AllowTrusted:
    @hookimpl
    def match_origin(self, origin):
        return True if origin == "https://trusted.example" else None


class Explodes:
    @hookimpl
    def build_response(self):
        raise RuntimeError("plugin bug")


def test_plugins_option_registers_plugin_objects():
    app = simple_app()
    CORS(app, origins="https://listed.example", plugins=[AllowTrusted()])

    response = app.test_client().get("/", headers={"Origin": "https://trusted.example"})

    assert response.headers["Access-Control-Allow-Origin"] == "https://trusted.example"


#: A plugin object that the ``plugins`` option can name as "module:attribute".
TRUSTED_PLUGIN = AllowTrusted()


def test_plugins_option_imports_dotted_names():
    app = simple_app()
    CORS(app, origins="https://listed.example", plugins=[f"{__name__}:TRUSTED_PLUGIN"])

    response = app.test_client().get("/", headers={"Origin": "https://trusted.example"})

    assert response.headers["Access-Control-Allow-Origin"] == "https://trusted.example"
    assert app.extensions["cors"].pm.has_plugin(f"{__name__}:TRUSTED_PLUGIN")


def test_plugins_from_app_config():
    app = simple_app()
    app.config["CORS_PLUGINS"] = [AllowTrusted()]
    CORS(app, origins="https://listed.example")

    response = app.test_client().get("/", headers={"Origin": "https://trusted.example"})

    assert response.headers["Access-Control-Allow-Origin"] == "https://trusted.example"


def test_blocking_a_default_replaced_by_a_plugin():
    app = simple_app()
    CORS(app, blocked_plugins=["origins"], plugins=[AllowTrusted()])
    client = app.test_client()

    trusted = client.get("/", headers={"Origin": "https://trusted.example"})
    other = client.get("/", headers=ORIGIN)

    assert trusted.headers["Access-Control-Allow-Origin"] == "https://trusted.example"
    assert "Access-Control-Allow-Origin" not in other.headers


@pytest.mark.parametrize(
    ("kwargs", "option", "fragment"),
    [
        ({"blocked_plugins": ["resolve"]}, "blocked_plugins", "essential"),
        ({"blocked_plugins": "origins"}, "blocked_plugins", "no plugin implements match_origin"),
        ({"blocked_plugins": [5]}, "blocked_plugins", "must be strings"),
        ({"plugins": "flask_cors.defaults.origins"}, "plugins", "expected a list"),
        ({"plugins": ["no_such_module_for_cors_tests"]}, "plugins", "cannot import"),
        ({"plugins": ["flask_cors:no_such_attribute"]}, "plugins", "cannot import"),
        ({"plugin_discovery": "nah"}, "plugin_discovery", "expected True or False"),
        ({"plugins": {"origin_registry": True}}, "plugins", "settings for plugins go on"),
        ({"trace_hooks": 1}, "trace_hooks", "expected True or False"),
        ({"raise_plugin_errors": None}, "raise_plugin_errors", "expected True or False"),
    ],
)
def test_bad_plugin_settings_fail_at_setup(kwargs, option, fragment):
    with pytest.raises(CORSConfigError) as excinfo:
        CORS(simple_app(), **kwargs)

    assert excinfo.value.option == option
    assert fragment in str(excinfo.value)


def test_plugin_with_unknown_hook_fails_at_setup():
    class Misspelt:
        @hookimpl
        def match_orgin(self, origin):
            return True

    with pytest.raises(CORSConfigError, match="match_orgin"):
        CORS(simple_app(), plugins=[Misspelt()])


def test_same_plugin_object_twice_fails_at_setup():
    plugin = AllowTrusted()

    with pytest.raises(CORSConfigError, match="cannot register"):
        CORS(simple_app(), plugins=[plugin, plugin])


def test_app_settings_only_on_the_first_cors_call():
    app = simple_app()
    CORS(app)

    with pytest.raises(CORSConfigError, match="first CORS call"):
        CORS(app, plugins=[AllowTrusted()])


def test_trace_hooks_logs_every_hook_call(caplog):
    app = simple_app()
    CORS(app, trace_hooks=True)
    caplog.set_level(logging.DEBUG, logger="flask_cors")

    app.test_client().get("/", headers=ORIGIN)

    traces = [r.getMessage() for r in caplog.records if "hook trace" in r.getMessage()]
    assert any("match_origin" in line for line in traces)
    assert all("\n" not in line for line in traces)


def test_failing_plugin_fails_closed_and_logs(caplog, cors_headers):
    app = simple_app()
    CORS(app, plugins=[Explodes()])

    with caplog.at_level(logging.ERROR, logger="flask_cors"):
        response = app.test_client().get("/", headers=ORIGIN)

    assert response.status_code == 200
    assert cors_headers(response) == {}
    assert response.headers["Vary"] == "Origin"
    assert any("plugin bug" in (r.exc_text or str(r.exc_info)) for r in caplog.records)


def test_failing_plugin_raises_when_asked_to():
    app = simple_app()
    app.testing = True
    CORS(app, plugins=[Explodes()], raise_plugin_errors=True)

    with pytest.raises(RuntimeError, match="plugin bug"):
        app.test_client().get("/", headers=ORIGIN)


def test_failing_resolve_options_leaves_the_preflight_to_the_app(preflight, caplog):
    class BrokenResolver:
        @hookimpl
        def resolve_options(self):
            raise LookupError("resolver bug")

    app = simple_app()
    CORS(app, plugins=[BrokenResolver()])

    with caplog.at_level(logging.CRITICAL, logger="flask_cors"):
        response = preflight(app.test_client(), "/")

    assert "Access-Control-Allow-Origin" not in response.headers


def test_observers_see_each_decision():
    seen = []

    class Observer:
        @hookimpl
        def observe_decision(self, decision):
            seen.append((decision.outcome, decision.origin, decision.path, decision.preflight))

    app = simple_app()
    CORS(app, origins="https://client.example", plugins=[Observer()])
    client = app.test_client()

    client.get("/", headers=ORIGIN)
    client.get("/", headers={"Origin": "https://denied.example"})
    client.get("/")

    assert [outcome for outcome, *_ in seen] == ["allowed", "denied", "not_cors"]
    assert seen[0][1:] == ("https://client.example", "/", False)


def test_failing_observer_never_changes_the_response(caplog):
    class BrokenObserver:
        @hookimpl
        def observe_decision(self):
            raise RuntimeError("observer bug")

    app = simple_app()
    CORS(app, plugins=[BrokenObserver()])

    with caplog.at_level(logging.CRITICAL, logger="flask_cors"):
        response = app.test_client().get("/", headers=ORIGIN)

    assert response.headers["Access-Control-Allow-Origin"] == "https://client.example"


def test_configure_hook_sees_the_app():
    configured = []

    class Configurable:
        @hookimpl
        def configure(self, app):
            configured.append(app.name)

    app = simple_app("configured")
    CORS(app, plugins=[Configurable()])

    assert configured == ["configured"]


def test_cli_lists_the_plugins_of_the_app():
    from flask_cors.tools.cli import cors as cors_command

    app = simple_app("cli")
    CORS(app, blocked_plugins=["origins"], plugins=[AllowTrusted()])

    result = app.test_cli_runner().invoke(cors_command, ["plugins"])

    assert result.exit_code == 0
    for name in ("resolve", "preflight", "response", "vary"):
        assert f"  {name}  [default]" in result.output
    assert "[explicit]" in result.output
    assert "hooks: match_origin" in result.output
    assert "blocked: origins" in result.output


def test_cli_refuses_an_app_without_cors():
    from flask_cors.tools.cli import cors as cors_command

    result = simple_app("no-cors").test_cli_runner().invoke(cors_command, ["plugins"])

    assert result.exit_code != 0
    assert "CORS is not initialised" in result.output
