"""The grounding check: every Puxian word, romanization and number an answer presents must be in
what it cites.

A 0.5B model writes fluent answers that state words the passages do not (筷子用莆仙话说“筷子”),
numbers off by a digit, or romanization it made up. An answer is checked before it is shown:

- **words**: each quoted term (“箸”, 「今旦」, titles in 《》) must be a headword of the answer's
  word cards, or occur in a passage the answer cites (or, citing none, in any of its passages) — except the
  word the question asks how to say, given as its own Puxian answer (说“筷子”): never right
  unless a card says so;
- **romanization**: each run of Latin letters that reads as PSP or BUC syllables must occur, as
  the same syllables, in those passages or cards;
- **numbers**: each number (a tone value 533, a year 1890, a count) must occur in them.

The check is plain code, testable without a model. What to do with a failing answer (regenerate
once with a stricter prompt, then fall back to an extractive sentence) is the service's.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from app.chat.citations import cited_numbers
from app.knowledge.text_norm import normalize
from romanization.errors import RomanizationError
from romanization.segment import read_romanized

_QUOTED = re.compile(r"[“「『‘《]([^”」』’》]{1,24})[”」』’》]")
# A quoted word right after these is given as the answer (莆仙话说“箸”), not named as the subject.
_ANSWER_POSITION = re.compile(r"(?:说|叫|讲|是|作|做|为|成|读)[：:\s]*$")
# Digits not part of a romanized syllable (dy5) or a longer number; Han characters may touch them
# (有7个声调), so the lookarounds are ASCII only.
_NUMBER = re.compile(r"(?<![A-Za-z0-9.])\d+(?:\.\d+)?(?![A-Za-z0-9.])")
_HAN_NUMERAL = re.compile(r"[一二两三四五六七八九十]+")
# A count in Han numerals an answer states (八个声调, 十五种韵母); 一 alone is rarely a count.
_HAN_COUNT = re.compile(
    r"(?<![一二两三四五六七八九十])([二两三四五六七八九十][一二三四五六七八九十]*)(?=个|种|类|组|套)"
)
_HAN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_LATIN_RUN = re.compile(r"[A-Za-zÀ-ɏḀ-ỿ̀-ͯⁿ]+[1-8]?(?:[\s\-][A-Za-zÀ-ɏḀ-ỿ̀-ͯⁿ]+[1-8]?)*")
_MARKER = re.compile(r"\[\d{1,2}\]")
_IPA = re.compile(r"\[[^\]\[]*[^\]\[\d\s][^\]\[]*\]")  # bracketed, not a citation marker
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")  # a quoted word without Han characters is English
# Latin words every answer may use without them being Puxian: system names, English.
_NOT_PUXIAN = frozenset(
    [
        "psp",
        "buc",
        "ipa",
        "pinyin",
        "ping",
        "ing",
        "pouseng",
        "hinghwa",
        "romanized",
        "puxian",
        "putian",
        "xianyou",
        "min",
        "mandarin",
        "chinese",
        "in",
        "and",
        "the",
        "a",
        "an",
        "is",
        "are",
        "of",
        "to",
        "for",
        "it",
        "its",
        "this",
        "that",
        "or",
        "as",
        "by",
        "with",
        "on",
        "at",
        "from",
        "be",
        "not",
        "no",
    ]
)


@dataclass(frozen=True)
class Evidence:
    """What an answer may draw on: its passages (by number) and its cards' headwords."""

    passages: dict[int, str]
    card_words: frozenset[str] = frozenset()
    card_text: str = ""
    asked_terms: frozenset[str] = frozenset()  # the Mandarin words a "how to say" question asks about
    glosses: frozenset[str] = frozenset()  # the cards' Mandarin glosses


@dataclass(frozen=True)
class Problem:
    kind: str  # word, romanization or number
    text: str

    def __str__(self) -> str:
        return f"{self.kind} {self.text!r} is not in what the answer cites"


@dataclass(frozen=True)
class GroundingReport:
    problems: tuple[Problem, ...] = ()
    words: tuple[str, ...] = ()  # the quoted terms the answer presents, in order
    checked: int = 0  # how many words, romanizations and numbers were checked
    cited: tuple[int, ...] = field(default_factory=tuple)

    @property
    def grounded(self) -> bool:
        return not self.problems


