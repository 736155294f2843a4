"""The pipeline's stages, one module each. A stage takes a document id, does its work once, and names
the stages to run next; running it again on a document that has moved on does nothing."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Next:
    stage: str
    document_id: int


@dataclass(frozen=True)
class Skipped:
    """The document is not in a state this stage works on: an earlier delivery already did the work."""

    document_id: int
    state: str
