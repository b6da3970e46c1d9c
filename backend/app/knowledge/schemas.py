"""Response bodies of the knowledge administration routes (`/api/admin/documents`)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field


class DocumentPublic(BaseModel):
    id: str
    title: str
    collection: str = Field(
        description="`curated` (the knowledge folder) or `imported` (uploads, `puxian ingest`)."
    )
    kind: str = Field(description="markdown, text, lexicon, rime, pdf or docx.")
    chunk_count: int
    source: str = Field(description="The file it was read from, relative to the knowledge or data folder.")
    updated_at: datetime
    warnings: list[str] = Field(description="What the reader skipped, as `file:line: problem`.")


class DocumentsPublic(BaseModel):
    data: list[DocumentPublic] = Field(description="Ordered by id.")
    count: int
    chunks: int = Field(description="Chunks in the whole knowledge base.")
    errors: list[str] = Field(
        description="Files the last re-index (or the start-up sync) could not read, as `file:line: problem`."
    )
    max_upload_bytes: int = Field(description="The largest upload request accepted (all files together).")


UploadStatus = Literal["added", "updated", "unchanged", "failed"]


class UploadResult(BaseModel):
    filename: str
    status: UploadStatus
    document_id: str | None = None
    title: str | None = None
    chunks: int = 0
    errors: list[str] = Field(default_factory=list, description="`file:line: problem`; nothing was stored.")
    warnings: list[str] = Field(default_factory=list)


class UploadResponse(BaseModel):
    results: list[UploadResult] = Field(description="One per uploaded file, in the order sent.")
    seconds: float


class ReindexResponse(BaseModel):
    added: list[str]
    updated: list[str]
    unchanged: int
    deleted: list[str]
    chunks_embedded: int
    chunks: int = Field(description="Chunks in the whole knowledge base afterwards.")
    errors: list[str]
    warnings: list[str]
    seconds: float
