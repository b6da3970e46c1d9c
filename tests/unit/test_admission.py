"""Admission: a bounded queue per engine (503) and per-user limits at once and per minute (429)."""

from __future__ import annotations

import pytest

from app.core.errors import ApiError
from app.engines.admission import Admission, AdmissionLimits


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def refused(admission: Admission, pending: int, owner: int | None) -> ApiError:
    with pytest.raises(ApiError) as raised:
        admission.admit("transformers", pending, owner)
    return raised.value


def test_a_full_engine_refuses_at_once_with_a_retry_after_from_recent_answer_times() -> None:
    admission = Admission(AdmissionLimits(max_pending=3))
    admission.admit("transformers", 2, owner=1)
    busy = refused(admission, 3, owner=2)
    assert (busy.status, busy.code) == (503, "engine_busy")
    assert busy.headers["Retry-After"] == "15"  # 3 waiting × 5 s, until measured
    admission.leave(1, seconds=1.0)
    assert refused(admission, 3, owner=None).headers["Retry-After"] == "13"  # 3 × (0.8 × 5 + 0.2 × 1)


def test_a_user_may_hold_a_few_requests_at_once_and_others_are_not_held_back() -> None:
    admission = Admission(AdmissionLimits(per_user_concurrent=2))
    admission.admit("transformers", 0, owner=7)
    admission.admit("transformers", 1, owner=7)
    third = refused(admission, 2, owner=7)
    assert (third.status, third.code) == (429, "too_many_requests")
    assert int(third.headers["Retry-After"]) >= 1
    admission.admit("transformers", 2, owner=8)  # another user
    admission.leave(7, seconds=4.0)
    admission.admit("transformers", 2, owner=7)  # one finished: room again


def test_a_user_may_start_so_many_a_minute() -> None:
    clock = Clock()
    admission = Admission(AdmissionLimits(per_user_concurrent=10, per_user_per_minute=3), clock)
    for _ in range(3):
        admission.admit("transformers", 0, owner=7)
        admission.leave(7, seconds=1.0)
    clock.now += 10
    over = refused(admission, 0, owner=7)
    assert (over.status, over.headers["Retry-After"]) == (429, "50")
    clock.now += 50
    admission.admit("transformers", 0, owner=7)  # the first of the three is a minute old


def test_requests_of_no_user_meet_only_the_engine_bound() -> None:
    admission = Admission(AdmissionLimits(max_pending=5, per_user_concurrent=1, per_user_per_minute=1))
    for pending in range(5):
        admission.admit("transformers", pending, owner=None)
    assert refused(admission, 5, owner=None).code == "engine_busy"