def check_grounding(answer: str, evidence: Evidence) -> GroundingReport:
    """Which presented words, romanizations and numbers the answer's evidence does not hold."""
    cited = tuple(n for n in cited_numbers(answer) if n in evidence.passages)
    texts = [evidence.passages[n] for n in cited] or list(evidence.passages.values())
    pool = _normalized(" ".join([*texts, evidence.card_text]))
    # Compared as the pool is (NFKC, lower case, simplified, ⁿ as nn).
    body = _normalized(_MARKER.sub(" ", answer))
    problems: list[Problem] = []
    # IPA in brackets ([pʰou13 tsʰɛŋ13]) is checked whole: its letters are no PSP or BUC syllables.
    for ipa in _IPA.findall(body):
        if normalize(ipa) not in pool:
            problems.append(Problem("romanization", ipa))
    body = _IPA.sub(" ", body)
    quoted = [(word, as_answer) for word, as_answer in _quoted(body) if _HAN.search(word)]
    for word, as_answer in quoted:
        if not _word_is_grounded(word, as_answer, pool, evidence):
            problems.append(Problem("word", word))
    words = list(dict.fromkeys(word for word, _ in quoted))
    checked = len(quoted)
    pool_syllables = _syllables(pool)
    for run in _romanizations(body):
        checked += 1
        if not _syllables(run) <= pool_syllables:
            problems.append(Problem("romanization", run))
    pool_numbers = numbers_in(pool)
    counts = [str(value) for run in _HAN_COUNT.findall(body) if (value := han_number(run))]
    for number in [*_NUMBER.findall(body), *counts]:
        checked += 1
        if number not in pool_numbers:
            problems.append(Problem("number", number))
    return GroundingReport(tuple(problems), tuple(words), checked, cited)


def _normalized(text: str) -> str:
    """As `normalize`, but BUC's nasal mark ⁿ kept apart from n (NFKC would make buiⁿ5 buin5) as
    PSP writes nasality, nn (buinn5)."""
    return normalize(text.replace("ⁿ", "nn"))


def numbers_in(text: str) -> set[str]:
    """The whole numbers of a text (312 holds neither 12 nor 31), Han numerals too: 七个声调 → 7."""
    found = set(_NUMBER.findall(text))
    found.update(str(value) for run in _HAN_NUMERAL.findall(text) if (value := han_number(run)))
    return found


def han_number(run: str) -> int | None:
    """The value of a Han numeral up to 99 (七, 十二, 二十, 三十六); None for anything else."""
    if "十" not in run:
        return _HAN_DIGITS.get(run) if len(run) == 1 else None
    tens, _, ones = run.partition("十")
    if len(tens) > 1 or len(ones) > 1 or "十" in ones:
        return None
    value = (_HAN_DIGITS.get(tens, 0) if tens else 1) * 10
    return value + (_HAN_DIGITS.get(ones, 0) if ones else 0)


def _quoted(text: str) -> list[tuple[str, bool]]:
    """Each quoted word, and whether it stands where an answer does (after 说, 叫, 是, ...)."""
    found = []
    for match in _QUOTED.finditer(text):
        word = normalize(match.group(1)).strip()
        if word:
            found.append(
                (word, bool(_ANSWER_POSITION.search(text[max(0, match.start() - 4) : match.start()])))
            )
    return found


def _word_is_grounded(word: str, as_answer: bool, pool: str, evidence: Evidence) -> bool:
    if word in evidence.card_words:
        return True
    if as_answer and word in evidence.asked_terms:
        return False  # the question's own word given as its Puxian answer (筷子 → 说“筷子”)
    return word in pool


def _romanizations(text: str) -> list[str]:
    """Runs of Latin letters that read as Puxian syllables (English words and system names aside)."""
    runs = []
    for match in _LATIN_RUN.finditer(unicodedata.normalize("NFC", text)):
        run = match.group().strip()
        words = [w for w in re.split(r"[\s\-]+", run.lower()) if w]
        if not words or all(w.strip("0123456789") in _NOT_PUXIAN for w in words):
            continue
        # Without a tone digit or a BUC mark, a short English-looking word is not romanization.
        marked = any(ch.isdigit() for ch in run) or not run.isascii()
        if marked and read_romanized(run):
            runs.append(run)
    return runs


def _syllables(text: str) -> set[str]:
    """The toned syllables (canonical PSP) that the romanized runs of a text spell."""
    found: set[str] = set()
    for run in _LATIN_RUN.findall(unicodedata.normalize("NFC", text)):
        if not (any(ch.isdigit() for ch in run) or not run.isascii()):
            continue
        try:
            readings = read_romanized(run, limit=1)
        except RomanizationError:
            continue
        if readings:
            found.update(s.psp for s in readings[0].syllables)
    return found


def presented_terms(answer: str) -> list[str]:
    """The quoted terms an answer presents (for linking them to lexicon entries)."""
    return list(dict.fromkeys(word for word, _ in _quoted(_MARKER.sub(" ", answer)) if _HAN.search(word)))
