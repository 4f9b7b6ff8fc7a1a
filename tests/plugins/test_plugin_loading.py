"""How an app gets its plugins: order, blocking, checks, dotted names, configure, tracing."""

from __future__ import annotations

import logging
import textwrap
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from flask_cors import CORS, CORSConfigError, hookimpl
from flask_cors.manager import DISABLE_AUTOLOAD_ENV

ACAO = "Access-Control-Allow-Origin"
DEFAULT_NAMES = ["resolve", "origins", "preflight", "response", "vary"]


def make_app(name: str = "loading", **cors: Any) -> Flask:
    app = Flask(name)
    app.testing = True
    CORS(app, **cors)

    @app.get("/")
    def index() -> str:
        return "ok"

    return app


def plugin_names(app: Flask) -> list[str]:
    return [info.name for info in app.extensions["cors"].pm.plugin_infos()]


def install_entry_point(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    module: str,
    source: str,
    attribute: str = "",
) -> None:
    """Make ``module`` importable with a distribution that declares a flask_cors entry point.

    This is what ``pip install`` leaves behind; importlib.metadata finds it on sys.path.
    """
    site = tmp_path / f"site_{module}"
    site.mkdir()
    (site / f"{module}.py").write_text(textwrap.dedent(source))
    dist = site / f"{module}_dist-1.2.3.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {module}-dist\nVersion: 1.2.3\n")
    target = f"{module}:{attribute}" if attribute else module
    (dist / "entry_points.txt").write_text(f"[flask_cors]\n{name} = {target}\n")
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.delenv(DISABLE_AUTOLOAD_ENV, raising=False)


RECORDING_MODULE = """
    from flask_cors import hookimpl

    CALLS = []

    @hookimpl{marker}
    def match_origin(origin):
        CALLS.append("{label}")
        return None
"""


class Recorder:
    def __init__(self, calls: list[str], label: str) -> None:
        self.calls = calls
        self.label = label

    @hookimpl
    def match_origin(self, origin: str) -> bool | None:
        self.calls.append(self.label)
        return None


class TryFirst(Recorder):
    @hookimpl(tryfirst=True)
    def match_origin(self, origin: str) -> bool | None:
        return super().match_origin(origin)


class TryLast(Recorder):
    @hookimpl(trylast=True)
    def match_origin(self, origin: str) -> bool | None:
        return super().match_origin(origin)


# --- load order --------------------------------------------------------------------------


def test_registration_order_entry_points_explicit_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_entry_point(
        tmp_path,
        monkeypatch,
        "zz_probe",
        "zz_probe_plugin",
        RECORDING_MODULE.format(marker="", label="entry point"),
    )
    calls: list[str] = []
    app = make_app(plugins=[Recorder(calls, "explicit")], origins=["https://ok.example"])
    names = plugin_names(app)
    assert names[-5:] == DEFAULT_NAMES  # the defaults come last, so they are called last
    explicit = next(
        info.name for info in app.extensions["cors"].pm.plugin_infos() if info.kind == "explicit"
    )
    assert names.index("zz_probe") < names.index(explicit)  # entry points, then explicit ones
    infos = {info.name: info for info in app.extensions["cors"].pm.plugin_infos()}
    assert infos["zz_probe"].kind == "entry point"
    assert (infos["zz_probe"].distribution, infos["zz_probe"].version) == (
        "zz_probe_plugin-dist",
        "1.2.3",
    )
    assert {infos[name].kind for name in DEFAULT_NAMES} == {"default"}

    import zz_probe_plugin  # type: ignore[import-not-found]

    zz_probe_plugin.CALLS.clear()
    response = app.test_client().get("/", headers={"Origin": "https://ok.example"})
    assert response.headers[ACAO] == "https://ok.example"  # the default still decides
    # Both are asked (the default decides); the explicit plugin, registered later, first.
    assert zz_probe_plugin.CALLS == ["entry point"]
    assert calls == ["explicit"]


