"""Citation markers: finding the [n] an answer uses, and adding them when a small model forgets.

The default 0.5B model rarely writes [n] itself even when asked. When an answer has no marker,
the passage that contains the answer's own words (those not already in the question) is cited,
so that every answer points at its evidence. Nothing is cited when no passage shares such words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_MARKER = re.compile(r"\[(\d{1,2})\]")
_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_LATIN_WORD = re.compile(r"[a-z]+[0-9]?", re.IGNORECASE)
_TRAILING_PUNCTUATION = "。！？.!?"
# Words every answer uses; they are evidence of nothing.
_BOILERPLATE = frozenset({"根据", "据资", "资料", "莆仙", "仙话", "普通", "通话", "意思", "说法"})


def cited_numbers(answer: str) -> list[int]:
    """The passage numbers an answer cites, in order of first mention."""
    seen: list[int] = []
    for match in _MARKER.finditer(answer):
        number = int(match.group(1))
        if number not in seen:
            seen.append(number)
    return seen


def terms(text: str) -> set[str]:
    """Chinese character bigrams (and single characters of one-character runs) plus Latin words."""
    found: set[str] = set()
    for run in _CJK_RUN.findall(text):
        if len(run) == 1:
            found.add(run)
        else:
            found.update(run[i : i + 2] for i in range(len(run) - 1))
    found.update(word.lower() for word in _LATIN_WORD.findall(text))
    return found - _BOILERPLATE


def attach_citations(answer: str, question: str, passages: Sequence[tuple[int, str]]) -> str:
    """Append the number of the best-supporting passage if the answer cites none."""
    if cited_numbers(answer) or not passages:
        return answer
    own_terms = terms(answer) - terms(question)
    if not own_terms:
        return answer
    overlaps = [(len(own_terms & terms(text)), number) for number, text in passages]
    best = max(overlap for overlap, _ in overlaps)
    if best == 0:
        return answer
    # On a tie the better-ranked (first listed) passage is cited: one marker is evidence, three are noise.
    number = next(number for overlap, number in overlaps if overlap == best)
    body = answer.rstrip()
    end = len(body.rstrip(_TRAILING_PUNCTUATION))
    return f"{body[:end]} [{number}]{body[end:]}"
