"""The InferenceConfig fields of the vLLM and OpenAI-compatible engines."""

from __future__ import annotations

import pytest

from inference_engine import InferenceConfig, InvalidConfig


def test_server_settings_come_from_the_environment() -> None:
    config = InferenceConfig.from_env(
        environ={
            "INFERENCE_MODEL_PATH": "qwen",
            "INFERENCE_SERVER_URLS": "http://a:8000/v1,http://b:8000/v1",
            "INFERENCE_REQUEST_TIMEOUT": "30",
            "INFERENCE_MAX_RETRIES": "0",
            "INFERENCE_ENFORCE_EAGER": "true",
            "INFERENCE_LOAD_FORMAT": "dummy",
        }
    )
    assert config.server_urls == ["http://a:8000/v1", "http://b:8000/v1"]
    assert (config.request_timeout, config.max_retries) == (30.0, 0)
    assert config.enforce_eager is True
    assert config.load_format == "dummy"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("server_urls", ["localhost:8000"], "server_urls must be http"),
        ("request_timeout", 0, "request_timeout must be > 0"),
        ("max_retries", -1, "max_retries must be >= 0"),
        ("load_format", "safetensors", "load_format must be one of auto, dummy"),
    ],
)
def test_bad_values_are_refused_with_the_field_named(field: str, value: object, message: str) -> None:
    with pytest.raises(InvalidConfig, match=message):
        InferenceConfig(model_path="m", **{field: value})  # type: ignore[arg-type]


def test_a_request_gets_at_most_max_request_tokens_and_a_frozen_temperature_is_greedy() -> None:
    from inference_engine import TransformersEngine

    capped = TransformersEngine(InferenceConfig(model_path="unused", max_tokens=200, max_request_tokens=24))
    assert capped._sampling({"max_tokens": 4096}).max_tokens == 24
    assert capped._sampling({"max_tokens": 8}).max_tokens == 8
    assert capped._sampling({}).max_tokens == 24  # the default too is held to it
    # Logits divided by a denormal temperature overflow to inf (NaN probabilities): greedy instead.
    assert capped._sampling({"temperature": 2.2e-308}).temperature == 0.0
    assert capped._sampling({"temperature": 0.5}).temperature == 0.5
    with pytest.raises(InvalidConfig, match="max_request_tokens"):
        InferenceConfig(model_path="unused", max_request_tokens=0)
