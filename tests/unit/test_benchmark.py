"""The engine benchmark: its options, prompts, model folders and reports, and one real run on the CPU.

The run uses the tiny-qwen2 architecture with random weights and a small tokenizer trained here, so
it takes seconds and needs no downloaded model.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from inference_engine.benchmark.__main__ import main, parse_arguments
from inference_engine.benchmark.dummy_model import ARCHITECTURES, make_dummy_model
from inference_engine.benchmark.prompts import exact_length_prompts
from inference_engine.benchmark.report import markdown, merge_reports


@pytest.fixture(scope="module")
def tokenizer_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real (small) byte-level BPE tokenizer, like Qwen's, trained here on a few sentences."""
    from tokenizers import ByteLevelBPETokenizer
    from transformers import PreTrainedTokenizerFast

    corpus = ["莆仙话是莆田和仙游的方言。", "Puxian is spoken in Putian and Xianyou.", "1, 2, 3, 4, 5"] * 50
    trained = ByteLevelBPETokenizer()
    trained.train_from_iterator(corpus, vocab_size=600, special_tokens=["<|endoftext|>", "<|im_end|>"])
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=trained._tokenizer, eos_token="<|im_end|>", pad_token="<|endoftext|>"
    )
    folder = tmp_path_factory.mktemp("tokenizer")
    tokenizer.save_pretrained(folder)
    return folder


def test_prompts_have_the_exact_token_count_and_differ(tokenizer_dir: Path) -> None:
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(tokenizer_dir)
    prompts = exact_length_prompts(tokenizer, count=5, length=40)
    assert [len(tokenizer.encode(p, add_special_tokens=False)) for p in prompts] == [40] * 5
    assert len(set(prompts)) == 5
    assert exact_length_prompts(tokenizer, 5, 40) == prompts  # seeded: reruns read the same text
    with pytest.raises(ValueError, match="length >= 1"):
        exact_length_prompts(tokenizer, 1, 0)


def test_a_dummy_model_folder_holds_the_architecture_and_the_tokenizer(
    tokenizer_dir: Path, tmp_path: Path
) -> None:
    folder = make_dummy_model("qwen2.5-7b", tokenizer_dir, tmp_path / "m")
    config = json.loads((folder / "config.json").read_text())
    assert (config["hidden_size"], config["num_hidden_layers"], config["vocab_size"]) == (3584, 28, 152064)
    assert (folder / "tokenizer.json").is_file()
    assert not list(folder.glob("*.safetensors"))
    with pytest.raises(ValueError, match="unknown architecture 'llama'"):
        make_dummy_model("llama", tokenizer_dir, tmp_path / "x")
    with pytest.raises(ValueError, match="no tokenizer in"):
        make_dummy_model("qwen2.5-7b", tmp_path / "m-empty", tmp_path / "y")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--dummy-weights"], "--dummy-weights needs --arch"),
        (["--arch", "qwen2.5-7b"], "--arch is only used with --dummy-weights"),
        (["--engines", "tgi"], "engines must be among transformers, vllm, openai"),
        (["--concurrency", "8,x"], "whole numbers separated by commas"),
        (["--num-runs", "0"], "--num-runs must be >= 1"),
    ],
)
def test_bad_options_are_refused_with_a_reason(
    arguments: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        parse_arguments(["--model-path", str(tmp_path), *arguments])
    assert message in capsys.readouterr().err


def test_the_seed_options_are_accepted(tmp_path: Path) -> None:
    arguments = parse_arguments(
        [
            "--model-path",
            str(tmp_path),
            "--gpu-id",
            "1",
            "--num-runs",
            "5",
            "--batch-test",
            "--output",
            "r.json",
        ]
    )
    assert (arguments.gpu_id, arguments.num_runs, arguments.batch_sizes) == (1, 5, [1, 4])
    assert parse_arguments(["--model-path", str(tmp_path)]).batch_sizes == []  # no --batch-test: no batches


def test_a_cpu_run_writes_json_markdown_and_a_chart(tokenizer_dir: Path, tmp_path: Path) -> None:
    output = tmp_path / "out" / "cpu.json"
    command = [
        "--model-path", str(tokenizer_dir), "--dummy-weights", "--arch", "tiny-qwen2",
        "--engines", "transformers", "--num-runs", "2", "--batch-test", "--batch-sizes", "3",
        "--concurrency", "2", "--prompt-tokens", "24", "--output-tokens", "5",
        "--device", "cpu", "--num-threads", "1", "--output", str(output),
    ]  # fmt: skip
    assert main(command) == 0
    report = json.loads(output.read_text())
    (section,) = report["engines"]
    assert section["engine"] == "transformers"
    assert section["single"]["runs"] == 2
    assert section["single"]["prompt_tokens"] == 24
    assert section["single"]["out_tokens"] == 5  # end of text ignored: every request runs to the limit
    assert section["batches"][0]["size"] == 3
    assert section["batches"][0]["out_tokens"] == 15
    assert section["streams"][0]["streams"] == 2
    assert section["streams"][0]["out_tokens"] == 10
    assert section["peak_memory"]["bytes"] > 0
    assert report["plan"]["arch"] == "tiny-qwen2"
    assert "--arch tiny-qwen2" in report["run"]["command"]
    table = output.with_suffix(".md").read_text()
    assert "| tokens/s, batch of 3 |" in table
    assert "| tokens/s, 2 concurrent streams |" in table
    assert output.with_suffix(".png").read_bytes().startswith(b"\x89PNG")


def section(engine: str, single: float, batch64: float) -> dict[str, Any]:
    return {
        "engine": engine,
        "load_s": 1.0,
        "ttft_s": 0.03,
        "single": {"tok_per_s": single},
        "batches": [{"size": 64, "tok_per_s": batch64}],
        "streams": [],
        "peak_memory": {"bytes": 28.4e9},
    }


def report(*sections: dict[str, Any], prompt_tokens: int = 1024) -> dict[str, Any]:
    return {
        "run": {
            "date": "2026-11-22",
            "command": "python -m inference_engine.benchmark ...",
            "gpu": "1× NVIDIA H200",
        },
        "plan": {"prompt_tokens": prompt_tokens, "output_tokens": 256},
        "engines": list(sections),
    }


def test_two_engines_get_a_ratio_column() -> None:
    table = markdown(report(section("vllm", 207.0, 7000.0), section("transformers", 41.4, 700.0)))
    assert "| measurement | vllm | transformers | vllm ÷ transformers |" in table
    assert "| tokens/s, 1 request | 207.0 | 41.4 | 5.0× |" in table
    assert "| tokens/s, batch of 64 | 7,000.0 | 700.0 | 10.0× |" in table
    assert "1× NVIDIA H200" in table


def test_appending_replaces_the_same_engine_and_keeps_the_others() -> None:
    earlier = report(section("vllm", 200.0, 6000.0), section("transformers", 40.0, 700.0))
    merged = merge_reports(earlier, report(section("vllm", 210.0, 7000.0)))
    assert [(s["engine"], s["single"]["tok_per_s"]) for s in merged["engines"]] == [
        ("transformers", 40.0),
        ("vllm", 210.0),
    ]
    with pytest.raises(ValueError, match="prompt_tokens=1024, this run 512"):
        merge_reports(earlier, report(section("vllm", 1.0, 1.0), prompt_tokens=512))


def test_the_architectures_include_the_reference_one() -> None:
    assert ARCHITECTURES["qwen2.5-7b"]["num_key_value_heads"] == 4
