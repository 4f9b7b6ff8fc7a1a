"""One structured log record per CORS decision, for audit trails.

Install the distribution: the ``flask_cors`` plugin manager finds the plugin through its
entry point ``audit_log``. An app turns it on with ``CORS_AUDIT_ENABLED = True`` (records
to the logger ``flask_cors.audit`` at INFO, the decision as ``record.cors_decision``) or
``CORS_AUDIT_FILE`` (one JSON line per decision appended to that file).
"""

from __future__ import annotations

from .writer import (
    CONFIG_ENABLED,
    CONFIG_FILE,
    CONFIG_KEYS,
    EXTENSION_KEY,
    LOGGER_NAME,
    RECORD_ATTRIBUTE,
    AuditFileHandler,
    AuditWriter,
    JSONLinesFormatter,
    decision_fields,
    format_record,
)

__version__ = "0.1.0"

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
    "__version__",
    "decision_fields",
    "format_record",
]
