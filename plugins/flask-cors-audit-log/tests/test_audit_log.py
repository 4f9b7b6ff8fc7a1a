"""The audit log plugin, found through its entry point, in real Flask apps."""

from __future__ import annotations

import io
import json
import logging
from datetime import datetime, timedelta
from logging.handlers import WatchedFileHandler
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest
from flask import Flask
from flask_cors_audit_log import (
    CONFIG_ENABLED,
    CONFIG_FILE,
    EXTENSION_KEY,
    LOGGER_NAME,
    RECORD_ATTRIBUTE,
    AuditWriter,
    JSONLinesFormatter,
    format_record,
)

from flask_cors import CORS, CORSConfigError, hookimpl
from flask_cors.decision import Decision

ALLOWED = "https://app.example.com"


def make_app(name: str = "audited", config: dict[str, Any] | None = None, **cors: Any) -> Flask:
    """An app with the audit log turned on (``config``, when given, replaces that)."""
    app = Flask(name)
    app.testing = True
    app.config.update({CONFIG_ENABLED: True} if config is None else config)
    cors.setdefault("resources", {r"/api/*": {"origins": [ALLOWED]}})
    CORS(app, **cors)

    @app.get("/api/items")
    def items() -> str:
        return "items"

    @app.get("/plain")
    def plain() -> str:
        return "plain"

    return app


def audit_lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    """The decisions of the audit records (``record.cors_decision``)."""
    return [getattr(r, RECORD_ATTRIBUTE) for r in caplog.records if r.name == LOGGER_NAME]


@pytest.fixture
def caplog_audit(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO, logger=LOGGER_NAME)
    return caplog


def test_found_by_discovery() -> None:
    app = make_app()
    infos = {info.name: info for info in app.extensions["cors"].pm.plugin_infos()}
    assert infos["audit_log"].kind == "entry point"
    assert infos["audit_log"].distribution == "flask-cors-audit-log"
    assert set(infos["audit_log"].hooks) == {"config_keys", "configure", "observe_decision"}
    assert isinstance(app.extensions[EXTENSION_KEY], AuditWriter)


def test_one_structured_record_per_decision_to_the_logger(
    caplog_audit: pytest.LogCaptureFixture,
) -> None:
    client = make_app().test_client()
    client.get("/api/items", headers={"Origin": ALLOWED})
    client.get("/api/items", headers={"Origin": "https://evil.example"})
    client.get("/api/items")
    client.options(
        "/api/items", headers={"Origin": ALLOWED, "Access-Control-Request-Method": "PUT"}
    )
    client.get("/plain", headers={"Origin": ALLOWED})
    lines = audit_lines(caplog_audit)
    assert [line["outcome"] for line in lines] == [
        "allowed",
        "denied",
        "not_cors",
        "allowed",
        "not_cors",
    ]
    first = lines[0]
    assert first["app"] == "audited"
    assert first["origin"] == ALLOWED
    assert first["path"] == "/api/items"
    assert first["method"] == "GET"
    assert first["resource"] == "/api/*"
    assert first["preflight"] is False
    assert first["headers"]["Access-Control-Allow-Origin"] == ALLOWED
    assert first["origin_allowed_by"] == "origins"
    assert lines[1]["origin_allowed_by"] is None
    assert lines[3]["preflight"] is True
    assert all(r.levelno == logging.INFO for r in caplog_audit.records if r.name == LOGGER_NAME)


def test_lines_go_to_the_configured_file(tmp_path: Path) -> None:
    target = tmp_path / "audit.jsonl"
    client = make_app(config={CONFIG_FILE: str(target)}).test_client()
    client.get("/api/items", headers={"Origin": ALLOWED})
    client.get("/api/items", headers={"Origin": "https://evil.example"})
    lines = target.read_text(encoding="ascii").splitlines()
    assert [json.loads(line)["outcome"] for line in lines] == ["allowed", "denied"]
    target.rename(tmp_path / "audit.jsonl.1")  # rotation by renaming
    client.get("/api/items", headers={"Origin": ALLOWED})
    assert len(target.read_text(encoding="ascii").splitlines()) == 1


def test_hostile_text_is_escaped(tmp_path: Path) -> None:
    target = tmp_path / "audit.jsonl"
    client = make_app(config={CONFIG_FILE: str(target)}).test_client()
    hostile_origin = 'https://a.example\r\n{"outcome":"allowed"}\u202e\x1b[31m'
    client.get(
        "/api/it%0Aems\u2028",
        environ_overrides={"HTTP_ORIGIN": hostile_origin.encode().decode("latin-1")},
    )
    raw = target.read_bytes()
    assert raw.count(b"\n") == 1
    assert raw.isascii()
    assert b"\r" not in raw
    assert b"\x1b" not in raw
    record = json.loads(raw)
    assert "\n" not in record["origin"]
    assert "\r" not in record["origin"]
    assert record["origin"].startswith("https://a.example\\r\\n")
    assert "\n" not in record["path"]
    assert record["outcome"] == "denied"
    assert "not a valid serialized origin" in record["reason"]