def test_call_order_explicit_before_entry_point_before_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_entry_point(
        tmp_path,
        monkeypatch,
        "zz_order",
        "zz_order_plugin",
        """
        from flask_cors import hookimpl

        class Plugin:
            calls = None

            @hookimpl
            def match_origin(self, origin):
                self.calls.append("entry point")
                return None

        PLUGIN = Plugin()
        """,
        attribute="PLUGIN",
    )
    import zz_order_plugin  # type: ignore[import-not-found]

    calls: list[str] = []
    zz_order_plugin.PLUGIN.calls = calls
    first = TryFirst(calls, "explicit tryfirst")
    plain = Recorder(calls, "explicit")
    app = make_app(plugins=[first, plain], origins=["https://ok.example"])
    app.test_client().get("/", headers={"Origin": "https://nope.example"})
    assert calls == ["explicit tryfirst", "explicit", "entry point"]


def test_trylast_plugin_still_answers_before_the_defaults() -> None:
    """hookspecs.py: the defaults are trylast "so any plugin answers before them".

    BUG (core): pluggy calls trylast implementations in registration order among
    themselves, and the defaults are registered first, so the default match_origin (which
    always answers) runs before a plugin's trylast match_origin, which is never called.
    """
    calls: list[str] = []
    last = TryLast(calls, "explicit trylast")
    app = make_app(plugins=[last], origins=["https://ok.example"], plugin_discovery=False)
    app.test_client().get("/", headers={"Origin": "https://nope.example"})
    assert calls == ["explicit trylast"]


def test_a_plugin_answers_before_the_default_origins() -> None:
    class Deny:
        @hookimpl
        def match_origin(self) -> bool:
            return False

    app = make_app(plugins=[Deny()], plugin_discovery=False)
    response = app.test_client().get("/", headers={"Origin": "https://any.example"})
    assert ACAO not in response.headers
    assert response.headers["Vary"] == "Origin"


def test_installed_plugin_also_listed_explicitly_is_registered_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_entry_point(
        tmp_path,
        monkeypatch,
        "mine",
        "clash_plugin",
        RECORDING_MODULE.format(marker="", label="clash"),
    )
    # Listing an installed plugin in ``plugins`` as well registers it once, under its
    # entry-point name (entry points are registered first).
    app = make_app(plugins=["clash_plugin"])
    names = plugin_names(app)
    assert "mine" in names
    assert "clash_plugin" not in names


def test_discovery_off_per_app_and_per_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_entry_point(
        tmp_path,
        monkeypatch,
        "zz_switch",
        "zz_switch_plugin",
        RECORDING_MODULE.format(marker="", label="x"),
    )
    assert "zz_switch" in plugin_names(make_app())
    assert plugin_names(make_app(plugin_discovery=False)) == DEFAULT_NAMES
    monkeypatch.setenv(DISABLE_AUTOLOAD_ENV, "1")
    assert plugin_names(make_app()) == DEFAULT_NAMES


def test_a_broken_entry_point_fails_at_start_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_entry_point(
        tmp_path, monkeypatch, "zz_broken", "zz_broken_plugin", "raise ImportError('nope')\n"
    )
    with pytest.raises(CORSConfigError, match="zz_broken"):
        make_app()
    # ... unless it is blocked: a blocked name is never imported.
    make_app(blocked_plugins=["zz_broken"])


# --- blocking ----------------------------------------------------------------------------


def test_blocking_resolve_is_an_error() -> None:
    with pytest.raises(CORSConfigError, match="essential") as caught:
        make_app(blocked_plugins=["resolve"])
    assert caught.value.option == "blocked_plugins"


def test_blocking_origins_without_replacement_is_an_error() -> None:
    with pytest.raises(CORSConfigError, match="match_origin"):
        make_app(blocked_plugins=["origins"], plugin_discovery=False)


def test_blocking_origins_and_registering_your_own_works() -> None:
    class OnlyTrusted:
        @hookimpl
        def match_origin(self, origin: str) -> bool:
            return origin == "https://trusted.example"

    app = make_app(blocked_plugins=["origins"], plugins=[OnlyTrusted()], plugin_discovery=False)
    assert "origins" not in plugin_names(app)
    client = app.test_client()
    assert client.get("/", headers={"Origin": "https://trusted.example"}).headers[ACAO] == (
        "https://trusted.example"
    )
    assert ACAO not in client.get("/", headers={"Origin": "https://other.example"}).headers


def test_blocked_plugins_from_config_as_a_string() -> None:
    app = Flask("config_blocked")
    app.config["CORS_BLOCKED_PLUGINS"] = "audit_log, origin_patterns"
    CORS(app)
    pm = app.extensions["cors"].pm
    assert pm.is_blocked("audit_log")
    assert pm.is_blocked("origin_patterns")
    assert not pm.has_plugin("audit_log")


