"""Application settings: one `Settings` object read from `PUXIAN_*` environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every setting has a safe default for the embedded setup (SQLite, Transformers on CPU)."""

    model_config = SettingsConfigDict(env_prefix="PUXIAN_", env_file=".env", extra="ignore")

    env: Literal["development", "production"] = "development"
    log_level: str = "INFO"
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)

    # Where runtime data (indexes, the SQLite file) and prepared models live.
    data_dir: Path = Path("data")
    model_cache: Path = Path("~/.cache/puxian/models").expanduser()
    knowledge_dir: Path = Path("knowledge")

    # Models: empty means the prepared defaults; any local Hugging Face folder may be named instead.
    llm_path: Path | None = None
    embedding_path: Path | None = None
    embedding_query_prefix: str = "query: "
    embedding_passage_prefix: str = "passage: "
    # On a small CPU, torch with more threads is slower for these models; 1 is measured best here.
    torch_threads: int = Field(1, ge=1)
    llm_device: Literal["auto", "cpu", "cuda"] = "auto"
    llm_gpu_id: int | None = None
    llm_quantization: str | None = None
    llm_max_tokens: int = Field(200, ge=1, le=4096)
    llm_temperature: float = Field(0.0, ge=0.0, le=2.0)
    llm_repetition_penalty: float = Field(1.05, gt=0.0)

    # Retrieval and prompting.
    chunk_chars: int = Field(300, ge=50)
    chunk_overlap_chars: int = Field(60, ge=0)
    # Three short passages: a 0.5B model answers worse, and far slower on a CPU, from more.
    top_k: int = Field(3, ge=1, le=20)
    # Best-passage cosine below which the answer is "not in the knowledge base" (docs/prompting.md).
    min_relevance: float = Field(0.86, ge=0.0, le=1.0)
    max_question_chars: int = Field(2000, ge=10)
    max_body_bytes: int = Field(64 * 1024, ge=1024)

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def documents_dir(self) -> Path:
        return self.knowledge_dir / "docs"


@lru_cache
def get_settings() -> Settings:
    return Settings()
