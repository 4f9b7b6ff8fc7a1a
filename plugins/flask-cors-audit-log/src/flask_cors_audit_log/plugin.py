"""The ``flask_cors`` plugin (entry point ``audit_log``): its hook implementations."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from flask import Flask, current_app

from flask_cors import hookimpl

from .writer import CONFIG_KEYS, EXTENSION_KEY, AuditWriter, writer_from_config

if TYPE_CHECKING:
    from flask import Request

    from flask_cors.decision import Decision

__all__ = ["config_keys", "configure", "observe_decision"]

#: Where the plugin reports its own trouble (not the audit logger: that one is the log).
log = logging.getLogger("flask_cors_audit_log")


@hookimpl
def config_keys() -> tuple[str, ...]:
    """``CORS_AUDIT_ENABLED`` and ``CORS_AUDIT_FILE``."""
    return CONFIG_KEYS


@hookimpl
def configure(app: Flask) -> bool:
    """Read ``CORS_AUDIT_*`` and keep the app's writer in ``app.extensions``; stay inert
    (``False``) for an app that does not turn the audit log on."""
    writer = writer_from_config(app.name, app.config)
    previous = app.extensions.pop(EXTENSION_KEY, None)
    if isinstance(previous, AuditWriter) and previous is not writer:
        previous.close()
    if writer is None:
        return False
    app.extensions[EXTENSION_KEY] = writer
    return True


@hookimpl
def observe_decision(decision: Decision, request: Request) -> None:
    """Emit one audit record for ``decision``; never raises."""
    try:
        writer = current_app.extensions.get(EXTENSION_KEY)
        if isinstance(writer, AuditWriter):
            writer.write(decision)
    except Exception:
        log.warning("could not write a CORS audit record", exc_info=True)
