"""What the mirror reads from Odoo, model by model: fields (Odoo 18 names), scope, nested lines."""

from __future__ import annotations

from erp.client import Domain
from erp.sync.odoo_source import Nested, ReadSpec

PO_SCOPE_STATES = ["purchase", "done", "cancel"]
ANY_ACTIVE: Domain = [("active", "in", [True, False])]

CURRENCY = ReadSpec("res.currency", ("name", "write_date"))
COMPANY = ReadSpec("res.company", ("name", "vat", "street", "city", "zip", "country_code", "currency_id",
                                   "write_date"), m2o={"currency_id": ("name",)})
WAREHOUSE = ReadSpec("stock.warehouse", ("name", "code", "company_id", "write_date"))
PICKING_TYPE = ReadSpec("stock.picking.type", ("name", "code", "warehouse_id", "company_id", "write_date"))
UOM_CATEGORY = ReadSpec("uom.category", ("name", "write_date"))
UOM = ReadSpec("uom.uom", ("name", "category_id", "factor", "uom_type", "write_date"), m2o={"category_id": ("name",)})
PRODUCT_CATEGORY = ReadSpec("product.category", ("name", "complete_name", "write_date"))
TAX = ReadSpec("account.tax", ("name", "amount", "amount_type", "type_tax_use", "company_id", "active", "write_date"))

PRODUCT = ReadSpec("product.product", ("name", "default_code", "barcode", "uom_id", "categ_id", "type",
                                       "purchase_method", "product_tmpl_id", "write_date"),
                   m2o={"categ_id": ("complete_name",)})
SUPPLIER_INFO = ReadSpec("product.supplierinfo", ("partner_id", "product_id", "product_tmpl_id", "product_code",
                                                  "product_name", "price", "currency_id", "write_date"),
                         m2o={"product_tmpl_id": ("product_variant_id",)})
LINE_FIELDS = ("order_id", "sequence", "product_id", "name", "product_qty", "product_uom", "price_unit", "taxes_id",
               "qty_received", "qty_invoiced", "price_subtotal", "display_type", "write_date")
ORDER_LINE = ReadSpec("purchase.order.line", LINE_FIELDS)
ORDER = ReadSpec("purchase.order", ("name", "partner_id", "partner_ref", "state", "currency_id", "company_id",
                                    "picking_type_id", "date_order", "amount_untaxed", "amount_tax", "amount_total",
                                    "invoice_status", "receipt_status", "write_date"),
                 nested=Nested("order_line", "purchase.order.line", LINE_FIELDS, "order_id"),
                 m2o={"currency_id": ("name",), "picking_type_id": ("warehouse_id",)})
MOVE_FIELDS = ("picking_id", "product_id", "purchase_line_id", "product_uom_qty", "quantity", "product_uom", "state",
               "picked", "write_date")
MOVE = ReadSpec("stock.move", MOVE_FIELDS)
PICKING = ReadSpec("stock.picking", ("name", "partner_id", "picking_type_id", "picking_type_code", "origin",
                                     "purchase_id", "state", "date_done", "backorder_id", "company_id", "write_date"),
                   nested=Nested("move_ids", "stock.move", MOVE_FIELDS, "picking_id"))
BILL = ReadSpec("account.move", ("name", "move_type", "partner_id", "ref", "invoice_date", "invoice_date_due",
                                 "amount_untaxed", "amount_tax", "amount_total", "currency_id", "state", "company_id",
                                 "invoice_origin", "write_date"), m2o={"currency_id": ("name",)})
BANK_FIELDS = ("partner_id", "acc_number", "bank_bic", "allow_out_payment", "active", "write_date")
BANK = ReadSpec("res.partner.bank", BANK_FIELDS)
PARTNER = ReadSpec("res.partner", ("name", "vat", "ref", "email", "street", "city", "zip", "country_code",
                                   "is_company", "supplier_rank", "company_id", "active", "x_category",
                                   "x_invoice_limit", "child_ids", "write_date"),
                   nested=Nested("bank_ids", "res.partner.bank", BANK_FIELDS, "partner_id"),
                   m2o={"child_ids": ("email",)})

# Small reference models: read whole on every run (a few calls), so names behind ids are always known.
REFERENCE: tuple[tuple[ReadSpec, Domain], ...] = (
    (CURRENCY, ANY_ACTIVE),
    (COMPANY, []),
    (WAREHOUSE, ANY_ACTIVE),
    (PICKING_TYPE, [("code", "=", "incoming"), *ANY_ACTIVE]),
    (UOM_CATEGORY, []),
    (UOM, ANY_ACTIVE),
    (PRODUCT_CATEGORY, []),
    (TAX, [("type_tax_use", "in", ["purchase", "none"]), *ANY_ACTIVE]),
)
ORDER_SCOPE: Domain = [("state", "in", PO_SCOPE_STATES)]
LINE_SCOPE: Domain = [("order_id.state", "in", PO_SCOPE_STATES)]
PICKING_SCOPE: Domain = [("picking_type_code", "=", "incoming")]
MOVE_SCOPE: Domain = [("picking_id.picking_type_code", "=", "incoming")]
BILL_SCOPE: Domain = [("move_type", "in", ["in_invoice", "in_refund"])]
