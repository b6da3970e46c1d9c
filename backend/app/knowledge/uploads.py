"""Documents uploaded by administrators: where they are kept, how they are named, checked and ingested.

Uploads are files in `$PUXIAN_DATA_DIR/uploads/`, ingested as `imported` documents with the same
`Ingestor` as `puxian ingest`. Uploading a file of the same name again replaces that document. One
ingestion runs at a time (they share the indexes); each runs in a worker thread, never on the event
loop, because embedding takes seconds on a CPU.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import unicodedata
from collections.abc import Callable, Mapping
from pathlib import Path

from starlette.types import ASGIApp, Receive, Scope, Send

from app.core.body_limit import BodySizeLimit
from app.core.config import Settings
from app.core.errors import ApiError
from app.knowledge.ingest import CURATED, IMPORTED, SKIPPED_NAMES, Ingestor, IngestReport
from app.knowledge.schemas import UploadResult, UploadStatus
from app.knowledge.sources.reader import SUFFIXES, is_supported

log = logging.getLogger(__name__)

UPLOAD_PATH = "/api/admin/documents"
MAX_FILENAME_CHARS = 160
_INGESTION = threading.Lock()
STAGING = ".staging"  # in the uploads folder; hidden, so never ingested itself
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]")


class RouteBodyLimits:
    """ASGI middleware: the global body limit, except larger limits for the paths named in `larger`."""

    def __init__(self, app: ASGIApp, max_bytes: int, larger: Mapping[str, int]) -> None:
        self.default = BodySizeLimit(app, max_bytes)
        self.larger = {path: BodySizeLimit(app, limit) for path, limit in larger.items()}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        limiter = self.larger.get(scope["path"], self.default) if scope["type"] == "http" else self.default
        await limiter(scope, receive, send)


def uploads_dir(settings: Settings) -> Path:
    return (settings.data_dir / "uploads").resolve()


def safe_filename(raw: str | None) -> str:
    """The name an upload is stored under: its last path part, checked; 422 when it cannot be used."""
    name = unicodedata.normalize("NFC", re.split(r"[/\\]", raw or "")[-1]).strip()
    if not name or name.startswith(".") or _UNSAFE.search(name) or len(name) > MAX_FILENAME_CHARS:
        raise ApiError(422, "file_name_invalid", f"The file name {name!r} cannot be used; rename the file.")
    if not is_supported(Path(name)):
        raise ApiError(
            422, "unsupported_file_type", f"{name}: unsupported file type; supported: {', '.join(SUFFIXES)}."
        )
    if name.lower() in SKIPPED_NAMES:
        raise ApiError(
            422, "file_name_invalid", f"{name}: this name is kept for notes about a folder; rename it."
        )
    return name


def ingest_upload(ingestor: Ingestor, settings: Settings, name: str, data: bytes) -> UploadResult:
    """Store one upload and ingest it; on an error nothing of it is kept (a previous version stays).

    Uploads are ingested one at a time, the file written included: concurrent uploads of one name
    are serialised, the last one wins and each is told its own outcome. The file is staged, and a
    journal (`.staging/NAME.pending`) marks the upload as under way until its ingestion is
    committed, so that a crash at any moment can be rolled back (`recover_interrupted_uploads`).
    """
    folder = uploads_dir(settings)
    staging = folder / STAGING
    staging.mkdir(parents=True, exist_ok=True)
    target = folder / name
    incoming, previous, pending = (staging / f"{name}{suffix}" for suffix in (".incoming", ".previous", ".pending"))
    with _INGESTION:
        _write_durably(incoming, data)
        had_previous = target.exists()
        _write_durably(pending, b"previous" if had_previous else b"new")
        if had_previous:
            target.replace(previous)
        incoming.replace(target)
        try:
            report = ingestor.ingest(
                [target], collection=IMPORTED, sync=False, show_progress=False, max_chunks=settings.max_upload_chunks
            )
        except BaseException:
            _restore(target, previous, had_previous)
            pending.unlink(missing_ok=True)
            raise
        if report.errors:
            _restore(target, previous, had_previous)
        previous.unlink(missing_ok=True)
        pending.unlink(missing_ok=True)
    if report.errors:
        errors = [display_paths(error, settings) for error in report.errors]
        return UploadResult(filename=name, status="failed", errors=errors)
    status, ids = _outcome(report)
    document = next((doc for doc in ingestor.store.documents(IMPORTED) if doc.id in ids), None)
    return UploadResult(
        filename=name,
        status=status,
        document_id=document.id if document else None,
        title=document.title if document else None,
        chunks=document.chunk_count if document else 0,
        warnings=[display_paths(warning, settings) for warning in report.warnings],
    )


def recover_interrupted_uploads(ingestor: Ingestor, settings: Settings) -> list[str]:
    """Roll back the uploads a crash interrupted (their journal is still there): the previous file
    is put back, or a new one removed, and the uploads folder is ingested again so that the
    database matches (an interrupted upload may have been committed before the crash). Returns the
    names rolled back; run at start-up, before any request."""
    staging = uploads_dir(settings) / STAGING
    if not staging.is_dir():
        return []
    rolled_back = []
    with _INGESTION:
        for pending in sorted(staging.glob("*.pending")):
            name = pending.name.removesuffix(".pending")
            target, previous = uploads_dir(settings) / name, staging / f"{name}.previous"
            replacing = pending.read_bytes() == b"previous"
            if not replacing:
                target.unlink(missing_ok=True)  # a new file: whatever of it got in goes
            elif previous.exists():
                previous.replace(target)  # the old version back over the new one
            # else: the crash came before the old version was moved aside; it is still in place
            (staging / f"{name}.incoming").unlink(missing_ok=True)
            pending.unlink()
            rolled_back.append(name)
        for leftover in staging.iterdir():  # staged files of uploads that never got a journal
            leftover.unlink(missing_ok=True)
        if rolled_back:
            log.warning("uploads interrupted by a crash, rolled back: %s", ", ".join(rolled_back))
            ingestor.ingest([uploads_dir(settings)], collection=IMPORTED, sync=True, show_progress=False)
    return rolled_back


def _write_durably(path: Path, data: bytes) -> None:
    with path.open("wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())


def delete_upload_file(source_path: str, settings: Settings) -> None:
    """Remove a deleted document's file when it is an upload (so that a re-index does not bring it back)."""
    path = Path(source_path)
    if path.is_relative_to(uploads_dir(settings)):
        path.unlink(missing_ok=True)


