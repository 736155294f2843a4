"""run_bounded: pages in order, few in flight, cheap ones inline, failures surfaced."""

from __future__ import annotations

import threading
import time

import pytest

from extraction.ocr.batch import run_bounded


def test_results_come_in_job_order_with_at_most_workers_in_flight() -> None:
    lock = threading.Lock()
    running = peak = 0

    def work(job: int) -> int:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        time.sleep(0.02 * (5 - job % 5))  # later jobs finish first
        with lock:
            running -= 1
        return job * 10

    assert list(run_bounded(range(10), work, workers=3)) == [j * 10 for j in range(10)]
    assert 2 <= peak <= 3


def test_cheap_jobs_run_inline_without_a_pool() -> None:
    threads: set[str] = set()

    def work(job: int) -> int:
        threads.add(threading.current_thread().name)
        return job

    assert list(run_bounded(range(5), work, workers=2, inline=lambda job: True)) == [0, 1, 2, 3, 4]
    assert threads == {threading.current_thread().name}


def test_inline_and_pooled_jobs_keep_their_order() -> None:
    def work(job: int) -> int:
        if job % 2:
            time.sleep(0.01)
        return job

    assert list(run_bounded(range(8), work, workers=2, inline=lambda job: job % 2 == 0)) == list(range(8))


def test_a_failure_is_raised_and_later_jobs_are_not_started() -> None:
    started: list[int] = []

    def work(job: int) -> int:
        started.append(job)
        if job == 2:
            raise ValueError("page 2 is broken")
        time.sleep(0.01)
        return job

    with pytest.raises(ValueError, match="page 2"):
        list(run_bounded(range(20), work, workers=2))
    assert max(started) < 6
