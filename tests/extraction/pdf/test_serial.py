"""pdfium from several threads at once: a worker's dramatiq threads read documents while the review UI
renders pages from its thread pool. Unserialised, pdfium corrupts its heap and the process aborts, so
the threads run in a child process and the test reads its exit status and its answers."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from tests.extraction.samples import text_pdf

ROOT = Path(__file__).resolve().parents[3]

_CHILD = textwrap.dedent("""
    import sys, threading
    from pathlib import Path
    sys.path.insert(0, {root!r})
    from extraction.api import ReadLimits
    from extraction.pages import read_pages
    from extraction.render import render_page

    files = [p.read_bytes() for p in sorted(Path({folder!r}).glob("*.pdf"))]
    limits = ReadLimits()

    def words(data):
        return [(w.text, round(w.x0, 2), round(w.y0, 2)) for page in read_pages(data, "application/pdf", limits,
                workers=1) for w in page.words]

    expected = [words(d) for d in files]
    wrong = []

    def hammer(k):
        for _ in range(4):
            for i, data in enumerate(files):
                if (i + k) % 3 == 0:
                    render_page(data, "application/pdf", 1, dpi=60)
                if words(data) != expected[i]:
                    wrong.append(i)

    threads = [threading.Thread(target=hammer, args=(k,)) for k in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(len(files), len(wrong), sum(len(e) for e in expected))
""")


def test_documents_read_and_rendered_from_six_threads_at_once_read_as_they_do_alone(tmp_path: Path) -> None:
    for n in range(12):
        lines = tuple(f"Invoice INV-{n:04d} line {k} Widget {k * 7 + n} EUR {k * 13.5 + n:.2f}" for k in range(40))
        (tmp_path / f"doc-{n:02d}.pdf").write_bytes(text_pdf(pages=1 + n % 3, lines=lines))
    code = _CHILD.format(root=str(ROOT), folder=str(tmp_path))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"the process died (status {done.returncode}): {done.stderr[-2000:]}"
    files, wrong, words = (int(x) for x in done.stdout.split())
    assert files == 12 and words > 12 * 40
    assert wrong == 0
