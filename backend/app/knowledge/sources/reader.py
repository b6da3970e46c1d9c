"""Reading any supported file into a `ParsedDocument`, by its extension."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from app.knowledge.sources.lexicon_table import parse_lexicon_table
from app.knowledge.sources.markdown import parse_markdown
from app.knowledge.sources.model import ParsedDocument, SourceError
from app.knowledge.sources.office import read_docx, read_pdf
from app.knowledge.sources.rime import parse_rime_dict

# Bump when a reader (or the pronunciations derived for entries, pronunciation.py) changes what
# it produces, so that unchanged files are read again.
READER_VERSION = 2
SUFFIXES = (".md", ".markdown", ".txt", ".csv", ".tsv", ".dict.yaml", ".pdf", ".docx")


def is_supported(path: Path) -> bool:
    return path.name.lower().endswith(SUFFIXES) and not path.name.startswith(".")


def content_hash(data: bytes) -> str:
    return hashlib.sha256(f"reader-{READER_VERSION}\n".encode() + data).hexdigest()


def derived_document_id(path: Path) -> str:
    """A stable id for a file without one: its name as a slug plus a hash of its full path."""
    stem = path.name.lower().removesuffix(".dict.yaml").rsplit(".", 1)[0]
    slug = re.sub(r"[^a-z0-9]+", "-", stem).strip("-")[:60] or "document"
    return f"{slug}-{hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:8]}"


def read_source(path: Path, curated: bool = False) -> ParsedDocument:
    """Parse one file; `curated` applies the knowledge base's stricter rules to Markdown."""
    data = path.read_bytes()
    name = path.name.lower()
    source_path, digest = str(path), content_hash(data)
    if name.endswith((".pdf", ".docx")):
        title, body = read_pdf(path, data) if name.endswith(".pdf") else read_docx(path, data)
        kind = "pdf" if name.endswith(".pdf") else "docx"
        return ParsedDocument(derived_document_id(path), title, kind, source_path, digest, body=body)
    text = _decode(path, data)
    if name.endswith((".md", ".markdown")):
        meta, body, body_line = parse_markdown(path, text, strict=curated)
        doc_id = meta.pop("id", None) or derived_document_id(path)
        title = meta.pop("title")
        return ParsedDocument(doc_id, title, "markdown", source_path, digest, meta, body=body, body_line=body_line)
    if name.endswith(".txt"):
        if not text.strip():
            raise SourceError(path, 1, "the file is empty")
        return ParsedDocument(derived_document_id(path), path.stem, "text", source_path, digest, body=text.strip())
    if name.endswith((".csv", ".tsv")):
        meta, entries = parse_lexicon_table(path, text)
        doc_id = meta.pop("id", None) or (f"lexicon-{path.stem.lower()}" if curated else derived_document_id(path))
        title = meta.pop("title", path.stem)
        return ParsedDocument(doc_id, title, "lexicon", source_path, digest, meta, entries=tuple(entries))
    if name.endswith(".dict.yaml"):
        meta, entries, warnings = parse_rime_dict(path, text)
        title = meta.pop("title")
        return ParsedDocument(
            derived_document_id(path), title, "rime", source_path, digest, meta, entries=tuple(entries),
            warnings=tuple(warnings),
        )
    raise SourceError(path, None, f"unsupported file type; supported: {', '.join(SUFFIXES)}")


def _decode(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(path, line, "not UTF-8 text; save the file as UTF-8") from exc
