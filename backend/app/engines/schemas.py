"""Request and response bodies of the engine routes."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.engines.slot import EngineStatus


class EnginePublic(BaseModel):
    name: str = Field(description="What a chat request's `engine` names.")
    kind: Literal["transformers", "vllm", "openai"]
    label: str
    state: Literal["unloaded", "loading", "ready", "failed"]
    model: str | None = Field(description="The model's folder name, or its name on the remote server.")
    device: str | None = Field(description="cpu, cuda:0, cuda:0,1, remote; auto before a local load.")
    memory_mb: float | None = Field(
        description="GPU memory where reported, else the process's growth over the load; null: remote."
    )
    progress: float | None = Field(description="0..1 while loading, 1 when ready, else null.")
    error: str | None = Field(description="Why the last load failed.")
    stage: str | None = Field(
        description="preparing, loading model, warming up; draining, unloading (after a switch away)."
    )
    in_flight: int = Field(description="Requests running on this engine now.")
    keep_loaded: bool
    is_default: bool
    load_seconds: float | None = Field(description="How long the last load took.")

    @classmethod
    def from_status(cls, status: EngineStatus, default: str) -> EnginePublic:
        return cls(**vars(status), is_default=status.name == default)


class EnginesPublic(BaseModel):
    default: str
    switching_to: str | None = Field(description="The engine a switch in progress makes the default.")
    engines: list[EnginePublic]


class DefaultEngineUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    engine: str = Field(min_length=1, max_length=40, examples=["vllm"])
