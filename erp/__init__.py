"""The Odoo connector: the client, the mirror sync, the read-through refresh and bill posting."""

from erp.client import OdooClient, OdooConfig
from erp.errors import ErpError

__all__ = ["ErpError", "OdooClient", "OdooConfig"]
