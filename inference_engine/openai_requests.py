"""Request bodies for OpenAI-compatible servers and the reading of their answers (no I/O here)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from inference_engine.base_engine import Sampling
from inference_engine.datatypes import FinishReason, Prompt
from inference_engine.errors import GenerationError

# vLLM's additions to the OpenAI request schema. Servers that keep strictly to the schema refuse
# them (`transformers serve` answers 422), so they travel apart and are dropped for such servers.
EXTENSION_FIELDS = (
    "top_k",
    "repetition_penalty",
    "ignore_eos",
    "continue_final_message",
    "add_generation_prompt",
)


@dataclass(frozen=True)
class ServerRequest:
    """One generation request: the endpoint, its standard body, and vLLM's extra fields."""

    path: str  # "/chat/completions" or "/completions", under the base URL
    body: dict[str, Any]
    extensions: dict[str, Any] = field(default_factory=dict)
    # Whether the standard body alone makes the model continue the response prefix.
    plain_body_continues_prefix: bool = True

    def payload(self, with_extensions: bool) -> dict[str, Any]:
        return {**self.body, **self.extensions} if with_extensions else dict(self.body)


def build_request(prompt: Prompt, sampling: Sampling, model: str, stream: bool) -> ServerRequest:
    """The request for a plain prompt (`/completions`) or chat messages (`/chat/completions`)."""
    greedy = sampling.temperature == 0
    body: dict[str, Any] = {
        "model": model,
        "max_tokens": sampling.max_tokens,
        "temperature": sampling.temperature,
        "stream": stream,
    }
    if not greedy:
        body["top_p"] = sampling.top_p
    if sampling.stop:
        body["stop"] = list(sampling.stop)
    if sampling.seed is not None:
        body["seed"] = sampling.seed
    if stream:
        # vLLM sends token counts in a last chunk only when asked; other servers ignore this.
        body["stream_options"] = {"include_usage": True}
    extensions: dict[str, Any] = {}
    if not greedy and sampling.top_k:
        extensions["top_k"] = sampling.top_k
    if sampling.repetition_penalty != 1.0:
        extensions["repetition_penalty"] = sampling.repetition_penalty
    if sampling.ignore_eos:
        extensions["ignore_eos"] = True
    if isinstance(prompt, str):
        body["prompt"] = prompt + sampling.response_prefix
        return ServerRequest("/completions", body, extensions)
    messages = [dict(message) for message in prompt]
    body["messages"] = messages
    if not sampling.response_prefix:
        return ServerRequest("/chat/completions", body, extensions)
    # The answer is begun for the model as an unfinished assistant turn (vLLM's continuation).
    extensions.update(
        messages=[*messages, {"role": "assistant", "content": sampling.response_prefix}],
        continue_final_message=True,
        add_generation_prompt=False,
    )
    return ServerRequest("/chat/completions", body, extensions, plain_body_continues_prefix=False)


def refused_extensions(status: int, detail: str) -> bool:
    """Whether an error answer says the server does not accept vLLM's extra fields."""
    return status in (400, 422) and any(name in detail for name in EXTENSION_FIELDS)


class PrefixJoiner:
    """Puts the response prefix in front of the generated text, as every engine returns it.

    Where the server could not be made to continue the prefix (`continued=False`), the model may
    write it itself; the text is held back until that is clear, so that the prefix is not doubled.
    """

    def __init__(self, prefix: str, continued: bool) -> None:
        self._prefix = prefix
        self._decided = not prefix
        self._continued = continued
        self._held = ""

    def feed(self, delta: str) -> str:
        if self._decided:
            return delta
        if self._continued:
            self._decided = True
            return self._prefix + delta
        self._held += delta
        if len(self._held.lstrip()) < len(self._prefix.strip()):
            return ""
        return self.flush()

    def flush(self) -> str:
        """Whatever is still held back, once the text is complete (or clear)."""
        if self._decided:
            return ""
        self._decided = True
        held, self._held = self._held, ""
        if held.lstrip().startswith(self._prefix.strip()):
            return held
        return self._prefix + held


def prefixed_text(prefix: str, generated: str, continued: bool) -> str:
    """`PrefixJoiner` applied to a whole answer at once."""
    joiner = PrefixJoiner(prefix, continued)
    return joiner.feed(generated) + joiner.flush()


@dataclass(frozen=True)
class ChoiceDelta:
    """What one answer (or one streamed chunk) says about the first choice."""

    text: str
    finish: FinishReason | None
    prompt_tokens: int | None
    completion_tokens: int | None


def read_choice(answer: Mapping[str, Any]) -> ChoiceDelta:
    """Read a completion, a chat completion, or one streamed chunk of either."""
    if "error" in answer and "choices" not in answer:
        raise GenerationError(f"the server reported an error: {_error_text(answer['error'])}")
    choices = answer.get("choices") or []
    choice: Mapping[str, Any] = choices[0] if choices else {}
    message = choice.get("delta") or choice.get("message") or {}
    text = choice.get("text")
    if text is None:
        text = message.get("content") or ""
    usage = answer.get("usage") or {}
    return ChoiceDelta(
        text=str(text),
        finish=_finish(choice.get("finish_reason")),
        prompt_tokens=usage.get("prompt_tokens"),
        completion_tokens=usage.get("completion_tokens"),
    )


def parse_event_line(line: str) -> dict[str, Any] | None:
    """One line of a server-sent event stream: the JSON of a `data:` line, else None."""
    if not line.startswith("data:"):
        return None
    data = line.removeprefix("data:").strip()
    if not data or data == "[DONE]":
        return None
    try:
        event = json.loads(data)
    except json.JSONDecodeError as exc:
        raise GenerationError(f"the server sent a malformed stream event: {data[:200]!r}") from exc
    if not isinstance(event, dict):
        raise GenerationError(f"the server sent a stream event that is not an object: {data[:200]!r}")
    return event


def error_detail(text: str) -> str:
    """The readable part of an error answer (OpenAI's {"error": {...}}, FastAPI's {"detail": ...})."""
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError:
        return text.strip()[:500]
    if isinstance(parsed, dict):
        for key in ("error", "detail", "message"):
            if key in parsed:
                return _error_text(parsed[key])
    return text.strip()[:500]


def _error_text(error: Any) -> str:
    if isinstance(error, dict):
        return str(error.get("message") or error)
    return str(error)


def _finish(reason: Any) -> FinishReason | None:
    if reason is None:
        return None
    if reason in ("stop", "eos", "tool_calls", "function_call", "content_filter"):
        return "stop"
    if reason == "length":
        return "length"
    return "aborted"
