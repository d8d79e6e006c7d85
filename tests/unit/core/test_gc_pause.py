"""The collector pause around one document's analysis (`core.gc_pause`)."""

from __future__ import annotations

import gc
import threading

from http_status_ls.core.gc_pause import PROMOTE_AT, collection_paused


def test_pause_holds_the_collector_off_and_gives_it_back() -> None:
    assert gc.isenabled()
    with collection_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_nested_pauses_end_with_the_outermost() -> None:
    with collection_paused():
        with collection_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_switched_off_before_stays_off() -> None:
    gc.disable()
    try:
        with collection_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_an_error_inside_still_gives_the_collector_back() -> None:
    try:
        with collection_paused():
            raise ValueError("boom")
    except ValueError:
        pass
    assert gc.isenabled()


def test_pauses_in_two_threads_end_when_both_have() -> None:
    inside, leave = threading.Event(), threading.Event()

    def other() -> None:
        with collection_paused():
            inside.set()
            leave.wait(5)

    thread = threading.Thread(target=other)
    with collection_paused():
        thread.start()
        assert inside.wait(5)
    assert not gc.isenabled()  # the other thread still holds its pause
    leave.set()
    thread.join(5)
    assert gc.isenabled()


def _generation_of(marker: object) -> int | None:
    for generation in range(3):
        if any(found is marker for found in gc.get_objects(generation)):
            return generation
    return None


def test_a_large_burst_joins_the_oldest_generation_unwalked() -> None:
    gc.collect()
    with collection_paused():
        burst = [[index] for index in range(PROMOTE_AT + 1000)]
    assert gc.isenabled()
    assert _generation_of(burst[-1]) == 2
    assert gc.get_count()[0] < PROMOTE_AT


def test_a_small_burst_stays_young() -> None:
    gc.collect()
    with collection_paused():
        burst = [[index] for index in range(100)]
    assert _generation_of(burst[-1]) == 0


def test_garbage_cycles_of_a_large_burst_are_still_collected_in_full() -> None:
    gc.collect()
    with collection_paused():
        burst = [[index] for index in range(PROMOTE_AT + 1000)]
        cycle: list[object] = []
        cycle.append(cycle)
        del cycle
    del burst
    assert gc.collect() >= 1  # the full collection finds the cycle among the old objects
