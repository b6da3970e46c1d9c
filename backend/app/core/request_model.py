"""The base of every request body: text that is not Unicode a tokenizer or database can take is
refused with a 422 at the edge.

JSON may carry a lone surrogate (`"\\ud800"`) that Python decodes into a `str` no UTF-8 encoder
accepts, and a NUL that PostgreSQL refuses in text; either reached the tokenizer or the driver and
failed there with a 500 (or a kept partial answer with no message id).
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, model_validator
from pydantic_core import PydanticCustomError

INVALID_TEXT = "invalid_text"
_UNACCEPTED = re.compile(r"[\ud800-\udfff\x00]")


def invalid_text_at(value: Any, path: str = "") -> str | None:
    """The dotted path of the first string in a JSON value holding a lone surrogate or NUL."""
    if isinstance(value, str):
        return path if _UNACCEPTED.search(value) else None
    if isinstance(value, dict):
        items: Any = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        if isinstance(key, str) and _UNACCEPTED.search(key):
            return f"{path}.{key!r}" if path else repr(key)
        found = invalid_text_at(item, f"{path}.{key}" if path else str(key))
        if found is not None:
            return found
    return None


class RequestModel(BaseModel):
    @model_validator(mode="before")
    @classmethod
    def _refuse_invalid_text(cls, data: Any) -> Any:
        where = invalid_text_at(data)
        if where is not None:
            raise PydanticCustomError(
                INVALID_TEXT,
                "The field '{field}' holds characters that are not valid text (a lone UTF-16 "
                "surrogate or a NUL character).",
                {"field": where or "body"},
            )
        return data
