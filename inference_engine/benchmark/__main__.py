"""Command line of the engine benchmark; `python -m inference_engine.benchmark --help`."""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import json
import logging
import shlex
import sys
import tempfile
from pathlib import Path
from typing import Any

from inference_engine.benchmark.dummy_model import ARCHITECTURES, make_dummy_model
from inference_engine.benchmark.measure import Plan, measure_engine
from inference_engine.benchmark.prompts import exact_length_prompts
from inference_engine.benchmark.report import markdown, merge_reports, write_chart, write_json
from inference_engine.config import InferenceConfig
from inference_engine.errors import EngineError
from inference_engine.registry import build_engine, engine_names

log = logging.getLogger("inference_engine.benchmark")


def _counts(text: str) -> list[int]:
    try:
        values = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected whole numbers separated by commas, got {text!r}"
        ) from None
    if any(value < 1 for value in values):
        raise argparse.ArgumentTypeError(f"every number must be >= 1, got {text!r}")
    return values


def _engines(text: str) -> list[str]:
    names = [part.strip().lower() for part in text.split(",") if part.strip()]
    unknown = [name for name in names if name not in engine_names()]
    if not names or unknown:
        raise argparse.ArgumentTypeError(f"engines must be among {', '.join(engine_names())}, got {text!r}")
    return names


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m inference_engine.benchmark",
        description="Time to first token, latency and tokens/s of the inference engines on the same prompts.",
    )
    parser.add_argument(
        "--model-path",
        type=Path,
        required=True,
        help="model folder (with --dummy-weights: where the tokenizer is)",
    )
    parser.add_argument(
        "--engines",
        type=_engines,
        default=["transformers"],
        help="comma-separated: " + ", ".join(engine_names()),
    )
    parser.add_argument(
        "--gpu-id", type=int, default=None, help="first GPU to use (default: the first visible one)"
    )
    parser.add_argument(
        "--num-runs", type=int, default=3, help="single requests (and TTFT readings) per engine"
    )
    parser.add_argument(
        "--batch-test", action="store_true", help="also time batch_generate() at --batch-sizes"
    )
    parser.add_argument("--batch-sizes", type=_counts, default=[1, 4], help="comma-separated, e.g. 1,8,32,64")
    parser.add_argument(
        "--concurrency", type=_counts, default=[], help="numbers of concurrent streams, e.g. 64"
    )
    parser.add_argument("--prompt-tokens", type=int, default=256)
    parser.add_argument("--output-tokens", type=int, default=64)
    parser.add_argument(
        "--dummy-weights", action="store_true", help="random weights of --arch (no weight files needed)"
    )
    parser.add_argument(
        "--arch", choices=sorted(ARCHITECTURES), default=None, help="architecture for --dummy-weights"
    )
    parser.add_argument("--tensor-parallel-size", type=int, default=1)
    parser.add_argument("--gpu-memory-utilization", type=float, default=0.9)
    parser.add_argument("--max-model-len", type=int, default=None)
    parser.add_argument("--dtype", default="auto")
    parser.add_argument("--quantization", default=None)
    parser.add_argument(
        "--enforce-eager", action="store_true", help="vLLM: no CUDA graphs (faster start, slower decoding)"
    )
    parser.add_argument("--device", default="auto", help="transformers: auto, cpu or cuda")
    parser.add_argument("--num-threads", type=int, default=None, help="transformers on a CPU: torch threads")
    parser.add_argument(
        "--server-url", action="append", default=[], help="openai engine: a base URL (repeatable)"
    )
    parser.add_argument(
        "--served-model-name", default=None, help="openai engine: the model's name on the server"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--output", type=Path, default=Path("benchmark.json"), help="JSON; .md and .png are written beside it"
    )
    parser.add_argument(
        "--append", action="store_true", help="merge into an existing --output (other engines kept)"
    )
    arguments = parser.parse_args(argv)
    if arguments.dummy_weights and not arguments.arch:
        parser.error("--dummy-weights needs --arch (" + ", ".join(sorted(ARCHITECTURES)) + ")")
    if arguments.arch and not arguments.dummy_weights:
        parser.error("--arch is only used with --dummy-weights")
    for name in ("num_runs", "prompt_tokens", "output_tokens", "tensor_parallel_size"):
        if getattr(arguments, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be >= 1")
    if not arguments.model_path.is_dir():
        parser.error(f"--model-path {arguments.model_path} is not a folder")
    if not arguments.batch_test:
        arguments.batch_sizes = []
    return arguments


def engine_config(arguments: argparse.Namespace, model_dir: Path) -> InferenceConfig:
    return InferenceConfig(
        model_path=str(model_dir),
        gpu_id=arguments.gpu_id,
        tensor_parallel_size=arguments.tensor_parallel_size,
        gpu_memory_utilization=arguments.gpu_memory_utilization,
        max_model_len=arguments.max_model_len,
        dtype=arguments.dtype,
        quantization=arguments.quantization,
        seed=arguments.seed,
        device=arguments.device,
        num_threads=arguments.num_threads,
        load_format="dummy" if arguments.dummy_weights else "auto",
        enforce_eager=arguments.enforce_eager,
        server_urls=list(arguments.server_url),
        served_model_name=arguments.served_model_name,
        temperature=0.0,
    )


def run_description(argv: list[str]) -> dict[str, Any]:
    """Where and with what the figures were measured."""
    versions: dict[str, str | None] = {}
    for package in ("torch", "transformers", "vllm"):
        try:
            versions[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            versions[package] = None
    gpu = None
    try:
        import torch

        if torch.cuda.is_available():
            gpu = f"{torch.cuda.device_count()}× {torch.cuda.get_device_name(0)}"
    except ImportError:
        pass
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": "python -m inference_engine.benchmark " + shlex.join(argv),
        "gpu": gpu,
        "versions": versions,
    }


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    arguments = parse_arguments(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s", datefmt="%H:%M:%S"
    )
    plan = Plan(
        prompt_tokens=arguments.prompt_tokens,
        output_tokens=arguments.output_tokens,
        num_runs=arguments.num_runs,
        batch_sizes=arguments.batch_sizes,
        concurrency=arguments.concurrency,
    )
    report: dict[str, Any] = {
        "run": run_description(argv),
        "plan": plan.__dict__ | {"arch": arguments.arch},
        "engines": [],
    }
    with tempfile.TemporaryDirectory(prefix="dummy-model-") as scratch:
        model_dir = arguments.model_path
        if arguments.dummy_weights:
            model_dir = make_dummy_model(arguments.arch, arguments.model_path, Path(scratch))
            log.info("random weights of %s, tokenizer from %s", arguments.arch, arguments.model_path)
        from transformers import AutoTokenizer

        tokenizer = AutoTokenizer.from_pretrained(model_dir)
        prompts = exact_length_prompts(tokenizer, plan.prompts_needed, plan.prompt_tokens, arguments.seed)
        for name in arguments.engines:
            try:
                engine = build_engine(name, engine_config(arguments, model_dir))
                report["engines"].append(measure_engine(engine, prompts, plan))
            except EngineError as exc:
                log.error("%s: %s", name, exc)
                return 1
    if arguments.append and arguments.output.is_file():
        report = merge_reports(json.loads(arguments.output.read_text(encoding="utf-8")), report)
    write_json(report, arguments.output)
    table = markdown(report)
    arguments.output.with_suffix(".md").write_text(table, encoding="utf-8")
    write_chart(report, arguments.output.with_suffix(".png"))
    print(table)
    log.info(
        "wrote %s, %s and %s",
        arguments.output,
        arguments.output.with_suffix(".md"),
        arguments.output.with_suffix(".png"),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
