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
