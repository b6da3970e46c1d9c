"""Prompts of an exact token length, so that every engine reads the same amount of text."""

from __future__ import annotations

import random
from typing import Any

_ROUNDS = 8


def exact_length_prompts(tokenizer: Any, count: int, length: int, seed: int = 0) -> list[str]:
    """`count` different texts of random ordinary tokens, each `length` tokens long once re-read.

    Only tokens that decode to whole characters and read back as themselves are drawn (a byte
    fragment would decode to a replacement character). Neighbours can still merge when the text is
    re-read, so the ids are trimmed or topped up and the text re-read until the count holds.
    """
    if count < 1 or length < 1:
        raise ValueError(f"need count >= 1 and length >= 1, got {count} and {length}")
    rng = random.Random(seed)
    pool = _whole_tokens(tokenizer, rng)
    prompts = []
    for _ in range(count):
        ids = [rng.choice(pool) for _ in range(length)]
        for _ in range(_ROUNDS):
            text = tokenizer.decode(ids, skip_special_tokens=True)
            ids = tokenizer.encode(text, add_special_tokens=False)
            if len(ids) == length:
                break
            ids = ids[:length] + [rng.choice(pool) for _ in range(length - len(ids))]
        prompts.append(text)
    return prompts


def _whole_tokens(tokenizer: Any, rng: random.Random, wanted: int = 2000) -> list[int]:
    """Ids of ordinary tokens that decode to whole characters and encode back to themselves."""
    vocabulary = len(tokenizer)
    # Away from both ends: low ids are single bytes, the highest are special tokens.
    low, high = min(1000, vocabulary // 4), min(30000, vocabulary - 1)
    candidates = list(range(low, high))
    rng.shuffle(candidates)
    pool = []
    for token in candidates:
        text = tokenizer.decode([token])
        if (
            text.strip()
            and "\ufffd" not in text
            and tokenizer.encode(text, add_special_tokens=False) == [token]
        ):
            pool.append(token)
            if len(pool) == wanted:
                break
    if not pool:
        raise ValueError("the tokenizer has no ordinary tokens to build prompts from")
    return pool
