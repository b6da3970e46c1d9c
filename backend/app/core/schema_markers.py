"""Markers on request fields whose limits are set by the deployment, not by the code.

The question's length (PUXIAN_MAX_QUESTION_CHARS), a new password's length (PUXIAN_PASSWORD_MIN_LENGTH)
and the engines a request may name are only known once the server runs; a field carries a marker
here, and app/api/openapi_limits.py writes the real value into the OpenAPI document in its place, so
that the document refuses exactly what the server refuses.
"""

from __future__ import annotations

from typing import Any

MAX_LENGTH_FROM = "x-max-length-from"  # value: the Settings field giving maxLength
MIN_LENGTH_FROM = "x-min-length-from"  # value: the Settings field giving minLength
ENGINE_NAME = "x-engine-name"  # the string is the name of a configured engine

# Text with something in it besides white space (a JSON Schema pattern is searched, not anchored).
NOT_BLANK = r"\S"


def max_length_from(setting: str) -> dict[str, Any]:
    return {MAX_LENGTH_FROM: setting}


def min_length_from(setting: str) -> dict[str, Any]:
    return {MIN_LENGTH_FROM: setting}


def engine_name() -> dict[str, Any]:
    return {ENGINE_NAME: True}
