"""A small Odoo 18 look-alike for tests and the demo: Odoo's paths, model and field names, domain
operators, buttons, computed quantities and error shapes, in memory, with fault injection.

It models what the connector relies on, and behaves as Odoo does there; it is not Odoo. Run it with
``payables erp sandbox --port N [--snapshot FILE]``, or in-process::

    with SandboxServer(new_world(snapshot=data)) as server:
        client = OdooClient(OdooConfig(server.url, "sandbox", "admin", "sandbox-api-key"))
"""

from erp.sandbox.server import SandboxServer
from erp.sandbox.snapshot import ADMIN_UID, DEFAULT_KEY, DEFAULT_LOGIN, FORMAT, SnapshotError, new_world
from erp.sandbox.world import Env, World

__all__ = ["ADMIN_UID", "DEFAULT_KEY", "DEFAULT_LOGIN", "FORMAT", "Env", "SandboxServer", "SnapshotError", "World",
           "new_world"]
