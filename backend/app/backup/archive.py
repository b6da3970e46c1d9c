"""`puxian backup PATH` and `puxian restore PATH`: everything the server cannot rebuild, in one file.

A backup is a gzipped tar of the database (every user, API key, conversation, feedback, audit
event, document, chunk and vector), the uploaded files, and a manifest. The indexes are not in it:
they are rebuilt from the database when the restored data folder is opened. The signing secret is
not in it either: after a restore elsewhere, users sign in again (their passwords and API keys
work as before).

- SQLite: the database is copied with SQLite's online backup API, consistent while the server runs.
- PostgreSQL: `pg_dump --format=custom`, restored with `pg_restore` into an empty database (both
  must be installed; docs/deployment.md).

A restore goes only into an empty data folder and database: it never overwrites accounts.
"""

from __future__ import annotations

import io
import json
import logging
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from app import __version__
from app.core.config import Settings
from app.db.session import make_engine
from app.knowledge.uploads import STAGING, uploads_dir

log = logging.getLogger(__name__)

FORMAT = 1
SQLITE_MEMBER, POSTGRES_MEMBER, MANIFEST, UPLOADS = (
    "database.sqlite3",
    "database.pgdump",
    "manifest.json",
    "uploads",
)


class BackupError(RuntimeError):
    """A backup or restore that cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    database: str  # sqlite or postgresql
    users: int
    documents: int
    uploads: int
    bytes: int


def create_backup(settings: Settings, path: Path) -> BackupSummary:
    """Write the backup of this server's data to `path` (a .tar.gz)."""
    kind = _kind(settings.database)
    users, documents = _counts(settings.database)
    with tempfile.TemporaryDirectory(prefix="puxian-backup-") as scratch:
        dump = Path(scratch) / (SQLITE_MEMBER if kind == "sqlite" else POSTGRES_MEMBER)
        if kind == "sqlite":
            sqlite_copy(_sqlite_path(settings.database), dump)
        else:
            _run(
                ["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", _libpq_url(settings.database)]
            )
        manifest = {
            "format": FORMAT, "created_at": datetime.now(UTC).isoformat(), "app_version": __version__,
            "database": kind, "users": users, "documents": documents,
        }  # fmt: skip
        path.parent.mkdir(parents=True, exist_ok=True)
        uploaded = 0
        with tarfile.open(path, "w:gz") as archive:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
            archive.add(dump, dump.name)
            for file in _uploaded_files(settings):
                archive.add(file, f"{UPLOADS}/{file.name}")
                uploaded += 1
    summary = BackupSummary(path, kind, users, documents, uploaded, path.stat().st_size)
    log.info("backup written to %s: %d users, %d documents, %d uploads", path, users, documents, uploaded)
    return summary


def restore_backup(settings: Settings, path: Path) -> BackupSummary:
    """Bring a backup back into this (empty) data folder and database. The caller then opens the
    knowledge base, which rebuilds the indexes."""
    kind = _kind(settings.database)
    with tarfile.open(path, "r:gz") as archive:
        manifest = json.loads(_member(archive, MANIFEST))
        if manifest.get("format") != FORMAT:
            raise BackupError(f"{path}: not a backup of this format (format {manifest.get('format')!r})")
        if manifest["database"] != kind:
            raise BackupError(
                f"{path} holds a {manifest['database']} database, and this server uses {kind}: restore it "
                "on a server with the same kind of database (PUXIAN_DATABASE_URL)."
            )
        _check_empty(settings)
        with tempfile.TemporaryDirectory(prefix="puxian-restore-") as scratch:
            member = SQLITE_MEMBER if kind == "sqlite" else POSTGRES_MEMBER
            archive.extract(member, scratch, filter="data")
            dump = Path(scratch) / member
            if kind == "sqlite":
                target = _sqlite_path(settings.database)
                target.parent.mkdir(parents=True, exist_ok=True)
                sqlite_copy(dump, target)
            else:
                _run(
                    [
                        "pg_restore",
                        "--no-owner",
                        "--exit-on-error",
                        f"--dbname={_libpq_url(settings.database)}",
                        str(dump),
                    ]
                )
        uploaded = 0
        folder = uploads_dir(settings)
        for member_info in archive.getmembers():
            if member_info.isfile() and member_info.name.startswith(f"{UPLOADS}/"):
                name = Path(member_info.name).name
                folder.mkdir(parents=True, exist_ok=True)
                (folder / name).write_bytes(_member(archive, member_info.name))
                uploaded += 1
    users, documents = _counts(settings.database)
    log.info("restored from %s: %d users, %d documents, %d uploads", path, users, documents, uploaded)
    return BackupSummary(path, kind, users, documents, uploaded, path.stat().st_size)


def _kind(url: str) -> str:
    name = make_url(url).get_backend_name()
    if name not in ("sqlite", "postgresql"):
        raise BackupError(f"backups support SQLite and PostgreSQL, not {name}")
    return name


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(database)


def sqlite_copy(source: Path, target: Path) -> None:
    """SQLite's online backup: a consistent copy even while the server writes."""
    if not source.exists():
        raise BackupError(f"{source}: no database there")
    origin, copy = sqlite3.connect(source), sqlite3.connect(target)
    try:
        origin.backup(copy)
    finally:
        origin.close()
        copy.close()


def _libpq_url(url: str) -> str:
    """The SQLAlchemy URL as pg_dump and pg_restore take it (no driver suffix)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _run(command: list[str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed; it is needed to back up or restore PostgreSQL")
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[-500:]}")


def _counts(url: str) -> tuple[int, int]:
    engine = make_engine(url)
    try:
        tables = set(inspect(engine).get_table_names())
        with engine.connect() as connection:
            users = (
                connection.execute(text("SELECT count(*) FROM users")).scalar_one()
                if "users" in tables
                else 0
            )
            documents = (
                connection.execute(text("SELECT count(*) FROM knowledge_documents")).scalar_one()
                if "knowledge_documents" in tables
                else 0
            )
        return int(users), int(documents)
    finally:
        engine.dispose()


def _check_empty(settings: Settings) -> None:
    if settings.database.startswith("sqlite"):
        path = _sqlite_path(settings.database)
        if path.exists() and any(_counts(settings.database)):
            raise BackupError(f"{path} already holds data; restore into an empty data folder")
    elif any(_counts(settings.database)):
        raise BackupError("the database already holds data; restore into an empty database")
    if any(_uploaded_files(settings)):
        raise BackupError(f"{uploads_dir(settings)} already holds uploads; restore into an empty data folder")


def _uploaded_files(settings: Settings) -> list[Path]:
    folder = uploads_dir(settings)
    if not folder.is_dir():
        return []
    return sorted(
        p for p in folder.iterdir() if p.is_file() and p.name != STAGING and not p.name.startswith(".")
    )


def _member(archive: tarfile.TarFile, name: str) -> bytes:
    extracted = archive.extractfile(name)
    if extracted is None:
        raise BackupError(f"{name} is missing from the backup")
    return extracted.read()
