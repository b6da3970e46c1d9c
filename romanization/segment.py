"""Reading romanized search input: any system, with or without tones, marks, hyphens or spaces.

Learners type `taumng`, `tau mung`, `táu-mńg` or `tau2 mung2` for the same word. Input is read
into canonical Putian PSP syllables: spaces, hyphens and tone digits end syllables; what runs
together is segmented by dynamic programming over every spelling of every syllable (PSP, its
variant spellings, Xianyou finals, BUC with or without its marks and with the ASCII stand-ins
`or` for o̤, `y` for ṳ, `nn` for ⁿ). A reading costs one per syllable (fewer, longer syllables
win: `taumung` is tau·mung, not ta·u·mung) plus a little for every spelling it had to fold, and
the cheapest few readings are returned, each saying which folds it applied.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass, replace
from functools import lru_cache

from romanization import buc, psp
from romanization.points import XIANYOU_TO_PUTIAN

# A BUC letter typed without its diaeresis, or with the ASCII stand-in learners use for it.
_STAND_INS = {"a̤": ("a", "e"), "e̤": ("e", "oe"), "o̤": ("o", "or"), "ṳ": ("u", "y"), "ⁿ": ("nn",)}
_DOTTED = {"a": "A", "e": "E", "o": "O", "u": "U"}  # internal letters for a̤ e̤ o̤ ṳ typed with marks
VARIANT_COST, XIANYOU_COST, BUC_COST, UNKNOWN_COST = 0.05, 0.1, 0.15, 0.5


@dataclass(frozen=True)
class _Option:
    initial: str
    final: str  # Putian PSP
    cost: float
    folds: tuple[str, ...]
    buc_final: buc.BucFinal | None = None  # set when the spelling is BUC's
    stand_in: bool = False  # BUC typed without its diaeresis, or with an ASCII stand-in


@dataclass(frozen=True)
class ReadSyllable:
    text: str  # the letters as typed
    initial: str  # canonical Putian PSP
    final: str
    tone: int | None  # None: the input gave no tone for it
    folds: tuple[str, ...] = ()

    @property
    def toneless(self) -> str:
        return self.initial + self.final

    @property
    def psp(self) -> str:
        return self.toneless + ("" if self.tone is None else str(self.tone))


@dataclass(frozen=True)
class Reading:
    syllables: tuple[ReadSyllable, ...]
    cost: float

    @property
    def key(self) -> tuple[str, ...]:
        return tuple(s.toneless for s in self.syllables)

    @property
    def folds(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f for s in self.syllables for f in s.folds))

    @property
    def toned(self) -> bool:
        return all(s.tone is not None for s in self.syllables)


_Table = dict[str, dict[tuple[str, str, bool], _Option]]


def _add(table: _Table, spelling: str, option: _Option) -> None:
    """Keep the cheapest way to read a spelling as each syllable, as PSP and as BUC apart."""
    options = table.setdefault(spelling, {})
    key = (option.initial, option.final, option.buc_final is not None)
    known = options.get(key)
    if known is None or (option.cost, option.stand_in) < (known.cost, known.stand_in):
        options[key] = option


@lru_cache(maxsize=1)
def spellings() -> dict[str, tuple[_Option, ...]]:
    """Every way a syllable may be typed → the Putian PSP syllables it can be, cheapest first."""
    table: _Table = {}
    _add_psp_spellings(table)
    _add_buc_spellings(table)
    return {s: tuple(sorted(o.values(), key=lambda o: o.cost)) for s, o in table.items()}


def _add_psp_spellings(table: _Table) -> None:
    for initial in psp.INITIALS:
        for final in psp.FINALS["putian"]:
            if final == "ng" and initial not in ("", "h"):
                continue  # syllabic ng after other initials is written ung
            _add(table, initial + final, _Option(initial, final, 0.0, ()))
        for variant, final in psp.VARIANTS.items():
            if final in psp.FINALS["putian"]:
                _add(table, initial + variant, _Option(initial, final, VARIANT_COST, (f"{variant}→{final}",)))
        for xianyou, finals in XIANYOU_TO_PUTIAN.items():
            for rank, final in enumerate(finals):
                fold = (f"仙游 {xianyou}→莆田 {final}",)
                _add(table, initial + xianyou, _Option(initial, final, XIANYOU_COST + 0.05 * rank, fold))


def _add_buc_spellings(table: _Table) -> None:
    for buc_initial, psp_initial in buc.INITIALS_TO_PSP.items():
        fold_initial = (f"BUC {buc_initial}={psp_initial}",) if buc_initial != psp_initial else ()
        for rank, buc_final in enumerate((*buc.FINALS, buc.SYLLABIC_NG)):
            if buc_final is buc.SYLLABIC_NG and not buc_initial:
                continue
            marked = _marked_spelling(buc_final.spelling)
            fold_final = (
                (f"BUC {buc_final.spelling}={buc_final.psp}",) if buc_final.spelling != buc_final.psp else ()
            )
            for typed in (marked, *_ascii_spellings(buc_final.spelling)):
                same = typed == buc_final.psp and not fold_initial
                folds = () if same else (*fold_initial, *fold_final)
                # The table's order breaks ties: checked iah is ieh before it is the lost-stop ia.
                cost = (0.0 if same else BUC_COST * (2 if fold_initial else 1)) + rank / 10_000
                option = _Option(psp_initial, buc_final.psp, cost, folds, buc_final, stand_in=typed != marked)
                _add(table, buc_initial + typed, option)


def _marked_spelling(spelling: str) -> str:
    """A BUC final as typed with its diaeresis (internal capitals), ⁿ as nn."""
    decomposed = unicodedata.normalize("NFD", spelling)
    out = ""
    for ch in decomposed:
        if ch == buc.DIAERESIS_BELOW and out:
            out = out[:-1] + _DOTTED[out[-1]]
        else:
            out += ch
    return out.replace(buc.NASAL, "nn")


def _ascii_spellings(spelling: str) -> list[str]:
    letters = buc._letters(spelling)
    choices = [_STAND_INS.get(unicodedata.normalize("NFC", letter), (letter,)) for letter in letters]
    return ["".join(combo) for combo in itertools.product(*choices)]


_SEPARATORS = re.compile(r"[\s\-'’·.]+")
_SUPERSCRIPT_DIGITS = str.maketrans("¹²³⁴⁵⁶⁷⁸", "12345678")


@dataclass(frozen=True)
class _Chunk:
    letters: str  # lower case; a̤ e̤ o̤ ṳ as A E O U; ⁿ as nn
    typed: str
    digits: dict[int, int]  # letter position a syllable must end at → its tone digit
    marks: dict[int, str]  # letter index → BUC tone mark on it
    has_buc_marks: bool


def _chunk(text: str) -> _Chunk | None:
    """Letters, tone digits and BUC marks of a chunk; None if it has other characters."""
    letters: list[str] = []
    digits: dict[int, int] = {}
    marks: dict[int, str] = {}
    buc_marked = False
    for ch in unicodedata.normalize("NFD", text.lower().translate(_SUPERSCRIPT_DIGITS)).replace("*", ""):
        if "a" <= ch <= "z":
            letters.append(ch)
        elif ch in "12345678" and letters:
            digits[len(letters)] = int(ch)
        elif ch in buc.TONE_MARKS and letters:
            marks[len(letters) - 1] = ch
            buc_marked = True
        elif ch == buc.DIAERESIS_BELOW and letters and letters[-1] in _DOTTED:
            letters[-1] = _DOTTED[letters[-1]]
            buc_marked = True
        elif ch == buc.NASAL:
            letters.extend("nn")
            buc_marked = True
        else:
            return None
    if not letters:
        return None
    return _Chunk("".join(letters), text, digits, marks, buc_marked)


def read_romanized(text: str, limit: int = 3, known: Collection[str] | None = None) -> list[Reading]:
    """The cheapest readings of romanized input as Putian PSP syllables (empty if it has none).

    `known`: toneless syllables that occur in the lexicon; a reading using others costs more.
    """
    chunks = [_chunk(part) for part in _SEPARATORS.split(text.strip()) if part]
    if not chunks or any(c is None for c in chunks):
        return []
    readings: list[tuple[float, tuple[ReadSyllable, ...]]] = [(0.0, ())]
    # One syllable with BUC marks makes the whole word BUC: its unmarked syllables are 陰平.
    buc_marked = any(c is not None and c.has_buc_marks for c in chunks)
    for chunk in chunks:
        assert chunk is not None
        options = _segment(replace(chunk, has_buc_marks=buc_marked), limit, known)
        if not options:
            return []
        combined = [(c1 + c2, s1 + s2) for (c1, s1), (c2, s2) in itertools.product(readings, options)]
        readings = _cheapest_distinct(combined, limit)
    return [Reading(syllables, round(cost, 3)) for cost, syllables in readings]


# A way to read the letters up to a position: (cost, the step it extends, its last syllable's PSP,
# that syllable's fields). Plain tuples pointing back: extending a reading costs the same however
# long it is, and no object is built for the many readings that lose.
_Step = tuple[float, "_Step | None", str, tuple[str, str, str, "int | None", tuple[str, ...]]]
LONGEST_SPELLING = 8  # letters: ngyorng


def _segment(
    chunk: _Chunk, limit: int, known: Collection[str] | None
) -> list[tuple[float, tuple[ReadSyllable, ...]]]:
    """k-best segmentation of one chunk: best[j] holds the cheapest ways to read letters[:j]."""
    table = spellings()
    letters, n = chunk.letters, len(chunk.letters)
    best: list[list[_Step]] = [[] for _ in range(n + 1)]
    best[0] = [(0.0, None, "", ("", "", "", None, ()))]
    for start in range(n):
        steps = _cheapest_steps(best[start], limit)
        if not steps:
            continue
        # A tone digit ends a syllable: none may run across it.
        stop = min((b for b in chunk.digits if b > start), default=n)
        for end in range(start + 1, min(stop, start + LONGEST_SPELLING) + 1):
            for option in table.get(letters[start:end], ()):
                fields, cost = _syllable(chunk, start, end, option, known)
                spelled = fields[1] + fields[2] + ("" if fields[3] is None else str(fields[3]))
                best[end].extend((step[0] + cost, step, spelled, fields) for step in steps)
    return [(step[0], _path(step)) for step in _cheapest_steps(best[n], limit)]


def _path(step: _Step) -> tuple[ReadSyllable, ...]:
    syllables = []
    current: _Step | None = step
    while current is not None and current[1] is not None:
        syllables.append(ReadSyllable(*current[3]))
        current = current[1]
    return tuple(reversed(syllables))


def _cheapest_steps(steps: list[_Step], limit: int) -> list[_Step]:
    """The `limit` cheapest steps that read differently (PSP and BUC may read a spelling alike)."""
    chosen: dict[tuple[int, str], _Step] = {}
    for step in sorted(steps, key=lambda s: s[0]):
        key = (id(step[1]), step[2])
        if key not in chosen:
            chosen[key] = step
            if len(chosen) == limit:
                break
    return list(chosen.values())


def _cheapest_distinct(
    paths: list[tuple[float, tuple[ReadSyllable, ...]]], limit: int
) -> list[tuple[float, tuple[ReadSyllable, ...]]]:
    """The `limit` cheapest readings, one per sequence of syllables."""
    chosen: dict[tuple[str, ...], tuple[float, tuple[ReadSyllable, ...]]] = {}
    for cost, path in sorted(paths, key=lambda item: item[0]):
        key = tuple(s.psp for s in path)
        if key not in chosen:
            chosen[key] = (cost, path)
            if len(chosen) == limit:
                break
    return list(chosen.values())


def _syllable(
    chunk: _Chunk, start: int, end: int, option: _Option, known: Collection[str] | None
) -> tuple[tuple[str, str, str, int | None, tuple[str, ...]], float]:
    tone: int | None = chunk.digits.get(end)
    folds = option.folds
    mark = next((chunk.marks[i] for i in range(start, end) if i in chunk.marks), None)
    if tone is None and option.buc_final is not None and chunk.has_buc_marks:
        tone = buc.tone_of(option.buc_final, mark or "")[0]  # unmarked BUC in a marked word is 陰平
    elif tone is None and mark is not None:
        tone = {buc.ACUTE: 2, buc.CIRCUMFLEX: 3, buc.MACRON: 5}.get(
            mark, 7 if option.final.endswith("h") else 4
        )
    if chunk.has_buc_marks:
        # Typed with BUC's marks: its spellings are the plain reading, PSP's and bare letters folds.
        exact_buc = option.buc_final is not None and not option.stand_in
        cost = 1.0 + (option.cost % BUC_COST if exact_buc else BUC_COST + option.cost)
    else:
        cost = 1.0 + option.cost
    if known is not None and option.initial + option.final not in known:
        cost += UNKNOWN_COST
    return (chunk.letters[start:end], option.initial, option.final, tone, folds), cost


def initials_abbreviation(text: str) -> str | None:
    """`pt` for 莆田: 2–6 consonant letters and nothing else, or None."""
    letters = text.strip().lower()
    if (
        2 <= len(letters) <= 6
        and letters.isascii()
        and letters.isalpha()
        and not re.search("[aeiouy]", letters)
    ):
        return letters
    return None
