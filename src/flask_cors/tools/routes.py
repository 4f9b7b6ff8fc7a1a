"""What ``flask cors routes`` and ``flask cors check`` show: the policy of every URL rule,
and the lint findings of the whole app.

Both work on a loaded app and reuse the resolution of the default ``resolve_options``
(:func:`flask_cors.resources.find_resource`), so what they show is what a request to
that path gets, unless a plugin resolves options differently.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from flask import Flask

from ..errors import CORSConfigError
from ..extension import CorsState, state_for
from ..lint import CORSLintError, Finding, collecting
from ..options import OPTION_NAMES, CorsOptions
from ..resources import Resource, find_resource
from ..views import VIEW_ATTRIBUTE, ViewSpec, misplaced_views

__all__ = [
    "JSON_VERSION",
    "REFUSED",
    "RouteCors",
    "cors_state",
    "describe_routes",
    "findings_json",
    "format_findings",
    "format_routes",
    "lint_app",
    "refused_finding",
    "routes_json",
]

#: The ``version`` of the JSON documents of ``flask cors routes`` and ``check``.
JSON_VERSION = 1

#: The id of the finding for a configuration CORS refuses (no lint check: it cannot be
#: ignored, and the options it concerns are not used).
REFUSED = "config-refused"

#: The option of cross-origin protection, shown on a line of its own.
PROTECTION = "cross_origin_protection"
#: Methods cross-origin protection never refuses.
_SAFE = frozenset({"GET", "HEAD", "OPTIONS"})

#: The options ``flask cors routes`` shows, in this order.
SHOWN_OPTIONS = (
    "origins",
    "methods",
    "allow_headers",
    "expose_headers",
    "supports_credentials",
    "max_age",
)


@dataclass(frozen=True, slots=True)
class RouteCors:
    """The CORS policy that applies to one URL rule."""

    rule: str
    endpoint: str
    methods: tuple[str, ...]
    #: True when the rule has variables: the rule text itself was matched as the path.
    has_variables: bool
    #: ``resource '/api/*'``, ``cross_origin() on view 'name'``, or ``None`` (no CORS).
    matched: str | None
    options: CorsOptions | None
    #: Why the options of a ``cross_origin`` view are refused (requests get no CORS).
    refused: str | None = None


def cors_state(app: Flask) -> CorsState | None:
    """The app's CORS state; created if only ``cross_origin`` views use CORS so far."""
    state = app.extensions.get("cors")
    decorated = any(
        isinstance(getattr(view, VIEW_ATTRIBUTE, None), ViewSpec)
        for view in app.view_functions.values()
    )
    if state is None and (decorated or any(misplaced_views(app.view_functions))):
        state = state_for(app)
    return state if isinstance(state, CorsState) else None


def describe_routes(app: Flask, state: CorsState) -> list[RouteCors]:
    """Every URL rule of ``app`` with the options a request to it resolves to."""
    result: list[RouteCors] = []
    with collecting():
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
            spec = getattr(app.view_functions.get(rule.endpoint), VIEW_ATTRIBUTE, None)
            options: CorsOptions | None
            matched: str | None
            refused: str | None = None
            if isinstance(spec, ViewSpec):
                matched = spec.source_for(rule.endpoint)
                try:
                    options = state.view_options(spec, rule.endpoint)
                except Exception as error:
                    options, refused = None, str(error)
            else:
                resource = find_resource(state.scopes, rule.rule, rule.endpoint)
                options = None if resource is None else resource.options
                matched = None if resource is None else _resource_label(state, resource)
            result.append(
                RouteCors(
                    rule.rule,
                    rule.endpoint,
                    tuple(sorted(rule.methods or ())),
                    bool(rule.arguments),
                    matched,
                    options,
                    refused,
                )
            )
    return result


def _resource_label(state: CorsState, resource: Resource) -> str:
    label = f"resource '{resource.pattern}'"
    for scope in state.scopes:
        if scope.blueprint is not None and resource in scope.table.resources:
            return f"{label} of CORS on blueprint {scope.blueprint!r}"
    return label


def option_text(options: CorsOptions, name: str) -> str:
    """One option of ``options`` as ``flask cors routes`` shows it."""
    if name == "origins":
        rule = options.origins
        parts = (["*"] if rule.any else []) + sorted(rule.literals)
        parts += [f"re:{p.pattern}" for p in rule.patterns]
        parts += [f"fn:{entry.name}" for entry in rule.functions]
        return ", ".join(parts) or "(none)"
    if name == "methods":
        return options.allow_methods_value
    if name == "allow_headers":
        headers = options.allow_headers
        parts = (["* (requested names echoed)"] if headers.any else []) + sorted(headers.literals)
        parts += [f"re:{p.pattern}" for p in headers.patterns]
        return ", ".join(parts) or "(none)"
    if name == "expose_headers":
        return ", ".join(options.expose_headers) or "(none)"
    if name == "max_age":
        return "(not sent)" if options.max_age is None else f"{options.max_age} s"
    value = getattr(options, name)
    return str(value)


