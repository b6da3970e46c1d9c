"""Engines built by name from settings, and what `info()` says before a model is loaded."""

from __future__ import annotations

import pytest

from inference_engine import (
    InferenceConfig,
    InvalidConfig,
    OpenAIEngine,
    TransformersEngine,
    VLLMEngine,
    build_engine,
    engine_from_env,
    engine_from_settings,
    engine_names,
)


def test_every_engine_is_built_by_its_name() -> None:
    config = InferenceConfig(model_path="/models/qwen")
    assert engine_names() == ["transformers", "vllm", "openai"]
    assert type(build_engine("transformers", config)) is TransformersEngine
    assert type(build_engine(" VLLM ", config)) is VLLMEngine
    assert type(build_engine("openai", config)) is OpenAIEngine


def test_an_unknown_name_lists_the_known_ones() -> None:
    with pytest.raises(InvalidConfig, match="unknown engine 'tgi'; choose one of transformers, vllm, openai"):
        build_engine("tgi", InferenceConfig(model_path="m"))


def test_stored_settings_name_the_engine_and_its_config() -> None:
    engine = engine_from_settings(
        {"engine": "openai", "model_path": "qwen", "server_urls": ["http://gpu-1:8000/v1"], "max_tokens": 200}
    )
    assert isinstance(engine, OpenAIEngine)
    assert engine.config.server_urls == ["http://gpu-1:8000/v1"]
    assert engine.config.max_tokens == 200
    assert isinstance(engine_from_settings({"model_path": "qwen"}), TransformersEngine)  # the default
    with pytest.raises(InvalidConfig, match="unknown inference config keys: gpu"):
        engine_from_settings({"engine": "vllm", "model_path": "qwen", "gpu": 1})


def test_the_environment_names_the_engine() -> None:
    engine = engine_from_env(
        environ={"INFERENCE_ENGINE": "vllm", "INFERENCE_MODEL_PATH": "/m", "INFERENCE_GPU_ID": "1"}
    )
    assert isinstance(engine, VLLMEngine)
    assert engine.config.gpu_id == 1


@pytest.mark.parametrize("name", ["transformers", "vllm", "openai"])
def test_info_before_loading_reports_model_and_state(name: str) -> None:
    info = build_engine(
        name, InferenceConfig(model_path="/models/qwen", server_urls=["http://x:1/v1"])
    ).info()
    assert info["engine"] == name
    assert info["model_path"] == "/models/qwen"
    assert info["state"] == "unloaded"
    assert info["error"] is None
    assert "device" in info
