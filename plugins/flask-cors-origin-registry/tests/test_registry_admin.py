"""Revocation race, operators' commands, and origins read from the app's own table."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_cors_origin_registry import OriginRegistry, RegistryReadOnly, registry_for
from flask_cors_origin_registry.cli import registry_command
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, insert, select

from flask_cors import CORS

TENANT = "https://tenant.example"
ACAO = "Access-Control-Allow-Origin"


class PausingRegistry(OriginRegistry):
    """A registry whose lookups can be held between reading the database and caching."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.read_done = threading.Event()
        self.may_cache = threading.Event()
        self.pause = False

    def _query(self, key: str) -> bool:
        answer = super()._query(key)
        if self.pause:
            self.read_done.set()
            self.may_cache.wait(10)
        return answer


def test_a_lookup_in_flight_during_remove_cannot_cache_the_removed_origin(
    store: str, table_name: str
) -> None:
    registry = PausingRegistry(store, table_name=table_name, cache_ttl=3600)
    registry.create_schema()
    registry.add(TENANT)
    registry.allows("https://warm-up.example")
    if registry.dialect == "postgresql":
        while not registry.listening:
            threading.Event().wait(0.01)
    registry.pause = True
    answers: list[bool] = []
    lookup = threading.Thread(target=lambda: answers.append(registry.allows(TENANT)))
    lookup.start()
    assert registry.read_done.wait(10)  # the lookup has read "allowed" ...
    assert registry.remove(TENANT) is True  # ... and remove() returns before it caches
    registry.pause = False
    registry.may_cache.set()
    lookup.join(10)
    assert answers == [True]  # that request started before the removal
    # After remove() returned, no request of this process allows the origin.
    assert registry.allows(TENANT) is False
    assert len(registry.cache) <= 1


# --- the CLI against both stores ------------------------------------------------------------


def make_app(store: str, table: str, **settings: Any) -> Flask:
    app = Flask("cli_app")
    app.config["CORS_REGISTRY_URL"] = store
    app.config["CORS_REGISTRY_TABLE"] = table
    app.config.update(settings)
    CORS(app, origins=["https://static.example.org"])

    @app.get("/")
    def index() -> str:
        return "ok"

    return app


def invoke(app: Flask, *args: str) -> Any:
    return app.test_cli_runner().invoke(registry_command, list(args))


def test_cli_init_db_is_idempotent(store: str, table_name: str) -> None:
    app = make_app(store, table_name)
    for _ in range(2):
        result = invoke(app, "init-db")
        assert result.exit_code == 0, result.output
        assert f"table {table_name!r}" in result.output
    assert "registry-test-password" not in result.output


def test_cli_import_then_export_round_trips(store: str, table_name: str, tmp_path: Path) -> None:
    app = make_app(store, table_name)
    invoke(app, "add", "https://b.example")
    origins = tmp_path / "origins.txt"
    origins.write_text(
        "# tenants\nhttps://a.example\n\nHTTPS://B.example\nhttp://localhost:5173\nhttps://a.example\n"
    )
    result = invoke(app, "import", str(origins))
    assert result.exit_code == 0, result.output
    assert "imported 4 origins: 2 new, 1 already present" in result.output
    exported = invoke(app, "export")
    assert exported.output.splitlines() == [
        "# 3 origins from the CORS origin registry",
        "http://localhost:5173",
        "https://a.example",
        "https://b.example",
    ]
    again = tmp_path / "again.txt"
    again.write_text(exported.output)
    assert "0 new" in invoke(app, "import", str(again)).output
    assert app.test_client().get("/", headers={"Origin": "https://a.example"}).headers[ACAO]


def test_cli_import_names_every_bad_line_and_imports_nothing(
    store: str, table_name: str, tmp_path: Path
) -> None:
    app = make_app(store, table_name)
    origins = tmp_path / "origins.txt"
    origins.write_text(
        "https://good.example\nhttps://bad.example/path\n*\nhttps://fine.example\nnull\n"
    )
    result = invoke(app, "import", str(origins))
    assert result.exit_code == 1
    assert "nothing imported, 3 bad line(s)" in result.output
    assert "line 2: not a serialized origin: 'https://bad.example/path'" in result.output
    assert "line 3:" in result.output
    assert "line 5:" in result.output
    assert "line 1:" not in result.output
    assert invoke(app, "list").output == ""


def test_cli_reports_an_unreachable_store(postgres: Any, table_name: str) -> None:
    app = make_app(postgres.url(password="wrong"), table_name)
    result = invoke(app, "list")
    assert result.exit_code == 1
    assert "password authentication failed" in result.output
    assert "wrong" not in result.output


