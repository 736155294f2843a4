"""Several pages through OCR at once, without holding more rendered pages than are being read.

tesseract runs in its own process, and OpenCV releases the GIL, so threads here give true parallelism
across pages while keeping the pdfium calls (which are not thread-safe) in the caller's thread.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

Job = TypeVar("Job")
Result = TypeVar("Result")


def default_workers() -> int:
    return max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))


def run_bounded(jobs: Iterable[Job], work: Callable[[Job], Result], *, workers: int) -> Iterator[Result]:
    """``work(job)`` for each job, results in job order; at most ``workers`` jobs pulled ahead of the results.

    The first failure is raised once the jobs already started have finished; later jobs are not started.
    """
    if workers <= 1:
        for job in jobs:
            yield work(job)
        return
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ocr") as pool:
        pending: list[Future[Result]] = []
        try:
            for job in jobs:
                pending.append(pool.submit(work, job))
                if len(pending) >= workers:
                    yield pending.pop(0).result()
            while pending:
                yield pending.pop(0).result()
        finally:
            for future in pending:
                future.cancel()
