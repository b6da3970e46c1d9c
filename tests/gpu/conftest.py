"""GPU tests: `pytest -m gpu` on a machine with an NVIDIA GPU and vLLM (CI has neither: skipped there).

The models are real architectures with random weights (`load_format="dummy"`), so no weights have
to be downloaded; the tokenizer is a real one, from GPU_TEST_TOKENIZER_DIR (default: the prepared
default model's folder in PUXIAN_MODEL_CACHE or ~/.cache/puxian/models).
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

DEFAULT_MODEL_FOLDER = "qwen2.5-coder-0.5b-instruct"


def gpu_count() -> int:
    """GPUs seen by NVML: asking torch would start CUDA in the test process before vLLM forks."""
    try:
        nvml = importlib.import_module("pynvml")
        nvml.nvmlInit()
    except Exception:  # no NVML package or no NVIDIA driver: no GPU to test on
        return 0
    try:
        return int(nvml.nvmlDeviceGetCount())
    finally:
        nvml.nvmlShutdown()


def needs_gpus(count: int = 1, vllm: bool = False) -> None:
    """Skip the calling test unless this machine can run it."""
    found = gpu_count()
    if found < count:
        pytest.skip(f"needs a GPU ({count} wanted, {found} found)" if count > 1 else "needs a GPU")
    if vllm and importlib.util.find_spec("vllm") is None:
        pytest.skip("needs a GPU with vLLM installed (pip install 'puxian-rag[vllm]')")


@pytest.fixture(scope="session")
def tokenizer_dir() -> Path:
    configured = os.environ.get("GPU_TEST_TOKENIZER_DIR")
    cache = Path(os.environ.get("PUXIAN_MODEL_CACHE", "~/.cache/puxian/models")).expanduser()
    folder = Path(configured).expanduser() if configured else cache / DEFAULT_MODEL_FOLDER
    if not (folder / "tokenizer.json").is_file():
        pytest.skip(f"needs a tokenizer folder: none at {folder} (set GPU_TEST_TOKENIZER_DIR)")
    return folder