# --- origins read from the app's own table -----------------------------------------------


def tenants_table(url: str, name: str, extra: tuple[str, ...] = ()) -> Table:
    metadata = MetaData()
    tenants = Table(
        name,
        metadata,
        Column("id", Integer, primary_key=True),
        Column("origin", String(200)),
        Column("active", Integer, nullable=False),
    )
    engine = create_engine(url)
    try:
        metadata.create_all(engine)
        with engine.begin() as connection:
            connection.execute(
                insert(tenants),
                [
                    {"origin": "https://Acme.example", "active": 1},
                    {"origin": "https://gone.example", "active": 0},
                    {"origin": None, "active": 1},
                    *({"origin": origin, "active": 1} for origin in extra),
                ],
            )
    finally:
        engine.dispose()
    return tenants


@pytest.mark.parametrize("form", ["setting", "select"])
def test_origins_from_the_apps_own_table_are_read_only(
    store: str, table_name: str, form: str
) -> None:
    tenants = tenants_table(store, table_name)
    source: object = (
        f"{table_name}.origin"
        if form == "setting"
        else select(tenants.c.origin).where(tenants.c.active == 1)
    )
    app = make_app(store, "unused", CORS_REGISTRY_SOURCE=source)
    client = app.test_client()
    assert client.get("/", headers={"Origin": "https://acme.example"}).headers[ACAO]
    gone = client.get("/", headers={"Origin": "https://gone.example"})
    assert (ACAO in gone.headers) is (form == "setting")
    registry = registry_for(app)
    expected = ["https://acme.example"] + (["https://gone.example"] if form == "setting" else [])
    assert registry.list() == expected
    with pytest.raises(RegistryReadOnly, match="app's own table"):
        registry.add(TENANT)
    with pytest.raises(RegistryReadOnly):
        registry.remove("https://acme.example")
    for command in (["add", TENANT], ["remove", TENANT], ["init-db"]):
        result = invoke(app, *command)
        assert result.exit_code == 1
        assert "read-only" in result.output


@pytest.mark.parametrize("bad", ["null", "NULL", "*"])
def test_a_row_the_origin_grammar_refuses_is_never_allowed(
    store: str, table_name: str, bad: str, caplog: pytest.LogCaptureFixture
) -> None:
    """A tenant row holding ``null`` would let every sandboxed iframe read the resource."""
    tenants_table(store, table_name, extra=(bad, "null\nforged"))
    app = Flask("bad_rows")
    app.config["CORS_REGISTRY_URL"] = store
    app.config["CORS_REGISTRY_SOURCE"] = f"{table_name}.origin"
    CORS(
        app,
        origins=["https://static.example.org"],
        resources={"/*": {"supports_credentials": True, "plugins": {"origin_registry": True}}},
    )
    app.add_url_rule("/", "index", lambda: "ok")
    client = app.test_client()
    with caplog.at_level(logging.WARNING, logger="flask_cors.origin_registry"):
        for _ in range(2):
            response = client.get("/", headers={"Origin": bad})
            assert ACAO not in response.headers
            assert response.headers["Vary"] == "Origin"
        assert registry_for(app).allows("null\nforged") is False
        allowed = client.get("/", headers={"Origin": "https://acme.example"})
    assert allowed.headers[ACAO] == "https://acme.example"
    warnings = [r.getMessage() for r in caplog.records if r.name == "flask_cors.origin_registry"]
    assert len(warnings) == 2, warnings  # once per bad row, however often it is asked for
    assert f"holds {bad.lower()!a}" in warnings[0]
    assert "never allowed" in warnings[0]
    assert "'null\\nforged'" in warnings[1]  # escaped: no line break reaches the log
    assert all("\n" not in message for message in warnings)


def test_flask_sqlalchemy_engine_is_reused(tmp_path: Path, table_name: str) -> None:
    flask_sqlalchemy = pytest.importorskip("flask_sqlalchemy")
    url = f"sqlite:///{tmp_path / 'app.sqlite3'}"
    tenants_table(url, table_name)
    app = Flask("with_flask_sqlalchemy")
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    app.config["CORS_REGISTRY_SOURCE"] = f"{table_name}.origin"
    CORS(
        app, origins=["https://static.example.org"]
    )  # before Flask-SQLAlchemy: the engine is looked up on first use
    db = flask_sqlalchemy.SQLAlchemy()
    db.init_app(app)

    @app.get("/")
    def index() -> str:
        return "ok"

    response = app.test_client().get("/", headers={"Origin": "https://acme.example"})
    assert response.headers[ACAO] == "https://acme.example"
    with app.app_context():
        assert registry_for(app)._engine_pair()[0] is db.engine
        db.engine.dispose()
