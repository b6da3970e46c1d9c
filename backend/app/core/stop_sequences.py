"""Stop sequences as the OpenAI API takes them, shared by every route that accepts them."""

from __future__ import annotations

MAX_STOP_SEQUENCES = 4


def stop_sequences(value: str | list[str] | None) -> list[str] | None:
    """One string or a list of up to four non-empty ones, as a list (None: none given)."""
    if value is None:
        return None
    stops = [value] if isinstance(value, str) else value
    if len(stops) > MAX_STOP_SEQUENCES or any(not stop for stop in stops):
        raise ValueError(f"stop takes up to {MAX_STOP_SEQUENCES} non-empty strings")
    return stops
