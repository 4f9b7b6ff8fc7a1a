"""``flask cors explain``: what a browser does with one request to the app, step by step.

:func:`explain` sends the request through the app's test client as a browser would
(:func:`flask_cors.testing.simulate_fetch`: the preflight when one is needed, then the
request itself), looks up the options and the origin decision the way the pipeline does,
and reports every exchange and the browser's verdict.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import ModuleType
from typing import TYPE_CHECKING, Any

from .._text import is_safe_origin
from ..grammar import OriginParts, is_serialized_origin
from ..testing import (
    NORMALIZED_METHODS,
    SAFELISTED_METHODS,
    FetchResult,
    browser_method,
    simulate_fetch,
)
from ..views import view_spec

if TYPE_CHECKING:
    from flask import Flask, Request

    from ..extension import CorsState
    from ..options import CorsOptions, OriginRule

__all__ = ["HEADER_PLACEHOLDER", "JSON_VERSION", "Explanation", "explain", "parse_header"]

#: The value sent for a ``--header`` given by its name alone.
HEADER_PLACEHOLDER = "x"
#: The ``version`` of the JSON document :meth:`Explanation.as_json` returns.
JSON_VERSION = 1
_INDENT = "   "
_NO_STATE = "none: CORS is not set up on this app (no CORS(app), and no cross_origin view ran)"
#: Methods cross-origin protection never refuses.
SAFELISTED_PROTECTION = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True, slots=True)
class Explanation:
    """The report of :func:`explain`: its lines, the fetch it ran, and what it found."""

    lines: tuple[str, ...]
    result: FetchResult
    #: The request as given: path, origin, method, headers, credentials, data.
    request: Mapping[str, Any] = field(default_factory=dict)
    #: Which options apply (the ``Resource:`` line, without its label).
    resource: str = ""
    #: Who decided the origin, and how (the ``Origin:`` line); ``None`` when CORS is off.
    origin_decision: str | None = None
    #: For a blocked request: what to change in the configuration to allow it.
    suggestions: tuple[str, ...] = ()
    #: Where the input is not what a browser sends.
    warnings: tuple[str, ...] = ()
    #: What cross-origin protection does to the request: ``mode``, ``refused``, ``reason``;
    #: ``None`` when it does not apply (off, a safe method, CORS off).
    protection: Mapping[str, Any] | None = None

    @property
    def allowed(self) -> bool:
        """True when the browser lets the page read the response."""
        return self.result.allowed

    def __str__(self) -> str:
        return "\n".join(self.lines)

    def as_json(self) -> dict[str, Any]:
        """The report as the JSON document of ``flask cors explain --format json``."""
        result = self.result
        blocked = {"preflight": "preflight", "actual": "response"}.get(result.blocked_at or "")
        return {
            "version": JSON_VERSION,
            "request": dict(self.request),
            "allowed": result.allowed,
            "blocked_at": blocked,
            "reason": result.reason,
            "resource": self.resource,
            "origin_decision": self.origin_decision,
            "preflight": {
                "needed": bool(result.preflight_because),
                "because": list(result.preflight_because),
            },
            "exchanges": [
                {
                    "kind": "preflight" if exchange.kind == "preflight" else "request",
                    "method": exchange.method,
                    "url": exchange.url,
                    "request_headers": [list(pair) for pair in exchange.request_headers],
                    "status": exchange.response.status_code,
                    "cors_headers": [list(pair) for pair in exchange.cors_headers()],
                    "passed": exchange.verdict.allowed,
                    "reason": exchange.verdict.reason,
                }
                for exchange in result.exchanges
            ],
            "readable_headers": sorted(result.verdict.exposed_headers) if result.allowed else [],
            "suggestions": list(self.suggestions),
            "warnings": list(self.warnings),
            "protection": None if self.protection is None else dict(self.protection),
        }


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


@dataclass(frozen=True, slots=True)
class _Lookup:
    """The options one request resolves to, and who decided its origin."""

    options: CorsOptions | None
    #: The ``Resource:`` line, without its label.
    resource: str
    #: The ``Origin:`` line, without its label (``None`` when CORS is off).
    origin: str | None = None
    #: The origin's verdict (``None``: not decided, or the decision raised).
    origin_allowed: bool | None = None
    #: Whether flask_cors's own ``origins`` plugin decided (so that ``origins`` is the fix).
    by_origins_option: bool = False
    #: The label of the plugin that decided the origin.
    decided_by: str = ""
    #: Why the options of a decorated view are refused (CORS is then off for it).
    refused: str | None = None
    #: Cross-origin protection's verdict (``None``: it does not apply).
    protection: Mapping[str, Any] | None = None

    @property
    def lines(self) -> list[str]:
        lines = [f"Resource:  {self.resource}"]
        if self.origin is not None:
            lines.append(f"Origin:    {self.origin}")
        if self.protection is not None:
            lines.append(f"Protection: {_protection_text(self.protection)}")
        return lines

    @property
    def refused_by_protection(self) -> bool:
        """Whether cross-origin protection answers the request with 403."""
        return bool(
            self.protection and self.protection["refused"] and self.protection["mode"] == "on"
        )


def _protection_text(verdict: Mapping[str, Any]) -> str:
    mode, method = verdict["mode"], verdict["method"]
    if not verdict["refused"]:
        why = " (the Origin is allowed by the CORS policy)" if verdict["origin_allowed"] else ""
        return f"{mode} for {method}: let through{why}"
    refusal = (
        "refused with 403 before any of the app's handlers run"
        if mode == "on"
        else "would be refused (report-only: logged, the app handles it)"
    )
    return (
        f"{mode} for {method}: {refusal}: {verdict['reason']} (a current browser on another "
        "site sends Sec-Fetch-Site: cross-site or same-site, refused alike)"
    )


def _refused(state: CorsState, app: Flask, request: Request) -> str | None:
    """Why the ``cross_origin`` view serving ``request`` has no options, if it has none."""
    endpoint = request.url_rule.endpoint if request.url_rule is not None else None
    spec = view_spec(app.view_functions.get(endpoint)) if endpoint is not None else None
    if spec is None:
        return None
    try:
        state.view_options(spec, endpoint)
    except Exception as error:
        return f"{spec.source_for(endpoint)}: {error}"
    return None


def _off(state: CorsState, app: Flask, request: Request) -> _Lookup:
    """The lookup of a request that CORS is off for, and why."""
    refused = _refused(state, app, request)
    if refused is not None:
        text = f"none: the options of {refused}; CORS is off for this view"
        return _Lookup(None, text, refused=refused)
    found = _first_answer(state, "resolve_options", {"request": request})
    if found is not None and not found[0].startswith("plugin 'resolve' "):
        return _Lookup(None, f"none: CORS is off for this request (resolve_options of {found[0]})")
    return _Lookup(
        None, "none: CORS is off for this request (no resource or decorated view matches)"
    )


def _protection(
    state: CorsState, options: CorsOptions, request: Request, origin_allowed: bool | None
) -> dict[str, Any] | None:
    """Cross-origin protection's verdict on ``request``, as the test client sends it (no
    ``Sec-Fetch-Site``: the Origin's host is compared with the request's)."""
    if options.cross_origin_protection == "off" or request.method in SAFELISTED_PROTECTION:
        return None
    reason, _error = state.pipeline.protection_verdict(request, options)
    return {
        "mode": options.cross_origin_protection,
        "method": request.method,
        "refused": reason is not None,
        "reason": reason,
        "origin_allowed": bool(origin_allowed),
    }


def _origin(state: CorsState, origin: str, options: CorsOptions, request: Request) -> _Lookup:
    """Which ``match_origin`` implementation answers first, and what it answers."""
    found = _origin_decision(state, origin, options, request)
    verdict = _protection(state, options, request, found.origin_allowed)
    return found if verdict is None else replace(found, protection=verdict)


def _origin_decision(
    state: CorsState, origin: str, options: CorsOptions, request: Request
) -> _Lookup:
    resource = options.resource
    if not is_safe_origin(origin):
        text = f"{origin!r} is not a valid serialized origin: denied before any plugin"
        return _Lookup(options, resource, text, False)
    given = {"origin": origin, "options": options, "request": request}
    failures = [entry.failures for entry in options.origins.functions]
    found = _first_answer(state, "match_origin", given)
    if found is None:
        return _Lookup(options, resource, f"{origin!r} denied: no match_origin plugin answered")
    label, answer = found
    own = label.startswith("plugin 'origins' ")  # flask_cors's own: the origins option
    if isinstance(answer, Exception):
        text = f"match_origin of {label} raised {type(answer).__name__}: the request fails closed"
        return _Lookup(options, resource, text, None, own, label)
    verdict = "allowed" if answer is True else "denied"
    text = f"{origin!r} {verdict} by match_origin of {label}"
    if own and options.origins.functions:
        failed = failures != [entry.failures for entry in options.origins.functions]
        text += f": {_functions_note(options.origins, origin, failed)}"
    return _Lookup(options, resource, text, answer is True, own, label)


def _functions_note(rule: OriginRule, origin: str, failed: bool) -> str:
    """Whether the functions of ``origins`` were asked about ``origin``, and what came of it."""
    names = ", ".join(entry.name for entry in rule.functions)
    if failed:
        return (
            f"the origins function {names} raised or answered no bool: denied (fail closed), "
            "see the log"
        )
    if origin.lower() in rule.literals or any(p.fullmatch(origin) for p in rule.patterns):
        return f"a literal or pattern of origins answered; the function {names} is not asked"
    if not is_serialized_origin(origin):
        return (
            f"not an origin as browsers send it (lower case, no default port, never null): "
            f"the origins function {names} is never asked"
        )
    return f"answered by the origins function {names}"


def _lookup(
    app: Flask, path: str, method: str, headers: Sequence[tuple[str, str]], origin: str
) -> _Lookup:
    """The options of one request, and who decides its origin."""
    state: CorsState | None = app.extensions.get("cors")
    if state is None:
        return _Lookup(None, _NO_STATE)
    with app.test_request_context(path, method=method, headers=[*headers, ("Origin", origin)]):
        from flask import request

        current: Request = request._get_current_object()  # type: ignore[attr-defined]
        options = state.pipeline.resolve_options(current)
        if options is None:
            return _off(state, app, current)
        return _origin(state, origin, options, current)


# --- what the input gets wrong, and what to change -----------------------------------------


def _input_warnings(path: str, origin: str, method: str) -> list[str]:
    """Where the request given differs from anything a browser sends."""
    found: list[str] = []
    if not path.startswith("/") and "://" not in path:
        found.append(
            f"the path {path!r} does not start with '/': the path of a browser's request "
            f"always does (it was sent as '/{path}')"
        )
    if "#" in path:
        found.append(f"the path {path!r} has a fragment ('#...'): browsers never send it")
    found.extend(_origin_warnings(origin))
    upper = method.upper()
    if method != upper and upper not in NORMALIZED_METHODS:
        found.append(
            f"the method {method!r} is sent as written: fetch() upper-cases only DELETE, GET, "
            f"HEAD, OPTIONS, POST and PUT, and methods are case-sensitive; a page that means "
            f"{upper} must write {upper!r}"
        )
    return found


def _browser_origin(origin: str) -> str | None:
    """What a browser would send for the page ``origin`` names, when that differs."""
    if origin == "null":
        return None
    parts = OriginParts.split(origin if "://" in origin else f"https://{origin}")
    if parts is None or not parts.host or "*" in origin or not is_safe_origin(origin):
        return None
    canonical = parts.canonical
    return canonical if canonical != origin else None


def _origin_warnings(origin: str) -> list[str]:
    if origin == "null":
        return []
    parts = OriginParts.split(origin)
    if parts is None:
        meant = _browser_origin(origin)
        example = f", e.g. {meant!r}" if meant else ""
        return [
            f"the origin {origin!r} has no scheme: browsers send 'scheme://host[:port]'" + example
        ]
    found = []
    if parts.path is not None:
        what = "ends with a slash" if parts.path == "" else "has a path"
        found.append(
            f"the origin {origin!r} {what}: browsers send only 'scheme://host[:port]', "
            f"here {parts.canonical!r}"
        )
    elif parts.canonical != origin and is_safe_origin(origin):
        found.append(
            f"browsers send the origin {origin!r} as {parts.canonical!r} (scheme and host in "
            "lower case, no default port)"
        )
    if "*" in origin or not is_safe_origin(origin):
        found.append(
            f"the origin {origin!r} is not one origin as a browser sends it (never a pattern "
            "or a list)"
        )
    return found


def _where(options: CorsOptions) -> str:
    return options.resource if options.decorated else f"resource '{options.resource}'"


def _suggestions(
    lookup: _Lookup,
    result: FetchResult,
    *,
    path: str,
    origin: str,
    method: str,
    headers: Sequence[tuple[str, str]],
) -> list[str]:
    """What to change in the configuration so that the browser allows this request."""
    options = lookup.options
    if options is None:
        if lookup.resource == _NO_STATE:
            return [
                f"set up CORS: CORS(app) with a resource that covers {path!r}, or "
                "@cross_origin(...) below the route of its view"
            ]
        if lookup.refused is not None:
            return ["fix the configuration error of the view above"]
        if result.response.status_code == 404:
            return [f"check the path: no route of the app serves {path!r} (404)"]
        if lookup.resource.endswith("(no resource or decorated view matches)"):
            first = "/" + path.lstrip("/").split("/", 1)[0].split("?", 1)[0]
            pattern = f"{first}/*" if first != "/" else "/"
            return [
                f"add a resource that covers {path!r} to resources (e.g. {pattern!r}), or "
                "decorate its view with @cross_origin(...)"
            ]
        return []
    where = _where(options)
    found: list[str] = []
    if lookup.origin_allowed is False:
        meant = _browser_origin(origin)
        if meant is not None and options.origins.allows(meant):
            found.append(
                f"nothing to change for a browser: it sends {meant!r}, which {where} allows "
                f"(explain with --origin {meant!r})"
            )
        elif lookup.by_origins_option:
            if origin == "null":
                found.append(
                    f"add 'null' to origins of {where} (risky: any page can send "
                    "'Origin: null', see the lint check null-origin)"
                )
            elif meant or not _origin_warnings(origin):
                names = ", ".join(entry.name for entry in options.origins.functions)
                also = f", or have the origins function {names} allow it" if names else ""
                found.append(f"add {meant or origin!r} to origins of {where}{also}")
        elif lookup.decided_by:
            found.append(f"match_origin of {lookup.decided_by} denies {origin!r}: allow it there")
    if lookup.refused_by_protection:
        found.append(
            f"or set cross_origin_protection=False on {where} (for a webhook or a callback "
            "that other sites send)"
        )
    if result.credentials and not options.supports_credentials:
        also = " and list its origins instead of '*'" if options.origins.any else ""
        found.append(f"set supports_credentials=True on {where}{also}")
    if result.preflight_because:
        upper = method.upper()
        if method != upper:  # never in methods: flask_cors upper-cases what it is given
            text = (
                f"write the method as {upper!r} in the page (fetch() sends {method!r} as written)"
            )
            also = "" if upper in options.methods else f", and add {upper!r} to methods of {where}"
            found.append(text + also)
        elif method not in SAFELISTED_METHODS and method not in options.methods:
            found.append(f"add {method!r} to methods of {where}")
        spelled = {name.lower(): name for name, _ in reversed(headers)}
        for name in result.preflight_because:
            if name != method and not options.allow_headers.allows(name):
                found.append(f"add {spelled.get(name, name)!r} to allow_headers of {where}")
    return found


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


def _verdict_lines(result: FetchResult, protected: bool = False) -> list[str]:
    if protected and result.blocked_at == "actual" and result.response.status_code == 403:
        return [
            f"Verdict: BLOCKED at the response: {result.reason}",
            "         cross-origin protection refused the request (403): none of the app's",
            "         handlers ran",
        ]
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
    given = method
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
    warnings = _input_warnings(path, origin, given)
    lookup = _lookup(app, path, method, pairs, origin)
    credentials_text = "included" if credentials else "omitted"
    lines = [f"Request:   {method} {path} from a page on {origin}, credentials {credentials_text}"]
    lines.extend(f"Warning:   {text}" for text in warnings)
    lines.extend(lookup.lines)
    lines.extend(_preflight_lines(result, method))
    blocked_by = lookup
    if result.preflight is not None:
        request_method = [("Access-Control-Request-Method", method)]
        preflight = _lookup(app, path, "OPTIONS", request_method, origin)
        if preflight.options is not lookup.options:
            label = "none" if preflight.options is None else preflight.options.resource
            lines.append(f"           the preflight resolves to other options: {label}")
        if result.blocked_at == "preflight":
            blocked_by = preflight
    lines.extend(_exchange_lines(result))
    lines.append("")
    lines.extend(_verdict_lines(result, lookup.refused_by_protection))
    suggestions: list[str] = []
    if not result.allowed:
        suggestions = _suggestions(
            blocked_by, result, path=path, origin=origin, method=method, headers=pairs
        )
        for number, text in enumerate(suggestions):
            lines.append(f"{'To allow: ' if number == 0 else ' ' * 10}{text}")
    request: dict[str, Any] = {
        "path": path,
        "origin": origin,
        "method": method,
        "headers": [list(pair) for pair in pairs],
        "credentials": credentials,
        "data": data,
    }
    return Explanation(
        tuple(lines),
        result,
        request,
        lookup.resource,
        lookup.origin,
        tuple(suggestions),
        tuple(warnings),
        lookup.protection,
    )
