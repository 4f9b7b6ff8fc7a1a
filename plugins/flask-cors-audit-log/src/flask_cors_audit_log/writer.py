"""Formatting decision records as JSON lines, and writing them out."""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from flask_cors import CORSConfigError
from flask_cors.decision import Decision

__all__ = [
    "CONFIG_ENABLED",
    "CONFIG_FILE",
    "EXTENSION_KEY",
    "LOGGER_NAME",
    "AuditWriter",
    "format_record",
    "writer_from_config",
]

#: The logger that receives the lines when no file is configured.
LOGGER_NAME = "flask_cors.audit"
#: Key of the per-app writer in ``app.extensions``.
EXTENSION_KEY = "flask_cors_audit_log"
CONFIG_FILE = "FLASK_CORS_AUDIT_FILE"
CONFIG_ENABLED = "FLASK_CORS_AUDIT_ENABLED"

audit_log = logging.getLogger(LOGGER_NAME)


def format_record(decision: Decision, app_name: str, when: datetime | None = None) -> str:
    """One line of JSON: the decision record plus ``timestamp`` (UTC) and ``app``.

    ``ensure_ascii`` escapes every non-ASCII character, and JSON escapes every control
    character, on top of the escaping the record's request-derived fields already have:
    the line never contains a raw line break, whatever the request sent.
    """
    moment = when if when is not None else datetime.now(timezone.utc)
    record: dict[str, object] = {
        "timestamp": moment.isoformat(timespec="milliseconds"),
        "app": app_name,
        **decision.as_dict(),
    }
    return json.dumps(record, ensure_ascii=True, separators=(",", ":"), default=str)


class AuditWriter:
    """Writes the audit lines of one app to the audit logger or appends them to a file.

    The file is opened for each line (``O_APPEND``), so an external rotation that renames
    it is picked up at the next line; a lock keeps the lines of concurrent threads whole.
    """

    def __init__(self, app_name: str, path: str | os.PathLike[str] | None = None) -> None:
        self.app_name = app_name
        self.path = None if path is None else Path(path)
        self._lock = threading.Lock()

    def write(self, decision: Decision) -> None:
        line = format_record(decision, self.app_name)
        if self.path is None:
            audit_log.info(line)
            return
        with self._lock, self.path.open("a", encoding="ascii") as stream:
            stream.write(line + "\n")


def writer_from_config(app_name: str, config: Mapping[str, Any]) -> AuditWriter | None:
    """The writer an app config asks for; ``None`` unless it turns the audit log on.

    ``FLASK_CORS_AUDIT_ENABLED = True`` turns it on (lines to the logger), and so does a
    ``FLASK_CORS_AUDIT_FILE`` (lines to the file) unless ``FLASK_CORS_AUDIT_ENABLED`` is
    ``False``.
    """
    enabled = config.get(CONFIG_ENABLED, config.get(CONFIG_FILE) is not None)
    if not isinstance(enabled, bool):
        raise CORSConfigError(
            CONFIG_ENABLED,
            f"app config {CONFIG_ENABLED}",
            f"expected True or False, got {enabled!r}",
        )
    if not enabled:
        return None
    path = config.get(CONFIG_FILE)
    if path is not None and (not isinstance(path, str | os.PathLike) or not str(path)):
        raise CORSConfigError(
            CONFIG_FILE, f"app config {CONFIG_FILE}", f"expected a file path, got {path!r}"
        )
    return AuditWriter(app_name, path)
