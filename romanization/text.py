"""Whole texts: find the romanized words among Han characters and punctuation, tell their system.

A romanized word is a run of syllables joined by hyphens (BUC `táu-mńg`) or spaces (PSP
`ging1 dua4`); Han characters, punctuation and line breaks end it. Everything that is not a
romanized word is kept as it is when a text is rewritten in another system.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from romanization import buc
from romanization.syllable import System

TokenKind = Literal["word", "han", "other"]

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Letters of any of the three systems, tone digits and marks, ⁿ, * (BUC long mark), IPA brackets.
_SYLLABLE_CHARS = (
    r"A-Za-z0-9\u00c0-\u024f\u0250-\u02af\u02b0-\u02ff\u0300-\u036f\u1e00-\u1eff"
    r"\u207f\u00b9\u00b2\u00b3\u2070-\u2079ˀ*"
)
_WORD = re.compile(rf"\[?[{_SYLLABLE_CHARS}]+(?:[ \t\-]+[{_SYLLABLE_CHARS}]+)*\]?")
_HAN = re.compile(f"[{_CJK}]+")
_IPA_ONLY = re.compile(r"[ʰɬŋɒøœɛɵʔəɐɯɔβɣθ˥˦˧˨˩\[\]̃]|t͡s|\d{2,}")
_BUC_ONLY = re.compile("[\u0301\u0302\u030d\u0304\u0324ⁿṳ]")
_PSP_TONE = re.compile(r"[a-z][1-8]\b|[¹²³⁴⁵⁶⁷⁸]")


@dataclass(frozen=True)
class Token:
    kind: TokenKind
    text: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def tokenize(text: str) -> list[Token]:
    """Romanized words, Han runs and everything else, in order; joined they give `text` back."""
    tokens: list[Token] = []
    position = 0
    for match in re.finditer(f"{_WORD.pattern}|{_HAN.pattern}", text):
        if match.start() > position:
            tokens.append(Token("other", text[position : match.start()], position))
        kind: TokenKind = "han" if _HAN.fullmatch(match.group()) else "word"
        if kind == "word" and not any(ch.isalpha() for ch in match.group()):
            kind = "other"  # a number, not a syllable
        tokens.append(Token(kind, match.group(), match.start()))
        position = match.end()
    if position < len(text):
        tokens.append(Token("other", text[position:], position))
    return tokens


def syllables_of(word: str) -> list[str]:
    """The syllables of a romanized word (brackets of IPA removed)."""
    return [part for part in re.split(r"[ \t\-]+", word.strip().strip("[]/")) if part]


def detect_system(word: str) -> System:
    """The system a romanized word is most likely written in."""
    decomposed = unicodedata.normalize("NFD", word)
    if _BUC_ONLY.search(decomposed) or buc.LONG_MARK in word:
        return "buc"
    if _IPA_ONLY.search(word):
        return "ipa"
    if _PSP_TONE.search(word.lower()):
        return "psp"
    # Toneless: BUC joins a word's syllables with hyphens, PSP with spaces.
    return "buc" if "-" in word else "psp"
