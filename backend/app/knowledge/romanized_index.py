"""The fourth retriever: lexicon entries found from romanized input, in any system, any spelling.

Each entry is indexed by its syllables without tones (canonical Putian PSP), from its citation
and connected-speech PSP and from its BUC read as PSP, and by the initial letters of its PSP
and Mandarin pinyin (`pt` → 莆田). A query's romanized runs are read by
`romanization.segment` (several readings: spaces, tones, marks, variants and systems folded),
and every stretch of a reading that spells an entry's key is a match. Matches are scored by how
much of the run they cover, how costly the reading was, whether given tones agree (a wrong
tone still matches, lower), and whether an initial had to be undone from connected speech
(`leng2` → 田 ceng2).

Written by hand, like the other indexes, because it changes in place as documents come and go.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from romanization import buc, psp
from romanization.connected import citation_initials
from romanization.errors import RomanizationError
from romanization.points import putian_finals
from romanization.segment import Reading, initials_abbreviation, read_romanized
from romanization.syllable import Syllable
from romanization.text import tokenize

from app.knowledge.chunking import Chunk

Key = tuple[str, ...]
LONGEST_KEY = 8  # syllables; longer stretches of a query are not looked up
READINGS_PER_RUN = 8  # a run's cheapest readings that are looked up
WORD_MARGIN = 0.5  # matches this close to a run's best whole-run match count as its reading too
MAX_KEYS_PER_READING = 8  # BUC readings with several PSP readings per syllable
# Words of English questions ("How do you say …") that also spell Puxian syllables.
ENGLISH_WORDS = frozenset(
    "a an the is are was be do does did you your i me my we he she it its they them this that these those "
    "how what which who whom why when where say says said mean means meaning word words in of on at to for "
    "from with by as and or not no yes can could would will shall should may might must have has had "
    "puxian putian xianyou hinghwa dialect min chinese mandarin english pinyin psp buc ipa pronounce "
    "pronounced pronunciation written write spell spelled called call about is there".split()
)


@dataclass(frozen=True)
class _Posting:
    row_id: int
    tones: tuple[int | None, ...]
    form: str  # citation, connected or buc


@dataclass(frozen=True)
class RomanizedMatch:
    row_id: int
    score: float
    run: str  # the romanized text of the query it was found from
    reading: Reading | None  # None: found by initial letters
    matched: tuple[int, int] = (0, 0)  # which syllables of the reading it spans
    undone: bool = False  # an initial was undone from connected speech

    @property
    def covers_run(self) -> bool:
        return self.reading is not None and self.matched == (0, len(self.reading.syllables))


@dataclass
class RomanizedSearch:
    """What the retriever found, and how it read the input (shown with the answer)."""

    matches: list[RomanizedMatch] = field(default_factory=list)
    runs: list[str] = field(default_factory=list)

    @property
    def words(self) -> list[RomanizedMatch]:
        """The best match of each run that spells an entry whole, in the order of the runs."""
        found = []
        for run in self.runs:
            whole = [m for m in self.matches if m.run == run and m.covers_run]
            if whole:
                found.append(max(whole, key=lambda m: m.score))
        return found

    def word_rows(self) -> list[int]:
        """Entries that spell a run whole, as well as its best match does (homophones tie)."""
        best = {m.run: m.score for m in self.words}
        return [m.row_id for m in self.matches if m.covers_run and m.score >= best[m.run] - WORD_MARGIN]


class RomanizedIndex:
    def __init__(self) -> None:
        self._by_key: dict[Key, dict[int, _Posting]] = defaultdict(dict)
        self._by_initials: dict[str, set[int]] = defaultdict(set)
        self._keys_of: dict[int, tuple[list[Key], list[str]]] = {}
        self._syllable_counts: dict[str, int] = defaultdict(int)
        self._words: dict[int, str] = {}  # row id → simplified headword

    def __len__(self) -> int:
        return len(self._keys_of)

    @property
    def known_syllables(self) -> dict[str, int]:
        """Toneless syllables that spell some entry, for the segmenter's costs."""
        return self._syllable_counts

    def add(self, row_id: int, chunk: Chunk) -> None:
        if not chunk.is_entry:
            return
        postings = list(entry_postings(row_id, chunk.metadata))
        initials = entry_initials(chunk.metadata)
        if not postings and not initials:
            return
        keys: list[Key] = []
        for key, posting in postings:
            current = self._by_key[key].get(row_id)
            if current is None:
                keys.append(key)
                for syllable in key:
                    self._syllable_counts[syllable] += 1
            if current is None or _FORM_RANK[posting.form] < _FORM_RANK[current.form]:
                self._by_key[key][row_id] = posting
        for letters in initials:
            self._by_initials[letters].add(row_id)
        self._keys_of[row_id] = (keys, initials)
        self._words[row_id] = str(chunk.metadata.get("simplified", ""))

    def remove(self, row_ids: Iterable[int]) -> None:
        for row_id in row_ids:
            keys, initials = self._keys_of.pop(row_id, ([], []))
            self._words.pop(row_id, None)
            for key in keys:
                rows = self._by_key.get(key)
                if rows is not None:
                    rows.pop(row_id, None)
                    if not rows:
                        del self._by_key[key]
                for syllable in key:
                    self._syllable_counts[syllable] -= 1
                    if self._syllable_counts[syllable] <= 0:
                        del self._syllable_counts[syllable]
            for letters in initials:
                self._by_initials[letters].discard(row_id)
                if not self._by_initials[letters]:
                    del self._by_initials[letters]

    def search(self, query: str, limit: int, popularity: Callable[[str], int] | None = None) -> RomanizedSearch:
        """Entries spelled by the query's romanized runs, best first.

        `popularity` orders entries found by initial letters alone (`pt`), which tie otherwise.
        """
        result = RomanizedSearch(runs=[run for run in romanized_runs(query) if not _mentioned_letters(run, query)])
        best: dict[int, RomanizedMatch] = {}
        for run in result.runs:
            for match in self._search_run(run, popularity):
                if match.row_id not in best or match.score > best[match.row_id].score:
                    best[match.row_id] = match
        result.matches = sorted(best.values(), key=lambda m: (-m.score, m.row_id))[:limit]
        return result

    def _search_run(self, run: str, popularity: Callable[[str], int] | None) -> Iterable[RomanizedMatch]:
        readings = read_romanized(run, limit=READINGS_PER_RUN, known=self._syllable_counts)
        if not readings:
            rows = self._by_initials.get(initials_abbreviation(run) or "", set())
            ranked = sorted(rows, key=lambda row: (-(popularity(self._words[row]) if popularity else 0), row))
            for rank, row_id in enumerate(ranked):
                yield RomanizedMatch(row_id, round(1.0 - rank / 1000, 4), run, None)
            return
        for reading in readings:
            yield from self._matches(run, reading)

    def _matches(self, run: str, reading: Reading) -> Iterable[RomanizedMatch]:
        syllables = reading.syllables
        count = len(syllables)
        for start in range(count):
            first = syllables[start]
            before = syllables[start - 1] if start else None
            # A stretch starting mid-word may show its first initial in connected form (leng2 → 田).
            previous = Syllable(before.initial, before.final, before.tone) if before else None
            initials = citation_initials(first.initial, previous)
            for end in range(start + 1, min(count, start + LONGEST_KEY) + 1):
                rest = reading.key[start + 1 : end]
                for initial in initials:
                    undone = initial != first.initial
                    for posting in self._by_key.get((initial + first.final, *rest), {}).values():
                        score = _score(reading, start, end, posting, undone)
                        yield RomanizedMatch(posting.row_id, score, run, reading, (start, end), undone)


