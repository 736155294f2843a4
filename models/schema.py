"""Every table, imported once so ``Base.metadata`` is complete (for Alembic and tests)."""

from models import access, audit, documents, extractions, matching, mirror, postings, review, users
from models.base import Base

metadata = Base.metadata

__all__ = ["Base", "access", "audit", "documents", "extractions", "matching", "metadata", "mirror", "postings",
           "review", "users"]
