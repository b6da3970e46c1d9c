"""Who may start a generation now: a bounded queue per engine and fair limits per user.

Without bounds, 20 concurrent streams on the CPU default all queued (first token p50 43 s, p95
72 s). Now an engine takes at most `max_pending` requests (running and waiting); past that a
request is refused at once with 503 and a Retry-After estimated from recent generation times. A
user may hold `per_user_concurrent` requests at once and start `per_user_per_minute` a minute;
past either, 429 with Retry-After. Counted per server process (the limits are per replica).
"""

from __future__ import annotations

import math
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass

from app.engines import errors

MINUTE = 60.0


@dataclass(frozen=True)
class AdmissionLimits:
    max_pending: int = 4  # per engine: running and waiting requests
    per_user_concurrent: int = 2
    per_user_per_minute: int = 20


class Admission:
    """The per-user counts; the per-engine count is the slot's `in_flight` (engines/manager.py).
    Not thread-safe by itself: the manager calls it under its lock."""

    def __init__(self, limits: AdmissionLimits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self._clock = clock
        self._active: dict[int, int] = defaultdict(int)
        self._started: dict[int, deque[float]] = defaultdict(deque)
        self._seconds_per_request = 5.0  # a CPU answer's p50, until measured here

    def admit(self, engine: str, pending: int, owner: int | None) -> None:
        """Raise 503 (the engine's queue is full) or 429 (the user is over a limit); else count it."""
        if pending >= self.limits.max_pending:
            raise errors.engine_busy(engine, pending, self._retry_after(pending))
        if owner is None:  # the admins' playground and internal callers: only the engine bound
            return
        now = self._clock()
        started = self._started[owner]
        while started and now - started[0] >= MINUTE:
            started.popleft()
        if self._active[owner] >= self.limits.per_user_concurrent:
            raise errors.too_many_requests(
                f"You already have {self._active[owner]} questions being answered; wait for one to finish.",
                max(1, math.ceil(self._seconds_per_request)),
            )
        if len(started) >= self.limits.per_user_per_minute:
            wait = max(1, math.ceil(MINUTE - (now - started[0])))
            raise errors.too_many_requests(
                f"At most {self.limits.per_user_per_minute} questions a minute; try again in {wait} s.", wait
            )
        self._active[owner] += 1
        started.append(now)

    def leave(self, owner: int | None, seconds: float) -> None:
        """A request finished after `seconds` on its engine."""
        self._seconds_per_request = 0.8 * self._seconds_per_request + 0.2 * seconds
        if owner is None:
            return
        self._active[owner] -= 1
        if self._active[owner] <= 0:
            del self._active[owner]

    def _retry_after(self, pending: int) -> int:
        return max(1, math.ceil(self._seconds_per_request * pending))
