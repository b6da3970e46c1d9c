"""Engines that name a prepared model, and engines that cannot run here (issue 14): listed with the
reason, refused with it, never loaded. No model is loaded: the engines' loads are replaced."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from app.bootstrap import build_engine_manager, engine_config
from app.core.config import Settings
from app.core.engine_specs import DEFAULT_SPECS, EngineSpec
from app.core.errors import ApiError
from app.engines import manager as manager_module
from app.engines.loading import LoadedEngine
from app.engines.manager import EngineManager
from app.engines.measurements import MEASUREMENTS_FILE, engine_measurements
from app.engines.schemas import EnginePublic
from app.engines.slot import EngineSlot
from app.model_prep.prepare import MARKER
from inference_engine import EngineUnavailable, InferenceConfig, unavailable_reasons, vllm_engine

PREPARE_15B = "run `puxian prepare-models --llm qwen2.5-coder-1.5b`"


def settings_with(cache: Path, engines: list[dict[str, Any]] | None = None, **values: Any) -> Settings:
    fields: dict[str, Any] = {"model_cache": cache, "data_dir": cache / "data", **values}
    if engines is not None:
        fields["engines"] = engines
        fields.setdefault("default_engine", engines[0]["name"])
    return Settings(_env_file=None, **fields)  # type: ignore[call-arg]


def prepared(cache: Path, folder: str) -> Path:
    """A model folder as `puxian prepare-models` leaves it (a marker and a config, no weights)."""
    path = cache / folder
    path.mkdir(parents=True)
    (path / "config.json").write_text("{}", encoding="utf-8")
    (path / MARKER).write_text(json.dumps({"fingerprint": {"recipe": 1}}), encoding="utf-8")
    return path


@pytest.fixture
def no_gpu(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vllm_engine, "nvidia_gpu_count", lambda: 0)
    monkeypatch.setattr(vllm_engine, "vllm_installed", lambda: False)


# ------------------------------------------------------------------ configuration


def test_a_newcomer_gets_the_default_and_every_choice_listed() -> None:
    specs = {spec.name: spec for spec in Settings(_env_file=None).engines}  # type: ignore[call-arg]
    assert specs == {spec.name: spec for spec in DEFAULT_SPECS}
    assert [(s.name, s.kind, s.model, s.config) for s in DEFAULT_SPECS] == [
        ("transformers", "transformers", None, {}),
        ("transformers-int8", "transformers", None, {"quantization": "int8"}),
        ("qwen-1.5b", "transformers", "qwen2.5-coder-1.5b", {}),
        ("qwen-1.5b-int8", "transformers", "qwen2.5-coder-1.5b", {"quantization": "int8", "device": "cpu"}),
        ("vllm", "vllm", "qwen2.5-coder-1.5b", {}),
    ]
    assert Settings(_env_file=None).default_engine == "transformers"  # type: ignore[call-arg]


def test_an_engine_names_a_prepared_model_or_a_path_not_both() -> None:
    with pytest.raises(ValidationError, match=r"both a prepared model and config\.model_path"):
        EngineSpec(name="x", kind="transformers", model="qwen2.5-coder-1.5b", config={"model_path": "/m"})
    with pytest.raises(ValidationError, match="model"):
        EngineSpec(name="x", kind="transformers", model="../etc")


def test_a_prepared_model_is_found_in_the_model_cache(tmp_path: Path) -> None:
    folder = prepared(tmp_path, "qwen2.5-coder-1.5b-instruct")
    settings = settings_with(tmp_path)
    spec = next(spec for spec in settings.engines if spec.name == "qwen-1.5b-int8")
    config = engine_config(settings, spec)
    assert (config.model_path, config.quantization) == (str(folder), "int8")


# ------------------------------------------------------------------ reasons


def test_only_vllm_needs_a_gpu_and_vllm(no_gpu: None, monkeypatch: pytest.MonkeyPatch) -> None:
    assert unavailable_reasons("transformers") == []
    assert unavailable_reasons("openai") == []
    assert unavailable_reasons("vllm") == ["no NVIDIA GPU on this machine", "vLLM is not installed"]
    monkeypatch.setattr(vllm_engine, "nvidia_gpu_count", lambda: 1)
    assert unavailable_reasons("vllm") == ["vLLM is not installed"]
    monkeypatch.setattr(vllm_engine, "vllm_installed", lambda: True)
    assert unavailable_reasons("vllm") == []


def test_engines_that_cannot_run_here_are_listed_with_every_reason(tmp_path: Path, no_gpu: None) -> None:
    prepared(tmp_path, "qwen2.5-coder-0.5b-instruct")
    manager = build_engine_manager(settings_with(tmp_path))
    statuses = {status.name: status for status in manager.snapshot().engines}
    assert list(statuses) == ["transformers", "transformers-int8", "qwen-1.5b", "qwen-1.5b-int8", "vllm"]
    for name in ("transformers", "transformers-int8"):
        assert (statuses[name].available, statuses[name].unavailable_reason) == (True, None)
    for name in ("qwen-1.5b", "qwen-1.5b-int8"):
        status = statuses[name]
        assert (status.available, status.state, status.model) == (False, "unloaded", "qwen2.5-coder-1.5b")
        assert status.unavailable_reason is not None
        assert status.unavailable_reason.endswith(PREPARE_15B)
    vllm = statuses["vllm"].unavailable_reason
    assert vllm is not None
    assert vllm.startswith("no NVIDIA GPU on this machine; vLLM is not installed; ")
    assert vllm.endswith(PREPARE_15B)

    prepared(tmp_path, "qwen2.5-coder-1.5b-instruct")  # prepared while the server runs
    statuses = {status.name: status for status in manager.snapshot().engines}
    assert statuses["qwen-1.5b"].available
    assert statuses["qwen-1.5b"].model == "qwen2.5-coder-1.5b-instruct"
    assert statuses["vllm"].unavailable_reason == "no NVIDIA GPU on this machine; vLLM is not installed"


def test_an_engine_of_an_unknown_prepared_model_says_which_there_are(tmp_path: Path) -> None:
    slot = EngineSlot(
        EngineSpec(name="x", kind="transformers", model="qwen9"),
        lambda: engine_config(
            settings_with(tmp_path), EngineSpec(name="x", kind="transformers", model="qwen9")
        ),
    )
    assert slot.unavailable_reason() == (
        "there is no model 'qwen9'; the models are qwen2.5-coder-0.5b, qwen2.5-coder-1.5b"
    )


# ------------------------------------------------------------------ the manager


class FakeEngine:
    """Stands in for a loaded engine: the manager only holds it and unloads it."""

    def unload(self) -> None:
        pass


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the engines the manager loaded (no model is loaded)."""
    loaded: list[str] = []

    def load(spec: EngineSpec, config: InferenceConfig, warmup: bool, on_stage: Any) -> LoadedEngine:
        loaded.append(spec.name)
        return LoadedEngine(FakeEngine(), 0.1, 1, "cpu")  # type: ignore[arg-type]

    monkeypatch.setattr(manager_module, "load_engine", load)
    monkeypatch.setattr(manager_module, "unload_engine", lambda engine: None)
    return loaded


