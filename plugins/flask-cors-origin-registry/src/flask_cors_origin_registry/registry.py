"""The origin registry of one app: a SQLite table of origins and a small answer cache."""

from __future__ import annotations

import os
import re
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from contextlib import closing, contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from flask import Flask

from flask_cors import CORSConfigError

__all__ = [
    "CONFIG_CACHE_SIZE",
    "CONFIG_CACHE_TTL",
    "CONFIG_DATABASE",
    "CONFIG_TIMEOUT",
    "EXTENSION_KEY",
    "OriginRegistry",
    "RegistryUnavailable",
    "normalize_origin",
    "registry_for",
    "registry_from_config",
]

#: Key of the per-app registry in ``app.extensions``.
EXTENSION_KEY = "flask_cors_origin_registry"

CONFIG_DATABASE = "FLASK_CORS_REGISTRY_DATABASE"
CONFIG_CACHE_SIZE = "FLASK_CORS_REGISTRY_CACHE_SIZE"
CONFIG_CACHE_TTL = "FLASK_CORS_REGISTRY_CACHE_TTL"
CONFIG_TIMEOUT = "FLASK_CORS_REGISTRY_TIMEOUT"

DEFAULT_CACHE_SIZE = 1024
DEFAULT_CACHE_TTL = 5.0
DEFAULT_TIMEOUT = 0.25

_TABLE = "cors_allowed_origins"
_SCHEMA = (
    f"CREATE TABLE IF NOT EXISTS {_TABLE} "
    "(origin TEXT PRIMARY KEY NOT NULL, added_at TEXT NOT NULL) WITHOUT ROWID"
)

#: A serialized origin: scheme, host and optional port; no path, query or credentials.
_ORIGIN = re.compile(
    r"[a-z][a-z0-9+.\-]*://"
    r"(?:\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9\-_.]*[a-z0-9])?)"
    r"(?::[0-9]{1,5})?",
    re.ASCII,
)


class RegistryUnavailable(RuntimeError):
    """The registry database cannot be read or written (missing, locked or damaged)."""


def normalize_origin(origin: str) -> str:
    """``origin`` lower-cased, after checking that it is a serialized origin.

    Raises :class:`ValueError` for anything else (a path, a trailing slash, ``*``,
    ``null``, spaces, non-ASCII text).
    """
    if not isinstance(origin, str):
        raise ValueError(f"an origin must be a string, got {type(origin).__name__}")
    value = origin.strip().lower()
    if len(value) > 1024 or _ORIGIN.fullmatch(value) is None:
        raise ValueError(f"not a serialized origin (scheme://host[:port], no path): {origin!r}")
    return value


class _AnswerCache:
    """A thread-safe LRU map of origin -> answer whose entries expire after ``ttl``."""

    def __init__(self, maxsize: int, ttl: float, clock: Callable[[], float]) -> None:
        self.maxsize = maxsize
        self.ttl = ttl
        self._clock = clock
        self._entries: OrderedDict[str, tuple[float, bool]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> bool | None:
        if self.maxsize <= 0 or self.ttl <= 0:
            return None
        now = self._clock()
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            expires, answer = entry
            if expires <= now:
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return answer

    def put(self, key: str, answer: bool) -> None:
        if self.maxsize <= 0 or self.ttl <= 0:
            return
        expires = self._clock() + self.ttl
        with self._lock:
            self._entries[key] = (expires, answer)
            self._entries.move_to_end(key)
            while len(self._entries) > self.maxsize:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)


