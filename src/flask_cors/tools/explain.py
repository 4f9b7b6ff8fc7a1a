"""``flask cors explain``: what a browser does with one request to the app, step by step.

:func:`explain` sends the request through the app's test client as a browser would
(:func:`flask_cors.testing.simulate_fetch`: the preflight when one is needed, then the
request itself), looks up the options and the origin decision the way the pipeline does,
and reports every exchange and the browser's verdict.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Any

from .._text import is_safe_origin
from ..testing import FetchResult, browser_method, simulate_fetch

if TYPE_CHECKING:
    from flask import Flask, Request

    from ..extension import CorsState
    from ..options import CorsOptions

__all__ = ["HEADER_PLACEHOLDER", "Explanation", "explain", "parse_header"]

#: The value sent for a ``--header`` given by its name alone.
HEADER_PLACEHOLDER = "x"
_INDENT = "   "
_NO_STATE = "none: CORS is not set up on this app (no CORS(app), and no cross_origin view ran)"


@dataclass(frozen=True, slots=True)
class Explanation:
    """The report of :func:`explain`: its lines and the fetch it ran."""

    lines: tuple[str, ...]
    result: FetchResult

    @property
    def allowed(self) -> bool:
        """True when the browser lets the page read the response."""
        return self.result.allowed

    def __str__(self) -> str:
        return "\n".join(self.lines)


def parse_header(text: str) -> tuple[str, str]:
    """``"Name: value"`` as a pair; a name alone gets :data:`HEADER_PLACEHOLDER`."""
    name, colon, value = text.partition(":")
    name = name.strip()
    if not name:
        raise ValueError(f"no header name in {text!r}")
    return name, value.strip() if colon else HEADER_PLACEHOLDER


def _plugin_label(name: str | None, plugin: object) -> str:
    """``plugin 'name' (what it is)``; a plugin registered without a name by its class."""
    if isinstance(plugin, ModuleType):
        return f"plugin {name!r} ({plugin.__name__})"
    kind = type(plugin).__name__
    if name is None or name == str(id(plugin)):
        return f"plugin {kind} (registered without a name)"
    return f"plugin {name!r} ({kind})"


def _first_answer(
    state: CorsState, hook: str, given: Mapping[str, Any]
) -> tuple[str, object] | None:
    """The label of the first plugin that answers a decision hook, and its answer."""
    found = state.pipeline.first_answer(hook, given)
    if found is None:
        return None
    name, plugin, answer = found
    return _plugin_label(name, plugin), answer


def _resource(state: CorsState, options: CorsOptions | None, request: Request) -> str:
    if options is not None:
        return options.resource
    found = _first_answer(state, "resolve_options", {"request": request})
    if found is not None and not found[0].startswith("plugin 'resolve' "):
        return f"none: CORS is off for this request (resolve_options of {found[0]})"
    return "none: CORS is off for this request (no resource or decorated view matches)"


def _origin(state: CorsState, origin: str, options: CorsOptions, request: Request) -> str:
    """Which ``match_origin`` implementation answers first, and what it answers."""
    if not is_safe_origin(origin):
        return f"{origin!r} is not a valid serialized origin: denied before any plugin"
    given = {"origin": origin, "options": options, "request": request}
    found = _first_answer(state, "match_origin", given)
    if found is None:
        return f"{origin!r} denied: no match_origin plugin answered"
    label, answer = found
    if isinstance(answer, Exception):
        return f"match_origin of {label} raised {type(answer).__name__}: the request fails closed"
    verdict = "allowed" if answer is True else "denied"
    return f"{origin!r} {verdict} by match_origin of {label}"


def _lookup(
    app: Flask, path: str, method: str, headers: Sequence[tuple[str, str]], origin: str
) -> tuple[CorsOptions | None, list[str]]:
    """The options of one request and the report lines on its resource and origin."""
    state: CorsState | None = app.extensions.get("cors")
    if state is None:
        return None, [f"Resource:  {_NO_STATE}"]
    with app.test_request_context(path, method=method, headers=[*headers, ("Origin", origin)]):
        from flask import request

        current: Request = request._get_current_object()  # type: ignore[attr-defined]
        options = state.pipeline.resolve_options(current)
        lines = [f"Resource:  {_resource(state, options, current)}"]
        if options is not None:
            lines.append(f"Origin:    {_origin(state, origin, options, current)}")
    return options, lines


def _preflight_lines(result: FetchResult, method: str) -> list[str]:
    because = result.preflight_because
    if not because:
        return ["Preflight: not needed (a simple request)"]
    reasons = []
    names = because
    if because[0] == method:
        reasons.append(f"method {method} is not GET, HEAD or POST")
        names = because[1:]
    if names:
        word, verb = ("header", "is") if len(names) == 1 else ("headers", "are")
        reasons.append(f"{word} {', '.join(names)} {verb} not safelisted")
    return [f"Preflight: needed: {'; '.join(reasons)}"]


def _exchange_lines(result: FetchResult) -> list[str]:
    lines: list[str] = []
    for number, exchange in enumerate(result.exchanges, start=1):
        title = "preflight" if exchange.kind == "preflight" else "request"
        lines.append("")
        lines.append(f"{number}. {title}: {exchange.method} {exchange.url}")
        lines.extend(f"{_INDENT}> {name}: {value}" for name, value in exchange.request_headers)
        lines.append(f"{_INDENT}< {exchange.response.status}")
        cors_headers = exchange.cors_headers()
        if cors_headers:
            lines.extend(f"{_INDENT}< {name}: {value}" for name, value in cors_headers)
        else:
            lines.append(f"{_INDENT}< (no CORS headers)")
        outcome = "passed" if exchange.verdict.allowed else "FAILED"
        lines.append(f"{_INDENT}browser: {outcome}: {exchange.verdict.reason}")
    return lines


def _verdict_lines(result: FetchResult) -> list[str]:
    if result.allowed:
        readable = ", ".join(sorted(result.verdict.exposed_headers)) or "(none)"
        return [
            f"Verdict: allowed: the page reads the {result.response.status} response",
            f"         readable headers: {readable}",
        ]
    if result.blocked_at == "preflight":
        return [
            f"Verdict: BLOCKED at the preflight: {result.reason}",
            "         the request itself was never sent",
        ]
    return [
        f"Verdict: BLOCKED at the response: {result.reason}",
        "         the request reached the app, but the page cannot read the answer",
    ]


def explain(
    app: Flask,
    path: str,
    *,
    origin: str,
    method: str = "GET",
    headers: Iterable[tuple[str, str]] = (),
    credentials: bool = False,
    data: str | None = None,
) -> Explanation:
    """Explain what a browser on ``origin`` gets from ``fetch(path, ...)`` against ``app``.

    Raises :class:`ValueError` for a request a page cannot make (a forbidden method or
    request header, a body on a GET).
    """
    method = browser_method(method)
    pairs = list(headers)
    result = simulate_fetch(
        app.test_client(),
        path,
        origin=origin,
        method=method,
        headers=pairs,
        credentials=credentials,
        data=data,
    )
    options, lines = _lookup(app, path, method, pairs, origin)
    credentials_text = "included" if credentials else "omitted"
    lines.insert(
        0, f"Request:   {method} {path} from a page on {origin}, credentials {credentials_text}"
    )
    lines.extend(_preflight_lines(result, method))
    if result.preflight is not None:
        request_method = [("Access-Control-Request-Method", method)]
        preflight_options, _ = _lookup(app, path, "OPTIONS", request_method, origin)
        if preflight_options is not options:
            label = "none" if preflight_options is None else preflight_options.resource
            lines.append(f"           the preflight resolves to other options: {label}")
    lines.extend(_exchange_lines(result))
    lines.append("")
    lines.extend(_verdict_lines(result))
    return Explanation(tuple(lines), result)
