"""BM25 over the chunks' lexical terms, updated in place as chunks come and go.

Postings are kept per term as growing arrays of (slot, term frequency); a removed chunk's slot is
marked dead and skipped, and its postings are dropped when dead slots pass a quarter of all.
Scores are computed at query time from the current statistics, so adding or removing a chunk
never needs a rebuild.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Iterable

import numpy as np

K1 = 1.2
B = 0.75


class LexicalIndex:
    def __init__(self) -> None:
        self._postings: dict[str, tuple[array[int], array[float]]] = {}
        self._slot_of: dict[int, int] = {}  # row id → slot
        self._row_of = array("q")  # slot → row id
        self._length = array("f")  # slot → number of terms
        self._alive = bytearray()
        self._live_count = 0
        self._live_length = 0.0

    def __len__(self) -> int:
        return self._live_count

    def add(self, row_id: int, terms: Iterable[str]) -> None:
        if row_id in self._slot_of:
            self.remove([row_id])
        counts = Counter(terms)
        slot = len(self._row_of)
        self._slot_of[row_id] = slot
        self._row_of.append(row_id)
        length = float(sum(counts.values()))
        self._length.append(length)
        self._alive.append(1)
        self._live_count += 1
        self._live_length += length
        for term, count in counts.items():
            slots, frequencies = self._postings.setdefault(term, (array("q"), array("f")))
            slots.append(slot)
            frequencies.append(float(count))

    def remove(self, row_ids: Iterable[int]) -> None:
        for row_id in row_ids:
            slot = self._slot_of.pop(row_id, None)
            if slot is None:
                continue
            self._alive[slot] = 0
            self._live_count -= 1
            self._live_length -= self._length[slot]
        if len(self._row_of) > 64 and self._live_count < 0.75 * len(self._row_of):
            self._compact()

    def document_frequency(self, term: str) -> int:
        """How many chunks hold the term (removed ones not yet compacted count too: a hint, not a fact)."""
        postings = self._postings.get(term)
        return len(postings[0]) if postings else 0

    def search(self, query_terms: Iterable[str], k: int) -> list[tuple[int, float]]:
        """The `k` best (row id, BM25 score) pairs; chunks sharing no term are not returned."""
        if not self._live_count:
            return []
        alive = np.frombuffer(bytes(self._alive), dtype=np.uint8).astype(bool)
        lengths = np.frombuffer(self._length, dtype=np.float32)
        average = self._live_length / self._live_count
        scores = np.zeros(len(self._row_of), dtype=np.float64)
        for term in set(query_terms):
            posting = self._postings.get(term)
            if posting is None:
                continue
            slots = np.frombuffer(posting[0], dtype=np.int64)
            frequencies = np.frombuffer(posting[1], dtype=np.float32)
            keep = alive[slots]
            slots, frequencies = slots[keep], frequencies[keep]
            if not len(slots):
                continue
            idf = np.log(1.0 + (self._live_count - len(slots) + 0.5) / (len(slots) + 0.5))
            norm = frequencies + K1 * (1 - B + B * lengths[slots] / average)
            scores[slots] += idf * frequencies * (K1 + 1) / norm
        candidates = np.flatnonzero(scores > 0)
        if not len(candidates):
            return []
        best = candidates[np.argsort(-scores[candidates], kind="stable")[:k]]
        return [(int(self._row_of[slot]), float(scores[slot])) for slot in best]

    def _compact(self) -> None:
        """Drop dead slots: renumber the live ones and filter every posting list."""
        live_slots = [slot for slot in range(len(self._row_of)) if self._alive[slot]]
        renumber = np.full(len(self._row_of), -1, dtype=np.int64)
        renumber[live_slots] = np.arange(len(live_slots))
        for term, (slots, frequencies) in list(self._postings.items()):
            old = np.frombuffer(slots, dtype=np.int64)
            new = renumber[old]
            keep = new >= 0
            if not keep.any():
                del self._postings[term]
                continue
            self._postings[term] = (
                array("q", new[keep].tolist()),
                array("f", np.frombuffer(frequencies, dtype=np.float32)[keep].tolist()),
            )
        self._row_of = array("q", (self._row_of[s] for s in live_slots))
        self._length = array("f", (self._length[s] for s in live_slots))
        self._alive = bytearray(b"\x01" * len(live_slots))
        self._slot_of = {row: slot for slot, row in enumerate(self._row_of)}
