"""The ERP mirror: Odoo (or a snapshot) → the ``erp_*`` tables matching reads."""

from erp.sync.mapping import Lookups
from erp.sync.runner import MirrorSync, SyncReport, sync_mirror
from erp.sync.writer import MirrorWriter, apply_records

__all__ = ["Lookups", "MirrorSync", "MirrorWriter", "SyncReport", "apply_records", "sync_mirror"]
