"""A throwaway PostgreSQL cluster: ``initdb`` + ``pg_ctl`` in a temporary directory.

Used by the tests (a session fixture) and by ``benchmarks/registry.py``. The server
listens on a free loopback port and on a Unix socket in its own directory, runs as the
``postgres`` system user when this process is root (PostgreSQL refuses to run as root),
and accepts the superuser ``cors`` with password ``PASSWORD`` over TCP.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

USER = "cors"
PASSWORD = "registry-test-password"


class PostgresMissing(RuntimeError):
    """The PostgreSQL server binaries are not installed."""


def find_bindir() -> Path:
    """The folder of ``initdb`` and ``pg_ctl``: ``$PG_BINDIR``, Debian's, or the PATH's."""
    candidates = [os.environ.get("PG_BINDIR", "")]
    candidates += sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]), reverse=True
    )
    on_path = shutil.which("pg_ctl")
    candidates.append(str(Path(on_path).parent) if on_path else "")
    for folder in candidates:
        if folder and (Path(folder) / "initdb").is_file() and (Path(folder) / "pg_ctl").is_file():
            return Path(folder)
    raise PostgresMissing(
        "PostgreSQL server binaries (initdb, pg_ctl) not found: apt-get install postgresql "
        "(or set PG_BINDIR)"
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PostgresCluster:
    """One throwaway server. ``start()`` creates it, ``destroy()`` stops it and deletes it."""

    def __init__(self) -> None:
        self.bindir = find_bindir()
        self.port = free_port()
        self.base = Path(tempfile.mkdtemp(prefix="cors-registry-pg-"))
        self.data = self.base / "data"
        self.as_user: str | None = None
        if os.geteuid() == 0:
            self.as_user = "postgres"
            entry = pwd.getpwnam(self.as_user)
            os.chown(self.base, entry.pw_uid, entry.pw_gid)
        self.base.chmod(0o700)

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.as_user is not None:
            command = ["runuser", "-u", self.as_user, "--", *command]
        return subprocess.run(
            command, check=check, capture_output=True, text=True, timeout=120, cwd=self.base
        )

    def init(self) -> None:
        password_file = self.base / "password"
        password_file.write_text(PASSWORD + "\n")
        if self.as_user is not None:
            entry = pwd.getpwnam(self.as_user)
            os.chown(password_file, entry.pw_uid, entry.pw_gid)
        try:
            self._run(
                "initdb",
                "-D",
                str(self.data),
                "-U",
                USER,
                "--pwfile",
                str(password_file),
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "-E",
                "UTF8",
                "--no-sync",
            )
        except subprocess.CalledProcessError as exc:
            raise RuntimeError(f"initdb failed:\n{exc.stdout}\n{exc.stderr}") from None
        password_file.unlink()

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        try:
            self._run(
                "pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.log), "-w", "start"
            )
        except subprocess.CalledProcessError as exc:
            raise RuntimeError(
                f"pg_ctl start failed:\n{exc.stdout}\n{exc.stderr}\n{self.log_text()}"
            ) from None

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    @property
    def log(self) -> Path:
        return self.base / "server.log"

    def log_text(self) -> str:
        with contextlib.suppress(OSError):
            return self.log.read_text()[-4000:]
        return ""

    def url(self, password: str = PASSWORD, database: str = "postgres") -> str:
        """A SQLAlchemy URL for the cluster over TCP."""
        return f"postgresql+psycopg://{USER}:{password}@127.0.0.1:{self.port}/{database}"

    def destroy(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.base, ignore_errors=True)


def start_cluster() -> PostgresCluster:
    cluster = PostgresCluster()
    try:
        cluster.init()
        cluster.start()
    except BaseException:
        cluster.destroy()
        raise
    return cluster
