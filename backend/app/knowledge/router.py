"""`/api/admin/documents`: list, upload, delete and re-index the knowledge base's documents (admins only).

Mounted by app/main.py; the admin guard is this router's own dependency. Routes are plain functions,
which FastAPI runs in worker threads: ingestion (embedding on the CPU) never blocks the event loop.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Annotated

from fastapi import APIRouter, Depends, File, Request, UploadFile

from app.api.deps import AdminUser, ClientIp, ServicesDep, SettingsDep, require_admin
from app.audit.service import record_event
from app.bootstrap import Services
from app.core.config import Settings
from app.core.errors import ApiError
from app.knowledge import uploads
from app.knowledge.ingest import CURATED
from app.knowledge.schemas import (
    DocumentPublic,
    DocumentsPublic,
    ReindexResponse,
    UploadResponse,
    UploadResult,
)
from app.knowledge.store import DocumentInfo

router = APIRouter(prefix=uploads.UPLOAD_PATH, tags=["admin"], dependencies=[Depends(require_admin)])

Files = Annotated[
    list[UploadFile],
    File(description="One or more files: .md .txt .csv .tsv .dict.yaml .pdf .docx (UTF-8 for text)."),
]


@router.get("", operation_id="admin-list-documents", response_model=DocumentsPublic)
def list_documents(request: Request, services: ServicesDep, settings: SettingsDep) -> DocumentsPublic:
    """Every document with its collection, format, chunk count and source file."""
    documents = services.knowledge.base.store.documents()
    return DocumentsPublic(
        data=[_public(document, settings) for document in documents],
        count=len(documents),
        chunks=len(services.knowledge.base),
        errors=_last_errors(request, services, settings),
        max_upload_bytes=settings.max_upload_bytes,
    )


@router.post("", operation_id="admin-upload-documents", response_model=UploadResponse)
def upload_documents(
    files: Files, admin: AdminUser, services: ServicesDep, settings: SettingsDep, client_ip: ClientIp
) -> UploadResponse:
    """Store and ingest the files as imported documents; a file of the same name replaces its document.

    Each file gets its own result: a malformed one is `failed` with `file:line: problem` errors and
    nothing of it is stored, while the others are ingested. The whole request may be at most
    PUXIAN_MAX_UPLOAD_BYTES (413 `body_too_large`).
    """
    started = time.perf_counter()
    names = [uploads.safe_filename(upload.filename) for upload in files]  # 422 before anything is stored
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ApiError(422, "duplicate_file", f"{duplicates[0]} is sent more than once.")
    results: list[UploadResult] = []
    for name, upload in zip(names, files, strict=True):
        results.append(uploads.ingest_upload(services.knowledge.ingestor, settings, name, upload.file.read()))
    files_audited = [{"name": r.filename, "status": r.status, "document_id": r.document_id} for r in results]
    _audit(services, "document.uploaded", admin.user_id, "", {"files": files_audited}, client_ip)
    return UploadResponse(results=results, seconds=round(time.perf_counter() - started, 2))


@router.delete("/{document_id}", operation_id="admin-delete-document", status_code=204)
def delete_document(
    document_id: str, admin: AdminUser, services: ServicesDep, settings: SettingsDep, client_ip: ClientIp
) -> None:
    """Delete an imported document, its chunks and (for an upload) its file.

    Curated documents come from the knowledge folder and return at the next start: 409
    `document_curated`; delete the file there instead.
    """
    document = _find(services, document_id)
    if document.collection == CURATED:
        raise ApiError(
            409,
            "document_curated",
            f"{document_id} is curated knowledge; remove its file from the knowledge folder instead.",
        )
    services.knowledge.ingestor.delete([document_id])
    uploads.delete_upload_file(document.source_path, settings)
    details = {"id": document_id, "title": document.title}
    _audit(services, "document.deleted", admin.user_id, document_id[:64], details, client_ip)


@router.post("/reindex", operation_id="admin-reindex-documents", response_model=ReindexResponse)
def reindex_documents(
    request: Request, admin: AdminUser, services: ServicesDep, settings: SettingsDep, client_ip: ClientIp
) -> ReindexResponse:
    """Read the curated folders and the uploads again (changed files only), drop documents whose file
    is gone, and rebuild the search indexes from the database."""
    knowledge = services.knowledge
    report = uploads.reindex(knowledge.ingestor, settings, knowledge.base.reload)
    errors = [uploads.display_paths(error, settings) for error in report.errors]
    request.app.state.knowledge_errors = errors
    details = {"added": len(report.added), "updated": len(report.updated), "deleted": len(report.deleted)}
    _audit(services, "knowledge.reindexed", admin.user_id, "", details, client_ip)
    return ReindexResponse(
        added=report.added,
        updated=report.updated,
        unchanged=len(report.unchanged),
        deleted=report.deleted,
        chunks_embedded=report.chunks_embedded,
        chunks=len(knowledge.base),
        errors=errors,
        warnings=[uploads.display_paths(warning, settings) for warning in report.warnings],
        seconds=round(report.seconds, 2),
    )


def _public(document: DocumentInfo, settings: Settings) -> DocumentPublic:
    warnings = document.metadata.get("warnings") or []
    return DocumentPublic(
        id=document.id,
        title=document.title,
        collection=document.collection,
        kind=document.kind,
        chunk_count=document.chunk_count,
        source=uploads.display_paths(document.source_path, settings),
        updated_at=document.updated_at,
        warnings=[uploads.display_paths(str(warning), settings) for warning in warnings],
    )


def _find(services: Services, document_id: str) -> DocumentInfo:
    for document in services.knowledge.base.store.documents():
        if document.id == document_id:
            return document
    raise ApiError(404, "document_not_found", f"There is no document {document_id!r}.")


def _last_errors(request: Request, services: Services, settings: Settings) -> list[str]:
    errors: list[str] | None = getattr(request.app.state, "knowledge_errors", None)
    if errors is None:  # nothing re-indexed since the start: the start-up sync's errors
        errors = [
            uploads.display_paths(error, settings) for error in services.knowledge.curated_report.errors
        ]
    return errors


def _audit(
    services: Services,
    action: str,
    actor_id: int,
    target_id: str,
    details: Mapping[str, object],
    client_ip: str,
) -> None:
    with services.knowledge.database.session() as session:
        record_event(session, action, actor_id, "document", target_id, dict(details), client_ip)
        session.commit()
