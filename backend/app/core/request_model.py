"""The base of every request body: text that is not Unicode a tokenizer or database can take is
refused with a 422 at the edge.

JSON may carry a lone surrogate (`"\\ud800"`) that Python decodes into a `str` no UTF-8 encoder
accepts, and a NUL that PostgreSQL refuses in text; either reached the tokenizer or the driver and
failed there with a 500 (or a kept partial answer with no message id).

Numbers and booleans are taken as JSON types them: pydantic's lax mode would read `false` or `"3"`
as an integer and `0` as a boolean, which the OpenAPI document (and any client made from it) says
are not; `3.0` stays an integer, as JSON Schema says it is.
"""

from __future__ import annotations

import re
import types
from typing import Annotated, Any, Union, get_args, get_origin

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


# The JSON values a field of these Python types takes (a bool is an int to Python, never to JSON).
_JSON_KINDS: dict[type, tuple[type, ...]] = {bool: (bool,), int: (int, float), float: (int, float)}
_KIND_NAMES = {bool: "boolean", int: "integer", float: "number"}
_TYPE_CODES = {bool: "bool_type", int: "int_type", float: "float_type"}  # pydantic's own codes


def _scalar_types(annotation: Any) -> list[type] | None:
    """The bool/int/float types a field takes, or None when it takes anything else as well."""
    union = get_origin(annotation) in (Union, types.UnionType)
    members = [_bare(arg) for arg in (get_args(annotation) if union else (annotation,))]
    members = [member for member in members if member is not type(None)]
    return members if members and all(member in _JSON_KINDS for member in members) else None


def _bare(annotation: Any) -> Any:
    """`Annotated[T, ...]` (e.g. `SkipJsonSchema[None]`) as T."""
    return get_args(annotation)[0] if get_origin(annotation) is Annotated else annotation


def _wrong_json_type(value: Any, accepted: list[type]) -> bool:
    if value is None:
        return False  # pydantic says whether null is allowed
    if isinstance(value, bool):
        return bool not in accepted
    return not any(isinstance(value, kind) for member in accepted for kind in _JSON_KINDS[member])


class RequestModel(BaseModel):
    @model_validator(mode="before")
    @classmethod
    def _refuse_other_json_types(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        for name, field in cls.model_fields.items():
            key = name if name in data else field.alias
            if key not in data:
                continue
            accepted = _scalar_types(field.annotation)
            if accepted is not None and _wrong_json_type(data[key], accepted):
                kinds = " or ".join(_KIND_NAMES[member] for member in accepted)
                raise PydanticCustomError(
                    _TYPE_CODES[accepted[0]],
                    "{field}: Input should be a valid {kinds}.",
                    {"field": key, "kinds": kinds},
                )
        return data

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
