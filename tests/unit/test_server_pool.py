"""Which OpenAI-compatible server a request goes to: least loaded first, failed ones last until rested."""

from __future__ import annotations

from inference_engine.server_pool import ServerPool

A, B, C = "http://a:8000/v1", "http://b:8000/v1", "http://c:8000/v1"


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_server_with_fewest_requests_in_flight_comes_first() -> None:
    pool = ServerPool([A, B, C])
    pool.acquire(A)
    pool.acquire(A)
    pool.acquire(C)
    assert pool.in_order() == [B, C, A]
    pool.release(A)
    pool.release(A)
    assert pool.in_order()[-1] == C


def test_requests_one_after_another_go_round_the_servers() -> None:
    pool = ServerPool([A, B + "/"])  # a trailing slash is dropped
    firsts = [pool.in_order()[0] for _ in range(4)]
    assert sorted(firsts) == [A, A, B, B]
    assert firsts[0] != firsts[1]


def test_a_failed_server_is_tried_last_until_it_has_rested() -> None:
    clock = Clock()
    pool = ServerPool([A, B, C], retry_down_after=15.0, clock=clock)
    pool.failed(A, "ConnectError")
    clock.now += 1
    pool.failed(B, "HTTP 503")
    for _ in range(3):
        assert pool.in_order() == [C, A, B]  # the longest down first: the likeliest back
    assert not pool.is_up(A)
    clock.now += 14.5  # A has rested 15.5 s, B 14.5 s
    assert pool.in_order()[-1] == B
    assert A in pool.in_order()[:2]


def test_answering_clears_the_failure() -> None:
    clock = Clock()
    pool = ServerPool([A, B], clock=clock)
    pool.failed(A, "ConnectError")
    pool.answered(A)
    assert pool.is_up(A)
    assert pool.last_error[A] is None
    pool.acquire(B)
    assert pool.in_order() == [A, B]


def test_release_never_counts_below_zero() -> None:
    pool = ServerPool([A])
    pool.release(A)
    pool.acquire(A)
    assert pool.in_flight[A] == 1
    pool.release(A)
    assert pool.in_flight[A] == 0
