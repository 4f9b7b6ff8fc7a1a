"""Exceptions raised by flask_cors, and its warning categories (kept, no longer emitted)."""

from __future__ import annotations

__all__ = ["CORSConfigError", "CORSPluginUnavailable", "CORSSecurityWarning"]


class CORSConfigError(ValueError):
    """A CORS option is unknown, of the wrong type or has a value that cannot work.

    Raised while the extension is set up (``CORS(app)``, ``init_app`` or the first use
    of a ``cross_origin`` view), never while a request is served. The message names the
    option and the place its value came from.
    """

    def __init__(self, option: str, source: str, problem: str) -> None:
        self.option = option
        self.source = source
        self.problem = problem
        super().__init__(f"CORS option {option!r} (from {source}): {problem}")


class CORSSecurityWarning(UserWarning):
    """A warning category for configurations that weaken the browser's protection.

    Kept for compatibility, no longer emitted: such configurations (the classic one is
    ``supports_credentials=True`` with "any origin", lint id ``credentials-any-origin``)
    are lint findings, logged once per app by the ``flask_cors`` logger and listed by
    ``flask cors check``. To refuse them at start-up, turn on the app setting
    ``lint_strict``.
    """


class CORSPluginUnavailable(RuntimeError):
    """A plugin cannot decide because a service it needs is down (a database, say).

    Raise it (or a subclass) from a hook: the request fails closed like for any plugin
    error (no CORS headers, outcome ``error``), and the pipeline logs one line with the
    reason instead of a traceback, since an outage can last for thousands of requests.
    """
