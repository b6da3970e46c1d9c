"""`/api/admin/documents`: list, upload, delete and re-index the knowledge base's documents (admins only).

Mounted by app/main.py; the admin guard is this router's own dependency. Routes are plain functions,
which FastAPI runs in worker threads, except the upload, which reads its body itself (after the
guard) and then ingests in a worker thread: ingestion (embedding on the CPU) never blocks the event loop.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.core.error_docs import documented_errors
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

router = APIRouter(
    prefix=uploads.UPLOAD_PATH,
    tags=["admin"],
    dependencies=[Depends(require_admin)],
    responses=documented_errors(401, 403),
)

# The upload's body is read by the route itself, after the admin guard has run: a body declared as
# a parameter would be read (all PUXIAN_MAX_UPLOAD_BYTES of it) before the guard could refuse.
UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["files"],
                    "properties": {
                        "files": {
                            "type": "array",
                            "items": {"type": "string", "format": "binary"},
                            "minItems": 1,
                            "maxItems": 50,  # MAX_FILES_PER_UPLOAD
                            "description": "One or more files: .md .txt .csv .tsv .dict.yaml .pdf .docx "
                            "(UTF-8 for text).",
                        }
                    },
                }
            }
        },
    }
}
MAX_FILES_PER_UPLOAD = 50
FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


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


@router.post(
    "",
    operation_id="admin-upload-documents",
    response_model=UploadResponse,
    openapi_extra=UPLOAD_BODY,
    responses=documented_errors(422),
)
async def upload_documents(
    request: Request, admin: AdminUser, services: ServicesDep, settings: SettingsDep, client_ip: ClientIp
) -> UploadResponse:
    """Store and ingest the files as imported documents; a file of the same name replaces its document.

    Each file gets its own result: a malformed one, or one past a limit (unzipped size, paragraphs,
    pages, nesting, PUXIAN_MAX_UPLOAD_CHUNKS), is `failed` with `file:line: problem` errors and
    nothing of it is stored, while the others are ingested. When every file failed, the request
    is a 422 `upload_failed` whose detail gives each file's first error. The whole request may be at most
    PUXIAN_MAX_UPLOAD_BYTES (413 `body_too_large`); it is read only once the caller is known to be
    an administrator.
    """
    started = time.perf_counter()
    files = await _uploaded_files(request)
    names = [uploads.safe_filename(upload.filename) for upload in files]  # 422 before anything is stored
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ApiError(422, "duplicate_file", f"{duplicates[0]} is sent more than once.")
    contents = [await upload.read() for upload in files]
    results = await run_in_threadpool(_ingest_all, services, settings, names, contents)
    files_audited = [{"name": r.filename, "status": r.status, "document_id": r.document_id} for r in results]
    _audit(services, "document.uploaded", admin.user_id, "", {"files": files_audited}, client_ip)
    if all(result.status == "failed" for result in results):  # nothing was stored: the request failed
        reasons = "; ".join(result.errors[0] if result.errors else result.filename for result in results)
        raise ApiError(422, "upload_failed", f"Nothing was imported: {reasons}")
    return UploadResponse(results=results, seconds=round(time.perf_counter() - started, 2))


async def _uploaded_files(request: Request) -> list[UploadFile]:
    """The `files` parts of a multipart body; 422 for any other body."""
    if not request.headers.get("content-type", "").startswith(FORM_TYPES):
        raise ApiError(422, "invalid_body", "Send the files as multipart/form-data, in the field 'files'.")
    try:
        form = await request.form(max_files=MAX_FILES_PER_UPLOAD, max_fields=MAX_FILES_PER_UPLOAD)
    except StarletteHTTPException as exc:  # malformed multipart, too many parts; or 413, kept
        if exc.status_code == 413:
            raise
        raise ApiError(422, "invalid_body", f"The upload cannot be read: {exc.detail}") from exc
    files = [part for part in form.getlist("files") if isinstance(part, UploadFile)]
    if not files:
        raise ApiError(422, "missing_field", "The field 'files' is required.")
    return files


def _ingest_all(services: Services, settings: Settings, names: list[str], contents: list[bytes]) -> list[UploadResult]:
    """Ingest the files one after the other (blocking: embedding takes seconds on a CPU)."""
    ingestor = services.knowledge.ingestor
    return [uploads.ingest_upload(ingestor, settings, name, data) for name, data in zip(names, contents, strict=True)]


@router.delete(
    "/{document_id}",
    operation_id="admin-delete-document",
    status_code=204,
    responses=documented_errors(404, 409),
)
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
