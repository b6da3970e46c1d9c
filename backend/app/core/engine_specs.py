"""`EngineSpec`: one configured backend, as written in the `PUXIAN_ENGINES` setting."""

from __future__ import annotations

import dataclasses
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from inference_engine import InferenceConfig

EngineKind = Literal["transformers", "vllm", "openai"]
_CONFIG_FIELDS = frozenset(field.name for field in dataclasses.fields(InferenceConfig))


class EngineSpec(BaseModel):
    """A named engine: its kind, and the `InferenceConfig` fields that differ from the `PUXIAN_LLM_*` ones.

    Several specs may share a kind (two `openai` remotes, or the same model with and without int8).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    # Stored in engine_settings.engine (40 characters) and used in URLs and metrics labels.
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]{0,39}$")
    kind: EngineKind
    label: str = Field("", max_length=80, description="Shown in the UI; the name when empty.")
    # A prepared model by name (`puxian prepare-models --llm NAME`), found in the model cache, so that a
    # setting names no path of this machine. None: `config.model_path`, else the default LLM.
    model: str | None = Field(None, pattern=r"^[a-z0-9][a-z0-9._-]{0,79}$")
    config: dict[str, Any] = Field(default_factory=dict)
    # Loaded at startup and never unloaded by a switch, so that chat requests may name it at any
    # time: for remotes, which hold no memory here.
    keep_loaded: bool = False

    @field_validator("config")
    @classmethod
    def _known_fields(cls, value: dict[str, Any]) -> dict[str, Any]:
        unknown = sorted(set(value) - _CONFIG_FIELDS)
        if unknown:
            raise ValueError(f"unknown inference config field(s): {', '.join(unknown)}")
        return value

    @model_validator(mode="after")
    def _one_model(self) -> EngineSpec:
        if self.model is not None and "model_path" in self.config:
            raise ValueError(f"engine {self.name!r} names both a prepared model and config.model_path")
        return self

    @property
    def display_label(self) -> str:
        return self.label or self.name


STRONGER_MODEL = "qwen2.5-coder-1.5b"
# What a newcomer's `make run` lists: the default 0.5B (fp32 and int8), and the choices an admin has
# once they are prepared (the 1.5B) or on a machine with an NVIDIA GPU and vLLM. Engines that cannot
# load here are listed as unavailable with the reason, never hidden (docs/engines.md).
DEFAULT_SPECS = [
    EngineSpec(name="transformers", kind="transformers", label="Qwen 0.5B"),
    # As accurate as the default on the answer evaluation and twice as fast to answer on a CPU, at
    # twice the load time and with more drafts rewritten by the grounding check (docs/benchmarks.md).
    EngineSpec(
        name="transformers-int8", kind="transformers", label="Qwen 0.5B int8", config={"quantization": "int8"}
    ),
    EngineSpec(name="qwen-1.5b", kind="transformers", label="Qwen 1.5B", model=STRONGER_MODEL),
    EngineSpec(
        name="qwen-1.5b-int8",
        kind="transformers",
        label="Qwen 1.5B int8",
        model=STRONGER_MODEL,
        config={"quantization": "int8", "device": "cpu"},  # the CPU's int8, on a GPU machine too
    ),
    EngineSpec(name="vllm", kind="vllm", label="Qwen 1.5B vLLM (GPU)", model=STRONGER_MODEL),
]
