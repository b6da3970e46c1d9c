import json

import pytest

from inference_engine import InferenceConfig, InvalidConfig


def test_defaults_are_valid_and_seed_arguments_are_accepted() -> None:
    config = InferenceConfig(model_path="/models/qwen", gpu_id=1, max_tokens=512, temperature=0.7)
    assert (config.gpu_id, config.max_tokens, config.temperature) == (1, 512, 0.7)
    assert config.tensor_parallel_size == 1
    assert config.device == "auto"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("max_tokens", 0, "max_tokens must be >= 1"),
        ("temperature", -0.1, "temperature must be >= 0"),
        ("top_p", 0.0, "top_p must be in (0, 1]"),
        ("gpu_memory_utilization", 1.5, "gpu_memory_utilization"),
        ("tensor_parallel_size", 0, "tensor_parallel_size"),
        ("dtype", "float8", "dtype must be one of"),
        ("device", "tpu", "device must be one of"),
        ("gpu_id", -1, "gpu_id must be >= 0"),
    ],
)
def test_out_of_range_values_are_refused_with_the_field_named(
    field: str, value: object, message: str
) -> None:
    with pytest.raises(
        InvalidConfig, match=message.replace("(", r"\(").replace(")", r"\)").replace("]", r"\]")
    ):
        InferenceConfig(model_path="/m", **{field: value})  # type: ignore[arg-type]


def test_empty_model_path_is_refused() -> None:
    with pytest.raises(InvalidConfig, match="model_path is empty"):
        InferenceConfig(model_path="  ")


def test_from_env_converts_types_and_applies_overrides() -> None:
    environ = {
        "INFERENCE_MODEL_PATH": "/models/x",
        "INFERENCE_GPU_ID": "2",
        "INFERENCE_TEMPERATURE": "0.2",
        "INFERENCE_STOP": "。,\n\n",
        "INFERENCE_TRUST_REMOTE_CODE": "yes",
        "INFERENCE_QUANTIZATION": "",
        "UNRELATED": "1",
    }
    config = InferenceConfig.from_env(environ=environ, max_tokens=64)
    assert config.model_path == "/models/x"
    assert config.gpu_id == 2
    assert config.temperature == 0.2
    assert config.stop == ["。", "\n\n"]
    assert config.trust_remote_code is True
    assert config.quantization is None
    assert config.max_tokens == 64


def test_from_env_names_the_variable_that_is_not_a_number() -> None:
    with pytest.raises(InvalidConfig, match="max_tokens"):
        InferenceConfig.from_env(environ={"INFERENCE_MODEL_PATH": "/m", "INFERENCE_MAX_TOKENS": "many"})


def test_from_file_reads_json_and_toml(tmp_path) -> None:  # type: ignore[no-untyped-def]
    json_file = tmp_path / "engine.json"
    json_file.write_text(json.dumps({"model_path": "/m", "top_k": 20}), encoding="utf-8")
    toml_file = tmp_path / "engine.toml"
    toml_file.write_text('model_path = "/m"\nseed = 7\n', encoding="utf-8")
    assert InferenceConfig.from_file(json_file).top_k == 20
    assert InferenceConfig.from_file(toml_file).seed == 7


def test_from_file_refuses_unknown_keys_and_bad_syntax(tmp_path) -> None:  # type: ignore[no-untyped-def]
    unknown = tmp_path / "a.json"
    unknown.write_text('{"model_path": "/m", "max_token": 5}', encoding="utf-8")
    with pytest.raises(InvalidConfig, match="unknown inference config keys: max_token"):
        InferenceConfig.from_file(unknown)
    broken = tmp_path / "b.toml"
    broken.write_text("model_path = ", encoding="utf-8")
    with pytest.raises(InvalidConfig, match="is not valid"):
        InferenceConfig.from_file(broken)
    with pytest.raises(InvalidConfig, match="cannot read"):
        InferenceConfig.from_file(tmp_path / "missing.json")
