"""PDF and Word (.docx) files: their text, with Word headings kept as Markdown headings.

Both are containers a small file can blow up from (a 299 KB .docx unzipping to 300 MB, or holding
200,000 empty paragraphs), so each is bounded before and while it is read: the unzipped size, the
paragraphs, the pages. A file past a bound is refused with a message saying which.
"""

from __future__ import annotations

import io
from pathlib import Path

from app.knowledge.sources.model import SourceError

MAX_UNZIPPED_BYTES = 64 * 1024 * 1024  # a .docx's parts together, unzipped
MAX_PARAGRAPHS = 20_000  # paragraphs and table rows of a .docx
MAX_PAGES = 2_000  # of a PDF


def read_pdf(path: Path, data: bytes) -> tuple[str, str]:
    """Title and text of a PDF; a PDF without a text layer is refused (it would index nothing)."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise SourceError(path, None, "the PDF is encrypted; remove the password first")
        if len(reader.pages) > MAX_PAGES:
            raise SourceError(
                path, None, f"the PDF has {len(reader.pages)} pages; at most {MAX_PAGES} are accepted"
            )
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
    from lxml.etree import LxmlError

    _check_unzipped_size(path, data)
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, LxmlError) as exc:
        raise SourceError(path, None, f"not a readable .docx file: {exc}") from exc
    if len(document.element.body) > MAX_PARAGRAPHS:
        raise SourceError(
            path, None, f"the document has {len(document.element.body)} paragraphs and tables; "
            f"at most {MAX_PARAGRAPHS} are accepted (split it into several files)",
        )  # fmt: skip
    blocks: list[str] = []
    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        if not text:
            continue
        style = paragraph.style.name if paragraph.style is not None else ""
        level = _heading_level(style)
        blocks.append(f"{'#' * level} {text}" if level else text)
    rows = 0
    for table in document.tables:
        for row in table.rows:
            rows += 1
            if rows > MAX_PARAGRAPHS:
                raise SourceError(path, None, f"the tables have more than {MAX_PARAGRAPHS} rows")
            cells = [cell.text.strip() for cell in row.cells]
            if any(cells):
                blocks.append(" | ".join(cells))
    if not blocks:
        raise SourceError(path, None, "the document has no text")
    title = document.core_properties.title or next(
        (b.lstrip("# ") for b in blocks if b.startswith("#")), path.stem
    )
    return title, "\n\n".join(blocks)


def _check_unzipped_size(path: Path, data: bytes) -> None:
    """Refuse a .docx whose parts unzip past MAX_UNZIPPED_BYTES (a zip bomb) before unzipping any.

    The sizes are the archive's own; zipfile stops reading a part at its stated size and fails its
    checksum if the part holds more, so a lying archive cannot get past them.
    """
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise SourceError(path, None, f"not a readable .docx file: {exc}") from exc
    if unzipped > MAX_UNZIPPED_BYTES:
        raise SourceError(
            path, None, f"the .docx unzips to {unzipped // (1024 * 1024)} MiB; at most "
            f"{MAX_UNZIPPED_BYTES // (1024 * 1024)} MiB are accepted",
        )  # fmt: skip


def _heading_level(style: str) -> int:
    if style == "Title":
        return 1
    if style.startswith("Heading "):
        suffix = style.removeprefix("Heading ")
        return min(int(suffix), 6) if suffix.isdigit() else 0
    return 0
