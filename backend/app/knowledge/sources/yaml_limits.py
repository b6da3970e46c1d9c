"""YAML headers (Markdown front matter, a Rime dictionary's header) read with a bound on nesting.

PyYAML builds nested collections recursively: a header nested 20,000 deep (`[[[[…`) ended in a
RecursionError and a 500. Real headers are a few levels deep; anything past MAX_NESTING is refused
before PyYAML sees it.
"""

from __future__ import annotations

from typing import Any

import yaml

MAX_NESTING = 32


class NestedTooDeep(ValueError):
    def __init__(self) -> None:
        super().__init__(f"it is nested more than {MAX_NESTING} levels deep")


def nesting_depth(text: str) -> int:
    """An upper bound of a YAML text's nesting: open flow brackets, or indentation levels."""
    deepest = depth = 0
    for char in text:
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth = max(depth - 1, 0)
    indents = {len(line) - len(line.lstrip(" -")) for line in text.splitlines() if line.strip()}
    return max(deepest, len(indents))


def load_yaml(text: str) -> Any:
    """yaml.safe_load, refusing (NestedTooDeep) a text nested more than MAX_NESTING deep."""
    if nesting_depth(text) > MAX_NESTING:
        raise NestedTooDeep()
    try:
        return yaml.safe_load(text)
    except RecursionError as exc:  # a shape the bound above did not foresee
        raise NestedTooDeep() from exc
