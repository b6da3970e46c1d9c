"""Whether an answer is right: it refuses, or it contains an acceptable answer term.

Used by `puxian eval answers`. An answer counts as a refusal when it says the knowledge base has
nothing on the question, in either language, whether the service said it without asking the model
or the model wrote it after the prompt's opening (根据资料，知识库中没有找到相关内容。).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from app.chat.prompting import NO_ANSWER, NO_ANSWER_EN
from app.knowledge.text_norm import normalize

_SPACE = re.compile(r"\s+")
_MARKER = re.compile(r"\[\d{1,2}\]")  # citation markers: [1] is no answer of 1
_REFUSALS = tuple(_SPACE.sub("", normalize(text)).rstrip("。.") for text in (NO_ANSWER, NO_ANSWER_EN))


def _flat(text: str) -> str:
    return _SPACE.sub("", normalize(text))


def is_refusal(answer: str) -> bool:
    flat = _flat(answer)
    return any(refusal in flat for refusal in _REFUSALS)


def is_correct(answer: str, accept: Sequence[str], accept_all: bool = False) -> bool:
    """Whether a (non-refusing) answer contains one of the acceptable terms (all with accept_all),
    compared without spaces, case or the difference between traditional and simplified characters."""
    if not accept or is_refusal(answer):
        return False
    flat = _flat(_MARKER.sub(" ", answer))
    found = [_contains(flat, _flat(term)) for term in accept]
    return all(found) if accept_all else any(found)


def _contains(flat: str, term: str) -> bool:
    if term.isdigit():  # a count or tone value: 7 is not in 1870 nor in dy7 … 533 is a number of its own
        return re.search(rf"(?<![0-9a-z]){term}(?![0-9])", flat) is not None
    return term in flat
