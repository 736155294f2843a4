"""The models and fields the sandbox serves, with Odoo 18's names, types and relations.

Only what the connector, the seeder and the contract suite touch is modelled; everything here behaves as
it does in Odoo 18 (``fields_get`` answers from these definitions).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class F:
    type: str
    relation: str | None = None
    inverse: str | None = None  # one2many: the many2one on the comodel
    string: str = ""
    required: bool = False
    readonly: bool = False
    compute: str | None = None  # the name of a function in ``erp.sandbox.computed``
    related: tuple[str, ...] | None = None  # a path through many2ones to a field of another model
    default: Any = None
    store: bool = True


@dataclass(frozen=True)
class ModelDef:
    name: str
    description: str
    fields: dict[str, F]
    rec_name: str = "name"
    order: str = "id"
    transient: bool = False
    company_field: str | None = "company_id"  # the field multi-company rules look at
    inherits: tuple[str, str] | None = None  # (parent model, many2one): Odoo's _inherits delegation

    def field(self, name: str) -> F | None:
        return self.fields.get(name) or MAGIC.get(name)


MAGIC: dict[str, F] = {
    "id": F("integer", string="ID", readonly=True),
    "display_name": F("char", string="Display Name", readonly=True, compute="display_name", store=False),
    "create_date": F("datetime", string="Created on", readonly=True),
    "write_date": F("datetime", string="Last Updated on", readonly=True),
    "create_uid": F("many2one", "res.users", string="Created by", readonly=True),
    "write_uid": F("many2one", "res.users", string="Last Updated by", readonly=True),
}

PO_STATES = ("draft", "sent", "to approve", "purchase", "done", "cancel")
PICKING_STATES = ("draft", "waiting", "confirmed", "assigned", "done", "cancel")


def _models() -> dict[str, ModelDef]:
    m: dict[str, ModelDef] = {}

    def add(name: str, description: str, fields: dict[str, F], **kw: Any) -> None:
        m[name] = ModelDef(name, description, fields, **kw)

    add("res.currency", "Currency", {
        "name": F("char", string="Currency", required=True),
        "symbol": F("char", string="Symbol"),
        "rounding": F("float", string="Rounding Factor", default="0.01"),
        "active": F("boolean", string="Active", default=True),
    }, company_field=None)
    add("res.country", "Country", {
        "name": F("char", string="Country Name", required=True),
        "code": F("char", string="Country Code"),
    }, company_field=None)
    add("res.company", "Companies", {
        "name": F("char", string="Company Name", required=True),
        "vat": F("char", string="Tax ID"),
        "street": F("char", string="Street"),
        "city": F("char", string="City"),
        "zip": F("char", string="Zip"),
        "country_id": F("many2one", "res.country", string="Country"),
        "country_code": F("char", string="Country Code", related=("country_id", "code"), readonly=True),
        "currency_id": F("many2one", "res.currency", string="Currency", required=True),
        "partner_id": F("many2one", "res.partner", string="Partner"),
    }, company_field=None)
    add("res.users", "User", {
        "name": F("char", string="Name", required=True),
        "login": F("char", string="Login", required=True),
        "company_id": F("many2one", "res.company", string="Company", required=True),
        "company_ids": F("many2many", "res.company", string="Companies"),
        "partner_id": F("many2one", "res.partner", string="Related Partner"),
    }, company_field=None)
    add("res.partner", "Contact", {
        "name": F("char", string="Name"),
        "vat": F("char", string="Tax ID"),
        "ref": F("char", string="Reference"),
        "email": F("char", string="Email"),
        "phone": F("char", string="Phone"),
        "street": F("char", string="Street"),
        "city": F("char", string="City"),
        "zip": F("char", string="Zip"),
        "country_id": F("many2one", "res.country", string="Country"),
        "country_code": F("char", string="Country Code", related=("country_id", "code"), readonly=True),
        "is_company": F("boolean", string="Is a Company", default=False),
        "supplier_rank": F("integer", string="Supplier Rank", default=0),
        "customer_rank": F("integer", string="Customer Rank", default=0),
        "company_id": F("many2one", "res.company", string="Company"),
        "parent_id": F("many2one", "res.partner", string="Related Company"),
        "child_ids": F("one2many", "res.partner", "parent_id", string="Contact"),
        "commercial_partner_id": F("many2one", "res.partner", string="Commercial Entity",
                                   compute="commercial_partner", readonly=True),
        "bank_ids": F("one2many", "res.partner.bank", "partner_id", string="Banks"),
        "active": F("boolean", string="Active", default=True),
        "x_category": F("char", string="Category (custom)"),
    })
    add("res.bank", "Bank", {
        "name": F("char", string="Name", required=True),
        "bic": F("char", string="Bank Identifier Code"),
    }, company_field=None)
    add("res.partner.bank", "Bank Accounts", {
        "acc_number": F("char", string="Account Number", required=True),
        "sanitized_acc_number": F("char", string="Sanitized Account Number", compute="sanitized_acc_number",
                                  readonly=True),
        "partner_id": F("many2one", "res.partner", string="Account Holder", required=True),
        "acc_holder_name": F("char", string="Account Holder Name"),
        "bank_id": F("many2one", "res.bank", string="Bank"),
        "bank_bic": F("char", string="BIC", related=("bank_id", "bic")),
        "allow_out_payment": F("boolean", string="Send Money", default=False),
        "company_id": F("many2one", "res.company", string="Company"),
        "active": F("boolean", string="Active", default=True),
    }, rec_name="acc_number")
    add("uom.category", "Product UoM Categories", {
        "name": F("char", string="Unit of Measure Category", required=True),
    }, company_field=None)
    add("uom.uom", "Product Unit of Measure", {
        "name": F("char", string="Unit of Measure", required=True),
        "category_id": F("many2one", "uom.category", string="Category", required=True),
        "factor": F("float", string="Ratio", default="1"),
        "uom_type": F("char", string="Type", default="reference"),
        "rounding": F("float", string="Rounding Precision", default="0.01"),
        "active": F("boolean", string="Active", default=True),
    }, company_field=None)
    add("product.category", "Product Category", {
        "name": F("char", string="Name", required=True),
        "parent_id": F("many2one", "product.category", string="Parent Category"),
        "complete_name": F("char", string="Complete Name", compute="category_complete_name", readonly=True),
    }, rec_name="complete_name", company_field=None)
    template_fields = {
        "name": F("char", string="Name", required=True),
        "default_code": F("char", string="Internal Reference"),
        "uom_id": F("many2one", "uom.uom", string="Unit of Measure", required=True),
        "uom_po_id": F("many2one", "uom.uom", string="Purchase Unit", required=True),
        "categ_id": F("many2one", "product.category", string="Product Category"),
        "type": F("char", string="Product Type", default="consu"),
        "is_storable": F("boolean", string="Track Inventory", default=False),
        "purchase_method": F("char", string="Control Policy", default="receive"),
        "purchase_ok": F("boolean", string="Can be Purchased", default=True),
        "list_price": F("float", string="Sales Price", default="1"),
        "standard_price": F("float", string="Cost", default="0"),
        "company_id": F("many2one", "res.company", string="Company"),
        "active": F("boolean", string="Active", default=True),
    }
    add("product.template", "Product", {
        **template_fields,
        "product_variant_ids": F("one2many", "product.product", "product_tmpl_id", string="Products"),
        "product_variant_id": F("many2one", "product.product", string="Product", compute="first_variant",
                                readonly=True),
    })
    # product.product inherits its template's fields (Odoo's _inherits): reading and writing them goes
    # through product_tmpl_id.
    add("product.product", "Product Variant", {
        "product_tmpl_id": F("many2one", "product.template", string="Product Template", required=True),
        "barcode": F("char", string="Barcode"),
        "default_code": F("char", string="Internal Reference"),
        "active": F("boolean", string="Active", default=True),
        **{name: F(f.type, f.relation, string=f.string, related=("product_tmpl_id", name), default=f.default)
           for name, f in template_fields.items() if name not in ("default_code", "active")},
    }, inherits=("product.template", "product_tmpl_id"))
    add("product.supplierinfo", "Supplier Pricelist", {
        "partner_id": F("many2one", "res.partner", string="Vendor", required=True),
        "product_id": F("many2one", "product.product", string="Product Variant"),
        "product_tmpl_id": F("many2one", "product.template", string="Product Template"),
        "product_code": F("char", string="Vendor Product Code"),
        "product_name": F("char", string="Vendor Product Name"),
        "price": F("float", string="Price", default="0"),
        "min_qty": F("float", string="Quantity", default="0"),
        "currency_id": F("many2one", "res.currency", string="Currency"),
        "company_id": F("many2one", "res.company", string="Company"),
    }, rec_name="product_code")
    add("account.tax", "Tax", {
        "name": F("char", string="Tax Name", required=True),
        "amount": F("float", string="Amount", default="0"),
        "amount_type": F("char", string="Tax Computation", default="percent"),
        "type_tax_use": F("char", string="Tax Type", default="purchase"),
        "price_include": F("boolean", string="Included in Price", default=False),
        "company_id": F("many2one", "res.company", string="Company", required=True),
        "active": F("boolean", string="Active", default=True),
    })
    add("account.account", "Account", {
        "code": F("char", string="Code", required=True),
        "name": F("char", string="Account Name", required=True),
        "account_type": F("char", string="Type", default="expense"),
        "company_ids": F("many2many", "res.company", string="Companies"),
        "active": F("boolean", string="Active", default=True),
    }, company_field="company_ids")
    add("account.journal", "Journal", {
        "name": F("char", string="Journal Name", required=True),
        "code": F("char", string="Short Code", required=True),
        "type": F("char", string="Type", required=True),
        "company_id": F("many2one", "res.company", string="Company", required=True),
    })
    add("stock.warehouse", "Warehouse", {
        "name": F("char", string="Warehouse", required=True),
        "code": F("char", string="Short Name", required=True),
        "company_id": F("many2one", "res.company", string="Company", required=True),
        "in_type_id": F("many2one", "stock.picking.type", string="In Type"),
        "active": F("boolean", string="Active", default=True),
    })
    add("stock.picking.type", "Picking Type", {
        "name": F("char", string="Operation Type", required=True),
        "code": F("char", string="Type of Operation", required=True),
        "sequence_code": F("char", string="Sequence Prefix", default="IN"),
        "warehouse_id": F("many2one", "stock.warehouse", string="Warehouse"),
        "company_id": F("many2one", "res.company", string="Company", required=True),
        "active": F("boolean", string="Active", default=True),
    })
    add("purchase.order", "Purchase Order", {
        "name": F("char", string="Order Reference", required=True),
        "partner_id": F("many2one", "res.partner", string="Vendor", required=True),
        "partner_ref": F("char", string="Vendor Reference"),
        "origin": F("char", string="Source Document"),
        "state": F("char", string="Status", default="draft", readonly=True),
        "currency_id": F("many2one", "res.currency", string="Currency", required=True),
        "company_id": F("many2one", "res.company", string="Company", required=True),
        "picking_type_id": F("many2one", "stock.picking.type", string="Deliver To"),
        "date_order": F("datetime", string="Order Deadline"),
        "date_approve": F("datetime", string="Confirmation Date", readonly=True),
        "notes": F("html", string="Terms and Conditions"),
        "order_line": F("one2many", "purchase.order.line", "order_id", string="Order Lines"),
        "picking_ids": F("one2many", "stock.picking", "purchase_id", string="Receptions", readonly=True),
        "invoice_ids": F("many2many", "account.move", string="Bills", compute="po_invoice_ids", readonly=True),
        "invoice_count": F("integer", string="Bill Count", compute="po_invoice_count", readonly=True),
        "amount_untaxed": F("monetary", string="Untaxed Amount", compute="po_amount_untaxed", readonly=True),
        "amount_tax": F("monetary", string="Taxes", compute="po_amount_tax", readonly=True),
        "amount_total": F("monetary", string="Total", compute="po_amount_total", readonly=True),
        "invoice_status": F("char", string="Billing Status", compute="po_invoice_status", readonly=True),
        "receipt_status": F("char", string="Receipt Status", compute="po_receipt_status", readonly=True),
    }, order="date_order desc, id desc")
    add("purchase.order.line", "Purchase Order Line", {
        "order_id": F("many2one", "purchase.order", string="Order Reference", required=True),
        "sequence": F("integer", string="Sequence", default=10),
        "product_id": F("many2one", "product.product", string="Product"),
        "name": F("text", string="Description", required=True),
        "product_qty": F("float", string="Quantity", default="1"),
        "product_uom": F("many2one", "uom.uom", string="Unit of Measure"),
        "price_unit": F("float", string="Unit Price", default="0"),
        "taxes_id": F("many2many", "account.tax", string="Taxes"),
        "display_type": F("char", string="Display Type"),
        "date_planned": F("datetime", string="Expected Arrival"),
        "qty_received_method": F("char", string="Received Qty Method", compute="pol_received_method",
                                 readonly=True),
        "qty_received_manual": F("float", string="Manual Received Qty", default="0"),
        "qty_received": F("float", string="Received Qty", compute="pol_qty_received", readonly=True),
        "qty_invoiced": F("float", string="Billed Qty", compute="pol_qty_invoiced", readonly=True),
        "qty_to_invoice": F("float", string="To Invoice Quantity", compute="pol_qty_to_invoice", readonly=True),
        "price_subtotal": F("monetary", string="Subtotal", compute="pol_price_subtotal", readonly=True),
        "price_tax": F("float", string="Tax", compute="pol_price_tax", readonly=True),
        "price_total": F("monetary", string="Total", compute="pol_price_total", readonly=True),
        "move_ids": F("one2many", "stock.move", "purchase_line_id", string="Reservation", readonly=True),
        "invoice_lines": F("one2many", "account.move.line", "purchase_line_id", string="Bill Lines",
                           readonly=True),
        "company_id": F("many2one", "res.company", string="Company", related=("order_id", "company_id")),
        "partner_id": F("many2one", "res.partner", string="Partner", related=("order_id", "partner_id")),
        "currency_id": F("many2one", "res.currency", string="Currency", related=("order_id", "currency_id")),
        "state": F("char", string="Status", related=("order_id", "state")),
    }, order="order_id, sequence, id")
    add("stock.picking", "Transfer", {
        "name": F("char", string="Reference", default="/"),
        "partner_id": F("many2one", "res.partner", string="Contact"),
        "picking_type_id": F("many2one", "stock.picking.type", string="Operation Type", required=True),
        "picking_type_code": F("char", string="Type of Operation", related=("picking_type_id", "code")),
        "origin": F("char", string="Source Document"),
        "purchase_id": F("many2one", "purchase.order", string="Purchase Orders"),
        "state": F("char", string="Status", default="draft"),
        "scheduled_date": F("datetime", string="Scheduled Date"),
        "date_done": F("datetime", string="Date of Transfer", readonly=True),
        "backorder_id": F("many2one", "stock.picking", string="Back Order of"),
        "backorder_ids": F("one2many", "stock.picking", "backorder_id", string="Back Orders"),
        "move_ids": F("one2many", "stock.move", "picking_id", string="Stock Moves"),
        "company_id": F("many2one", "res.company", string="Company", required=True),
    }, order="id desc")
    add("stock.move", "Stock Move", {
        "name": F("char", string="Description"),
        "picking_id": F("many2one", "stock.picking", string="Transfer"),
        "picking_code": F("char", string="Picking Code", related=("picking_id", "picking_type_id", "code")),
        "product_id": F("many2one", "product.product", string="Product", required=True),
        "purchase_line_id": F("many2one", "purchase.order.line", string="Purchase Order Line"),
        "product_uom_qty": F("float", string="Demand", default="0"),
        "quantity": F("float", string="Quantity", default="0"),
        "product_uom": F("many2one", "uom.uom", string="UoM", required=True),
        "state": F("char", string="Status", default="draft"),
        "picked": F("boolean", string="Picked", default=False),
        "origin": F("char", string="Source Document"),
        "company_id": F("many2one", "res.company", string="Company", required=True),
    })
    add("stock.backorder.confirmation", "Backorder Confirmation", {
        "pick_ids": F("many2many", "stock.picking", string="Pickings"),
        "show_transfers": F("boolean", string="Show Transfers", default=False),
    }, transient=True, company_field=None, rec_name="id")
    add("account.move", "Journal Entry", {
        "name": F("char", string="Number", readonly=True, default="/"),
        "move_type": F("char", string="Type", required=True, default="entry"),
        "partner_id": F("many2one", "res.partner", string="Partner"),
        "commercial_partner_id": F("many2one", "res.partner", string="Commercial Entity",
                                   related=("partner_id", "commercial_partner_id")),
        "ref": F("char", string="Reference"),
        "invoice_date": F("date", string="Invoice/Bill Date"),
        "invoice_date_due": F("date", string="Due Date"),
        "date": F("date", string="Date"),
        "currency_id": F("many2one", "res.currency", string="Currency"),
        "company_id": F("many2one", "res.company", string="Company", required=True),
        "journal_id": F("many2one", "account.journal", string="Journal"),
        "state": F("char", string="Status", default="draft", readonly=True),
        "payment_state": F("char", string="Payment Status", default="not_paid", readonly=True),
        "invoice_origin": F("char", string="Origin"),
        "payment_reference": F("char", string="Payment Reference"),
        "narration": F("html", string="Terms and Conditions"),
        "invoice_line_ids": F("one2many", "account.move.line", "move_id", string="Invoice lines"),
        "line_ids": F("one2many", "account.move.line", "move_id", string="Journal Items"),
        "amount_untaxed": F("monetary", string="Untaxed Amount", compute="move_amount_untaxed", readonly=True),
        "amount_tax": F("monetary", string="Tax", compute="move_amount_tax", readonly=True),
        "amount_total": F("monetary", string="Total", compute="move_amount_total", readonly=True),
        "amount_residual": F("monetary", string="Amount Due", compute="move_amount_total", readonly=True),
        "duplicated_ref_ids": F("many2many", "account.move", string="Duplicated Ref",
                                compute="move_duplicated_ref_ids", readonly=True, store=False),
        "attachment_ids": F("one2many", "ir.attachment", "res_id", string="Attachments",
                            compute="move_attachment_ids", readonly=True, store=False),
        "message_main_attachment_id": F("many2one", "ir.attachment", string="Main Attachment"),
    }, order="date desc, name desc, id desc")
    add("account.move.line", "Journal Item", {
        "move_id": F("many2one", "account.move", string="Journal Entry", required=True),
        "product_id": F("many2one", "product.product", string="Product"),
        "name": F("char", string="Label"),
        "quantity": F("float", string="Quantity", default="1"),
        "price_unit": F("float", string="Unit Price", default="0"),
        "tax_ids": F("many2many", "account.tax", string="Taxes"),
        "product_uom_id": F("many2one", "uom.uom", string="Unit of Measure"),
        "purchase_line_id": F("many2one", "purchase.order.line", string="Purchase Order Line"),
        "account_id": F("many2one", "account.account", string="Account"),
        "display_type": F("char", string="Display Type", default="product"),
        "analytic_distribution": F("json", string="Analytic Distribution"),
        "price_subtotal": F("monetary", string="Subtotal", compute="aml_price_subtotal", readonly=True),
        "price_total": F("monetary", string="Total", compute="aml_price_total", readonly=True),
        "company_id": F("many2one", "res.company", string="Company", related=("move_id", "company_id")),
        "parent_state": F("char", string="Parent State", related=("move_id", "state")),
        "move_type": F("char", string="Type", related=("move_id", "move_type")),
    }, rec_name="name")
    add("ir.attachment", "Attachment", {
        "name": F("char", string="Name", required=True),
        "type": F("char", string="Type", default="binary"),
        "datas": F("binary", string="File Content (base64)"),
        "mimetype": F("char", string="Mime Type"),
        "res_model": F("char", string="Resource Model"),
        "res_id": F("integer", string="Resource ID"),
        "res_name": F("char", string="Resource Name"),
        "checksum": F("char", string="Checksum/SHA1", compute="attachment_checksum", readonly=True),
        "file_size": F("integer", string="File Size", compute="attachment_size", readonly=True),
        "company_id": F("many2one", "res.company", string="Company"),
    })
    return m


MODELS: dict[str, ModelDef] = _models()
