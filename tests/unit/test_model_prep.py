import hashlib
import json
from pathlib import Path

import pytest

from app.model_prep import llm
from app.model_prep.packages import ModelPackageMissing, package_dir
from app.model_prep.prepare import (
    MARKER,
    ModelNotPrepared,
    ModelPreparationError,
    ModelRecipe,
    is_prepared,
    prepare,
    resolve_model_folder,
)


def test_a_missing_package_gets_an_error_saying_how_to_install_it() -> None:
    with pytest.raises(ModelPackageMissing, match="make setup"):
        package_dir("puxian_no_such_model_package")


def test_joining_parts_concatenates_in_order_and_hashes(tmp_path: Path) -> None:
    parts = []
    for i, content in enumerate([b"GGUF", b"-part-two", b"-3"]):
        part = tmp_path / f"part{i}.bin"
        part.write_bytes(content)
        parts.append(part)
    joined = tmp_path / "model.gguf"
    digest = llm.join_parts(parts, joined, show_progress=False)
    assert joined.read_bytes() == b"GGUF-part-two-3"
    assert digest == hashlib.sha256(b"GGUF-part-two-3").hexdigest()


def test_the_six_llm_parts_are_installed_and_found_in_order() -> None:
    paths = llm.part_paths()
    assert [p.name for p in paths] == [f"part0{i}.bin" for i in range(1, 7)]


def recipe(builds: list[Path], fail: bool = False) -> ModelRecipe:
    def build(destination: Path, scratch: Path) -> None:
        builds.append(destination)
        (destination / "config.json").write_text("{}", encoding="utf-8")
        if fail:
            raise RuntimeError("checksum differs")

    return ModelRecipe("test model", "test-model", 1, ("pytest",), build)


def test_prepare_builds_once_and_reuses_the_cache(tmp_path: Path) -> None:
    builds: list[Path] = []
    first = prepare(recipe(builds), tmp_path)
    second = prepare(recipe(builds), tmp_path)
    assert first == second == tmp_path / "test-model"
    assert len(builds) == 1
    marker = json.loads((first / MARKER).read_text(encoding="utf-8"))
    assert marker["fingerprint"]["packages"]["pytest"]
    assert is_prepared(recipe(builds), tmp_path)


def test_a_changed_recipe_rebuilds(tmp_path: Path) -> None:
    builds: list[Path] = []
    prepare(recipe(builds), tmp_path)
    newer = ModelRecipe("test model", "test-model", 2, ("pytest",), recipe(builds).build)
    assert not is_prepared(newer, tmp_path)
    prepare(newer, tmp_path)
    assert len(builds) == 2


def test_a_failed_build_leaves_the_previous_good_copy_in_place(tmp_path: Path) -> None:
    builds: list[Path] = []
    good = prepare(recipe(builds), tmp_path)
    newer_failing = ModelRecipe("test model", "test-model", 2, ("pytest",), recipe(builds, fail=True).build)
    with pytest.raises(ModelPreparationError, match="test model: checksum differs"):
        prepare(newer_failing, tmp_path)
    assert (good / MARKER).is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["test-model"]


def test_resolving_an_unprepared_default_says_what_to_run(tmp_path: Path) -> None:
    with pytest.raises(ModelNotPrepared, match="puxian prepare-models"):
        resolve_model_folder(None, recipe([]), tmp_path)


def test_a_configured_folder_must_be_a_model_folder(tmp_path: Path) -> None:
    with pytest.raises(ModelNotPrepared, match="not a Hugging Face model folder"):
        resolve_model_folder(tmp_path, recipe([]), tmp_path)
    (tmp_path / "config.json").write_text("{}", encoding="utf-8")
    assert resolve_model_folder(tmp_path, recipe([]), tmp_path / "cache") == tmp_path
