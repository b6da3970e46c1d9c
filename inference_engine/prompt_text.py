"""Turning a `Prompt` into the text a model reads, the same way in every local engine."""

from __future__ import annotations

from typing import Any

from inference_engine.datatypes import Prompt, validate_prompt


def render_prompt(tokenizer: Any, prompt: Prompt, response_prefix: str = "") -> str:
    """A plain prompt as is; chat messages through the tokenizer's chat template; then the prefix.

    The prefix is appended after the template's assistant header, so the model continues it.
    """
    validate_prompt(prompt)
    if isinstance(prompt, str):
        text = prompt
    else:
        text = tokenizer.apply_chat_template(list(prompt), add_generation_prompt=True, tokenize=False)
    return str(text) + response_prefix
