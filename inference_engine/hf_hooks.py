"""Hooks into Hugging Face `generate()`: first-token timing, abort, counting streamer.

Kept apart from `transformers_engine` so that importing the package does not import torch.
"""

from __future__ import annotations

import contextlib
import threading
import time
from typing import Any

import torch
from transformers import AsyncTextIteratorStreamer, LogitsProcessor, StoppingCriteria


class FirstTokenTimer(LogitsProcessor):
    """Notes when the first decoding step is reached, i.e. when the prompt has been read."""

    def __init__(self) -> None:
        self.first_token_at: float | None = None

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> torch.FloatTensor:
        if self.first_token_at is None:
            self.first_token_at = time.perf_counter()
        return scores


class AbortCriteria(StoppingCriteria):
    """Stops every sequence once `event` is set (the client went away or a stop string appeared)."""

    def __init__(self, event: threading.Event) -> None:
        self.event = event

    def __call__(
        self, input_ids: torch.LongTensor, scores: torch.FloatTensor, **kwargs: Any
    ) -> torch.BoolTensor:
        return torch.full(
            (input_ids.shape[0],), self.event.is_set(), dtype=torch.bool, device=input_ids.device
        )


class CountingTextStreamer(AsyncTextIteratorStreamer):
    """A text streamer that also counts new tokens and remembers the last one.

    Asynchronous: the generating thread hands text to the event loop, so a waiting stream holds no
    thread. (A blocking iterator read through `asyncio.to_thread` held one of the loop's few default
    threads per waiting stream: with more streams queued than threads, the running one's text
    reached its client in bursts.) Built inside a coroutine, on the loop that reads it.
    """

    def __init__(self, tokenizer: Any, **kwargs: Any) -> None:
        super().__init__(tokenizer, skip_prompt=True, skip_special_tokens=True, **kwargs)
        self.new_tokens = 0
        self.last_token: int | None = None
        self._prompt_seen = False

    def put(self, value: torch.Tensor) -> None:
        if self._prompt_seen:
            flat = value.reshape(-1)
            self.new_tokens += int(flat.numel())
            if flat.numel():
                self.last_token = int(flat[-1])
        self._prompt_seen = True
        super().put(value)

    def on_finalized_text(self, text: str, stream_end: bool = False) -> None:
        # RuntimeError: the reading loop is closed, so nobody is left to read the text.
        with contextlib.suppress(RuntimeError):
            super().on_finalized_text(text, stream_end)


def quantize_int8_dynamic(model: Any) -> Any:
    """Swap the model's linear layers for dynamic int8 ones, in place (CPU only; ~2.4x faster decoding here).

    The layers of torch's `quantize_dynamic(model, {nn.Linear}, dtype=qint8)`, with the same int8
    weights and outputs, built by hand: `quantize_dynamic` copies the whole model first (a second 7 GB
    for the 1.5B model) and packs a zero weight of each layer's size before packing the real one.
    Packing is most of a load: the 1.5B model loaded in 51 s with `quantize_dynamic`, 13 s with this
    (docs/benchmarks.md, issue 14).
    """
    for parent in list(model.modules()):
        for name, child in list(parent.named_children()):
            if type(child) is torch.nn.Linear:
                setattr(parent, name, _dynamic_int8_linear(child))
    # What stays in floats (embeddings, norms) is loaded as views of the mmapped safetensors file, which
    # keeps the whole file mapped, and counted in the process's memory, after the linear weights are
    # gone (6 GB of the 1.5B model's 7.8 GB): copying them out lets the file go.
    with torch.no_grad():
        for tensor in [*model.parameters(), *model.buffers()]:
            tensor.data = tensor.data.clone()
    return model


def _dynamic_int8_linear(linear: torch.nn.Linear) -> Any:
    import warnings

    from torch.ao.nn.quantized.dynamic import Linear as DynamicLinear

    with warnings.catch_warnings():
        # torch announces the move of eager quantization to torchao; the API still works in 2.13.
        warnings.simplefilter("ignore")
        observer = torch.ao.quantization.default_weight_observer()
        weight = linear.weight.detach().float()
        observer(weight)
        scale, zero_point = observer.calculate_qparams()
        qweight = torch.quantize_per_tensor(weight, float(scale), int(zero_point), torch.qint8)
        # Made 1x1, then given its real weight: the constructor packs a zero weight of the size it is given.
        quantized = DynamicLinear(1, 1, bias_=linear.bias is not None, dtype=torch.qint8)
        quantized.in_features, quantized.out_features = linear.in_features, linear.out_features
        # A copy: a view of the mmapped file would keep all of it mapped (see above).
        bias = linear.bias.detach().float().clone() if linear.bias is not None else None
        quantized.set_weight_bias(qweight, bias)
    return quantized
