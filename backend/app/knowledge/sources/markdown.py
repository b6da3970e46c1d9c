"""Markdown documents, with an optional YAML front matter (required for the curated knowledge base).

Curated documents (`strict=True`) must have `id` (equal to the file name), `title`, `category` and
at least one source. Other Markdown files may omit the front matter: the title is then the first
heading, or the file name.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from app.knowledge.sources.model import SourceError
from app.knowledge.sources.yaml_limits import NestedTooDeep, load_yaml

CATEGORIES = ("overview", "phonology", "romanization", "grammar", "vocabulary", "geography", "culture")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_FENCE = "---"


def parse_markdown(path: Path, text: str, strict: bool) -> tuple[dict[str, Any], str, int]:
    """Front-matter metadata, the body, and the body's first line number."""
    lines = text.splitlines()
    has_front_matter = bool(lines) and lines[0].strip() == _FENCE
    if not has_front_matter:
        if strict:
            raise SourceError(path, 1, "missing front matter: the file must start with a '---' line")
        body = text.strip()
        if not body:
            raise SourceError(path, 1, "the document is empty")
        return {"title": _first_heading(body) or path.stem}, body, 1
    try:
        closing = next(i for i in range(1, len(lines)) if lines[i].strip() == _FENCE)
    except StopIteration:
        raise SourceError(path, 1, "front matter is not closed by a '---' line") from None
    meta = _front_matter(path, lines[1:closing])
    body = "\n".join(lines[closing + 1 :]).strip()
    if not body:
        raise SourceError(path, closing + 2, "the document has no text after its front matter")
    return _validated(path, meta, strict, lines[: closing + 1]), body, closing + 2


def _front_matter(path: Path, lines: list[str]) -> dict[str, Any]:
    try:
        meta = load_yaml("\n".join(lines))
    except NestedTooDeep as exc:
        raise SourceError(path, 2, f"front matter cannot be read: {exc}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        raise SourceError(path, line, f"front matter is not valid YAML: {getattr(exc, 'problem', exc)}") from exc
    if not isinstance(meta, dict):
        raise SourceError(path, 2, "front matter must be a mapping of keys to values")
    return meta


def _validated(path: Path, meta: dict[str, Any], strict: bool, header: list[str]) -> dict[str, Any]:
    def fail(key: str, problem: str) -> SourceError:
        line = next((n for n, text in enumerate(header, start=1) if text.startswith(f"{key}:")), 2)
        return SourceError(path, line, problem)

    doc_id = meta.get("id")
    if doc_id is not None or strict:
        if not isinstance(doc_id, str) or not ID_PATTERN.match(doc_id):
            raise fail("id", "'id' must be lowercase letters, digits and hyphens")
        if doc_id != path.stem:
            raise fail("id", f"'id' {doc_id!r} must equal the file name {path.stem!r}")
    title = meta.get("title")
    if not isinstance(title, str) or not title.strip():
        raise fail("title", "'title' is required")
    category = meta.get("category")
    if (category is not None or strict) and category not in CATEGORIES:
        raise fail("category", f"'category' must be one of {', '.join(CATEGORIES)}")
    sources = _sources(meta.get("sources"))
    if strict and not sources:
        raise fail("sources", "'sources' must list at least one source with a title")
    return {
        "id": doc_id,
        "title": title.strip(),
        "category": category,
        "dialect_points": _strings(meta.get("dialect_points")),
        "tags": _strings(meta.get("tags")),
        "sources": sources,
    }


def _strings(value: Any) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    return [str(item).strip() for item in items if str(item).strip()]


def _sources(value: Any) -> list[dict[str, str | None]]:
    if not isinstance(value, list):
        return []
    found: list[dict[str, str | None]] = []
    for item in value:
        if isinstance(item, dict) and isinstance(item.get("title"), str) and item["title"].strip():
            url = item.get("url")
            found.append({"title": item["title"].strip(), "url": str(url) if url else None})
    return found


def _first_heading(body: str) -> str | None:
    match = re.search(r"^#{1,6}\s+(.+?)\s*#*\s*$", body, flags=re.MULTILINE)
    return match.group(1).strip() if match else None
