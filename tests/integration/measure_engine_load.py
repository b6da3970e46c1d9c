"""Load time and memory of one configured engine, loaded as the server loads it (docs/benchmarks.md, issue 14).

The engine is built from the settings (`PUXIAN_ENGINES`, or the default list), loaded and warmed up
by `app.engines.loading.load_engine` with one torch thread, in a fresh process: run one engine per
process, one process at a time. Prints JSON: seconds (wall and CPU) of the load and of the warm-up,
the resident memory the engine added (anonymous and file-backed) and the process's peak.

    .venv/bin/python -m tests.integration.measure_engine_load qwen-1.5b-int8
    .venv/bin/python -m tests.integration.measure_engine_load qwen-1.5b-int8 --torch-quantize-dynamic
"""

from __future__ import annotations

import argparse
import json
import os
import time
import warnings
from typing import Any

from app.bootstrap import engine_config
from app.core.config import Settings
from app.core.logging import configure_logging
from app.engines.loading import load_engine
from inference_engine.memory import process_peak_rss_bytes, process_rss_bytes


def resident_mib() -> dict[str, int]:
    """Anonymous and file-backed (mapped model files) resident memory of this process (Linux), in MiB."""
    with open("/proc/self/status", encoding="ascii") as status:
        fields = (line.split(":", 1) for line in status)
        return {name: int(value.split()[0]) >> 10 for name, value in fields if name in ("RssAnon", "RssFile")}


def use_torch_quantize_dynamic() -> None:
    """The int8 quantization as it was before issue 14 (torch's `quantize_dynamic`), for comparison."""
    import torch

    from inference_engine import hf_hooks

    def quantize(model: Any) -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)

    hf_hooks.quantize_int8_dynamic = quantize  # type: ignore[assignment]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "engine", help="a name in PUXIAN_ENGINES (default list: transformers, qwen-1.5b, ...)"
    )
    parser.add_argument("--torch-quantize-dynamic", action="store_true", help="int8 as before issue 14")
    args = parser.parse_args()
    configure_logging("WARNING", "development")
    settings = Settings(torch_threads=1)
    spec = next(spec for spec in settings.engines if spec.name == args.engine)
    config = engine_config(settings, spec)
    import torch  # noqa: F401  (imported before the load, as in the server, where the embedder did)
    import transformers  # noqa: F401

    if args.torch_quantize_dynamic:
        use_torch_quantize_dynamic()
    before, cpu_before, stages = process_rss_bytes(), os.times(), {}
    started = time.perf_counter()

    def on_stage(stage: str) -> None:
        stages[stage] = time.perf_counter() - started

    loaded = load_engine(spec, config, warmup=True, on_stage=on_stage)
    cpu = os.times()
    warm_from = stages.get("warming up", loaded.seconds)
    print(
        json.dumps(
            {
                "engine": spec.name,
                "model": config.model_path.rsplit("/", 1)[-1],
                "quantization": config.quantization,
                "load_s": round(warm_from, 2),
                "warmup_s": round(loaded.seconds - warm_from, 2),
                "load_and_warmup_s": round(loaded.seconds, 2),
                "cpu_user_s": round(cpu.user - cpu_before.user, 2),
                "cpu_sys_s": round(cpu.system - cpu_before.system, 2),
                "engine_mib": (process_rss_bytes() - before) >> 20,
                "resident_mib": resident_mib(),
                "peak_rss_mib": process_peak_rss_bytes() >> 20,
                "load_average": os.getloadavg(),
            }
        )
    )


if __name__ == "__main__":
    main()
