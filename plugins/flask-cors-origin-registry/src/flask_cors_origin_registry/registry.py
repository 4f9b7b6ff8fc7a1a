"""The origin registry of one app: a table of origins (SQLite or PostgreSQL) and an answer cache.

One code path over SQLAlchemy Core. On PostgreSQL every change is announced with
``NOTIFY`` on a channel of the registry's own, and every instance ``LISTEN``\\s on it in a
background thread and empties its cache on each announcement; on SQLite, other processes
see a change within the cache TTL.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import select as select_module
import sqlite3
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

from flask import Flask
from sqlalchemy import (
    Column,
    Connection,
    Engine,
    MetaData,
    Select,
    String,
    Table,
    bindparam,
    column,
    create_engine,
    delete,
    func,
    literal,
    select,
    table,
    text,
)
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import NullPool

from flask_cors import CORSConfigError, CORSPluginUnavailable
from flask_cors.grammar import serialize_origin
from flask_cors.options import parse_duration

__all__ = [
    "CONFIG_CACHE_SIZE",
    "CONFIG_CACHE_TTL",
    "CONFIG_CHANNEL",
    "CONFIG_CONNECT_TIMEOUT",
    "CONFIG_DATABASE",
    "CONFIG_KEYS",
    "CONFIG_MAX_OVERFLOW",
    "CONFIG_POOL_SIZE",
    "CONFIG_RETRY_INTERVAL",
    "CONFIG_SOURCE",
    "CONFIG_TABLE",
    "CONFIG_TIMEOUT",
    "CONFIG_URL",
    "EXTENSION_KEY",
    "OriginRegistry",
    "RegistryReadOnly",
    "RegistryUnavailable",
    "normalize_origin",
    "registry_for",
    "registry_from_config",
]

log = logging.getLogger("flask_cors.origin_registry")

#: Key of the per-app registry in ``app.extensions``.
EXTENSION_KEY = "flask_cors_origin_registry"

CONFIG_URL = "CORS_REGISTRY_URL"
CONFIG_DATABASE = "CORS_REGISTRY_DATABASE"  # deprecated: a SQLite file path
CONFIG_SOURCE = "CORS_REGISTRY_SOURCE"
CONFIG_TABLE = "CORS_REGISTRY_TABLE"
CONFIG_CHANNEL = "CORS_REGISTRY_CHANNEL"
CONFIG_CACHE_SIZE = "CORS_REGISTRY_CACHE_SIZE"
CONFIG_CACHE_TTL = "CORS_REGISTRY_CACHE_TTL"
CONFIG_TIMEOUT = "CORS_REGISTRY_TIMEOUT"
CONFIG_CONNECT_TIMEOUT = "CORS_REGISTRY_CONNECT_TIMEOUT"
CONFIG_RETRY_INTERVAL = "CORS_REGISTRY_RETRY_INTERVAL"
CONFIG_POOL_SIZE = "CORS_REGISTRY_POOL_SIZE"
CONFIG_MAX_OVERFLOW = "CORS_REGISTRY_MAX_OVERFLOW"
#: The app config keys of the plugin (declared to flask_cors's lint).
CONFIG_KEYS = (
    CONFIG_URL,
    CONFIG_DATABASE,
    CONFIG_SOURCE,
    CONFIG_TABLE,
    CONFIG_CHANNEL,
    CONFIG_CACHE_SIZE,
    CONFIG_CACHE_TTL,
    CONFIG_TIMEOUT,
    CONFIG_CONNECT_TIMEOUT,
    CONFIG_RETRY_INTERVAL,
    CONFIG_POOL_SIZE,
    CONFIG_MAX_OVERFLOW,
)

DEFAULT_TABLE = "cors_allowed_origins"
DEFAULT_CACHE_SIZE = 4096
DEFAULT_CACHE_TTL = 5.0
#: On PostgreSQL a change reaches every instance by notification: the TTL is only the
#: fallback for a notification lost without the listening connection noticing.
DEFAULT_CACHE_TTL_NOTIFIED = 60.0
DEFAULT_TIMEOUT = 0.25
DEFAULT_CONNECT_TIMEOUT = 2
DEFAULT_RETRY_INTERVAL = 0.5
DEFAULT_POOL_SIZE = 5
DEFAULT_MAX_OVERFLOW = 5
#: Seconds a write (add, remove, import, init-db) may wait: longer than a lookup.
WRITE_TIMEOUT = 5.0
#: Seconds between two liveness checks of the listening connection.
LISTEN_PING = 1.0
#: Seconds the listening connection has to answer a liveness check; a server that does
#: not (a hung or stopped backend) loses the connection, and the listener connects again.
LISTEN_PING_TIMEOUT = 1.0
#: Cached answers are trusted only while the last successful liveness check of the
#: listening connection is at most this many seconds old; past that, every lookup reads
#: the database until the listener answers again.
LISTEN_FRESH = 2.0
#: The longest origin looked at (as flask_cors itself).
MAX_ORIGIN_LENGTH = 1024
#: Distinct values refused by the origin grammar (``null``, ``*``, garbage) that are
#: looked up once each, to report a store row holding one; later ones are refused unseen.
BAD_ROW_CHECKS = 64

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}", re.ASCII)


class RegistryUnavailable(CORSPluginUnavailable):
    """The registry database cannot be read or written (down, locked, timed out, damaged)."""


class RegistryReadOnly(RuntimeError):
    """The registry reads the app's own table: origins are changed there, not here."""


