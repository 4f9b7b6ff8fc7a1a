"""``flask cors-registry add|remove|list``: manage the registry of the app from a shell."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from .registry import OriginRegistry, RegistryUnavailable, registry_for

__all__ = ["registry_command"]


def _registry() -> OriginRegistry:
    try:
        return registry_for(current_app)
    except LookupError as exc:
        raise click.ClickException(str(exc)) from None


@click.group(name="cors-registry")
def registry_command() -> None:
    """Manage the origins allowed by the CORS origin registry."""


@registry_command.command(name="add")
@click.argument("origins", nargs=-1, required=True)
@with_appcontext
def add_command(origins: tuple[str, ...]) -> None:
    """Allow ORIGINS (e.g. https://tenant.example)."""
    registry = _registry()
    for origin in origins:
        try:
            added = registry.add(origin)
        except (ValueError, RegistryUnavailable) as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"{'added' if added else 'already present'}: {origin.strip().lower()}")


@registry_command.command(name="remove")
@click.argument("origins", nargs=-1, required=True)
@with_appcontext
def remove_command(origins: tuple[str, ...]) -> None:
    """Stop allowing ORIGINS."""
    registry = _registry()
    for origin in origins:
        try:
            removed = registry.remove(origin)
        except (ValueError, RegistryUnavailable) as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"{'removed' if removed else 'not present'}: {origin.strip().lower()}")


@registry_command.command(name="list")
@with_appcontext
def list_command() -> None:
    """Print the registered origins, one a line."""
    try:
        origins = _registry().list()
    except RegistryUnavailable as exc:
        raise click.ClickException(str(exc)) from None
    for origin in origins:
        click.echo(origin)
