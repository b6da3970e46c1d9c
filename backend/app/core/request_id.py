"""The id of the request being served, kept in a context variable and put on every log record.

Context variables follow the request into `run_in_threadpool`/`to_thread` and into the engine
switch's thread (it copies the context), so everything done for a request logs its id.
"""

from __future__ import annotations

import logging
import re
import uuid
from contextvars import ContextVar
from typing import Any

REQUEST_ID_HEADER = "x-request-id"
_current: ContextVar[str] = ContextVar("request_id", default="-")
# An id from a proxy or client is kept only if it is short and plain: it ends up in log lines.
_ACCEPTABLE = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


def current_request_id() -> str:
    return _current.get()


def begin_request(incoming: str | None) -> str:
    """Set the id for the current context: the caller's `X-Request-ID` if acceptable, else a new one."""
    request_id = incoming if incoming and _ACCEPTABLE.match(incoming) else uuid.uuid4().hex
    _current.set(request_id)
    return request_id


def install_log_record_request_id() -> None:
    """Give every log record a `request_id` attribute ("-" outside a request); idempotent.

    A record factory rather than a handler filter: it reaches every handler, pytest's included.
    """
    factory = logging.getLogRecordFactory()
    if getattr(factory, "adds_request_id", False):
        return

    def make_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = factory(*args, **kwargs)
        record.request_id = _current.get()
        return record

    make_record.adds_request_id = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(make_record)