def normalize_origin(origin: str) -> str:
    """``origin`` as a browser sends it (:func:`flask_cors.grammar.serialize_origin`:
    lower case, punycode host, no default port), after checking that it is an origin.

    Raises :class:`ValueError` for anything else (a path, a trailing slash, ``*``,
    ``null``, spaces).
    """
    if not isinstance(origin, str):
        raise ValueError(f"an origin must be a string, got {type(origin).__name__}")
    value = origin.strip()
    serialized = serialize_origin(value) if len(value) <= MAX_ORIGIN_LENGTH else None
    if serialized is None:
        raise ValueError(f"not a serialized origin (scheme://host[:port], no path): {origin!r}")
    return serialized


class _AnswerCache:
    """A thread-safe LRU map of origin -> answer whose entries expire after ``ttl``.

    Every :meth:`clear` starts a new *generation*. A lookup notes the generation before it
    asks the database and stores its answer only if no clear happened meanwhile, so an
    answer read before a change can never be cached after it.
    """

    def __init__(self, maxsize: int, ttl: float, clock: Callable[[], float]) -> None:
        self.maxsize = maxsize
        self.ttl = ttl
        self._clock = clock
        self._entries: OrderedDict[str, tuple[float, bool]] = OrderedDict()
        self._lock = threading.Lock()
        self.generation = 0

    @property
    def enabled(self) -> bool:
        return self.maxsize > 0 and self.ttl > 0

    def get(self, key: str) -> bool | None:
        if not self._entries:
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

    def put(self, key: str, answer: bool, generation: int) -> None:
        if not self.enabled:
            return
        expires = self._clock() + self.ttl
        with self._lock:
            if generation != self.generation:
                return  # the registry changed while this answer was read
            self._entries[key] = (expires, answer)
            self._entries.move_to_end(key)
            while len(self._entries) > self.maxsize:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self.generation += 1
            self._entries.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)


_T = TypeVar("_T")
EngineSource = str | os.PathLike[str] | URL | Engine | Callable[[], Engine]


def _split_name(dotted: str, parts: int) -> list[str]:
    names = dotted.split(".")
    if not 1 <= len(names) - parts + 1 <= 2 or not all(_IDENTIFIER.fullmatch(n) for n in names):
        raise ValueError(f"not a plain SQL name: {dotted!r}")
    return names