_FORM_RANK = {"citation": 0, "connected": 1, "buc": 2}


def _score(reading: Reading, start: int, end: int, posting: _Posting, undone: bool) -> float:
    """Coverage of the run first, then length, tones, the reading's folds and undone initials."""
    count = len(reading.syllables)
    length = end - start
    score = 4.0 * length / count + length
    if length == count:
        score += 2.0
    for typed, recorded in zip(reading.syllables[start:end], posting.tones, strict=False):
        if typed.tone is not None and recorded is not None:
            score += 0.3 if typed.tone == recorded else -0.6
    score -= reading.cost - count  # folds and unknown syllables
    score -= 0.8 if undone else 0.0
    score -= 0.1 * _FORM_RANK[posting.form]
    return round(score, 4)


def romanized_runs(query: str) -> list[str]:
    """The romanized stretches of a question (`sia2 mue5 是什么意思` → sia2 mue5).

    In a stretch with two English words or more (`How do you say taumng`), English words are left
    out; one alone is taken as Puxian (`zia be`).
    """
    runs = []
    for token in tokenize(query):
        if token.kind != "word":
            continue
        words = re.split(r"\s+", token.text.strip("[]"))
        english = [_is_english(word) for word in words]
        if sum(english) < 2:
            english = [False] * len(words)
        kept: list[str] = []
        for word, is_english in zip(words, english, strict=True):
            if is_english:
                runs.append(" ".join(kept))
                kept = []
            else:
                kept.append(word)
        runs.append(" ".join(kept))
    return [run for run in runs if any(ch.isalpha() for ch in run)]


