"""`EngineSlot`: one configured engine and what the manager knows of it; `EngineStatus`: a snapshot of it."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

from app.core.engine_specs import EngineSpec
from inference_engine import BaseInferenceEngine, EngineState, InferenceConfig, unavailable_reasons

# Stages of a load and of an unload, shown with the state; the progress of a load follows them.
PREPARING = "preparing"
LOADING_MODEL = "loading model"
WARMING_UP = "warming up"
DRAINING = "draining"  # waiting for the requests still running on it before it is unloaded
UNLOADING = "unloading"

_STAGE_PROGRESS = {PREPARING: 0.05, LOADING_MODEL: 0.1, WARMING_UP: 0.9}
_LOADING_SHARE = _STAGE_PROGRESS[WARMING_UP] - _STAGE_PROGRESS[LOADING_MODEL]


@dataclass(frozen=True)
class EngineStatus:
    name: str
    kind: str
    label: str
    state: str
    available: bool
    unavailable_reason: str | None
    model: str | None
    device: str | None
    memory_mb: float | None
    progress: float | None
    error: str | None
    stage: str | None
    in_flight: int
    keep_loaded: bool
    load_seconds: float | None


@dataclass
class EngineSlot:
    """Mutable; the manager changes it under its lock only."""

    spec: EngineSpec
    config_factory: Callable[[], InferenceConfig]
    engine: BaseInferenceEngine | None = None
    state: EngineState = EngineState.UNLOADED
    stage: str | None = None
    error: str | None = None
    in_flight: int = 0
    memory_bytes: int | None = None
    device: str | None = None
    loading_since: float | None = None
    # How long the last load of this engine took: a later load's progress is estimated from it.
    last_load_seconds: float | None = None
    _model: str | None = None

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def serving(self) -> bool:
        """Takes new requests: loaded, and not on its way out."""
        return self.state is EngineState.READY and self.stage is None and self.engine is not None

    def begin_loading(self) -> None:
        self.state, self.stage, self.error = EngineState.LOADING, PREPARING, None
        self.loading_since = time.monotonic()

    def progress(self) -> float | None:
        """0..1 while loading (by stage; within the model load, by the time the previous load took)."""
        if self.state is EngineState.READY:
            return 1.0
        if self.state is not EngineState.LOADING or self.stage is None:
            return None
        progress = _STAGE_PROGRESS.get(self.stage, 0.0)
        if self.stage == LOADING_MODEL and self.last_load_seconds and self.loading_since is not None:
            elapsed = time.monotonic() - self.loading_since
            progress += _LOADING_SHARE * min(elapsed / self.last_load_seconds, 0.95)
        return round(progress, 3)

    def unavailable_reason(self) -> str | None:
        """Why this engine cannot load on this machine as configured (no GPU, vLLM missing, its model not
        prepared), checked without loading; None when it can try."""
        reasons = unavailable_reasons(self.spec.kind)
        try:
            self.config_factory()
        except Exception as exc:  # ModelNotPrepared, InvalidConfig: their messages say what to do
            reasons.append(str(exc) or type(exc).__name__)
        return "; ".join(reasons) or None

    def model_name(self) -> str | None:
        """The model's folder or served name; else the prepared model's name, or None when the
        configuration cannot be built (see `unavailable_reason`)."""
        if self._model is None:
            try:
                config = self.config_factory()
            except Exception:  # the model is not prepared or the config is wrong
                return self.spec.model
            self._model = config.served_model_name or PurePath(config.model_path).name or config.model_path
        return self._model

    def planned_device(self) -> str:
        """Where the engine runs, before it is loaded (the engine reports the real one after)."""
        if self.spec.kind == "openai":
            return "remote"
        try:
            config = self.config_factory()
        except Exception:
            return "auto"
        if config.device == "cpu":
            return "cpu"
        if config.device == "cuda" or config.gpu_id is not None:
            return f"cuda:{config.gpu_id or 0}"
        return "auto"

    def status(self) -> EngineStatus:
        # A loaded engine is available whatever happens to its folder meanwhile.
        reason = None if self.engine is not None else self.unavailable_reason()
        return EngineStatus(
            name=self.name,
            kind=self.spec.kind,
            label=self.spec.display_label,
            state=self.state.value,
            available=reason is None,
            unavailable_reason=reason,
            model=self.model_name(),
            device=self.device if self.engine is not None and self.device else self.planned_device(),
            memory_mb=round(self.memory_bytes / 2**20, 1) if self.memory_bytes is not None else None,
            progress=self.progress(),
            error=self.error,
            stage=self.stage,
            in_flight=self.in_flight,
            keep_loaded=self.spec.keep_loaded,
            load_seconds=round(self.last_load_seconds, 2) if self.last_load_seconds else None,
        )
