"""The decision record: what the pipeline decided for one request, and why."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal, NamedTuple

__all__ = ["Decision", "Outcome"]

#: ``allowed``: CORS headers granted. ``denied``: the origin (or the preflight's method)
#: was refused. ``not_cors``: CORS did not apply (no resource, no ``Origin``, or an error
#: response with ``intercept_exceptions`` off). ``error``: a plugin failed; the response
#: went out without CORS headers. ``refused_cross_origin``: ``cross_origin_protection``
#: answered the request with 403 before any of the app's handlers ran.
#: ``would_refuse_cross_origin``: the same verdict under ``"report-only"``: the request
#: went on to the app (whose response gets a record of its own).
Outcome = Literal[
    "allowed",
    "denied",
    "not_cors",
    "error",
    "refused_cross_origin",
    "would_refuse_cross_origin",
]


class Decision(NamedTuple):
    """One request's CORS decision, as given to ``observe_decision`` implementations.

    An immutable record (a named tuple: cheap to build on every request), shared by every
    observer; its ``headers`` mapping is read-only.

    Text that came from the request (``origin``, ``path``, ``method``) is escaped: control
    and non-ASCII characters and backslashes are backslash-escaped (``\\n``, ``\\x00``,
    ``\\u202e``) and the length is bounded, so it is safe in a log line as it is.
    """

    outcome: Outcome
    reason: str
    #: Escaped request method, e.g. ``'GET'``.
    method: str
    #: Escaped request path, as the router matched it.
    path: str
    #: Escaped ``Origin`` header, or ``None`` when the request had none.
    origin: str | None
    #: The resource pattern (or ``cross_origin() on view ...``) whose options applied.
    resource: str | None
    preflight: bool
    #: The CORS headers added to the response (``Vary`` included when changed).
    headers: Mapping[str, str] = MappingProxyType({})
    #: The name of the plugin whose ``match_origin`` allowed the ``Origin``: ``"origins"``
    #: (the default plugin: the resource's ``origins`` option) or the name a plugin is
    #: registered under (its entry point's name, say ``"origin_registry"``). ``None`` when
    #: no ``match_origin`` allowed it: denied, no ``Origin``, the same ``*`` for every
    #: origin, an error. When pluggy's caller answers for several implementations (hook
    #: tracing, a ``match_origin`` wrapper), the names of them all: ``"mine or origins"``.
    origin_allowed_by: str | None = None

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready dictionary of the record."""
        return {
            "outcome": self.outcome,
            "reason": self.reason,
            "method": self.method,
            "path": self.path,
            "origin": self.origin,
            "resource": self.resource,
            "preflight": self.preflight,
            "headers": dict(self.headers),
            "origin_allowed_by": self.origin_allowed_by,
        }