class OriginRegistry:
    """Origins allowed at run time, read from a database through SQLAlchemy Core.

    ``target`` is a SQLite file path, a SQLAlchemy URL (``sqlite:///file`` or
    ``postgresql+psycopg://...``), an :class:`~sqlalchemy.Engine`, or a callable returning
    one on first use (Flask-SQLAlchemy's engine). With ``source`` (a ``select()`` of one
    column of the app's own table) the registry is read-only.

    Lookups are cached (allowed and refused alike) for ``cache_ttl`` seconds (default 5 on
    SQLite, 60 on PostgreSQL) in at most
    ``cache_size`` entries. :meth:`add` and :meth:`remove` empty this process's cache
    before they return. On PostgreSQL every instance also empties its cache when any
    instance announces a change; the cache is used only while that announcement channel
    is being listened to. A database error is never cached: it raises
    :class:`RegistryUnavailable`, and lookups then fail fast for ``retry_interval``
    seconds before the database is tried again.
    """

    def __init__(
        self,
        target: EngineSource,
        *,
        table_name: str = DEFAULT_TABLE,
        source: Select[Any] | None = None,
        channel: str | None = None,
        cache_size: int = DEFAULT_CACHE_SIZE,
        cache_ttl: float | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        connect_timeout: int = DEFAULT_CONNECT_TIMEOUT,
        retry_interval: float = DEFAULT_RETRY_INTERVAL,
        pool_size: int = DEFAULT_POOL_SIZE,
        max_overflow: int = DEFAULT_MAX_OVERFLOW,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        names = _split_name(table_name, 1)
        self.table_name = table_name
        self.timeout = timeout
        self.connect_timeout = connect_timeout
        self.retry_interval = retry_interval
        self.pool_size = pool_size
        self.max_overflow = max_overflow
        self._default_ttl = cache_ttl is None
        self.cache = _AnswerCache(
            cache_size, DEFAULT_CACHE_TTL if cache_ttl is None else cache_ttl, clock
        )
        self._clock = clock
        self.channel = channel or f"{table_name.replace('.', '_')}_changed"[:63]
        if not _IDENTIFIER.fullmatch(self.channel):
            raise ValueError(f"not a plain SQL name: {self.channel!r}")
        self.table = Table(
            names[-1],
            MetaData(schema=names[0] if len(names) == 2 else None),
            Column("origin", String(1024), primary_key=True),
            Column("added_at", String(40), nullable=False),
        )
        self.source = source
        self.read_only = source is not None
        if source is not None:
            if len(source.selected_columns) != 1:
                raise ValueError("the origin source must select exactly one column")
            subquery = source.subquery("registry_source")
            value = func.lower(next(iter(subquery.c)))
            self._lookup = (
                select(literal(1)).select_from(subquery).where(value == bindparam("origin"))
            ).limit(1)
            self._list = select(value).where(value.is_not(None)).distinct().order_by(value)
        else:
            self._lookup = (
                select(literal(1)).where(self.table.c.origin == bindparam("origin")).limit(1)
            )
            self._list = select(self.table.c.origin).order_by(self.table.c.origin)
        self._target = target
        self._setup_lock = threading.Lock()
        self._engines: tuple[Engine, Engine] | None = None
        self._owned = False
        self._connect_args: dict[str, Any] = {}
        self._description = ""
        self._down_until = float("-inf")
        self._down_reason = ""
        self._listener: _Listener | None = None
        self._listening = False
        #: When the listening connection last answered (the registry's clock).
        self._last_ping = float("-inf")
        self._silent_reported = False
        self._bad_rows_checked: set[str] = set()
        self._closed = False
        if isinstance(target, str | os.PathLike | URL):
            self._setup()  # a bad URL fails here, at start-up
        _live_registries.add(self)

    # --- engines -------------------------------------------------------------------------

    @property
    def dialect(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self._engine_pair()[0].dialect.name

    def describe(self) -> str:
        """The database, for messages: its URL without password."""
        target = self._target
        if isinstance(target, str | os.PathLike) and "://" not in str(target):
            return str(Path(target).absolute())
        if self._description:
            return self._description
        if self._engines is None:
            return "the Flask-SQLAlchemy engine"
        return self._engines[0].url.render_as_string(hide_password=True)

    def _engine_pair(self) -> tuple[Engine, Engine]:
        """(engine for lookups, engine for writes), set up on first use."""
        engines = self._engines
        if engines is None:
            with self._setup_lock:
                if self._engines is None:
                    self._setup()
                engines = self._engines
                assert engines is not None
        return engines

    def _setup(self) -> None:
        target = self._target
        if isinstance(target, Engine):
            engine = target
        elif callable(target) and not isinstance(target, URL):
            engine = target()
        else:
            if isinstance(target, str | os.PathLike) and "://" not in str(target):
                url = URL.create("sqlite", database=str(Path(target).absolute()))
            else:
                url = make_url(str(target)) if not isinstance(target, URL) else target
            self._engines = self._own_engines(url)
            self._owned = True
            # A registry dropped without close() still closes its pooled connections.
            weakref.finalize(self, _dispose, self._engines)
            return
        if engine.dialect.name not in ("sqlite", "postgresql"):
            raise ValueError(f"unsupported database {engine.dialect.name!r}")
        self._engines = (engine, engine)

    def _own_engines(self, url: URL) -> tuple[Engine, Engine]:
        backend = url.get_backend_name()
        if backend == "sqlite":
            if url.database in (None, "", ":memory:") or str(url.database).startswith("file:"):
                raise ValueError(
                    "expected sqlite:///path/to/file; in-memory databases and URIs are not "
                    "supported"
                )
            path = Path(str(url.database)).absolute()
            self._description = str(path)
            uri = path.as_uri()

            def connector(mode: str, timeout: float) -> Callable[[], sqlite3.Connection]:
                def connect() -> sqlite3.Connection:
                    return sqlite3.connect(
                        f"{uri}?mode={mode}", uri=True, timeout=timeout, check_same_thread=False
                    )

                return connect

            # A connection per use, as cheap as a pooled one for a local file, and a
            # deleted or replaced file is noticed at once. Lookups open the file
            # read-only, so they never create an empty database.
            read = create_engine(
                "sqlite://", creator=connector("ro", self.timeout), poolclass=NullPool
            )
            write = create_engine(
                "sqlite://", creator=connector("rwc", WRITE_TIMEOUT), poolclass=NullPool
            )
            return read, write
        if backend == "postgresql":
            _require_psycopg()
            if url.get_driver_name() != "psycopg":
                url = url.set(drivername="postgresql+psycopg")
            milliseconds = max(1, round(self.timeout * 1000))
            self._connect_args = {
                "connect_timeout": self.connect_timeout,
                "application_name": "flask-cors-origin-registry",
                "options": f"-c statement_timeout={milliseconds} -c lock_timeout={milliseconds}",
            }
            engine = create_engine(
                url,
                pool_size=self.pool_size,
                max_overflow=self.max_overflow,
                pool_timeout=self.timeout,
                pool_recycle=3600,
                connect_args=self._connect_args,
            )
            return engine, engine
        raise ValueError(f"unsupported database {backend!r}: use sqlite or postgresql")

    def close(self) -> None:
        """Stop listening and close the connections this registry opened."""
        self._closed = True
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.stop()
        if self._owned and self._engines is not None:
            for engine in set(self._engines):
                engine.dispose()

    def _after_fork(self) -> None:
        # A forked worker has no listening thread and must not share pooled sockets.
        self._listener = None
        self._listening = False
        self.cache.clear()
        if self._owned and self._engines is not None:
            for engine in set(self._engines):
                engine.dispose(close=False)

    # --- errors ------------------------------------------------------------------------

    def _unavailable(self, exc: BaseException) -> RegistryUnavailable:
        reason = getattr(exc, "orig", None) or exc
        text_ = " ".join(str(reason).split()) or type(reason).__name__
        return RegistryUnavailable(
            f"origin registry database {self.describe()!r} is unavailable: {text_[:300]}"
        )

    def _run(self, work: Callable[[], _T], *, lookup: bool) -> _T:
        """``work()``, database errors turned into :class:`RegistryUnavailable`.

        A connection found broken (the server restarted) is retried once at once.
        """
        for attempt in (1, 2):
            try:
                result = work()
            except sa_exc.DBAPIError as exc:
                if exc.connection_invalidated and attempt == 1:
                    continue
                error = self._unavailable(exc)
            except (sa_exc.SQLAlchemyError, sqlite3.Error, OSError) as exc:
                error = self._unavailable(exc)
            else:
                if lookup and self._down_reason:
                    self._down_reason = ""
                    log.warning("origin registry %s is available again", self.describe())
                return result
            if lookup:
                if not self._down_reason:
                    log.warning("%s; lookups fail closed until it answers", error)
                self._down_reason = str(error)
                self._down_until = self._clock() + self.retry_interval
            raise error from None
        raise AssertionError("unreachable")  # pragma: no cover

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        if self.read_only:
            raise RegistryReadOnly(
                f"the origin registry is read-only: it reads origins from the app's own "
                f"table ({CONFIG_SOURCE}); change them there"
            )
        engine = self._engine_pair()[1]
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(
                    text(f"SET LOCAL statement_timeout = {int(WRITE_TIMEOUT * 1000)}")
                )
                connection.execute(text(f"SET LOCAL lock_timeout = {int(WRITE_TIMEOUT * 1000)}"))
            self.table.create(connection, checkfirst=True)
            yield connection
            if connection.dialect.name == "postgresql":
                connection.execute(select(func.pg_notify(self.channel, "")))

    # --- schema ------------------------------------------------------------------------

    def create_schema(self) -> None:
        """Create the table and, on PostgreSQL, its notification trigger; idempotent."""

        def work() -> None:
            with self._write() as connection:
                if connection.dialect.name == "postgresql":
                    self._create_trigger(connection)

        self._run(work, lookup=False)

    def _create_trigger(self, connection: Connection) -> None:
        connection.execute(select(func.pg_advisory_xact_lock(func.hashtext(self.channel))))
        preparer = connection.dialect.identifier_preparer
        qualified = preparer.format_table(self.table)
        function = preparer.quote(f"{self.table.name}_notify")
        if self.table.schema:
            function = f"{preparer.quote(self.table.schema)}.{function}"
        trigger = preparer.quote(f"{self.table.name}_notify")
        exists = connection.execute(
            text("SELECT 1 FROM pg_trigger WHERE tgname = :name AND tgrelid = to_regclass(:table)"),
            {"name": f"{self.table.name}_notify", "table": qualified},
        ).first()
        if exists:
            return
        connection.execute(
            text(
                f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS "
                f"$$BEGIN PERFORM pg_notify('{self.channel}', ''); RETURN NULL; END$$"
            )
        )
        connection.execute(
            text(
                f"CREATE TRIGGER {trigger} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                f"ON {qualified} FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
            )
        )

    # --- the API -----------------------------------------------------------------------

    def allows(self, origin: str) -> bool:
        """Whether ``origin`` (compared case-insensitively) is registered.

        Raises :class:`RegistryUnavailable` when the database cannot be read.
        """
        key = serialize_origin(origin) if len(origin) <= MAX_ORIGIN_LENGTH else None
        if key is None:
            # null, *, a path, garbage: never allowed, whatever the store holds.
            self._report_bad_row(origin)
            return False
        if self._listener is None and not self._closed:
            self._start_listening()
        trusted = self._listener is _NO_LISTENER or self._cache_trusted()
        if trusted:
            cached = self.cache.get(key)
            if cached is not None:
                return cached
        if self._down_reason and self._clock() < self._down_until:
            raise RegistryUnavailable(self._down_reason)
        generation = self.cache.generation
        answer = self._run(lambda: self._query(key), lookup=True)
        if trusted:
            self.cache.put(key, answer, generation)
        return answer

    def _report_bad_row(self, origin: str) -> None:
        """Warn, once per value, when the store holds ``origin``, which the origin grammar
        refuses (a tenant row holding ``null`` would otherwise let every sandboxed page
        in). Looks at most :data:`BAD_ROW_CHECKS` values up, and never fails."""
        value = origin.strip().lower()[:MAX_ORIGIN_LENGTH]
        with self._setup_lock:
            if value in self._bad_rows_checked or len(self._bad_rows_checked) >= BAD_ROW_CHECKS:
                return
            self._bad_rows_checked.add(value)
        if self._down_reason and self._clock() < self._down_until:
            return
        try:
            held = self._query(value)
        except Exception:
            log.debug("origin registry %s: could not look up a refused value", self.describe())
            return
        if held:
            log.warning(
                "origin registry %s: the store holds %a, which is not a serialized origin "
                "(scheme://host[:port]); it is never allowed: correct or delete that row",
                self.describe(),
                value,
            )

    def _query(self, key: str) -> bool:
        with self._engine_pair()[0].connect() as connection:
            return connection.execute(self._lookup, {"origin": key}).first() is not None

    def add(self, origin: str) -> bool:
        """Allow ``origin``; returns False when it was already registered."""
        return self.add_many([origin]) == 1

    def add_many(self, origins: Iterable[str]) -> int:
        """Allow every origin in ``origins``, in one transaction; returns how many were new.

        Every origin is checked first: one that is not a serialized origin raises
        :class:`ValueError` and nothing is added.
        """
        values = sorted({normalize_origin(origin) for origin in origins})
        added_at = datetime.now(timezone.utc).isoformat(timespec="seconds")

        def work() -> int:
            with self._write() as connection:
                present = set(
                    connection.scalars(
                        select(self.table.c.origin).where(self.table.c.origin.in_(values))
                    )
                )
                missing = [
                    {"origin": value, "added_at": added_at}
                    for value in values
                    if value not in present
                ]
                if missing:
                    connection.execute(self.table.insert(), missing)
                return len(missing)

        try:
            return self._run(work, lookup=False)
        finally:
            self.cache.clear()

    def remove(self, origin: str) -> bool:
        """Stop allowing ``origin``; returns False when it was not registered.

        When it returns, no lookup of this process allows the origin any more; on
        PostgreSQL every other instance has been told to forget it too.
        """
        value = normalize_origin(origin)

        def work() -> bool:
            with self._write() as connection:
                result = connection.execute(delete(self.table).where(self.table.c.origin == value))
                return bool(result.rowcount == 1)

        try:
            return self._run(work, lookup=False)
        finally:
            self.cache.clear()

    def list(self) -> list[str]:
        """Every registered origin, sorted."""

        def work() -> list[str]:
            with self._engine_pair()[0].connect() as connection:
                return [str(value) for value in connection.scalars(self._list)]

        return self._run(work, lookup=False)

    # --- listening -----------------------------------------------------------------------

    def _start_listening(self) -> None:
        with self._setup_lock:
            if self._listener is not None:
                return
        engines = self._engine_pair()
        with self._setup_lock:
            if self._listener is not None:
                return
            if engines[0].dialect.name != "postgresql":
                self._listener = _NO_LISTENER
                return
            if self._default_ttl:
                self.cache.ttl = DEFAULT_CACHE_TTL_NOTIFIED
            listener = _Listener(self, engines[0])
            self._listener = listener
            listener.start()

    def _set_listening(self, listening: bool, reason: str = "") -> None:
        if listening:
            self._last_ping = self._clock()
            self._silent_reported = False
        was, self._listening = self._listening, listening
        # Whatever was cached before (or while) the channel was not listened to may
        # have missed a change.
        self.cache.clear()
        if was and not listening:
            log.warning(
                "origin registry %s: stopped listening for changes (%s); answers are not "
                "cached until it listens again",
                self.describe(),
                reason,
            )

    def _pinged(self) -> None:
        """The listening connection answered a liveness check."""
        self._last_ping = self._clock()
        if self._silent_reported:
            self._silent_reported = False
            self.cache.clear()  # a change may have gone unannounced meanwhile
            log.warning(
                "origin registry %s: the listening connection answers again; answers are "
                "cached again",
                self.describe(),
            )

    def _cache_trusted(self) -> bool:
        """Whether cached answers can be used: the channel is listened to, and its
        connection answered a liveness check within :data:`LISTEN_FRESH` seconds."""
        if not self._listening:
            return False
        if self._clock() - self._last_ping <= LISTEN_FRESH:
            return True
        if not self._silent_reported:
            self._silent_reported = True
            self.cache.clear()
            log.warning(
                "origin registry %s: the listening connection has not answered for over "
                "%s s; answers are not cached (every lookup reads the database) until it "
                "answers again",
                self.describe(),
                LISTEN_FRESH,
            )
        return False

    @property
    def listening(self) -> bool:
        """Whether this instance is told of every change at once (PostgreSQL only): it
        listens, and the listening connection answered within :data:`LISTEN_FRESH` s."""
        return self._cache_trusted()

    def __repr__(self) -> str:
        return f"OriginRegistry({self.describe()!r})"


def _require_psycopg() -> None:
    """psycopg 3, the PostgreSQL driver, is an extra of this distribution: SQLite needs
    nothing beyond the standard library. Raises :class:`ValueError` (a
    :class:`~flask_cors.CORSConfigError` naming the URL key, at start-up) without it."""
    try:
        import psycopg  # noqa: F401
    except ImportError as exc:
        raise ValueError(
            "a postgresql URL needs the PostgreSQL driver psycopg 3, which cannot be "
            f"imported here ({exc}): install flask-cors-origin-registry[postgresql], with "
            "psycopg[binary] or psycopg[c] for its libpq (see psycopg's installation notes)"
        ) from None


def _dispose(engines: tuple[Engine, Engine]) -> None:
    for engine in set(engines):
        engine.dispose()


class _Listener(threading.Thread):
    """``LISTEN`` on the registry's channel; every notification empties the cache."""

    def __init__(self, registry: OriginRegistry, engine: Engine) -> None:
        super().__init__(name=f"origin-registry-listener-{registry.channel}", daemon=True)
        self._registry = weakref.ref(registry)
        self._engine = engine
        self._channel = registry.channel
        self._connect_args = dict(registry._connect_args)
        self._stopped = threading.Event()
        #: The server process of the listening connection (for diagnostics and tests).
        self.backend_pid: int | None = None

    def stop(self) -> None:
        """Ask the thread to end; it closes its connection within ``LISTEN_PING`` seconds."""
        self._stopped.set()

    def _connect(self) -> Any:
        dialect = self._engine.dialect
        cargs, cparams = dialect.create_connect_args(self._engine.url)
        cparams.update(self._connect_args)
        cparams.pop("options", None)
        # A silent network failure must be noticed within seconds, not TCP's hours.
        cparams.update(
            keepalives=1,
            keepalives_idle=5,
            keepalives_interval=1,
            keepalives_count=3,
            tcp_user_timeout=int((LISTEN_PING + 2) * 1000),
        )
        connection = dialect.loaded_dbapi.connect(*cargs, **cparams)
        connection.autocommit = True
        return connection

    def run(self) -> None:
        while not self._stopped.is_set():
            connection = None
            try:
                connection = self._connect()
                connection.execute(f'LISTEN "{self._channel}"')
                self.backend_pid = connection.info.backend_pid
                registry = self._registry()
                if registry is None:
                    return
                registry._set_listening(True)
                del registry
                while not self._stopped.is_set():
                    for _notify in connection.notifies(timeout=LISTEN_PING):
                        registry = self._registry()
                        if registry is None:
                            return
                        registry.cache.clear()
                        del registry
                    announced = _ping(connection, LISTEN_PING_TIMEOUT)
                    registry = self._registry()
                    if registry is None:
                        return
                    if announced:
                        registry.cache.clear()
                    registry._pinged()
                    del registry
            except Exception as exc:  # any failure: flush, wait a little, listen again
                registry = self._registry()
                if registry is None:
                    return
                if self._stopped.is_set():  # closed: nothing to report
                    registry._listening = False
                    return
                registry._set_listening(False, " ".join(str(exc).split())[:200])
                del registry
            finally:
                if connection is not None:
                    with contextlib.suppress(Exception):
                        connection.close()
            self._stopped.wait(0.2)
        registry = self._registry()
        if registry is not None:
            registry._listening = False


def _ping(connection: Any, timeout: float) -> bool:
    """``SELECT 1`` on the listening connection, answered within ``timeout`` seconds or
    :class:`TimeoutError`; whether notifications arrived with the answer.

    Through libpq's asynchronous calls: a blocking query would wait for ever on a server
    process that is stopped or hung while the kernel keeps the connection alive.
    """
    from psycopg import OperationalError, pq

    pgconn = connection.pgconn
    deadline = time.monotonic() + timeout

    def wait(readable: bool) -> None:
        remaining = deadline - time.monotonic()
        if remaining > 0:
            fds = [pgconn.socket]
            ready = select_module.select(fds, [] if readable else fds, [], remaining)
            if ready[0] or ready[1]:
                return
        raise TimeoutError(f"the server did not answer a liveness check within {timeout} s")

    pgconn.send_query(b"SELECT 1")
    while pgconn.flush() != 0:
        wait(readable=False)
    pgconn.consume_input()
    while pgconn.is_busy():
        wait(readable=True)
        pgconn.consume_input()
    while (result := pgconn.get_result()) is not None:
        if result.status != pq.ExecStatus.TUPLES_OK:
            message = result.error_message.decode("utf-8", "replace")
            raise OperationalError(f"liveness check failed: {message or result.status}")
    announced = False
    while pgconn.notifies() is not None:  # arrived with the answer: psycopg will not see them
        announced = True
    return announced


class _NoListener(_Listener):
    """Marks a registry that has nothing to listen to (SQLite): its cache lives by TTL."""

    def __init__(self) -> None:
        threading.Thread.__init__(self, daemon=True)

    def stop(self) -> None:
        return None


_NO_LISTENER = _NoListener()

_live_registries: weakref.WeakSet[OriginRegistry] = weakref.WeakSet()


def _reset_after_fork() -> None:
    for registry in list(_live_registries):
        registry._after_fork()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset_after_fork)


# --- configuration ---------------------------------------------------------------------------


def _count(config: Mapping[str, Any], key: str, default: int, *, positive: bool = False) -> int:
    value = config.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise CORSConfigError(
            key, f"app config {key}", f"expected a non-negative integer, got {value!r}"
        )
    if positive and value == 0:
        raise CORSConfigError(key, f"app config {key}", "must be > 0")
    return value


def _seconds(
    config: Mapping[str, Any],
    key: str,
    default: float,
    *,
    whole: bool = False,
    positive: bool = False,
) -> float:
    """A duration, read as flask_cors reads ``max_age`` (:func:`parse_duration`)."""
    seconds = parse_duration(key, f"app config {key}", config.get(key, default), whole=whole)
    if positive and seconds == 0:
        raise CORSConfigError(key, f"app config {key}", "must be > 0")
    return seconds


def _source_select(value: object) -> Select[Any] | None:
    if value is None:
        return None
    if isinstance(value, Select):
        return value
    if isinstance(value, str):
        try:
            *table_names, column_name = _split_name(value, 2)
        except ValueError:
            pass
        else:
            schema = table_names[0] if len(table_names) == 2 else None
            return select(column(column_name)).select_from(table(table_names[-1], schema=schema))
    raise CORSConfigError(
        CONFIG_SOURCE,
        f"app config {CONFIG_SOURCE}",
        f"expected 'table.column' (or 'schema.table.column') or a sqlalchemy select() of "
        f"one column, got {value!r}",
    )


def _flask_sqlalchemy_engine(app: Flask) -> Callable[[], Engine]:
    def engine() -> Engine:
        extension = app.extensions.get("sqlalchemy")
        if extension is None:
            raise RegistryUnavailable(
                f"{CONFIG_SOURCE} is set without {CONFIG_URL} and app {app.name!r} has no "
                "Flask-SQLAlchemy extension: set one of them"
            )
        with app.app_context():
            return extension.engine  # type: ignore[no-any-return]

    return engine


def registry_from_config(
    config: Mapping[str, Any], app: Flask | None = None
) -> OriginRegistry | None:
    """The registry an app config asks for, or ``None`` when it names no database."""
    for key in CONFIG_KEYS:
        old = f"FLASK_{key}"  # the key of development versions, now the variable's name
        if old in config:
            raise CORSConfigError(
                old,
                f"app config {old}",
                f"renamed {key}: set {key} in the app config (the environment variable "
                f"{old} becomes {key} through app.config.from_prefixed_env())",
            )
    url = config.get(CONFIG_URL)
    database = config.get(CONFIG_DATABASE)
    source = _source_select(config.get(CONFIG_SOURCE))
    if url is None and database is None and source is None:
        return None
    if url is not None and database is not None:
        raise CORSConfigError(
            CONFIG_DATABASE,
            f"app config {CONFIG_DATABASE}",
            f"set only {CONFIG_URL} ({CONFIG_DATABASE} is its deprecated predecessor)",
        )
    target: EngineSource
    key = CONFIG_URL
    if database is not None:
        key = CONFIG_DATABASE
        if not isinstance(database, str | os.PathLike) or not str(database):
            raise CORSConfigError(
                key, f"app config {key}", f"expected a file path, got {database!r}"
            )
        if str(database) == ":memory:" or str(database).startswith("file:"):
            raise CORSConfigError(
                key,
                f"app config {key}",
                "expected a plain file path; in-memory databases and URIs are not supported",
            )
        import warnings

        warnings.warn(
            f"{CONFIG_DATABASE} is deprecated: set {CONFIG_URL} = "
            f"'sqlite:///{Path(database).absolute()}' instead",
            DeprecationWarning,
            stacklevel=2,
        )
        target = Path(database)
    elif url is not None:
        if not isinstance(url, str | URL | Engine) or not str(url):
            raise CORSConfigError(
                key, f"app config {key}", f"expected a SQLAlchemy URL or Engine, got {url!r}"
            )
        try:
            target = make_url(url) if isinstance(url, str) else url
        except sa_exc.ArgumentError:
            raise CORSConfigError(
                key,
                f"app config {key}",
                "expected a SQLAlchemy URL such as sqlite:///path/to/file or "
                "postgresql+psycopg://user:password@host/database",
            ) from None
    else:
        if app is None:
            raise CORSConfigError(CONFIG_URL, f"app config {CONFIG_URL}", "is required here")
        target = _flask_sqlalchemy_engine(app)
    table_name = config.get(CONFIG_TABLE, DEFAULT_TABLE)
    if not isinstance(table_name, str):
        raise CORSConfigError(
            CONFIG_TABLE, f"app config {CONFIG_TABLE}", f"expected a name, got {table_name!r}"
        )
    channel = config.get(CONFIG_CHANNEL)
    if channel is not None and not (isinstance(channel, str) and _IDENTIFIER.fullmatch(channel)):
        raise CORSConfigError(
            CONFIG_CHANNEL,
            f"app config {CONFIG_CHANNEL}",
            f"expected a plain SQL name (letters, digits, _; at most 63), got {channel!r}",
        )
    settings: dict[str, Any] = {
        "cache_size": _count(config, CONFIG_CACHE_SIZE, DEFAULT_CACHE_SIZE),
        "cache_ttl": (
            _seconds(config, CONFIG_CACHE_TTL, DEFAULT_CACHE_TTL)
            if CONFIG_CACHE_TTL in config
            else None
        ),
        "timeout": _seconds(config, CONFIG_TIMEOUT, DEFAULT_TIMEOUT, positive=True),
        "connect_timeout": int(
            _seconds(
                config, CONFIG_CONNECT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT, whole=True, positive=True
            )
        ),
        "retry_interval": _seconds(config, CONFIG_RETRY_INTERVAL, DEFAULT_RETRY_INTERVAL),
        "pool_size": _count(config, CONFIG_POOL_SIZE, DEFAULT_POOL_SIZE, positive=True),
        "max_overflow": _count(config, CONFIG_MAX_OVERFLOW, DEFAULT_MAX_OVERFLOW),
    }
    try:
        return OriginRegistry(
            target, table_name=table_name, source=source, channel=channel, **settings
        )
    except (ValueError, sa_exc.ArgumentError) as exc:
        bad = CONFIG_TABLE if "name" in str(exc) and CONFIG_TABLE in config else key
        raise CORSConfigError(bad, f"app config {bad}", str(exc)) from None


def registry_for(app: Flask) -> OriginRegistry:
    """The origin registry of ``app``.

    Raises :class:`LookupError` when the plugin is not active for the app (``CORS(app)``
    not called, the plugin blocked or not discovered, or no database configured).
    """
    registry = app.extensions.get(EXTENSION_KEY)
    if not isinstance(registry, OriginRegistry):
        raise LookupError(
            f"no CORS origin registry on app {app.name!r}: set {CONFIG_URL} in its "
            "config, call CORS(app), and make sure the 'origin_registry' plugin is not "
            "blocked"
        )
    return registry
