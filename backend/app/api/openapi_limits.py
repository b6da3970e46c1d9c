"""Write the deployment's limits into the OpenAPI document, in place of the fields' markers
(app/core/schema_markers.py): the configured lengths, and the engine names a request may give."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.core.config import Settings
from app.core.schema_markers import ENGINE_NAME, MAX_LENGTH_FROM, MIN_LENGTH_FROM


def with_deployment_limits(
    schema: dict[str, Any], settings: Settings, engines: Sequence[str] | None
) -> dict[str, Any]:
    """`engines` None: not known yet (no enum is written)."""
    for component in schema.get("components", {}).get("schemas", {}).values():
        for field in component.get("properties", {}).values():
            _resolve(field, settings, engines)
    return schema


def _resolve(field: dict[str, Any], settings: Settings, engines: Sequence[str] | None) -> None:
    # An optional field's constraints belong on its string branch (`anyOf: [string, null]`).
    target = next((branch for branch in field.get("anyOf", []) if branch.get("type") == "string"), field)
    if MAX_LENGTH_FROM in field:
        target["maxLength"] = getattr(settings, field.pop(MAX_LENGTH_FROM))
    if MIN_LENGTH_FROM in field:
        target["minLength"] = getattr(settings, field.pop(MIN_LENGTH_FROM))
    if field.pop(ENGINE_NAME, False) and engines is not None:
        target["enum"] = list(engines)
