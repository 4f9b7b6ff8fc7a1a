"""``flask cors ...`` commands, found by Flask through the ``flask.commands`` entry point."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click
from flask import current_app
from flask.cli import with_appcontext

if TYPE_CHECKING:
    from flask import Flask

    from ..extension import CorsState

__all__ = ["cors"]


@click.group(name="cors")
def cors() -> None:
    """Inspect the CORS set-up of the app."""


@cors.command(name="plugins")
@with_appcontext
def plugins_command() -> None:
    """List the CORS plugins of the app: name, origin, distribution and hooks."""
    state = current_app.extensions.get("cors")
    if state is None:
        raise click.ClickException(
            f"CORS is not initialised on app {current_app.name!r}: call CORS(app) first"
        )
    click.echo(f"CORS plugins of app {current_app.name!r}, in registration order:")
    for info in state.pm.plugin_infos():
        where = f"{info.distribution} {info.version}" if info.distribution else "-"
        click.echo(f"  {info.name}  [{info.kind}]  {where}")
        click.echo(f"      hooks: {', '.join(info.hooks) or '(none)'}")
    blocked = sorted(name for name, plugin in state.pm.list_name_plugin() if plugin is None)
    if blocked:
        click.echo(f"blocked: {', '.join(blocked)}")


# --- flask cors explain ---------------------------------------------------------------


@cors.command(name="explain")
@click.argument("path")
@click.option("--origin", required=True, help="Origin of the page, e.g. https://app.example.")
@click.option("--method", default="GET", show_default=True, help="Method of the request.")
@click.option(
    "--header",
    "headers",
    multiple=True,
    metavar="'NAME[: VALUE]'",
    help="A request header the page sets (repeatable); a name alone is sent with value x.",
)
@click.option("--credentials", is_flag=True, help='Like fetch(..., {credentials: "include"}).')
@click.option("--data", default=None, help="A text body for the request.")
@with_appcontext
def explain_command(
    path: str,
    origin: str,
    method: str,
    headers: tuple[str, ...],
    credentials: bool,
    data: str | None,
) -> None:
    """Show what a browser on ORIGIN gets from a request to PATH, step by step.

    Exits with status 1 when the browser would block the request.
    """
    from .explain import explain, parse_header

    try:
        pairs = [parse_header(text) for text in headers]
        report = explain(
            current_app._get_current_object(),  # type: ignore[attr-defined]
            path,
            origin=origin,
            method=method,
            headers=pairs,
            credentials=credentials,
            data=data,
        )
    except (LookupError, ValueError) as error:
        raise click.ClickException(str(error)) from None
    click.echo(str(report))
    if not report.allowed:
        raise SystemExit(1)


# --- flask cors routes / flask cors check ------------------------------------------------


def _load_app_for_lint() -> tuple[Flask, CorsState]:
    """Load the app with lint findings recorded only (so even a lint_strict app loads)."""
    from flask.cli import ScriptInfo

    from ..lint import collecting
    from .routes import cors_state

    with collecting():
        app = click.get_current_context().ensure_object(ScriptInfo).load_app()
        state = cors_state(app)
    if state is None:
        raise click.ClickException(
            f"CORS is not initialised on app {app.name!r}: call CORS(app) first"
        )
    return app, state


@cors.command(name="routes")
def routes_command() -> None:
    """Show every URL rule with the CORS policy that applies to it, and where each option
    value comes from (resource, keyword argument, app config or default)."""
    from .routes import describe_routes, format_routes

    app, state = _load_app_for_lint()
    with app.app_context():
        routes = describe_routes(app, state)
    resolvers = state.pm.hook.resolve_options.get_hookimpls()
    others = any(impl.plugin_name != "resolve" for impl in resolvers)
    click.echo(format_routes(app, routes, other_resolvers=others))


@cors.command(name="check")
def check_command() -> None:
    """Lint the CORS configuration: id, severity, problem and fix of every finding.

    Exits with status 1 when there is an error (or, with lint_strict, a warning).
    """
    from .routes import format_findings, lint_app

    app, state = _load_app_for_lint()
    with app.app_context():
        findings = lint_app(app, state)
    text, failed = format_findings(app, findings, state.linter.ignored, strict=state.linter.strict)
    click.echo(text)
    if failed:
        raise SystemExit(1)