def manager_for(tmp_path: Path, **values: Any) -> EngineManager:
    prepared(tmp_path, "qwen2.5-coder-0.5b-instruct")
    engines: list[dict[str, Any]] = [
        {"name": "transformers", "kind": "transformers"},
        {"name": "qwen-1.5b", "kind": "transformers", "model": "qwen2.5-coder-1.5b"},
        {"name": "vllm", "kind": "vllm", "model": "qwen2.5-coder-1.5b", "keep_loaded": True},
    ]
    return build_engine_manager(settings_with(tmp_path, engines, **values))


def test_switching_to_or_naming_an_unavailable_engine_is_refused_with_the_reason(
    tmp_path: Path, no_gpu: None, loads: list[str]
) -> None:
    manager = manager_for(tmp_path)
    manager.start()
    assert loads == ["transformers"], "a kept-loaded engine that cannot run here is not tried"
    assert manager.status("vllm").state == "unloaded"
    for attempt in (lambda: manager.switch("qwen-1.5b"), lambda: manager.lease("qwen-1.5b")):
        with pytest.raises(ApiError) as refused:
            attempt()
        assert (refused.value.status, refused.value.code) == (409, "engine_unavailable")
        assert refused.value.detail.startswith("The engine 'qwen-1.5b' cannot run on this server: the LLM")
        assert refused.value.detail.endswith(PREPARE_15B)
    with pytest.raises(ApiError, match="no NVIDIA GPU on this machine"):
        manager.check("vllm")
    assert manager.switching_to is None
    assert manager.default_name == "transformers"


def test_a_default_that_cannot_run_here_stops_the_start_with_the_reason(
    tmp_path: Path, no_gpu: None, loads: list[str]
) -> None:
    manager = manager_for(tmp_path, default_engine="qwen-1.5b")
    with pytest.raises(EngineUnavailable, match=r"prepare-models --llm qwen2\.5-coder-1\.5b"):
        manager.start()
    assert loads == []
    status = manager.status("qwen-1.5b")
    assert (status.state, status.available) == ("failed", False)

    restarted = manager_for(tmp_path / "again", default_engine="qwen-1.5b")
    restarted.start(fallback="transformers")  # a stored choice that cannot run falls back
    assert (restarted.default_name, loads) == ("transformers", ["transformers"])


# ------------------------------------------------------------------ measurements


def test_the_checked_in_measurements_are_valid_and_name_configured_engines() -> None:
    measured = engine_measurements(MEASUREMENTS_FILE)
    known = {spec.name for spec in DEFAULT_SPECS}
    assert set(measured) <= known
    assert {"transformers", "qwen-1.5b", "qwen-1.5b-int8"} <= set(measured)
    for figures in measured.values():
        assert figures.machine
        assert figures.load_seconds is None or figures.load_seconds <= 20, "a prepared engine loads in 20 s"


def test_an_engine_is_served_with_its_figures_or_none(tmp_path: Path) -> None:
    slot = EngineSlot(EngineSpec(name="t", kind="transformers"), lambda: InferenceConfig(model_path="/m/q"))
    status = slot.status()
    assert EnginePublic.from_status(status, "t").measurements is None
    figures = engine_measurements()["transformers"]
    public = EnginePublic.from_status(status, "t", figures)
    assert public.measurements == figures
    assert public.available is True
    assert public.model_dump(mode="json")["measurements"]["measured_on"] == figures.measured_on.isoformat()


def test_a_malformed_measurements_file_is_an_error(tmp_path: Path) -> None:
    broken = tmp_path / "measurements.json"
    broken.write_text('{"engines": {"x": {"measured_on": "2026-12-05", "machine": "m", "accuracy": 3}}}')
    with pytest.raises(ValidationError, match="accuracy"):
        engine_measurements(broken)
