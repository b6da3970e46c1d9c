"""Connected speech (声母类化): the initial of a non-first syllable follows the coda before it.

From the tables of en Wikipedia "Putian dialect" and Wiktionary's PSP pages (FACTS.md §3):
- after an open syllable, p pʰ k kʰ h drop (PSP writes the zero initial; Wikipedia hears β, ɣ)
  and t tʰ ts tsʰ ɬ become l;
- after -ŋ, p pʰ become m, t tʰ ts tsʰ ɬ l become n, k kʰ h and the zero initial become ŋ;
- after -ʔ the initial stays (the stop assimilates to it instead);
- Xianyou as Putian, except that after an open syllable p pʰ become [β], for which PSP has no
  letter (they are left as written), and that after a nasal vowel p pʰ become m and
  t tʰ ts tsʰ ɬ l become n.
An open syllable of tone 6 or 7 (a checked syllable that lost its stop, 六 la7) counts as open.
The rules describe words; where a source records a word without the change (many literary
words), the recorded form wins (`readings.py`).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from romanization.psp import NASAL_VOWEL_FINALS
from romanization.syllable import Syllable

_AFTER_OPEN = {"b": "", "p": "", "d": "l", "t": "l", "z": "l", "c": "l", "s": "l", "g": "", "k": "", "h": ""}
_AFTER_NASAL = {
    "b": "m", "p": "m", "d": "n", "t": "n", "z": "n", "c": "n", "s": "n", "l": "n",
    "g": "ng", "k": "ng", "h": "ng", "": "ng",
}  # fmt: skip
_XIANYOU_AFTER_OPEN = {k: v for k, v in _AFTER_OPEN.items() if k not in ("b", "p")}
_XIANYOU_AFTER_NASAL_VOWEL = {
    **_XIANYOU_AFTER_OPEN, "b": "m", "p": "m", "d": "n", "t": "n", "z": "n", "c": "n", "s": "n", "l": "n",
}  # fmt: skip


def assimilated_initial(previous: Syllable, initial: str) -> str:
    """The initial `initial` takes after the syllable `previous` in the same word."""
    if previous.coda == "nasal":
        return _AFTER_NASAL.get(initial, initial)
    if previous.coda == "stop":
        return initial
    if previous.point == "xianyou":
        table = _XIANYOU_AFTER_NASAL_VOWEL if previous.final in NASAL_VOWEL_FINALS else _XIANYOU_AFTER_OPEN
        return table.get(initial, initial)
    return _AFTER_OPEN.get(initial, initial)


def possible_outcomes(initial: str) -> frozenset[str]:
    """Every initial 声母类化 can turn `initial` into (itself included), in any context."""
    tables = (_AFTER_OPEN, _AFTER_NASAL, _XIANYOU_AFTER_NASAL_VOWEL)
    return frozenset({initial, *(table.get(initial, initial) for table in tables)})


def connected_form(word: Sequence[Syllable]) -> list[Syllable]:
    """The word as spoken: every syllable after the first with its assimilated initial."""
    spoken = list(word[:1])
    for previous, syllable in itertools.pairwise(word):
        spoken.append(syllable.with_initial(assimilated_initial(previous, syllable.initial)))
    return spoken


# Surface initial → citation initials it may come from, after an open syllable or after -ŋ.
_UNDO_OPEN: dict[str, tuple[str, ...]] = {"": ("b", "p", "g", "k", "h"), "l": ("d", "t", "z", "c", "s")}
_UNDO_NASAL: dict[str, tuple[str, ...]] = {
    "m": ("b", "p"),
    "n": ("d", "t", "z", "c", "s", "l"),
    "ng": ("g", "k", "h", ""),
}


def citation_initials(initial: str, previous: Syllable | None = None) -> tuple[str, ...]:
    """Initials a syllable heard with `initial` may have in citation form, itself first.

    Without the syllable before it (a word typed from its middle), both contexts are undone.
    """
    if previous is None:
        undone = (*_UNDO_OPEN.get(initial, ()), *_UNDO_NASAL.get(initial, ()))
    elif previous.coda == "nasal":
        undone = _UNDO_NASAL.get(initial, ())
    elif previous.coda == "open":
        undone = _UNDO_OPEN.get(initial, ())
    else:
        undone = ()
    return tuple(dict.fromkeys((initial, *undone)))
