"""Exceptions and warnings raised by flask_cors."""

from __future__ import annotations

import sys

__all__ = ["CORSConfigError", "CORSPluginUnavailable", "CORSSecurityWarning", "caller_stacklevel"]


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
    """A configuration works as documented but weakens the browser's protection.

    The classic case is ``supports_credentials=True`` together with "any origin":
    every web site a user visits can then read that user's credentialed responses.
    Turn the warning into an error with ``warnings.simplefilter("error",
    CORSSecurityWarning)`` to refuse such configurations at start-up.
    """


class CORSPluginUnavailable(RuntimeError):
    """A plugin cannot decide because a service it needs is down (a database, say).

    Raise it (or a subclass) from a hook: the request fails closed like for any plugin
    error (no CORS headers, outcome ``error``), and the pipeline logs one line with the
    reason instead of a traceback, since an outage can last for thousands of requests.
    """


def caller_stacklevel() -> int:
    """The ``stacklevel`` that points a warning at the first frame outside this package."""
    package = __name__.rpartition(".")[0]
    frame = sys._getframe(1)
    level = 1
    while frame is not None and frame.f_globals.get("__name__", "").startswith(package):
        frame = frame.f_back  # type: ignore[assignment]
        level += 1
    return level
