"""Cutting generated text at stop strings, also when the text arrives in pieces."""

from __future__ import annotations

from collections.abc import Sequence


class StopTextFilter:
    """Feeds text deltas through and withholds anything at or after the first stop string.

    A stop string may be split across deltas, so the last `len(longest stop) - 1` characters are
    held back until it is clear they do not begin one.
    """

    def __init__(self, stops: Sequence[str]) -> None:
        self._stops = [s for s in stops if s]
        self._hold = max((len(s) for s in self._stops), default=1) - 1
        self._pending = ""
        self.stopped = False

    def feed(self, delta: str) -> str:
        """Return the part of `delta` (plus held text) that is safe to emit now."""
        if self.stopped:
            return ""
        self._pending += delta
        cut = self._first_stop(self._pending)
        if cut is not None:
            self.stopped = True
            out, self._pending = self._pending[:cut], ""
            return out
        if len(self._pending) <= self._hold:
            return ""
        split = len(self._pending) - self._hold
        out, self._pending = self._pending[:split], self._pending[split:]
        return out

    def flush(self) -> str:
        """Return what is still held back once the text is complete."""
        out, self._pending = ("" if self.stopped else self._pending), ""
        return out

    def _first_stop(self, text: str) -> int | None:
        positions = [p for p in (text.find(s) for s in self._stops) if p >= 0]
        return min(positions) if positions else None


def cut_at_stop(text: str, stops: Sequence[str]) -> tuple[str, bool]:
    """Return `text` up to the first stop string, and whether one was found."""
    text_filter = StopTextFilter(stops)
    out = text_filter.feed(text) + text_filter.flush()
    return out, text_filter.stopped