def format_routes(app: Flask, routes: Iterable[RouteCors], *, other_resolvers: bool) -> str:
    """The text of ``flask cors routes``."""
    lines = [f"CORS policy of every URL rule of app {app.name!r}:"]
    width = max(len(name) for name in OPTION_NAMES - {PROTECTION})
    protected: dict[str, list[str]] = {}
    for route in routes:
        methods = ", ".join(m for m in route.methods if m not in ("HEAD", "OPTIONS"))
        lines.append("")
        lines.append(f"{route.rule}  [{methods}]  endpoint {route.endpoint}")
        if route.has_variables:
            lines.append("  (the rule has variables: its text was matched as the path)")
        if route.refused is not None:
            lines.append(f"  matched: {route.matched}")
            lines.append(_wrap(f"REFUSED: {route.refused}", "  "))
            lines.append("  requests to it get no CORS headers")
            continue
        if route.options is None or route.matched is None:
            lines.append("  no CORS: no resource pattern matches")
            continue
        lines.append(f"  matched: {route.matched}")
        for name in SHOWN_OPTIONS:
            value = option_text(route.options, name)
            source = route.options.sources.get(name, "")
            lines.append(f"  {name:<{width}}  {value}  <- {source}")
        others = sorted(
            name
            for name in OPTION_NAMES - {*SHOWN_OPTIONS, PROTECTION}
            if route.options.sources.get(name) != "the defaults"
        )
        for name in others:
            value = option_text(route.options, name)
            lines.append(f"  {name:<{width}}  {value}  <- {route.options.sources[name]}")
        mode = route.options.cross_origin_protection
        if mode != "off" or route.options.sources.get(PROTECTION) != "the defaults":
            source = route.options.sources.get(PROTECTION, "")
            lines.append(f"  {PROTECTION}  {protection_text(route)}  <- {source}")
        if mode != "off" and any(method not in _SAFE for method in route.methods):
            protected.setdefault(mode, []).append(route.rule)
    if protected:
        lines.append("")
        listed = "; ".join(
            f"{mode} for {', '.join(dict.fromkeys(rules))}" for mode, rules in protected.items()
        )
        lines.append(
            _wrap(
                "cross-origin protection (unsafe requests from pages whose origin the policy "
                f"does not allow are refused with 403 before the view runs): {listed}",
                "",
            )
        )
    if other_resolvers:
        lines.append("")
        lines.append(
            "note: plugins implement resolve_options; they may choose other options per request."
        )
    return "\n".join(lines)


def protection_text(route: RouteCors) -> str:
    """What cross-origin protection does to the requests of ``route``."""
    assert route.options is not None
    mode = route.options.cross_origin_protection
    if mode == "off":
        return "off"
    unsafe = [method for method in route.methods if method not in _SAFE]
    if not unsafe:
        return f"{mode} (the rule takes no unsafe method: nothing to refuse)"
    methods = ", ".join(unsafe)
    if mode == "report-only":
        return f"report-only: {methods} from other sites would be refused, logged only"
    return f"on: {methods} from other sites refused unless the origin is allowed"


def lint_app(app: Flask, state: CorsState) -> list[Finding]:
    """Every finding about ``app``: those of start-up, of its decorated views, of the app,
    and (id :data:`REFUSED`) the decorated views whose options CORS refuses."""
    refused: list[Finding] = []
    with collecting():
        for endpoint, view in app.view_functions.items():
            spec = getattr(view, VIEW_ATTRIBUTE, None)
            if isinstance(spec, ViewSpec):
                try:
                    state.view_options(spec, endpoint)
                except CORSLintError:
                    pass  # a lint finding, recorded by the linter when it was raised
                except Exception as error:
                    refused.append(refused_finding(error, spec.source_for(endpoint)))
        state.linter.app_ready(app)
    return [*refused, *state.linter.findings]


def refused_finding(error: Exception, where: str) -> Finding:
    """A configuration CORS refuses, as a finding of ``flask cors check``."""
    if isinstance(error, CORSConfigError):
        option, source = error.option, error.source
    else:
        option, source = "", ""
    fix = "change the option named above, or the setting it is combined with; until then " + (
        "requests to this view get no CORS headers (logged once, on its first request)."
        if where.startswith("cross_origin()")
        else "the app does not start."
    )
    return Finding(REFUSED, "error", where, option, source, str(error), fix)


_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def _finding_json(finding: Finding) -> dict[str, str]:
    return asdict(finding)


