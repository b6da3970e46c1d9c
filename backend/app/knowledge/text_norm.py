"""Text normalization and tokenization for Chinese lexical search.

Everything is compared in simplified characters (sources such as the Rime lexicons are written in
traditional ones, users mostly type simplified). Lexical terms are jieba words, character
bigrams (robust where jieba's dictionary does not know a dialect word, e.g. 莆仙话 → 莆/仙话),
single characters (dialect words are often one character: 厝, 箸), and romanized syllables with
and without their tone digit (sia2 and sia).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from functools import lru_cache
from typing import Any

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RUN = re.compile(f"[{_CJK}]+")
_LATIN_WORD = re.compile(r"[a-zⁿ]+[0-8]?")
# Quoted terms: ‘厝’ “吃饭” 「今旦」 『…』 "..." '...'
_QUOTED = re.compile(r"[‘“「『\"']([^’”」』\"']{1,20})[’”」』\"']")


@lru_cache(maxsize=1)
def _converter() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional → simplified characters (other text unchanged)."""
    return str(_converter().convert(text))


def is_english(question: str) -> bool:
    """Asked in English: more English words than Han characters (What does 厝 mean? is English)."""
    words = re.findall(r"[A-Za-z]{2,}", question)
    return len(words) >= 2 and len(words) > len(re.findall(r"[\u3400-\u9fff]", question))


def normalize(text: str) -> str:
    """Full-width → half-width, lower case, simplified characters."""
    return to_simplified(unicodedata.normalize("NFKC", text).lower())


@lru_cache(maxsize=1)
def _jieba() -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def lexical_terms(text: str) -> list[str]:
    """The terms BM25 indexes for a text (and looks up for a query), with repetitions."""
    text = normalize(text)
    terms: list[str] = []
    for run in _CJK_RUN.findall(text):
        terms.extend(run)  # single characters
        terms.extend(run[i : i + 2] for i in range(len(run) - 1))
        terms.extend(word for word in _jieba().cut_for_search(run) if len(word) > 2)
    for word in _LATIN_WORD.findall(text):
        terms.append(word)
        if word[-1].isdigit():
            terms.append(word[:-1])
    return terms


def quoted_terms(text: str) -> list[str]:
    """Terms the user put in quotes, normalized, in order, without duplicates."""
    found: list[str] = []
    for match in _QUOTED.finditer(text):
        term = normalize(match.group(1)).strip()
        if term and term not in found:
            found.append(term)
    return found


_NOUN_TAGS = ("n", "t", "s", "vn", "an", "j", "l")  # jieba part-of-speech tags of nouns and set phrases


def content_nouns(text: str, ignore: frozenset[str] = frozenset()) -> list[str]:
    """Nouns a question is about (jieba part-of-speech tagging), minus `ignore`d framing words."""
    import jieba.posseg

    _jieba()
    text = normalize(text)
    for word in sorted(ignore, key=len, reverse=True):
        text = text.replace(word, " ")
    nouns = []
    for token in jieba.posseg.cut(text):
        if _CJK_RUN.fullmatch(token.word) and token.flag.startswith(_NOUN_TAGS) and token.word not in ignore:
            nouns.append(token.word)
    return list(dict.fromkeys(nouns))
