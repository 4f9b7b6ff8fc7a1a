"""The decision as a log record, its JSON-lines formatter, and the per-app writer."""

from __future__ import annotations

import json
import logging
import os
import weakref
from collections.abc import Mapping
from datetime import datetime, timezone
from logging.handlers import WatchedFileHandler
from typing import Any

from flask_cors import CORSConfigError
from flask_cors.decision import Decision
from flask_cors.options import parse_bool

__all__ = [
    "CONFIG_ENABLED",
    "CONFIG_FILE",
    "CONFIG_KEYS",
    "EXTENSION_KEY",
    "LOGGER_NAME",
    "RECORD_ATTRIBUTE",
    "AuditFileHandler",
    "AuditWriter",
    "JSONLinesFormatter",
    "decision_fields",
    "format_record",
    "writer_from_config",
]

#: The logger that receives the records when no file is configured.
LOGGER_NAME = "flask_cors.audit"
#: The attribute of each audit ``LogRecord`` that holds the decision (a JSON-ready dict).
RECORD_ATTRIBUTE = "cors_decision"
#: Key of the per-app writer in ``app.extensions``.
EXTENSION_KEY = "flask_cors_audit_log"
CONFIG_FILE = "CORS_AUDIT_FILE"
CONFIG_ENABLED = "CORS_AUDIT_ENABLED"
#: The app config keys of the plugin (declared to flask_cors's lint).
CONFIG_KEYS = (CONFIG_ENABLED, CONFIG_FILE)
#: The keys of development versions, read from the app config under the name that is
#: now the environment variable (``from_prefixed_env`` turns it into the key above).
RENAMED = {f"FLASK_{key}": key for key in CONFIG_KEYS}

audit_log = logging.getLogger(LOGGER_NAME)

#: The message of an audit record: outcome, request, origin, reason (the record's text is
#: escaped already), then who allowed the origin.
_MESSAGE = "CORS %s: %s %s from origin %s: %s%s"


def decision_fields(decision: Decision, app_name: str) -> dict[str, object]:
    """The record's ``cors_decision``: ``app`` and the decision record's fields
    (:meth:`~flask_cors.decision.Decision.as_dict`)."""
    return {"app": app_name, **decision.as_dict()}


def _json_line(fields: Mapping[str, object], moment: datetime) -> str:
    record = {"timestamp": moment.isoformat(timespec="milliseconds"), **fields}
    return json.dumps(record, ensure_ascii=True, separators=(",", ":"), default=str)


def format_record(decision: Decision, app_name: str, when: datetime | None = None) -> str:
    """One line of JSON: ``timestamp`` (UTC), ``app`` and the decision record's fields.

    ``ensure_ascii`` escapes every non-ASCII character, and JSON escapes every control
    character, on top of the escaping the record's request-derived fields already have:
    the line never contains a raw line break, whatever the request sent.
    """
    moment = when if when is not None else datetime.now(timezone.utc)
    return _json_line(decision_fields(decision, app_name), moment)


class JSONLinesFormatter(logging.Formatter):
    """Formats an audit record as one line of JSON (see :func:`format_record`), its
    ``timestamp`` the record's creation time in UTC. A record without a decision (from
    another logger sharing the handler) becomes ``{"timestamp", "logger", "level",
    "message"}``."""

    def format(self, record: logging.LogRecord) -> str:
        moment = datetime.fromtimestamp(record.created, timezone.utc)
        fields = getattr(record, RECORD_ATTRIBUTE, None)
        if not isinstance(fields, Mapping):
            fields = {
                "logger": record.name,
                "level": record.levelname,
                "message": record.getMessage(),
            }
        return _json_line(fields, moment)


class AuditFileHandler(WatchedFileHandler):
    """Appends JSON lines to a file, reopened when it was moved or deleted (rotation by
    ``logrotate`` without ``copytruncate``). A failed write raises, so that the plugin
    reports it as a warning on its own logger rather than logging printing a traceback
    to stderr."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__(path, encoding="ascii", delay=True)
        self.setFormatter(JSONLinesFormatter())

    def handleError(self, record: logging.LogRecord) -> None:
        raise  # the exception emit() is handling: the plugin reports it


class AuditWriter:
    """Emits the audit records of one app: to the logger ``flask_cors.audit``, or, with a
    file, to that file alone (one JSON line each)."""

    def __init__(self, app_name: str, path: str | os.PathLike[str] | None = None) -> None:
        self.app_name = app_name
        self.path = None if path is None else os.fspath(path)
        self.handler = None if path is None else AuditFileHandler(path)
        if self.handler is not None:
            # The file stays open while the app lives; closed with it.
            weakref.finalize(self, self.handler.close)

    def write(self, decision: Decision) -> None:
        handler = self.handler
        if handler is None and not audit_log.isEnabledFor(logging.INFO):
            return
        allowed_by = decision.origin_allowed_by
        record = audit_log.makeRecord(
            LOGGER_NAME,
            logging.INFO,
            __file__,
            0,
            _MESSAGE,
            (
                decision.outcome,
                decision.method,
                decision.path,
                "(none)" if decision.origin is None else decision.origin,
                decision.reason,
                "" if allowed_by is None else f" (allowed by {allowed_by})",
            ),
            None,
            extra={RECORD_ATTRIBUTE: decision_fields(decision, self.app_name)},
        )
        if handler is None:
            audit_log.handle(record)
        else:
            handler.handle(record)

    def close(self) -> None:
        if self.handler is not None:
            self.handler.close()


def writer_from_config(app_name: str, config: Mapping[str, Any]) -> AuditWriter | None:
    """The writer an app config asks for; ``None`` unless it turns the audit log on.

    ``CORS_AUDIT_ENABLED = True`` turns it on (records to the logger), and so does a
    ``CORS_AUDIT_FILE`` (lines to the file) unless ``CORS_AUDIT_ENABLED`` is false.
    ``CORS_AUDIT_ENABLED`` is read as flask_cors reads its booleans
    (:func:`flask_cors.options.parse_bool`: ``True``, ``"yes"``, ``"off"``...).
    """
    for old, new in RENAMED.items():
        if old in config:
            raise CORSConfigError(
                old,
                f"app config {old}",
                f"renamed {new}: set {new} in the app config (the environment variable "
                f"{old} becomes {new} through app.config.from_prefixed_env())",
            )
    path = config.get(CONFIG_FILE)
    on = (
        parse_bool(CONFIG_ENABLED, f"app config {CONFIG_ENABLED}", config[CONFIG_ENABLED])
        if CONFIG_ENABLED in config
        else path is not None
    )
    if not on:
        return None
    if path is not None and (not isinstance(path, str | os.PathLike) or not os.fspath(path)):
        raise CORSConfigError(
            CONFIG_FILE, f"app config {CONFIG_FILE}", f"expected a file path, got {path!r}"
        )
    return AuditWriter(app_name, path)