def test_format_record_escapes_on_top_of_the_record() -> None:
    decision = Decision(
        "denied",
        "origin not allowed",
        "GET",
        "/x",
        "https://\\u202e.example",
        "/*",
        False,
        MappingProxyType({"Vary": "Origin"}),
    )
    line = format_record(decision, "app\u00e9", datetime(2025, 1, 1))
    assert line.isascii()
    assert '"origin":"https://\\\\u202e.example"' in line
    assert '"app":"app\\u00e9"' in line
    assert json.loads(line)["timestamp"] == "2025-01-01T00:00:00.000"


def test_write_failure_never_reaches_the_request(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    app = make_app(config={CONFIG_FILE: str(tmp_path)}, raise_plugin_errors=True)
    with caplog.at_level(logging.WARNING, logger="flask_cors_audit_log"):
        response = app.test_client().get("/api/items", headers={"Origin": ALLOWED})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED
    warnings = [r for r in caplog.records if r.name == "flask_cors_audit_log"]
    assert len(warnings) == 1
    assert warnings[0].exc_info is not None


@pytest.mark.parametrize(
    "config",
    [
        pytest.param({}, id="not-configured"),
        pytest.param({CONFIG_ENABLED: False}, id="disabled"),
        pytest.param({CONFIG_ENABLED: False, CONFIG_FILE: "x.jsonl"}, id="file-off"),
        pytest.param({CONFIG_ENABLED: "off", CONFIG_FILE: "x.jsonl"}, id="file-off-string"),
    ],
)
def test_no_lines_for_an_app_that_does_not_turn_the_audit_log_on(
    caplog_audit: pytest.LogCaptureFixture, config: dict[str, Any]
) -> None:
    app = make_app(config=config)
    app.test_client().get("/api/items", headers={"Origin": ALLOWED})
    assert EXTENSION_KEY not in app.extensions
    assert audit_lines(caplog_audit) == []
    (info,) = [i for i in app.extensions["cors"].pm.plugin_infos() if i.name == "audit_log"]
    assert info.takes_part is False


def test_blocked_plugin_writes_nothing(caplog_audit: pytest.LogCaptureFixture) -> None:
    app = make_app(blocked_plugins=["audit_log"])
    app.test_client().get("/api/items", headers={"Origin": ALLOWED})
    assert audit_lines(caplog_audit) == []


@pytest.mark.parametrize(
    ("key", "value"),
    [(CONFIG_ENABLED, "maybe"), (CONFIG_ENABLED, 2), (CONFIG_FILE, 3), (CONFIG_FILE, "")],
)
def test_bad_settings_fail_at_start_up(key: str, value: object) -> None:
    with pytest.raises(CORSConfigError, match=key):
        make_app(config={key: value})


@pytest.mark.parametrize(
    ("old", "new"),
    [("FLASK_CORS_AUDIT_FILE", CONFIG_FILE), ("FLASK_CORS_AUDIT_ENABLED", CONFIG_ENABLED)],
)
def test_the_keys_of_development_versions_fail_naming_the_new_key(old: str, new: str) -> None:
    with pytest.raises(CORSConfigError, match=old) as caught:
        make_app(config={old: True})
    assert f"renamed {new}" in caught.value.problem


def test_audit_sees_the_final_headers(caplog_audit: pytest.LogCaptureFixture) -> None:
    class Extra:
        @hookimpl
        def build_response(self, origin: str | None) -> dict[str, str]:
            return {"Access-Control-Allow-Origin": origin or "*", "X-Extra": "1"}

    app = make_app(plugins=[Extra()])
    app.test_client().get("/api/items", headers={"Origin": ALLOWED})
    (line,) = audit_lines(caplog_audit)
    assert line["headers"] == {
        "Access-Control-Allow-Origin": ALLOWED,
        "X-Extra": "1",
        "Vary": "Origin",
    }


# --- the record: structured, readable as text, one JSON line in the file ---------------------


def test_the_message_reads_as_text(caplog_audit: pytest.LogCaptureFixture) -> None:
    client = make_app().test_client()
    client.get("/api/items", headers={"Origin": ALLOWED})
    client.get("/api/items", headers={"Origin": "https://evil.example"})
    client.get("/api/items")
    messages = [r.getMessage() for r in caplog_audit.records if r.name == LOGGER_NAME]
    assert messages == [
        f"CORS allowed: GET /api/items from origin {ALLOWED}: origin allowed (allowed by origins)",
        "CORS denied: GET /api/items from origin https://evil.example: origin not allowed",
        "CORS not_cors: GET /api/items from origin (none): the request has no Origin; "
        "always_send is on",
    ]


#: The attributes every LogRecord has: what a JSON formatter leaves out of its output.
STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class TinyJSONFormatter(logging.Formatter):
    """A JSON log formatter as applications write them: the message and every extra
    attribute of the record, in one JSON object."""

    def format(self, record: logging.LogRecord) -> str:
        extra = {k: v for k, v in vars(record).items() if k not in STANDARD}
        return json.dumps({"message": record.getMessage(), **extra})


def test_a_json_log_formatter_encodes_the_decision_once() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(TinyJSONFormatter())
    logger = logging.getLogger(LOGGER_NAME)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        make_app().test_client().get("/api/items", headers={"Origin": ALLOWED})
    finally:
        logger.removeHandler(handler)
        logger.setLevel(logging.NOTSET)
    (line,) = stream.getvalue().splitlines()
    parsed = json.loads(line)
    decision = parsed[RECORD_ATTRIBUTE]
    assert isinstance(decision, dict)  # an object, not a string holding JSON
    assert decision["outcome"] == "allowed"
    assert decision["app"] == "audited"
    assert decision["origin_allowed_by"] == "origins"
    assert parsed["message"].startswith("CORS allowed: GET /api/items")


def test_the_file_is_a_watched_file_handler_writing_json_lines(tmp_path: Path) -> None:
    target = tmp_path / "audit.jsonl"
    app = make_app(config={CONFIG_FILE: str(target)})
    writer = app.extensions[EXTENSION_KEY]
    assert isinstance(writer.handler, WatchedFileHandler)
    assert isinstance(writer.handler.formatter, JSONLinesFormatter)
    app.test_client().get("/api/items", headers={"Origin": ALLOWED})
    (line,) = target.read_text(encoding="ascii").splitlines()
    record = json.loads(line)
    assert list(record)[:2] == ["timestamp", "app"]
    assert datetime.fromisoformat(record["timestamp"]).utcoffset() == timedelta(0)
    assert record["origin_allowed_by"] == "origins"
    assert record["headers"]["Access-Control-Allow-Origin"] == ALLOWED


def test_a_file_removed_by_logrotate_is_created_again(tmp_path: Path) -> None:
    target = tmp_path / "audit.jsonl"
    client = make_app(config={CONFIG_FILE: str(target)}).test_client()
    client.get("/api/items", headers={"Origin": ALLOWED})
    target.unlink()
    client.get("/api/items", headers={"Origin": "https://evil.example"})
    (line,) = target.read_text(encoding="ascii").splitlines()
    assert json.loads(line)["outcome"] == "denied"


def test_file_records_do_not_reach_the_logger(
    tmp_path: Path, caplog_audit: pytest.LogCaptureFixture
) -> None:
    target = tmp_path / "audit.jsonl"
    make_app(config={CONFIG_FILE: str(target)}).test_client().get(
        "/api/items", headers={"Origin": ALLOWED}
    )
    assert audit_lines(caplog_audit) == []
    assert len(target.read_text(encoding="ascii").splitlines()) == 1


def test_the_formatter_serves_an_apps_own_handler(tmp_path: Path) -> None:
    """JSONLinesFormatter on any handler of the logger gives the file's lines."""
    target = tmp_path / "own.jsonl"
    handler = logging.FileHandler(target, encoding="ascii")
    handler.setFormatter(JSONLinesFormatter())
    logger = logging.getLogger(LOGGER_NAME)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        make_app().test_client().get("/api/items", headers={"Origin": ALLOWED})
        logger.info("not a decision")
    finally:
        logger.removeHandler(handler)
        logger.setLevel(logging.NOTSET)
        handler.close()
    decision, other = (json.loads(line) for line in target.read_text().splitlines())
    assert decision["outcome"] == "allowed"
    assert other["message"] == "not a decision"
    assert other["logger"] == LOGGER_NAME


def test_the_record_names_the_plugin_that_allowed_the_origin(
    caplog_audit: pytest.LogCaptureFixture,
) -> None:
    app = make_app(
        config={CONFIG_ENABLED: True, "CORS_ORIGIN_PATTERNS": ["https://*.partner.example"]},
        resources={r"/api/*": {"origins": [ALLOWED]}},
    )
    client = app.test_client()
    client.get("/api/items", headers={"Origin": "https://a.partner.example"})
    client.get("/api/items", headers={"Origin": ALLOWED})
    by_pattern, by_option = audit_lines(caplog_audit)
    assert by_pattern["origin_allowed_by"] == "origin_patterns"
    assert by_option["origin_allowed_by"] == "origins"
    messages = [r.getMessage() for r in caplog_audit.records if r.name == LOGGER_NAME]
    assert messages[0].endswith("(allowed by origin_patterns)")


def test_settings_from_the_environment_through_from_prefixed_env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Flask's from_prefixed_env reads FLASK_CORS_AUDIT_FILE as CORS_AUDIT_FILE."""
    target = tmp_path / "audit.jsonl"
    monkeypatch.setenv("FLASK_CORS_AUDIT_FILE", str(target))
    monkeypatch.setenv("FLASK_CORS_AUDIT_ENABLED", "true")
    app = Flask("from_env")
    app.config.from_prefixed_env()
    assert app.config[CONFIG_FILE] == str(target)
    with caplog.at_level(logging.INFO, logger="flask_cors"):
        CORS(app, origins=[ALLOWED])

    @app.get("/")
    def index() -> str:
        return "ok"

    app.test_client().get("/", headers={"Origin": ALLOWED})
    assert json.loads(target.read_text())["outcome"] == "allowed"
    assert not [r for r in caplog.records if "unknown-option" in r.getMessage()]
