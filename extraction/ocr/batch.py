"""Several pages through OCR at once, without holding more rendered pages than are being read.

tesseract runs in its own process, and OpenCV releases the GIL, so threads here give true parallelism
across pages while keeping the pdfium calls (which are not thread-safe) in the caller's thread.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

Job = TypeVar("Job")
Result = TypeVar("Result")


def default_workers() -> int:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(4, cores))


def run_bounded(jobs: Iterable[Job], work: Callable[[Job], Result], *, workers: int,
                inline: Callable[[Job], bool] = lambda job: False) -> Iterator[Result]:
    """``work(job)`` for each job, results in job order, at most ``workers`` jobs in flight.

    Jobs for which ``inline`` holds (cheap ones: a page whose text layer is already read) run in the
    caller's thread; the thread pool is only started for the first job that needs it. The first
    failure is raised once the jobs already started have finished; later jobs are not started.
    """
    pool: ThreadPoolExecutor | None = None
    pending: deque[Future[Result]] = deque()
    try:
        for job in jobs:
            if inline(job) or workers <= 1:
                if not pending:
                    yield work(job)
                    continue
                finished: Future[Result] = Future()
                finished.set_result(work(job))
                pending.append(finished)
            else:
                pool = pool or ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ocr")
                pending.append(pool.submit(work, job))
            # Hand back what is finished at the head; wait for the head while the pool is full.
            while pending and (pending[0].done() or sum(not f.done() for f in pending) >= workers):
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for future in pending:
            future.cancel()
        if pool is not None:
            pool.shutdown(wait=True)
