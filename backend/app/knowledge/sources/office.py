"""PDF and Word (.docx) files: their text, with Word headings kept as Markdown headings."""

from __future__ import annotations

import io
from pathlib import Path

from app.knowledge.sources.model import SourceError


def read_pdf(path: Path, data: bytes) -> tuple[str, str]:
    """Title and text of a PDF; a PDF without a text layer is refused (it would index nothing)."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise SourceError(path, None, "the PDF is encrypted; remove the password first")
        pages = []
        for number, page in enumerate(reader.pages, start=1):
            try:
                pages.append((page.extract_text() or "").strip())
            except Exception as exc:  # pypdf raises many kinds for a damaged page
                raise SourceError(path, number, f"the page cannot be read: {exc}", unit="page") from exc
        title = str(reader.metadata.title) if reader.metadata and reader.metadata.title else path.stem
    except PdfReadError as exc:
        raise SourceError(path, None, f"not a readable PDF: {exc}") from exc
    text = "\n\n".join(page for page in pages if page)
    if not text:
        raise SourceError(path, None, "the PDF has no text layer (a scan?); nothing could be extracted")
    return title, text


def read_docx(path: Path, data: bytes) -> tuple[str, str]:
    """Title and text of a .docx; paragraphs styled 'Heading N' become Markdown headings."""
    import zipfile

    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise SourceError(path, None, f"not a readable .docx file: {exc}") from exc
    blocks: list[str] = []
    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        if not text:
            continue
        style = paragraph.style.name if paragraph.style is not None else ""
        level = _heading_level(style)
        blocks.append(f"{'#' * level} {text}" if level else text)
    for table in document.tables:
        for row in table.rows:
            cells = [cell.text.strip() for cell in row.cells]
            if any(cells):
                blocks.append(" | ".join(cells))
    if not blocks:
        raise SourceError(path, None, "the document has no text")
    title = document.core_properties.title or next(
        (b.lstrip("# ") for b in blocks if b.startswith("#")), path.stem
    )
    return title, "\n\n".join(blocks)


def _heading_level(style: str) -> int:
    if style == "Title":
        return 1
    if style.startswith("Heading "):
        suffix = style.removeprefix("Heading ")
        return min(int(suffix), 6) if suffix.isdigit() else 0
    return 0
