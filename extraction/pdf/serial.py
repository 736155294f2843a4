"""One pdfium call at a time in a process.

pdfium keeps global state (its font cache, the document and page bookkeeping) and is not thread-safe, not
even for different documents (pypdfium2's documentation says so). A worker runs several dramatiq threads
and the review UI renders pages from a thread pool: two threads inside pdfium at once corrupt the heap
and abort the whole process ("double free or corruption", found by the fault suite with one worker
reading a batch). Every use of pdfium holds ``PDFIUM``; the slow work around it (OCR of a rendered page,
field extraction) does not, so documents still overlap everywhere but inside pdfium.

Re-entrant, so a function holding it may call another that takes it again.
"""

from __future__ import annotations

import threading

PDFIUM = threading.RLock()
