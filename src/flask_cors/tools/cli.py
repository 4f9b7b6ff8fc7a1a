"""``flask cors ...`` commands, found by Flask through the ``flask.commands`` entry point."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click
from flask import current_app
from flask.cli import with_appcontext

if TYPE_CHECKING:
    from flask import Flask

    from ..extension import CorsState

__all__ = ["cors"]

_F = TypeVar("_F", bound=Callable[..., Any])


class CannotRun(click.ClickException):
    """The command could not do its work (no CORS on the app, a request no page can make):
    exit status 2, as for a usage error, apart from 1 (what was checked failed)."""

    exit_code = 2


def _format_option(command: _F) -> _F:
    option = click.option(
        "--format",
        "output_format",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help="text to read, or json (keys documented, stable) for scripts and CI.",
    )
    return option(command)


def _echo_json(document: object) -> None:
    click.echo(json.dumps(document, indent=2))


@click.group(name="cors")
def cors() -> None:
    """Inspect the CORS set-up of the app."""


@cors.command(name="plugins")
@with_appcontext
def plugins_command() -> None:
    """List the CORS plugins of the app: name, origin, distribution, hooks, and whether
    each takes part in the app's requests or is installed but inert (not configured for
    this app); then the blocked names and the installed plugins not loaded."""
    state = current_app.extensions.get("cors")
    if state is None:
        raise click.ClickException(
            f"CORS is not initialised on app {current_app.name!r}: call CORS(app) first"
        )
    pm = state.pm
    infos = pm.plugin_infos()
    click.echo(f"CORS plugins of app {current_app.name!r}, in registration order:")
    for info in infos:
        where = f"{info.distribution} {info.version}" if info.distribution else "-"
        status = "takes part" if info.takes_part else "inert: not configured for this app"
        click.echo(f"  {info.name}  [{info.kind}]  {where}  ({status})")
        click.echo(f"      hooks: {', '.join(info.hooks) or '(none)'}")
    click.echo(f"takes part: {', '.join(i.name for i in infos if i.takes_part) or '(none)'}")
    inert = [info.name for info in infos if not info.takes_part]
    click.echo(f"inert (installed, not configured for this app): {', '.join(inert) or '(none)'}")
    click.echo(f"blocked: {', '.join(pm.blocked_names()) or '(none)'}")
    not_loaded = pm.not_loaded()
    if not_loaded:
        click.echo(f"installed, not loaded ({pm.discovery_off}): {', '.join(not_loaded)}")


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
@_format_option
def explain_command(
    path: str,
    origin: str,
    method: str,
    headers: tuple[str, ...],
    credentials: bool,
    data: str | None,
    output_format: str,
) -> None:
    """Show what a browser on ORIGIN gets from a request to PATH, step by step, and what
    to change to allow a blocked one.

    Exits with status 1 when the browser would block the request, 2 for a request no
    page can make.
    """
    from flask.cli import ScriptInfo

    from ..errors import CORSConfigError
    from .explain import explain, parse_header

    try:
        app = click.get_current_context().ensure_object(ScriptInfo).load_app()
    except CORSConfigError as error:
        raise CannotRun(f"CORS refuses the configuration of the app: {error}") from None
    try:
        pairs = [parse_header(text) for text in headers]
        with app.app_context():
            report = explain(
                app,
                path,
                origin=origin,
                method=method,
                headers=pairs,
                credentials=credentials,
                data=data,
            )
    except (LookupError, ValueError) as error:
        raise CannotRun(str(error)) from None
    if output_format == "json":
        _echo_json(report.as_json())
    else:
        click.echo(str(report))
    if not report.allowed:
        raise SystemExit(1)


# --- flask cors routes / flask cors check ------------------------------------------------


def _load_app_for_lint() -> tuple[Flask | None, CorsState | None, Exception | None]:
    """Load the app with lint findings recorded only (so even a lint_strict app loads).

    Returns the app and its CORS state, or the configuration error that CORS raised
    while the app was created (the app is ``None`` then) or set up.
    """
    from flask.cli import ScriptInfo

    from ..errors import CORSConfigError
    from ..lint import collecting
    from .routes import cors_state

    app = None
    with collecting():
        try:
            app = click.get_current_context().ensure_object(ScriptInfo).load_app()
            state = cors_state(app)
        except CORSConfigError as error:
            return app, None, error
    if state is None:
        raise CannotRun(
            f"CORS is not set up on app {app.name!r}: no CORS(app) or init_app(app) call, "
            "and no view decorated with cross_origin"
        )
    return app, state, None


def _refused_where(app: Flask | None) -> str:
    return "the app" if app is None else f"app {app.name!r}"


@cors.command(name="routes")
@_format_option
def routes_command(output_format: str) -> None:
    """Show every URL rule with the CORS policy that applies to it, and where each option
    value comes from (resource, keyword argument, app config or default).

    Exits with status 1 when CORS refuses the configuration of the app or of a view.
    """
    from .routes import JSON_VERSION, describe_routes, format_routes, routes_json

    app, state, error = _load_app_for_lint()
    if error is not None or app is None or state is None:
        message = f"CORS refuses the configuration of {_refused_where(app)}: {error}"
        if output_format == "json":
            name = None if app is None else app.name
            document = {"version": JSON_VERSION, "app": name, "passed": False}
            _echo_json({**document, "error": str(error), "other_resolvers": False, "routes": []})
        else:
            click.echo(message)
        raise SystemExit(1)
    with app.app_context():
        routes = describe_routes(app, state)
    resolvers = state.pm.hook.resolve_options.get_hookimpls()
    others = any(impl.plugin_name != "resolve" for impl in resolvers)
    if output_format == "json":
        document, refused = routes_json(app, routes, other_resolvers=others)
        _echo_json(document)
    else:
        click.echo(format_routes(app, routes, other_resolvers=others))
        refused = any(route.refused is not None for route in routes)
    if refused:
        raise SystemExit(1)


@cors.command(name="check")
@_format_option
def check_command(output_format: str) -> None:
    """Lint the CORS configuration: id, severity, problem and fix of every finding.

    Exits with status 1 when there is an error (or, with lint_strict, a warning),
    including a configuration CORS refuses (id config-refused).
    """
    from .routes import findings_json, format_findings, lint_app, refused_finding

    app, state, error = _load_app_for_lint()
    if error is not None or app is None or state is None:
        findings = [refused_finding(error or RuntimeError(), _refused_where(app))]
        ignored: list[Any] = []
        strict = False
    else:
        with app.app_context():
            findings = lint_app(app, state)
        ignored, strict = list(state.linter.ignored), state.linter.strict
    if output_format == "json":
        name = None if app is None else app.name
        document, failed = findings_json(name, findings, ignored, strict=strict)
        _echo_json(document)
    else:
        text, failed = format_findings(app, findings, ignored, strict=strict)
        click.echo(text)
    if failed:
        raise SystemExit(1)