def findings_json(
    app_name: str | None,
    findings: Iterable[Finding],
    ignored: Iterable[Finding],
    *,
    strict: bool,
) -> tuple[dict[str, Any], bool]:
    """The JSON document of ``flask cors check --format json``, and whether it failed."""
    ordered = sorted(findings, key=lambda f: _SEVERITY_ORDER[f.severity])
    counts = {s: sum(f.severity == s for f in ordered) for s in _SEVERITY_ORDER}
    failed = bool(counts["error"] or (strict and counts["warning"]))
    document = {
        "version": JSON_VERSION,
        "app": app_name,
        "passed": not failed,
        "strict": strict,
        "counts": counts,
        "findings": [_finding_json(f) for f in ordered],
        "ignored": [_finding_json(f) for f in ignored],
    }
    return document, failed


def option_json(options: CorsOptions, name: str) -> object:
    """One option of ``options`` as ``flask cors routes --format json`` gives it."""
    if name in ("origins", "allow_headers"):
        rule = options.origins if name == "origins" else options.allow_headers
        functions = options.origins.functions if name == "origins" else ()
        return (
            (["*"] if rule.any else [])
            + sorted(rule.literals)
            + [f"re:{p.pattern}" for p in rule.patterns]
            + [f"fn:{entry.name}" for entry in functions]
        )
    if name == "methods":
        return sorted(options.methods)
    if name == "expose_headers":
        return list(options.expose_headers)
    if name == "plugins":
        return {key: _plain(value) for key, value in sorted(options.plugins.items())}
    return _plain(getattr(options, name))


def _plain(value: object) -> object:
    """``value`` if JSON can hold it as it is, else its text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple) and all(isinstance(v, str | int | bool) for v in value):
        return list(value)
    return str(value)


def routes_json(
    app: Flask, routes: Iterable[RouteCors], *, other_resolvers: bool
) -> tuple[dict[str, Any], bool]:
    """The JSON document of ``flask cors routes --format json``, and whether a view's
    options are refused."""
    entries = []
    refused = False
    for route in routes:
        refused = refused or route.refused is not None
        options = None
        if route.options is not None:
            options = {
                name: {
                    "value": option_json(route.options, name),
                    "source": route.options.sources.get(name, ""),
                }
                for name in sorted(OPTION_NAMES)
            }
        entries.append(
            {
                "rule": route.rule,
                "endpoint": route.endpoint,
                "methods": list(route.methods),
                "has_variables": route.has_variables,
                "matched": route.matched,
                "refused": route.refused,
                "options": options,
            }
        )
    document = {
        "version": JSON_VERSION,
        "app": app.name,
        "passed": not refused,
        "error": None,
        "other_resolvers": other_resolvers,
        "routes": entries,
    }
    return document, refused


def format_findings(
    app: Flask | None, findings: Iterable[Finding], ignored: Iterable[Finding], *, strict: bool
) -> tuple[str, bool]:
    """The text of ``flask cors check``, and whether it failed; ``app`` is ``None`` when
    the app could not be loaded."""
    label = "the app" if app is None else f"app {app.name!r}"
    findings = list(findings)
    order = _SEVERITY_ORDER
    findings.sort(key=lambda f: order[f.severity])
    counts = {s: sum(f.severity == s for f in findings) for s in order}
    failed = bool(counts["error"] or (strict and counts["warning"]))
    lines: list[str] = []
    if not findings:
        lines.append(f"No CORS configuration problems found in {label}.")
    else:
        summary = ", ".join(f"{n} {s}{'s' if n != 1 else ''}" for s, n in counts.items() if n)
        lines.append(f"CORS configuration lint of {label}: {summary}.")
        # The same finding about several resources (one value shared by all) is shown once.
        groups: dict[tuple[str, str, str, str], list[str]] = {}
        for finding in findings:
            key = (finding.severity, finding.id, finding.problem, finding.fix)
            groups.setdefault(key, []).append(finding.where)
        for (severity, check, problem, fix), places in groups.items():
            lines.append("")
            lines.append(f"{severity.upper():<7}  {check}")
            lines.append(_wrap(f"on {', '.join(places)}", "  "))
            lines.append(_wrap(problem, "  "))
            lines.append(_wrap(f"fix: {fix}", "  "))
    skipped = sorted({f.id for f in ignored})
    if skipped:
        lines.append("")
        lines.append(f"ignored (lint_ignore): {', '.join(skipped)}")
    if strict and counts["warning"]:
        lines.append("")
        lines.append("lint_strict is on: warnings count as errors.")
    return "\n".join(lines), failed


def _wrap(text: str, indent: str) -> str:
    return textwrap.fill(
        text,
        width=96,
        initial_indent=indent,
        subsequent_indent=indent + "  ",
        break_long_words=False,
        break_on_hyphens=False,
    )
