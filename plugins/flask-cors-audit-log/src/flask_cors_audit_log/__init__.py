"""One JSON line per CORS decision, for audit trails.

Install the distribution: the ``flask_cors`` plugin manager finds the plugin through its
entry point ``audit_log``. Lines go to the logger ``flask_cors.audit`` at level INFO, or,
when the app config sets ``FLASK_CORS_AUDIT_FILE``, are appended to that file.
"""

from __future__ import annotations

from .writer import (
    CONFIG_ENABLED,
    CONFIG_FILE,
    EXTENSION_KEY,
    LOGGER_NAME,
    AuditWriter,
    format_record,
)

__version__ = "0.1.0"

__all__ = [
    "CONFIG_ENABLED",
    "CONFIG_FILE",
    "EXTENSION_KEY",
    "LOGGER_NAME",
    "AuditWriter",
    "__version__",
    "format_record",
]
