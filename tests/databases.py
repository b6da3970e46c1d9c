"""Real databases for tests: a SQLite file, and a throwaway database on the local PostgreSQL server.

PostgreSQL is started if it is down (the command the machine's services use), and each test
session gets its own database, dropped at the end.
"""

from __future__ import annotations

import os
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg

ADMIN_URL = os.environ.get("PUXIAN_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")


def _start_postgres() -> None:
    clusters = subprocess.run(
        ["ls", "/etc/postgresql"], capture_output=True, text=True, check=False
    ).stdout.split()
    for version in clusters:
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"],
            capture_output=True,
            check=False,
        )


def _connect_admin(attempts: int = 20) -> psycopg.Connection:
    last: Exception | None = None
    for attempt in range(attempts):
        try:
            return psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=3)
        except psycopg.OperationalError as exc:
            last = exc
            if attempt == 0:
                _start_postgres()
            time.sleep(0.5)
    raise RuntimeError(f"PostgreSQL at {ADMIN_URL} is not reachable: {last}")


@contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh, empty PostgreSQL database; yields its SQLAlchemy URL."""
    name = f"puxian_test_{uuid.uuid4().hex[:10]}"
    with _connect_admin() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + f"/{name}"
    try:
        yield url
    finally:
        with _connect_admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
