"""Logging setup: readable lines in development, one JSON object per line in production."""

from __future__ import annotations

import json
import logging
import sys
import time
from typing import Literal

from app.core.request_id import install_log_record_request_id


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            # Set by app.core.request_id on every record ("-" outside a request).
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class _RequestIdFormatter(logging.Formatter):
    """Records made before the request-id record factory is installed have no `request_id`."""

    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "request_id"):
            record.request_id = "-"
        return super().format(record)


def configure_logging(level: str, env: Literal["development", "production"]) -> None:
    handler = logging.StreamHandler(sys.stderr)
    if env == "production":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(
            _RequestIdFormatter(
                "%(asctime)s %(levelname)-7s [%(request_id)s] %(name)s: %(message)s", "%H:%M:%S"
            )
        )
    install_log_record_request_id()
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # Libraries that log every HTTP request or weight file at INFO drown the useful lines.
    for noisy in (
        "alembic.runtime.plugins",
        "faiss",
        "httpx",
        "sentence_transformers",
        "transformers",
        "urllib3",
    ):
        logging.getLogger(noisy).setLevel(logging.WARNING)
