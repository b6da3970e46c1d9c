"""Earlier turns of a conversation in the prompt: the most recent ones that fit a token budget."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from inference_engine import ChatMessage

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
_MARKER = re.compile(r"\s*\[\d{1,2}\]")


@dataclass(frozen=True)
class Turn:
    """A question and the answer it got."""

    question: str
    answer: str


def estimate_tokens(text: str) -> int:
    """A generous token count without the model's tokenizer (which only the engine has).

    Qwen's and Llama's BPE vocabularies take one to two Chinese characters a token and about four
    Latin ones; counting one a CJK character and one per three others errs on the long side.
    """
    cjk = len(_CJK.findall(text))
    return cjk + math.ceil((len(text) - cjk) / 3)


def fit_history(
    turns: Sequence[Turn], max_tokens: int, max_turns: int, with_answers: bool = True
) -> list[Turn]:
    """The most recent turns that fit `max_tokens` together (at most `max_turns`), oldest first.

    Without `with_answers` only the questions count (only they go into the prompt). A turn that
    does not fit ends the history there: a gap in the middle would confuse the model about what
    "that" refers to.
    """
    kept: list[Turn] = []
    used = 0
    for turn in reversed(turns):
        if len(kept) >= max_turns:
            break
        cost = estimate_tokens(turn.question) + (estimate_tokens(turn.answer) if with_answers else 0)
        if used + cost > max_tokens:
            break
        kept.append(turn)
        used += cost
    kept.reverse()
    return kept


def history_messages(turns: Sequence[Turn]) -> list[ChatMessage]:
    """Chat messages for earlier turns. Their [n] markers are dropped: they cite passages this prompt
    does not show, and the model would copy the numbers."""
    messages: list[ChatMessage] = []
    for turn in turns:
        messages.append({"role": "user", "content": turn.question})
        messages.append({"role": "assistant", "content": _MARKER.sub("", turn.answer).strip()})
    return messages
