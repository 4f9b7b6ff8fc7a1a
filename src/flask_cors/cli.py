"""``flask cors ...`` commands, found by Flask through the ``flask.commands`` entry point."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

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