class OriginRegistry:
    """Origins allowed at run time, stored in the SQLite database at ``path``.

    Every method opens its own short-lived connection, so one registry serves every
    thread of the app. Lookups are cached for ``cache_ttl`` seconds in a cache of at most
    ``cache_size`` origins (allowed and refused alike); :meth:`add` and :meth:`remove`
    empty this process's cache at once, changes made by other processes are seen within
    ``cache_ttl``. A database error is never cached.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        cache_size: int = DEFAULT_CACHE_SIZE,
        cache_ttl: float = DEFAULT_CACHE_TTL,
        timeout: float = DEFAULT_TIMEOUT,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.path = Path(path).absolute()
        self.timeout = timeout
        self.cache = _AnswerCache(cache_size, cache_ttl, clock)
        self._uri = self.path.as_uri()

    # --- connections -------------------------------------------------------------

    @contextmanager
    def _connect(self, *, write: bool) -> Iterator[sqlite3.Connection]:
        mode = "rwc" if write else "ro"
        try:
            with closing(
                sqlite3.connect(f"{self._uri}?mode={mode}", uri=True, timeout=self.timeout)
            ) as connection:
                if write:
                    with connection:
                        connection.execute(_SCHEMA)
                with connection:
                    yield connection
        except sqlite3.Error as exc:
            raise RegistryUnavailable(
                f"origin registry database {str(self.path)!r} is unavailable: {exc}"
            ) from exc

    def create_schema(self) -> None:
        """Create the database file and its table if they do not exist yet."""
        with self._connect(write=True):
            pass

    # --- the API -----------------------------------------------------------------

    def allows(self, origin: str) -> bool:
        """Whether ``origin`` (compared case-insensitively) is registered.

        Raises :class:`RegistryUnavailable` when the database cannot be read.
        """
        key = origin.lower()
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        with self._connect(write=False) as connection:
            row = connection.execute(f"SELECT 1 FROM {_TABLE} WHERE origin = ?", (key,)).fetchone()
        answer = row is not None
        self.cache.put(key, answer)
        return answer

    def add(self, origin: str) -> bool:
        """Allow ``origin``; returns False when it was already registered."""
        value = normalize_origin(origin)
        added_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        with self._connect(write=True) as connection:
            cursor = connection.execute(
                f"INSERT OR IGNORE INTO {_TABLE} (origin, added_at) VALUES (?, ?)",
                (value, added_at),
            )
            inserted = cursor.rowcount == 1
        self.cache.clear()
        return inserted

    def remove(self, origin: str) -> bool:
        """Stop allowing ``origin``; returns False when it was not registered."""
        value = normalize_origin(origin)
        with self._connect(write=True) as connection:
            cursor = connection.execute(f"DELETE FROM {_TABLE} WHERE origin = ?", (value,))
            removed = cursor.rowcount == 1
        self.cache.clear()
        return removed

    def list(self) -> list[str]:
        """Every registered origin, sorted."""
        with self._connect(write=False) as connection:
            rows = connection.execute(f"SELECT origin FROM {_TABLE} ORDER BY origin").fetchall()
        return [str(row[0]) for row in rows]

    def __repr__(self) -> str:
        return f"OriginRegistry({str(self.path)!r})"


def _number(config: Mapping[str, Any], key: str, default: float, *, integer: bool) -> float:
    value = config.get(key, default)
    kind = int if integer else (int, float)
    if isinstance(value, bool) or not isinstance(value, kind) or value < 0:
        expected = "a non-negative integer" if integer else "a non-negative number of seconds"
        raise CORSConfigError(key, f"app config {key}", f"expected {expected}, got {value!r}")
    return value


def registry_from_config(config: Mapping[str, Any]) -> OriginRegistry | None:
    """The registry an app config asks for, or ``None`` when it names no database."""
    database = config.get(CONFIG_DATABASE)
    if database is None:
        return None
    source = f"app config {CONFIG_DATABASE}"
    if not isinstance(database, str | os.PathLike) or not str(database):
        raise CORSConfigError(CONFIG_DATABASE, source, f"expected a file path, got {database!r}")
    if str(database) == ":memory:" or str(database).startswith("file:"):
        raise CORSConfigError(
            CONFIG_DATABASE,
            source,
            "expected a plain file path; in-memory databases and URIs are not supported",
        )
    timeout = _number(config, CONFIG_TIMEOUT, DEFAULT_TIMEOUT, integer=False)
    if timeout == 0:
        raise CORSConfigError(CONFIG_TIMEOUT, f"app config {CONFIG_TIMEOUT}", "must be > 0")
    return OriginRegistry(
        database,
        cache_size=int(_number(config, CONFIG_CACHE_SIZE, DEFAULT_CACHE_SIZE, integer=True)),
        cache_ttl=_number(config, CONFIG_CACHE_TTL, DEFAULT_CACHE_TTL, integer=False),
        timeout=timeout,
    )


def registry_for(app: Flask) -> OriginRegistry:
    """The origin registry of ``app``.

    Raises :class:`LookupError` when the plugin is not active for the app (``CORS(app)``
    not called, the plugin blocked or not discovered, or no database configured).
    """
    registry = app.extensions.get(EXTENSION_KEY)
    if not isinstance(registry, OriginRegistry):
        raise LookupError(
            f"no CORS origin registry on app {app.name!r}: set {CONFIG_DATABASE} in its "
            "config, call CORS(app), and make sure the 'origin_registry' plugin is not "
            "blocked"
        )
    return registry
