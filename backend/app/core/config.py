"""Application settings: one `Settings` object read from `PUXIAN_*` environment variables."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from app.core.engine_specs import DEFAULT_SPECS, EngineSpec

# Shorter secrets (and the "changethis" of templates) can be guessed offline from one token.
MIN_JWT_SECRET_CHARS = 32


class Settings(BaseSettings):
    """Every setting has a safe default for the embedded setup (SQLite, Transformers on CPU)."""

    model_config = SettingsConfigDict(env_prefix="PUXIAN_", env_file=".env", extra="ignore")

    env: Literal["development", "production"] = "development"
    log_level: str = "INFO"
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    # Reverse proxies whose X-Forwarded-For / -Proto are believed (comma-separated IPs or networks,
    # as uvicorn's forwarded_allow_ips). Empty: none, so no client can pose as another address in
    # the audit log or the sign-in throttle.
    trusted_proxies: str = ""

    # Where runtime data (indexes, the SQLite file) and prepared models live.
    data_dir: Path = Path("data")
    model_cache: Path = Path("~/.cache/puxian/models").expanduser()
    knowledge_dir: Path = Path("knowledge")
    # Empty means a SQLite file in the data folder; production uses postgresql+psycopg://...
    database_url: str = ""

    # Models: empty means the prepared defaults; any local Hugging Face folder may be named instead.
    llm_path: Path | None = None
    embedding_path: Path | None = None
    embedding_query_prefix: str = "query: "
    embedding_passage_prefix: str = "passage: "
    # On a small CPU, torch with more threads is slower for these models; 1 is measured best here.
    torch_threads: int = Field(1, ge=1)
    # Embedding many passages at once (ingestion) is faster on every core; 0 means all of them.
    ingest_threads: int = Field(0, ge=0)
    llm_device: Literal["auto", "cpu", "cuda"] = "auto"
    llm_gpu_id: int | None = None
    llm_quantization: str | None = None
    llm_max_tokens: int = Field(200, ge=1, le=4096)
    # The most a request's own max_tokens (the playground, /v1) gets; more is cut to it.
    llm_request_max_tokens: int = Field(1024, ge=1, le=32768)
    llm_temperature: float = Field(0.0, ge=0.0, le=2.0)
    llm_repetition_penalty: float = Field(1.05, gt=0.0)

    # Retrieval and prompting.
    chunk_chars: int = Field(300, ge=50)
    chunk_overlap_chars: int = Field(60, ge=0)
    # Three short passages: a 0.5B model answers worse, and far slower on a CPU, from more.
    top_k: int = Field(3, ge=1, le=20)
    # Hybrid retrieval: reciprocal rank fusion of dense, BM25 and exact headword lookup.
    dense_weight: float = Field(1.0, ge=0.0)
    lexical_weight: float = Field(1.0, ge=0.0)
    headword_weight: float = Field(2.0, ge=0.0)
    romanized_weight: float = Field(2.0, ge=0.0)
    rrf_k: int = Field(60, ge=1)
    retrieval_candidates: int = Field(30, ge=1, le=500)
    # Best-passage cosine below which the answer is "not in the knowledge base" (docs/prompting.md).
    min_relevance: float = Field(0.86, ge=0.0, le=1.0)
    max_question_chars: int = Field(2000, ge=10)
    max_body_bytes: int = Field(64 * 1024, ge=1024)
    # Knowledge uploads (POST /api/admin/documents) may be larger than any other request body.
    max_upload_bytes: int = Field(20 * 1024 * 1024, ge=1024)
    # An uploaded document making more chunks is refused before any is embedded (a 21 KB .docx of
    # 200,000 paragraphs cost 260 s and 3.4 GB); `puxian ingest` and imports have no such bound.
    max_upload_chunks: int = Field(20_000, ge=1)
    # The built browser UI served at /; empty means frontend/dist of this checkout.
    frontend_dir: Path | None = None

    # Accounts and authentication (docs/api.md).
    # Signs the browser's tokens. Required outside development; in development an unset secret is
    # generated once and kept in the data folder (never a fixed default that anyone could know).
    jwt_secret: SecretStr | None = None
    access_token_minutes: int = Field(60, ge=1, le=24 * 60)
    refresh_token_days: int = Field(14, ge=1, le=365)
    # "admin": only admins create accounts; "open": anyone may register as a user.
    registration: Literal["admin", "open"] = "admin"
    password_min_length: int = Field(8, ge=8, le=128)
    # After this many failed logins for one username from one client, that client waits 60 s, then
    # twice as long after each further failure, up to login_lockout_seconds (app/auth/throttle.py).
    login_max_failures: int = Field(5, ge=1)
    login_lockout_seconds: int = Field(15 * 60, ge=1)
    # Development only: an admin created at startup if missing (production: `puxian create-admin`).
    # With no administrator, a one-time setup code valid this long is printed in the log at start-up.
    setup_code_minutes: int = Field(60, ge=1)
    first_admin_username: str | None = None
    first_admin_password: SecretStr | None = None

    # Inference engines (docs/streaming.md). `engines` is a JSON list of {name, kind, label?, config?,
    # keep_loaded?}; `config` holds InferenceConfig fields that differ from the PUXIAN_LLM_* ones. The
    # default engine answers requests that name none; an admin's switch is stored in the database
    # and wins over this setting at the next start.
    engines: list[EngineSpec] = Field(default_factory=lambda: list(DEFAULT_SPECS), min_length=1)
    default_engine: str = "transformers"
    # One short generation after loading, before an engine takes requests (the first is slow).
    engine_warmup: bool = True
    # Back-pressure (app/engines/admission.py): requests an engine takes at once, running and
    # waiting (past it: 503 with Retry-After), and per user, at once and per minute (past: 429).
    max_pending_generations: int = Field(4, ge=1)
    user_concurrent_requests: int = Field(2, ge=1)
    user_requests_per_minute: int = Field(20, ge=1)

    # Multi-turn chat: earlier turns of the conversation go into the prompt, newest first, while
    # they fit this many (estimated) tokens; 0 turns history off.
    history_max_tokens: int = Field(400, ge=0, le=8000)
    history_max_turns: int = Field(3, ge=0, le=20)
    # "questions": earlier questions only, listed before the passages; "turns": earlier questions
    # and answers as chat turns. The 0.5B default copies earlier answers into new ones ("turns":
    # 1 of 3 follow-ups right, "questions": 2 of 3, docs/streaming.md); a 7B model may do better.
    history_mode: Literal["questions", "turns"] = "questions"
    # Check every answer's words, romanizations and numbers against what it cites (chat/grounding.py);
    # off: answers are shown as the model writes them (to measure the model alone).
    grounding_check: bool = True
    # An answer without a word card opens with the best passage's sentence, quoted, and the model
    # goes on from it (docs/answers.md): the 0.5B restates passages badly in words of its own.
    quote_first: bool = True
    # A streamed answer sends an SSE comment after this many idle seconds (a queued request on a
    # busy CPU), so that proxies do not close the connection.
    stream_heartbeat_seconds: float = Field(15.0, gt=0)

    # Prometheus metrics at /metrics: public unless a token is set, then `Authorization: Bearer <token>`.
    metrics_enabled: bool = True
    metrics_token: SecretStr | None = None

    @model_validator(mode="after")
    def _default_engine_is_configured(self) -> Settings:
        names = [spec.name for spec in self.engines]
        if len(set(names)) != len(names):
            raise ValueError(f"PUXIAN_ENGINES names must be unique, got {', '.join(names)}")
        if self.default_engine not in names:
            raise ValueError(
                f"PUXIAN_DEFAULT_ENGINE={self.default_engine!r} is not among PUXIAN_ENGINES "
                f"({', '.join(names)})"
            )
        return self

    @model_validator(mode="after")
    def _refuse_insecure_production(self) -> Settings:
        if self.env == "development":
            return self
        secret = self.jwt_secret.get_secret_value() if self.jwt_secret else ""
        if len(secret) < MIN_JWT_SECRET_CHARS:
            raise ValueError(
                f"PUXIAN_JWT_SECRET must be set to a random string of at least {MIN_JWT_SECRET_CHARS} "
                "characters outside development, e.g. the output of "
                "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`"
            )
        if self.first_admin_username or self.first_admin_password:
            raise ValueError(
                "PUXIAN_FIRST_ADMIN_USERNAME/PASSWORD are honoured only in development; "
                "create the first admin with `puxian create-admin` instead"
            )
        return self

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def database(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'puxian.db').resolve()}"

    @property
    def curated_dirs(self) -> list[Path]:
        """The folders of the curated knowledge base, kept in step with the database at every start."""
        return [self.knowledge_dir / "docs", self.knowledge_dir / "lexicon"]

    @property
    def bulk_threads(self) -> int:
        return self.ingest_threads or os.cpu_count() or 1


@lru_cache
def get_settings() -> Settings:
    return Settings()
