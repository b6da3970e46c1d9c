"""TransformersEngine placed on a GPU by gpu_id (random weights of a real architecture)."""

from __future__ import annotations

from pathlib import Path

import pytest

from inference_engine import InferenceConfig, TransformersEngine
from inference_engine.benchmark.dummy_model import make_dummy_model
from tests.gpu.conftest import needs_gpus

pytestmark = pytest.mark.gpu


def test_transformers_runs_on_the_chosen_gpu_in_bf16(tokenizer_dir: Path, tmp_path: Path) -> None:
    needs_gpus(1)
    model = make_dummy_model("qwen2.5-0.5b", tokenizer_dir, tmp_path / "m")
    config = InferenceConfig(model_path=str(model), load_format="dummy", gpu_id=0, temperature=0.0)
    with TransformersEngine(config) as engine:
        results = engine.batch_generate(["你好", "莆田在哪里？"], max_tokens=12, ignore_eos=True)
        assert [r["completion_tokens"] for r in results] == [12, 12]
        info = engine.info()
        assert info["device"] == "cuda:0"
        assert info["dtype"] == "bfloat16"
        assert info["gpu_peak_bytes"] > 0
