"""Rime dictionaries (`*.dict.yaml`): a YAML header ending with `...`, then `text<TAB>code[<TAB>weight]`.

As in Rime itself, a line may give a phrase without its code; the reading is then composed from
the phrase's characters' own entries. Rime reads sloppy lines leniently, and real dictionaries
have them (Pouleng.dict.yaml has 17 in 23,632): a code after two tabs, a code separated by a space,
a weight that is not a number, a phrase whose characters have no entries. They are read with a
warning naming the line. Structural faults (no header end, an empty text column, no entries)
are errors: the file is refused.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from app.knowledge.sources.model import LexiconEntry, SourceError
from app.knowledge.sources.yaml_limits import NestedTooDeep, load_yaml
from app.knowledge.text_norm import to_simplified

_HEADER_END = "..."
_PSP_CODE = re.compile(r"^[a-zⁿ]+[0-8]?( [a-zⁿ]+[0-8]?)*$")
_GLUED_CODE = re.compile(r"^(?P<text>[^\sa-z]+?)\s*(?P<code>[a-zⁿ]+[0-8]( [a-zⁿ]+[0-8])*)$")
_WEIGHT = re.compile(r"^\d+(\.\d+)?%?$")


def parse_rime_dict(path: Path, text: str) -> tuple[dict[str, Any], list[LexiconEntry], list[str]]:
    """Header metadata, the entries, and warnings (each naming its line)."""
    lines = text.splitlines()
    try:
        end = lines.index(_HEADER_END)
    except ValueError:
        raise SourceError(path, 1, "no '...' line ends the YAML header of this Rime dictionary") from None
    header = _header(path, lines[:end])
    raw: list[tuple[int, str, str]] = []  # (line, text, code)
    warnings: list[str] = []
    for number, line in enumerate(lines[end + 1 :], start=end + 2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        columns = [column.strip() for column in line.split("\t")]
        word, code = columns[0], columns[1] if len(columns) > 1 else ""
        if not word:
            raise SourceError(path, number, "the text column is empty")
        weight = columns[2] if len(columns) > 2 else ""
        if weight and not _WEIGHT.match(weight):
            if not code and _PSP_CODE.match(weight.lower()):
                code = weight
                warnings.append(f"{path}:{number}: the code is in the weight column (two tabs); read as {word} {code}")
            else:
                warnings.append(f"{path}:{number}: the weight {weight!r} is not a number; ignored")
        if not code and (glued := _GLUED_CODE.match(word)):
            word, code = glued.group("text"), glued.group("code")
            warnings.append(f"{path}:{number}: code separated by a space, not a tab; read as {word} {code}")
        raw.append((number, word, code))
    entries = _entries(path, raw, warnings)
    if not entries:
        raise SourceError(path, end + 1, "the dictionary has no entries after its header")
    title = f"Rime 词库 {header.get('name', path.name)}" + (f"（{header['version']}）" if header.get("version") else "")
    return {"title": title, "rime": header}, entries, warnings


def _header(path: Path, lines: list[str]) -> dict[str, Any]:
    try:
        header = load_yaml("\n".join(lines)) or {}
    except NestedTooDeep as exc:
        raise SourceError(path, 1, f"the header cannot be read: {exc}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise SourceError(path, mark.line + 1 if mark else 1, f"the header is not valid YAML: {exc}") from exc
    if not isinstance(header, dict):
        raise SourceError(path, 1, "the header must be a YAML mapping (name, version, ...)")
    return {k: v for k, v in header.items() if isinstance(v, str | int | float | bool)}


def _entries(path: Path, raw: list[tuple[int, str, str]], warnings: list[str]) -> list[LexiconEntry]:
    # First listed reading of each single character, to compose codes that are left out.
    readings: dict[str, str] = {}
    for _, word, code in raw:
        if len(word) == 1 and code and word not in readings:
            readings[word] = code
    entries = []
    first_line: dict[tuple[str, str], int] = {}
    repeats: list[tuple[int, int]] = []  # (line, the line it repeats)
    for number, word, code in raw:
        if not code:
            composed = [readings.get(char) for char in word]
            if all(composed):
                code = " ".join(c for c in composed if c)
            else:
                warnings.append(f"{path}:{number}: no code, and not every character has one; kept without reading")
        # Real dictionaries repeat lines (Pouleng: ~800); a repeat would only crowd the results.
        if (word, code) in first_line:
            repeats.append((number, first_line[word, code]))
            continue
        first_line[word, code] = number
        psp = _as_psp(code)
        note = "" if psp or not code else f"编码 {code}"
        entries.append(
            LexiconEntry(
                entry_id=f"L{number}", headword=word, simplified=to_simplified(word), psp=psp, note=note, line=number
            )
        )
    if repeats:
        line, original = repeats[0]
        warnings.append(
            f"{path}:{line}: skipped {len(repeats)} repeated entries (same text and code as an earlier line); "
            f"this one repeats line {original}"
        )
    return entries


def _as_psp(code: str) -> str:
    """The code as PSP syllables, tolerating Rime's {braces} and a weight typed after a space."""
    cleaned = re.sub(r"\s+\d+$", "", code.lower().strip("{} "))
    return cleaned if cleaned and _PSP_CODE.match(cleaned) else ""
