"""Three-way matching: pure logic over the ERP mirror, no network.

``match_invoice(invoice, mirror, index, policy, context)`` resolves the vendor, selects the orders,
assigns lines, runs the tolerance checks, duplicate and anomaly checks, and routes the invoice; the
mirror is read through ``MirrorView`` (``SqlMirror`` over the database, ``MemoryMirror`` in memory),
the index is built once per process (``IndexCache``), the policy comes from ``load_policy``.
"""

from matching.detail import match_detail
from matching.engine import DocumentContext, MatchOutcome, Release, match_invoice
from matching.findings import Finding
from matching.index import IndexCache, MatchIndex
from matching.memory_view import MemoryMirror
from matching.mirror_view import MirrorView
from matching.policy import Policy, default_policy, load_policy
from matching.sql_view import SqlMirror

__all__ = ["DocumentContext", "Finding", "IndexCache", "MatchIndex", "MatchOutcome", "MemoryMirror", "MirrorView",
           "Policy", "Release", "SqlMirror", "default_policy", "load_policy", "match_detail", "match_invoice"]
