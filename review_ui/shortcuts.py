"""The keyboard shortcuts, listed once: the ``?`` overlay shows these, the templates put the same keys on
the controls (``data-key``), and a test checks that every action on a screen has one."""

from __future__ import annotations

GLOBAL: tuple[tuple[str, str], ...] = (
    ("?", "show or hide this list"),
    ("g q", "go to the queue"),
    ("g a", "go to approvals"),
    ("g f", "go to failed and refused documents"),
    ("g d", "go to the dashboard"),
    ("g u", "go to upload"),
    ("n", "open the next item (the oldest you can work on)"),
    ("Esc", "leave a field, close this list"),
)

QUEUE: tuple[tuple[str, str], ...] = (
    ("j / k", "next / previous row"),
    ("Enter or o", "open the selected row"),
    ("/", "filter by vendor"),
    ("]", "next page of the queue"),
    ("[", "previous page of the queue"),
)

DOCUMENT: tuple[tuple[str, str], ...] = (
    ("j / k", "next / previous field (its box lights up on the page)"),
    ("Enter", "edit the selected field; click a word on the page to fill it"),
    ("Alt+↓ / Alt+↑", "while editing: next / previous field"),
    ("l", "first line item"),
    ("s or Ctrl+S", "save the corrections"),
    ("m", "match again"),
    ("h", "release the first open hold (type the reason, Enter)"),
    ("a", "approve (optional note, Enter)"),
    ("f", "send for approval by someone else"),
    ("e", "escalate to a manager (reason, Enter)"),
    ("i", "request information (note, Enter)"),
    ("x", "reject (reason, Enter)"),
    ("c", "claim: assign to me"),
    ("r", "retry the failed stage or the posting"),
    ("]", "next page of the document"),
    ("[", "previous page of the document"),
    ("+ / -", "zoom in / out"),
    ("0", "fit the page to the width"),
    ("t", "the three-way view"),
    ("y", "the history"),
    ("o", "download the original"),
)

PAGES = {"global": GLOBAL, "queue": QUEUE, "document": DOCUMENT}
