"""Streaming a checked answer: the model's text is released clause by clause, each once the whole
answer so far passes the grounding check, so that a word the passages lack is never shown.

When a clause fails, the generation is stopped. If nothing of the model's own text was shown yet,
the answer is asked for again with the strict prompt (and replaced if that fails too, as in a
non-streamed answer); otherwise the answer ends with its last checked clause (`truncated`).
"""

from __future__ import annotations

from collections.abc import Callable

# A clause ends at a comma or a sentence end; quoted words and numbers are whole by then.
BOUNDARIES = "，。！？；：,.;!?\n"


class GroundingGate:
    def __init__(self, grounded: Callable[[str], bool] | None) -> None:
        """`grounded`: the check of the model's text so far; None lets every delta through at once."""
        self._grounded = grounded
        self.released = ""  # the model text let through, checked
        self._pending = ""
        self.failed = False

    def feed(self, delta: str) -> str:
        """The part of the model's text that may be shown now (empty: held back, or failed)."""
        if self.failed:
            return ""
        if self._grounded is None:
            self.released += delta
            return delta
        self._pending += delta
        cut = max(self._pending.rfind(mark) for mark in BOUNDARIES)
        return self._release(cut + 1) if cut >= 0 else ""

    def finish(self) -> str:
        """The rest of the model's text at its end, if the whole answer passes."""
        return "" if self.failed else self._release(len(self._pending))

    def _release(self, end: int) -> str:
        clause, candidate = self._pending[:end], self.released + self._pending[:end]
        if self._grounded is not None and not self._grounded(candidate):
            self.failed = True
            return ""
        self.released, self._pending = candidate, self._pending[end:]
        return clause
