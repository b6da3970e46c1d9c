"""The `engine_settings` table: one row per engine kind, at most one of them active."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base
from app.db.types import BigId, UtcDateTime, utc_now


class EngineSetting(Base):
    __tablename__ = "engine_settings"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    engine: Mapped[str] = mapped_column(String(40), unique=True)  # transformers, vllm, openai
    config: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # InferenceConfig fields
    is_active: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, onupdate=utc_now)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
