"""Model folders of real architectures with no weights, for `--dummy-weights` (speed does not
depend on weight values, and 15 GB of weights cannot travel to a test machine)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

# Public config.json values of the Qwen2.5 instruct models (the default model's family).
ARCHITECTURES: dict[str, dict[str, Any]] = {
    "qwen2.5-7b": {
        "hidden_size": 3584,
        "intermediate_size": 18944,
        "num_hidden_layers": 28,
        "num_attention_heads": 28,
        "num_key_value_heads": 4,
        "vocab_size": 152064,
        "tie_word_embeddings": False,
    },
    # As the prepared Qwen2.5-Coder-1.5B folder has it: its GGUF carries its own output weights.
    "qwen2.5-1.5b": {
        "hidden_size": 1536,
        "intermediate_size": 8960,
        "num_hidden_layers": 28,
        "num_attention_heads": 12,
        "num_key_value_heads": 2,
        "vocab_size": 151936,
        "tie_word_embeddings": False,
    },
    "qwen2.5-0.5b": {
        "hidden_size": 896,
        "intermediate_size": 4864,
        "num_hidden_layers": 24,
        "num_attention_heads": 14,
        "num_key_value_heads": 2,
        "vocab_size": 151936,
        "tie_word_embeddings": True,
    },
    # About ten million parameters: for testing the benchmark itself on a CPU in seconds.
    "tiny-qwen2": {
        "hidden_size": 64,
        "intermediate_size": 128,
        "num_hidden_layers": 2,
        "num_attention_heads": 4,
        "num_key_value_heads": 2,
        "vocab_size": 151936,
        "tie_word_embeddings": True,
    },
}

_COMMON = {
    "architectures": ["Qwen2ForCausalLM"],
    "model_type": "qwen2",
    "hidden_act": "silu",
    "max_position_embeddings": 32768,
    "rms_norm_eps": 1e-6,
    "rope_theta": 1000000.0,
    "torch_dtype": "bfloat16",
    "bos_token_id": 151643,
    "eos_token_id": 151645,
    "use_cache": True,
    "attention_dropout": 0.0,
    "initializer_range": 0.02,
}
TOKENIZER_FILES = (
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "vocab.json",
    "merges.txt",
    "chat_template.jinja",
    "generation_config.json",
)


def make_dummy_model(architecture: str, tokenizer_dir: Path, destination: Path) -> Path:
    """Write `architecture`'s config.json next to a copy of the tokenizer in `tokenizer_dir`."""
    if architecture not in ARCHITECTURES:
        raise ValueError(f"unknown architecture {architecture!r}; known: {', '.join(ARCHITECTURES)}")
    present = [name for name in TOKENIZER_FILES if (tokenizer_dir / name).is_file()]
    if "tokenizer.json" not in present and "vocab.json" not in present:
        raise ValueError(f"no tokenizer in {tokenizer_dir} (expected tokenizer.json or vocab.json)")
    destination.mkdir(parents=True, exist_ok=True)
    for name in present:
        shutil.copy(tokenizer_dir / name, destination / name)
    config = {**_COMMON, **ARCHITECTURES[architecture]}
    (destination / "config.json").write_text(json.dumps(config, indent=1), encoding="utf-8")
    return destination
