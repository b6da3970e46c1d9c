"""`StreamedAnswer`: the text deltas sent to a client, kept equal to the answer that is stored.

The stored answer is the model's text stripped, with a citation marker put before its closing
punctuation when it cites nothing (`citations.attach_citations`). So leading blanks are dropped and
the trailing run of blanks and closing punctuation is held back until the next text or the end;
at the end, what the marker adds is sent. The deltas then add up to exactly the stored answer.
"""

from __future__ import annotations

_HELD = " \t\r\n\u3000。！？.!?"


class StreamedAnswer:
    def __init__(self, opening: str = "") -> None:
        """`opening`: text sent before the model's (how romanized input was read)."""
        self.sent = opening
        self._opening = len(opening)
        self._held = ""
        self._model_started = False

    @property
    def text(self) -> str:
        """All text sent and received so far (the partial answer when a stream breaks off)."""
        return (self.sent + self._held).strip()

    @property
    def model_text(self) -> str:
        """The model's text so far, without the opening."""
        return (self.sent + self._held)[self._opening :].strip()

    def feed(self, delta: str) -> str:
        """The part of `delta` to send now (may be empty)."""
        text = self._held + delta
        if not self._model_started:
            text = text.lstrip()
        cut = len(text.rstrip(_HELD))
        ready, self._held = text[:cut], text[cut:]
        self.sent += ready
        self._model_started = self._model_started or bool(ready)
        return ready

    def finish(self, final: str) -> str:
        """The rest of `final` (the answer to store) after what was sent."""
        if not final.startswith(self.sent):
            # Citations only ever change the held-back tail; this guards the invariant, not a case.
            raise ValueError("the final answer does not continue the text already sent")
        rest = final[len(self.sent) :]
        self.sent, self._held = final, ""
        return rest
