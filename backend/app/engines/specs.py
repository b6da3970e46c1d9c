"""`EngineSpec`: one configured backend, as written in the `PUXIAN_ENGINES` setting."""

from __future__ import annotations

import dataclasses
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

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

    @property
    def display_label(self) -> str:
        return self.label or self.name


DEFAULT_SPECS = [EngineSpec(name="transformers", kind="transformers")]
