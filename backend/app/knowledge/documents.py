"""Knowledge documents: Markdown files with a YAML front matter, validated on load."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

CATEGORIES = ("overview", "phonology", "romanization", "grammar", "vocabulary", "geography", "culture")
_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_FENCE = "---"


class DocumentError(ValueError):
    """A knowledge file is malformed; the message names the file and line."""

    def __init__(self, path: Path, line: int, problem: str) -> None:
        super().__init__(f"{path}:{line}: {problem}")
        self.path, self.line, self.problem = path, line, problem


@dataclass(frozen=True)
class Source:
    title: str
    url: str | None = None


@dataclass(frozen=True)
class Document:
    id: str
    title: str
    category: str
    body: str
    dialect_points: tuple[str, ...]
    tags: tuple[str, ...]
    sources: tuple[Source, ...]
    path: str
    # Line of the body's first line in the file, so that chunk problems can point at the file.
    body_line: int

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(f"{self.id}\n{self.title}\n{self.body}".encode()).hexdigest()


def load_document(path: Path) -> Document:
    """Parse and validate one Markdown knowledge file."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DocumentError(path, 1, f"not UTF-8 text ({exc.reason})") from exc
    lines = text.splitlines()
    if not lines or lines[0].strip() != _FENCE:
        raise DocumentError(path, 1, "missing front matter: the file must start with a '---' line")
    try:
        closing = next(i for i in range(1, len(lines)) if lines[i].strip() == _FENCE)
    except StopIteration:
        raise DocumentError(path, 1, "front matter is not closed by a '---' line") from None
    try:
        meta = yaml.safe_load("\n".join(lines[1:closing]))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        raise DocumentError(path, line, f"front matter is not valid YAML: {getattr(exc, 'problem', exc)}") from exc
    if not isinstance(meta, dict):
        raise DocumentError(path, 2, "front matter must be a mapping of keys to values")
    body = "\n".join(lines[closing + 1 :]).strip()
    if not body:
        raise DocumentError(path, closing + 2, "the document has no text after its front matter")
    return _document_from(meta, body, path, body_line=closing + 2)


def _document_from(meta: dict[str, Any], body: str, path: Path, body_line: int) -> Document:
    def fail(problem: str) -> DocumentError:
        return DocumentError(path, _key_line(path, meta, problem), problem)

    doc_id = meta.get("id")
    if not isinstance(doc_id, str) or not _ID_PATTERN.match(doc_id):
        raise fail("'id' must be lowercase letters, digits and hyphens")
    if path.suffix == ".md" and doc_id != path.stem:
        raise fail(f"'id' {doc_id!r} must equal the file name {path.stem!r}")
    title = meta.get("title")
    if not isinstance(title, str) or not title.strip():
        raise fail("'title' is required")
    category = meta.get("category")
    if category not in CATEGORIES:
        raise fail(f"'category' must be one of {', '.join(CATEGORIES)}")
    sources = _sources(meta.get("sources"))
    if not sources:
        raise fail("'sources' must list at least one source with a title")
    return Document(
        id=doc_id,
        title=title.strip(),
        category=str(category),
        body=body,
        dialect_points=_strings(meta.get("dialect_points")),
        tags=_strings(meta.get("tags")),
        sources=sources,
        path=str(path),
        body_line=body_line,
    )


def _strings(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    return tuple(str(item).strip() for item in items if str(item).strip())


def _sources(value: Any) -> tuple[Source, ...]:
    if not isinstance(value, list):
        return ()
    found = []
    for item in value:
        if isinstance(item, dict) and isinstance(item.get("title"), str) and item["title"].strip():
            url = item.get("url")
            found.append(Source(item["title"].strip(), str(url) if url else None))
    return tuple(found)


def _key_line(path: Path, meta: dict[str, Any], problem: str) -> int:
    """Best effort: the line of the front-matter key a problem is about."""
    match = re.search(r"'(\w+)'", problem)
    if match is None:
        return 2
    key = match.group(1)
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith(f"{key}:"):
            return number
    return 2


def load_documents(folder: Path) -> list[Document]:
    """Every `*.md` document under `folder` (sorted by path); ids must be unique."""
    if not folder.is_dir():
        raise FileNotFoundError(f"knowledge folder {folder} does not exist")
    documents: list[Document] = []
    seen: dict[str, str] = {}
    for path in sorted(folder.rglob("*.md")):
        if path.name.lower() == "readme.md":
            continue
        document = load_document(path)
        if document.id in seen:
            raise DocumentError(path, 2, f"id {document.id!r} is already used by {seen[document.id]}")
        seen[document.id] = str(path)
        documents.append(document)
    return documents