def test_blocked_explicit_dotted_plugin_is_skipped() -> None:
    app = make_app(plugins=["no_such_module_at_all"], blocked_plugins=["no_such_module_at_all"])
    assert "no_such_module_at_all" not in plugin_names(app)


# --- checks at start-up ------------------------------------------------------------------


def test_misspelt_hook_name_fails_at_start_up() -> None:
    class Typo:
        @hookimpl
        def match_orgin(self, origin: str) -> bool:
            return True

    with pytest.raises(CORSConfigError, match="match_orgin"):
        make_app(plugins=[Typo()], plugin_discovery=False)


def test_unknown_argument_fails_at_start_up() -> None:
    class BadArgs:
        @hookimpl
        def match_origin(self, origin: str, tenant: str) -> bool:
            return True

    with pytest.raises(CORSConfigError, match="tenant"):
        make_app(plugins=[BadArgs()], plugin_discovery=False)


# --- plugins named by dotted strings -----------------------------------------------------


def test_plugin_as_dotted_string(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "dotted_pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "mod.py").write_text(
        textwrap.dedent(
            """
            from flask_cors import hookimpl

            class Allow:
                @hookimpl
                def match_origin(self, origin):
                    return origin == "https://dotted.example" or None

            plugin = Allow()

            @hookimpl
            def build_response(origin):
                return None
            """
        )
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    app = make_app(
        plugins=["dotted_pkg.mod:plugin", "dotted_pkg.mod"],
        origins=["https://fixed.example"],
        plugin_discovery=False,
    )
    infos = {info.name: info for info in app.extensions["cors"].pm.plugin_infos()}
    assert infos["dotted_pkg.mod:plugin"].kind == "explicit"
    assert infos["dotted_pkg.mod:plugin"].hooks == ("match_origin",)
    assert infos["dotted_pkg.mod"].hooks == ("build_response",)
    client = app.test_client()
    assert client.get("/", headers={"Origin": "https://dotted.example"}).headers[ACAO] == (
        "https://dotted.example"
    )


@pytest.mark.parametrize(
    "dotted", ["no_such_module_xyz", "flask_cors:no_such_attribute", "flask_cors.:x"]
)
def test_unimportable_dotted_string_fails_at_start_up(dotted: str) -> None:
    with pytest.raises(CORSConfigError, match="cannot import plugin"):
        make_app(plugins=[dotted], plugin_discovery=False)


def test_plugins_setting_from_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "config_named_plugin.py").write_text(
        "from flask_cors import hookimpl\n\n"
        "@hookimpl\ndef match_origin(origin):\n    return origin.endswith('.cfg.example') or None\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    app = Flask("config_plugins")
    app.config["CORS_PLUGINS"] = ["config_named_plugin"]
    app.config["CORS_PLUGIN_DISCOVERY"] = False
    app.config["CORS_ORIGINS"] = ["https://fixed.example"]
    CORS(app)

    @app.get("/")
    def index() -> str:
        return "ok"

    response = app.test_client().get("/", headers={"Origin": "https://a.cfg.example"})
    assert response.headers[ACAO] == "https://a.cfg.example"


# --- configure is historic ---------------------------------------------------------------


def test_configure_reaches_plugins_present_at_init_and_registered_later() -> None:
    seen: list[tuple[str, str]] = []

    class Configurable:
        def __init__(self, label: str) -> None:
            self.label = label

        @hookimpl
        def configure(self, app: Flask) -> None:
            seen.append((self.label, app.name))
            app.extensions[f"probe_{self.label}"] = True

    app = make_app(name="historic", plugins=[Configurable("early")], plugin_discovery=False)
    assert seen == [("early", "historic")]
    app.extensions["cors"].pm.register(Configurable("late"), name="late")
    assert seen == [("early", "historic"), ("late", "historic")]
    assert app.extensions["probe_late"] is True


def test_a_failing_configure_fails_the_set_up() -> None:
    class Fails:
        @hookimpl
        def configure(self, app: Flask) -> None:
            raise RuntimeError("bad settings")

    with pytest.raises(RuntimeError, match="bad settings"):
        make_app(plugins=[Fails()], plugin_discovery=False)


def test_late_plugin_takes_part_in_requests() -> None:
    app = make_app(origins=["https://fixed.example"], plugin_discovery=False)
    client = app.test_client()
    assert ACAO not in client.get("/", headers={"Origin": "https://late.example"}).headers

    class Late:
        @hookimpl
        def match_origin(self, origin: str) -> bool | None:
            return origin == "https://late.example" or None

    late = Late()
    pm = app.extensions["cors"].pm
    pm.register(late, name="late")
    assert client.get("/", headers={"Origin": "https://late.example"}).headers[ACAO] == (
        "https://late.example"
    )
    pm.unregister(late)
    assert ACAO not in client.get("/", headers={"Origin": "https://late.example"}).headers


# --- tracing -----------------------------------------------------------------------------


def test_trace_hooks_logs_to_the_flask_cors_logger(caplog: pytest.LogCaptureFixture) -> None:
    app = make_app(trace_hooks=True, plugin_discovery=False)
    with caplog.at_level(logging.DEBUG, logger="flask_cors"):
        app.test_client().get("/", headers={"Origin": "https://traced.example"})
    traces = [r.getMessage() for r in caplog.records if r.name == "flask_cors"]
    joined = "\n".join(traces)
    assert "hook trace:" in joined
    for hook in ("resolve_options", "match_origin", "build_response", "vary"):
        assert hook in joined, hook


def test_no_trace_lines_without_trace_hooks(caplog: pytest.LogCaptureFixture) -> None:
    app = make_app(plugin_discovery=False)
    with caplog.at_level(logging.DEBUG, logger="flask_cors"):
        app.test_client().get("/", headers={"Origin": "https://traced.example"})
    assert not any("hook trace" in r.getMessage() for r in caplog.records)


def _ordered_vary_plugin(calls: list[str], label: str, marker: str) -> object:
    options = {"tryfirst": {"tryfirst": True}, "trylast": {"trylast": True}, "plain": {}}[marker]

    class Plugin:
        @hookimpl(**options)
        def vary(self) -> None:
            calls.append(label)

    return Plugin()


def test_call_order_is_the_documented_one_against_a_real_plugin_manager(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """docs/plugins.md: tryfirst (explicit before entry points, later given first), plain
    (same), trylast (entry points before explicit, earlier given first), defaults last."""
    for marker in ("tryfirst", "plain", "trylast"):
        install_entry_point(
            tmp_path,
            monkeypatch,
            f"zz_ep_{marker}",
            f"zz_ep_{marker}_plugin",
            f"""
            from flask_cors import hookimpl

            CALLS = []

            class Plugin:
                @hookimpl(**{{"tryfirst": {{"tryfirst": True}}, "trylast": {{"trylast": True}},
                             "plain": {{}}}}["{marker}"])
                def vary(self):
                    CALLS.append("entry point {marker}")

            PLUGIN = Plugin()
            """,
            attribute="PLUGIN",
        )
    import importlib

    calls: list[str] = []
    for marker in ("tryfirst", "plain", "trylast"):
        importlib.import_module(f"zz_ep_{marker}_plugin").CALLS = calls
    explicit = [
        _ordered_vary_plugin(calls, f"explicit {n} {marker}", marker)
        for n in (1, 2)
        for marker in ("tryfirst", "plain", "trylast")
    ]
    app = make_app(plugins=explicit)
    app.test_client().get("/", headers={"Origin": "https://client.example"})

    assert calls == [
        "explicit 2 tryfirst",
        "explicit 1 tryfirst",
        "entry point tryfirst",
        "explicit 2 plain",
        "explicit 1 plain",
        "entry point plain",
        "entry point trylast",
        "explicit 1 trylast",
        "explicit 2 trylast",
    ]
    pm = app.extensions["cors"].pm
    called = [pm.get_name(impl.plugin) for impl in reversed(pm.hook.vary.get_hookimpls())]
    assert called[-1] == "vary"  # the default, after every other implementation


def test_blocking_the_default_vary_keeps_vary_origin() -> None:
    app = make_app(blocked_plugins=["vary"], plugin_discovery=False)
    client = app.test_client()

    actual = client.get("/", headers={"Origin": "https://client.example"})
    preflight = client.options(
        "/", headers={"Origin": "https://client.example", "Access-Control-Request-Method": "GET"}
    )

    assert actual.headers["Vary"] == "Origin"
    assert preflight.headers["Vary"] == "Origin"
