"""What ``flask cors routes`` and ``flask cors check`` show: the policy of every URL rule,
and the lint findings of the whole app.

Both work on a loaded app and reuse the resolution of the default ``resolve_options``
(:func:`flask_cors.resources.find_resource`), so what they show is what a request to
that path gets, unless a plugin resolves options differently.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from dataclasses import dataclass

from flask import Flask

from ..extension import CorsState, state_for
from ..lint import Finding, collecting
from ..options import OPTION_NAMES, CorsOptions
from ..resources import Resource, find_resource
from ..views import VIEW_ATTRIBUTE, ViewSpec

__all__ = [
    "RouteCors",
    "cors_state",
    "describe_routes",
    "format_findings",
    "format_routes",
    "lint_app",
]

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


def cors_state(app: Flask) -> CorsState | None:
    """The app's CORS state; created if only ``cross_origin`` views use CORS so far."""
    state = app.extensions.get("cors")
    if state is None and any(
        isinstance(getattr(view, VIEW_ATTRIBUTE, None), ViewSpec)
        for view in app.view_functions.values()
    ):
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
            if isinstance(spec, ViewSpec):
                options = state.view_options(spec, rule.endpoint)
                matched = spec.source_for(rule.endpoint)
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
    width = max(len(name) for name in OPTION_NAMES)
    for route in routes:
        methods = ", ".join(m for m in route.methods if m not in ("HEAD", "OPTIONS"))
        lines.append("")
        lines.append(f"{route.rule}  [{methods}]  endpoint {route.endpoint}")
        if route.has_variables:
            lines.append("  (the rule has variables: its text was matched as the path)")
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
            for name in OPTION_NAMES - set(SHOWN_OPTIONS)
            if route.options.sources.get(name) != "the defaults"
        )
        for name in others:
            value = option_text(route.options, name)
            lines.append(f"  {name:<{width}}  {value}  <- {route.options.sources[name]}")
    if other_resolvers:
        lines.append("")
        lines.append(
            "note: plugins implement resolve_options; they may choose other options per request."
        )
    return "\n".join(lines)


def lint_app(app: Flask, state: CorsState) -> list[Finding]:
    """Every finding about ``app``: those of start-up, of its decorated views, of the app."""
    with collecting():
        for endpoint, view in app.view_functions.items():
            spec = getattr(view, VIEW_ATTRIBUTE, None)
            if isinstance(spec, ViewSpec):
                state.view_options(spec, endpoint)
        state.linter.app_ready(app)
    return list(state.linter.findings)


def format_findings(
    app: Flask, findings: Iterable[Finding], ignored: Iterable[Finding], *, strict: bool
) -> tuple[str, bool]:
    """The text of ``flask cors check``, and whether it failed."""
    findings = list(findings)
    order = {"error": 0, "warning": 1, "info": 2}
    findings.sort(key=lambda f: order[f.severity])
    counts = {s: sum(f.severity == s for f in findings) for s in order}
    failed = bool(counts["error"] or (strict and counts["warning"]))
    lines: list[str] = []
    if not findings:
        lines.append(f"No CORS configuration problems found in app {app.name!r}.")
    else:
        summary = ", ".join(f"{n} {s}{'s' if n != 1 else ''}" for s, n in counts.items() if n)
        lines.append(f"CORS configuration lint of app {app.name!r}: {summary}.")
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
