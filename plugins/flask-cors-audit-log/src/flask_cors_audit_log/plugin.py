"""The ``flask_cors`` plugin (entry point ``audit_log``): its two hook implementations."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from flask import Flask, current_app

from flask_cors import hookimpl

from .writer import EXTENSION_KEY, AuditWriter, writer_from_config

if TYPE_CHECKING:
    from flask import Request

    from flask_cors.decision import Decision

__all__ = ["configure", "observe_decision"]

#: Where the plugin reports its own trouble (not the audit logger: that one stays JSON).
log = logging.getLogger("flask_cors_audit_log")


@hookimpl
def configure(app: Flask) -> bool:
    """Read ``FLASK_CORS_AUDIT_*`` and keep the app's writer in ``app.extensions``; stay
    inert (``False``) for an app that does not turn the audit log on."""
    writer = writer_from_config(app.name, app.config)
    if writer is None:
        app.extensions.pop(EXTENSION_KEY, None)
        return False
    app.extensions[EXTENSION_KEY] = writer
    return True


@hookimpl
def observe_decision(decision: Decision, request: Request) -> None:
    """Write one audit line for ``decision``; never raises."""
    try:
        writer = current_app.extensions.get(EXTENSION_KEY)
        if isinstance(writer, AuditWriter):
            writer.write(decision)
    except Exception:
        log.warning("could not write a CORS audit line", exc_info=True)
