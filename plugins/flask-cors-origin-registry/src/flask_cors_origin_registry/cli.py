"""``flask cors-registry add|remove|list|import|export|init-db``: the registry from a shell."""

from __future__ import annotations

from typing import TextIO

import click
from flask import current_app
from flask.cli import with_appcontext

from .registry import (
    OriginRegistry,
    RegistryReadOnly,
    RegistryUnavailable,
    normalize_origin,
    registry_for,
)

__all__ = ["registry_command"]

_FAILURES = (ValueError, RegistryUnavailable, RegistryReadOnly)


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
        except _FAILURES as exc:
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
        except _FAILURES as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"{'removed' if removed else 'not present'}: {origin.strip().lower()}")


@registry_command.command(name="list")
@with_appcontext
def list_command() -> None:
    """Print the registered origins, one a line."""
    try:
        origins = _registry().list()
    except _FAILURES as exc:
        raise click.ClickException(str(exc)) from None
    for origin in origins:
        click.echo(origin)


@registry_command.command(name="export")
@with_appcontext
def export_command() -> None:
    """Print the registered origins in the format `import` reads."""
    registry = _registry()
    try:
        origins = registry.list()
    except _FAILURES as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"# {len(origins)} origins from the CORS origin registry")
    for origin in origins:
        click.echo(origin)


@registry_command.command(name="import")
@click.argument("file", type=click.File("r", encoding="utf-8"))
@with_appcontext
def import_command(file: TextIO) -> None:
    """Allow every origin in FILE: one a line; blank lines and # comments are skipped.

    Every line is checked first; if any is not an origin, the bad lines are listed with
    their numbers and nothing is imported.
    """
    registry = _registry()
    origins: list[str] = []
    bad: list[str] = []
    try:
        for number, line in enumerate(file, start=1):
            value = line.strip()
            if not value or value.startswith("#"):
                continue
            try:
                origins.append(normalize_origin(value))
            except ValueError:
                bad.append(f"line {number}: not a serialized origin: {value[:200]!r}")
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"{file.name}: not UTF-8 text ({exc.reason})") from None
    if bad:
        raise click.ClickException(
            f"{file.name}: nothing imported, {len(bad)} bad line(s):\n" + "\n".join(bad)
        )
    try:
        added = registry.add_many(origins)
    except _FAILURES as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"imported {len(origins)} origins: {added} new, {len(set(origins)) - added} already present"
    )


@registry_command.command(name="init-db")
@with_appcontext
def init_db_command() -> None:
    """Create the registry table (and its notification trigger on PostgreSQL)."""
    registry = _registry()
    try:
        registry.create_schema()
    except _FAILURES as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"origin registry ready: table {registry.table_name!r} in {registry.describe()}")
