"""CSV/TSV lexicons: a header row naming the columns, then one entry per row.

Leading lines that start with `#` may carry metadata as `# key: value` (title, category, point,
source — a source may be `title | url`, and may repeat). Column names are matched in English or
Chinese (`hanzi`/`词`, `gloss`/`普通话`, `psp`/`拼音`, ...); a headword column and a gloss or
reading column are required, so a BUC table (`char<TAB>buc_readings`, readings separated by `/`)
is a lexicon too.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

from app.knowledge.sources.model import LexiconEntry, SourceError
from app.knowledge.text_norm import to_simplified

COLUMN_NAMES: dict[str, tuple[str, ...]] = {
    "id": ("id", "entry_id", "编号"),
    "headword": ("hanzi", "headword", "word", "char", "character", "词", "詞", "词条", "詞條", "汉字", "漢字", "字"),
    "simplified": ("simplified", "简体", "簡體"),
    "gloss": ("gloss", "mandarin", "meaning", "普通话", "普通話", "释义", "釋義", "意思"),
    "psp": ("psp", "pouseng", "pinyin", "拼音", "莆仙话拼音", "reading"),
    "psp_surface": ("psp_surface", "surface", "类化", "類化"),
    "ipa": ("ipa", "国际音标", "國際音標"),
    "buc": ("buc", "buc_readings", "平话字", "平話字"),
    "point": ("point", "dialect_point", "方言点", "方言點"),
    "note": ("note", "example", "备注", "備註", "例句"),
    "source": ("source", "来源", "來源"),
}
_LOOKUP = {name.lower(): key for key, names in COLUMN_NAMES.items() for name in names}
_PSP_SYLLABLE = re.compile(r"^[a-zⁿ]+[0-8]?$")
_GLOSS_SPLIT = re.compile(r"[；;、/|]")


def parse_lexicon_table(path: Path, text: str) -> tuple[dict[str, Any], list[LexiconEntry]]:
    """Metadata from the `#` lines and the entries; raises `SourceError` at the first bad line."""
    lines = text.splitlines()
    metadata: dict[str, Any] = {"sources": []}
    first = 0
    while first < len(lines) and (lines[first].startswith("#") or not lines[first].strip()):
        _read_metadata_line(lines[first], metadata)
        first += 1
    if first == len(lines):
        raise SourceError(path, 1, "no header row: the first line that is not a comment must name the columns")
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    if delimiter == "\t":
        rows = csv.reader(lines[first:], delimiter=delimiter, quoting=csv.QUOTE_NONE, strict=True)
    else:
        rows = csv.reader(lines[first:], delimiter=delimiter, quoting=csv.QUOTE_MINIMAL, strict=True)
    try:
        header = next(rows)
        columns = _columns(path, first + 1, header)
        entries = [
            _entry(path, first + 1 + offset, row, columns, metadata)
            for offset, row in enumerate(rows, start=1)
            if any(cell.strip() for cell in row)
        ]
    except csv.Error as exc:
        raise SourceError(path, first + 1 + rows.line_num - 1, f"not valid {delimiter!r}-separated text: {exc}") from exc
    _check_unique_ids(path, entries)
    if not entries:
        raise SourceError(path, first + 1, "the table has a header but no entries")
    return metadata, entries


def _read_metadata_line(line: str, metadata: dict[str, Any]) -> None:
    match = re.match(r"#\s*([A-Za-z_]+)\s*:\s*(.+)$", line.strip())
    if not match:
        return
    key, value = match.group(1).lower(), match.group(2).strip()
    if key == "source":
        title, _, url = (part.strip() for part in value.partition("|"))
        metadata["sources"].append({"title": title, "url": url or None})
    else:
        metadata[key] = value


def _columns(path: Path, line: int, header: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        key = _LOOKUP.get(name.strip().lower())
        if key is None:
            raise SourceError(path, line, f"unknown column {name.strip()!r}; known columns: {', '.join(COLUMN_NAMES)}")
        if key in columns:
            raise SourceError(path, line, f"column {name.strip()!r} appears twice")
        columns[key] = index
    if "headword" not in columns:
        raise SourceError(path, line, "a headword column (hanzi / 词) is required")
    if not {"gloss", "psp", "buc"} & columns.keys():
        raise SourceError(path, line, "a gloss (普通话) or reading (psp / 拼音, buc / 平话字) column is required")
    columns["_width"] = len(header)
    return columns


def _entry(path: Path, line: int, row: list[str], columns: dict[str, int], metadata: dict[str, Any]) -> LexiconEntry:
    if len(row) > columns["_width"]:
        raise SourceError(path, line, f"{len(row)} columns, but the header names {columns['_width']}")

    def cell(key: str) -> str:
        index = columns.get(key)
        return row[index].strip() if index is not None and index < len(row) else ""

    headword = cell("headword")
    if not headword:
        raise SourceError(path, line, "the headword is empty")
    psp, surface = _normalize_psp(cell("psp")), _normalize_psp(cell("psp_surface"))
    for field_name, value in (("psp", psp), ("psp_surface", surface)):
        bad = [s for s in value.split() if not _PSP_SYLLABLE.match(s)]
        if bad:
            raise SourceError(path, line, f"{field_name} {value!r} has syllables that are not PSP: {' '.join(bad)}")
    return LexiconEntry(
        entry_id=cell("id") or f"L{line}",
        headword=headword,
        simplified=cell("simplified") or to_simplified(headword),
        glosses=tuple(g.strip() for g in _GLOSS_SPLIT.split(cell("gloss")) if g.strip()),
        psp=psp,
        psp_surface=surface,
        ipa=cell("ipa"),
        buc=cell("buc"),
        point=cell("point") or str(metadata.get("point", "")),
        note=cell("note"),
        source=cell("source"),
        line=line,
    )


def _normalize_psp(value: str) -> str:
    return " ".join(value.lower().replace("-", " ").split())


def _check_unique_ids(path: Path, entries: list[LexiconEntry]) -> None:
    seen: dict[str, int] = {}
    for entry in entries:
        if entry.entry_id in seen:
            raise SourceError(path, entry.line, f"id {entry.entry_id!r} is already used on line {seen[entry.entry_id]}")
        seen[entry.entry_id] = entry.line
