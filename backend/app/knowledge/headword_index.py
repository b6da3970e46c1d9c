"""Exact lookup of lexicon entries by headword (simplified or as written) and by Mandarin gloss."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from app.knowledge.chunking import Chunk
from app.knowledge.text_norm import normalize

HEADWORD, GLOSS = 0, 1  # a headword match ranks before a gloss match


def entry_keys(chunk: Chunk) -> list[tuple[str, int]]:
    """The normalized keys an entry is found by, with their kind."""
    meta = chunk.metadata
    keys = [(normalize(str(meta.get(k, ""))), HEADWORD) for k in ("simplified", "headword")]
    keys += [(normalize(str(g)), GLOSS) for g in meta.get("glosses", [])]
    return [(key, kind) for key, kind in dict.fromkeys(keys) if key]


class HeadwordIndex:
    def __init__(self) -> None:
        self._by_key: dict[str, dict[int, int]] = defaultdict(dict)  # key → {row id: kind}
        self._keys_of: dict[int, list[str]] = {}

    def __len__(self) -> int:
        return len(self._keys_of)

    def __contains__(self, key: str) -> bool:
        return key in self._by_key

    def add(self, row_id: int, chunk: Chunk) -> None:
        if not chunk.is_entry:
            return
        keys = entry_keys(chunk)
        self._keys_of[row_id] = [key for key, _ in keys]
        for key, kind in keys:
            self._by_key[key][row_id] = kind

    def remove(self, row_ids: Iterable[int]) -> None:
        for row_id in row_ids:
            for key in self._keys_of.pop(row_id, []):
                rows = self._by_key.get(key)
                if rows is not None:
                    rows.pop(row_id, None)
                    if not rows:
                        del self._by_key[key]

    def lookup(self, term: str, kind: int | None = None) -> list[int]:
        """Row ids of entries matching `term` exactly: headword matches first, then gloss matches
        (only those of `kind` when given)."""
        rows = self._by_key.get(normalize(term), {})
        ranked = sorted(rows.items(), key=lambda item: (item[1], item[0]))
        return [row for row, found in ranked if kind is None or found == kind]