_FRAME = re.compile(r"是什么意思|什么意思|是什么|怎么写|怎么读|怎么念|怎么说|意思|[\s\W_]+")


def _mentioned_letters(run: str, query: str) -> bool:
    """Up to three letters without a tone inside a longer question: letters it talks about (or、oe)."""
    if len(run.strip()) > 3 or not run.isascii() or not run.strip().isalpha():
        return False
    rest = _FRAME.sub("", query.replace(run, " ", 1))
    return bool(rest)


def _is_english(word: str) -> bool:
    plain = word.strip("-'").lower()
    return plain in ENGLISH_WORDS and plain.isalpha() and plain.isascii()


def entry_postings(row_id: int, metadata: dict[str, Any]) -> Iterable[tuple[Key, _Posting]]:
    """(key, posting) of an entry's forms: citation and connected PSP, and its BUC read as PSP."""
    forms = metadata.get("pronunciations") or {}
    for form_name, system, which in (("citation", "psp", "citation"), ("connected", "psp", "connected"),
                                     ("buc", "buc", "citation")):  # fmt: skip
        text = ((forms.get(system) or {}).get(which) or {}).get("text", "")
        for reading in (part.strip() for part in text.split("/")):
            for syllables in _syllable_options(reading, system)[:MAX_KEYS_PER_READING]:
                key = tuple(s.initial + putian_finals(s.final)[0] for s in syllables)
                yield key, _Posting(row_id, tuple(s.tone for s in syllables), form_name)


def _syllable_options(reading: str, system: str) -> list[list[Any]]:
    parts = reading.replace("-", " ").split()
    if not parts:
        return []
    try:
        if system == "psp":
            return [[psp.parse_syllable(p) for p in parts]]
        options: list[list[Any]] = [[]]
        for part in parts:
            candidates = buc.to_psp_candidates(buc.read_syllable(part))
            options = [o + [c] for o in options for c in candidates][:MAX_KEYS_PER_READING]
        return options
    except RomanizationError:
        return []


def entry_initials(metadata: dict[str, Any]) -> list[str]:
    """Initial letters of the entry's PSP forms and of its Mandarin pinyin (莆田 → pl, pc, pt)."""
    found: list[str] = []
    forms = (metadata.get("pronunciations") or {}).get("psp") or {}
    for which in ("citation", "connected"):
        for reading in ((forms.get(which) or {}).get("text", "")).split("/"):
            letters = "".join(s[0] for s in reading.split() if s[:1].isalpha())
            if len(letters) >= 2:
                found.append(letters)
    word = str(metadata.get("simplified") or "")
    if len(word) >= 2:
        found.append(_pinyin_initials(word))
    return list(dict.fromkeys(f for f in found if f))


@lru_cache(maxsize=4096)
def _pinyin_initials(word: str) -> str:
    from pypinyin import Style, lazy_pinyin

    return "".join(p[:1] for p in lazy_pinyin(word, style=Style.FIRST_LETTER) if p[:1].isalpha())