def reindex(ingestor: Ingestor, settings: Settings, reload: Callable[[], None]) -> IngestReport:
    """Bring the curated folders and the uploads in step with the database, then rebuild the indexes."""
    total = IngestReport()
    with _INGESTION:
        batches = [([f for f in settings.curated_dirs if f.is_dir()], CURATED)]
        if uploads_dir(settings).is_dir():
            batches.append(([uploads_dir(settings)], IMPORTED))
        for folders, collection in batches:
            if not folders:
                continue
            report = ingestor.ingest(folders, collection=collection, sync=True, show_progress=False)
            for name in ("added", "updated", "unchanged", "deleted", "errors", "warnings"):
                getattr(total, name).extend(getattr(report, name))
            total.chunks_embedded += report.chunks_embedded
            total.seconds += report.seconds
        reload()
    return total


def display_paths(message: str, settings: Settings) -> str:
    """A message with server paths shortened: uploads by file name, curated files from `knowledge/`."""
    message = message.replace(f"{uploads_dir(settings)}/", "")
    knowledge = settings.knowledge_dir.resolve()
    return message.replace(f"{knowledge}/", f"{knowledge.name}/")


def _outcome(report: IngestReport) -> tuple[UploadStatus, set[str]]:
    if report.added:
        return "added", set(report.added)
    if report.updated:
        return "updated", set(report.updated)
    return "unchanged", set(report.unchanged)


def _restore(target: Path, previous: Path, had_previous: bool) -> None:
    if had_previous:
        previous.replace(target)
    else:
        target.unlink(missing_ok=True)
