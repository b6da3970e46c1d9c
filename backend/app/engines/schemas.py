"""Request and response bodies of the engine routes."""

from __future__ import annotations

import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.core.request_model import RequestModel
from app.core.schema_markers import engine_name
from app.engines.slot import EngineStatus


class EngineMeasurements(BaseModel):
    """Figures measured for one engine (app/engines/measurements.json); null: not measured."""

    model_config = ConfigDict(extra="forbid")

    measured_on: datetime.date
    machine: str = Field(description="Where: CPU cores and threads, or the GPU.")
    accuracy: float | None = Field(None, ge=0, le=1, description="Answerable questions answered right.")
    grounded_rate: float | None = Field(None, ge=0, le=1, description="Answers the sources bear out.")
    refusal_recall: float | None = Field(None, ge=0, le=1, description="Unanswerable questions refused.")
    false_refusal_rate: float | None = Field(None, ge=0, le=1, description="Answerable questions refused.")
    ttft_p50_seconds: float | None = Field(None, ge=0, description="Time to first token, median.")
    answer_p50_seconds: float | None = Field(None, ge=0, description="Whole answer, median.")
    tokens_per_second: float | None = Field(None, ge=0, description="New tokens per second of one request.")
    load_seconds: float | None = Field(None, ge=0)
    memory_mb: float | None = Field(None, ge=0, description="Memory it adds (CPU) or holds (GPU).")
    source: str = Field("", description="The commands and document the figures come from.")


class EnginePublic(BaseModel):
    name: str = Field(description="What a chat request's `engine` names.")
    kind: Literal["transformers", "vllm", "openai"]
    label: str
    state: Literal["unloaded", "loading", "ready", "failed"]
    available: bool = Field(description="False: it cannot run on this machine as configured.")
    unavailable_reason: str | None = Field(
        description="Why not: no NVIDIA GPU, vLLM not installed, its model not prepared (and how to)."
    )
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
    measurements: EngineMeasurements | None = Field(
        None, description="Measured speed and accuracy (checked-in figures); null: not measured."
    )

    @classmethod
    def from_status(
        cls, status: EngineStatus, default: str, measurements: EngineMeasurements | None = None
    ) -> EnginePublic:
        return cls(**vars(status), is_default=status.name == default, measurements=measurements)


class EnginesPublic(BaseModel):
    default: str
    switching_to: str | None = Field(description="The engine a switch in progress makes the default.")
    engines: list[EnginePublic]


class DefaultEngineUpdate(RequestModel):
    model_config = ConfigDict(extra="forbid")

    engine: str = Field(min_length=1, max_length=40, examples=["vllm"], json_schema_extra=engine_name())
