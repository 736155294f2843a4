"""OASIS UBL 2.1 Invoice and CreditNote (Peppol BIS 3, XRechnung UBL, EN 16931) → ``InvoiceData``."""

from __future__ import annotations

from extraction.einvoice.result import InvoiceBuilder
from extraction.einvoice.values import amount_text, clean_text, decimal_text, document_type, iso_date
from extraction.einvoice.xmlpath import Element, attr, find, find_all, text
from models.invoice import InvoiceData

ROOTS = frozenset({"Invoice", "CreditNote"})


def profile(root: Element) -> str | None:
    return text(root, "CustomizationID")


def type_code(root: Element) -> str | None:
    return text(root, "CreditNoteTypeCode") or text(root, "InvoiceTypeCode")


def read_ubl(root: Element, root_name: str) -> InvoiceData:
    out = InvoiceBuilder()
    credit = root_name == "CreditNote"
    code = type_code(root)
    currency = text(root, "DocumentCurrencyCode")
    out.set("invoice_number", text(root, "ID"))                                  # BT-1
    out.set("invoice_date", iso_date(text(root, "IssueDate")))                  # BT-2
    out.set("document_type", "credit_note" if credit and not code else document_type(code))
    out.set("currency", currency.upper() if currency else None)                 # BT-5
    out.set("due_date", iso_date(text(root, "DueDate")))                        # BT-9 (Invoice)
    for means in find_all(root, "PaymentMeans"):
        out.set("due_date", iso_date(text(means, "PaymentDueDate")))            # BT-9 (CreditNote)
        iban = text(means, "PayeeFinancialAccount/ID")
        if iban:
            out.set("vendor_iban", "".join(iban.split()).upper())               # BT-84
            out.set("vendor_bic", text(means, "PayeeFinancialAccount/FinancialInstitutionBranch/ID"))
    for terms in find_all(root, "PaymentTerms"):
        out.set("payment_terms", clean_text(text(terms, "Note")))               # BT-20
    for order in find_all(root, "OrderReference"):
        out.add_po(text(order, "ID"))                                           # BT-13
    out.set("delivery_note", text(root, "DespatchDocumentReference/ID"))        # BT-16
    out.set("credit_note_ref", text(root, "BillingReference/InvoiceDocumentReference/ID"))  # BT-25
    _party(out, find(root, "AccountingSupplierParty/Party"), "vendor")
    _party(out, find(root, "AccountingCustomerParty/Party"), "buyer")
    totals = find(root, "LegalMonetaryTotal")
    out.set("net_amount", amount_text(text(totals, "TaxExclusiveAmount")))      # BT-109
    out.set("tax_amount", amount_text(_tax_total(root, currency)))              # BT-110
    out.set("total_amount", amount_text(text(totals, "TaxInclusiveAmount")))    # BT-112
    _tax_breakdown(out, root, currency)
    for line in find_all(root, "CreditNoteLine" if credit else "InvoiceLine"):
        _line(out, line, "CreditedQuantity" if credit else "InvoicedQuantity")
    return out.build()


def _party(out: InvoiceBuilder, party: Element | None, role: str) -> None:
    if party is None:
        return
    # The registered legal name (BT-27/BT-44) is what the VAT id belongs to; the trading name
    # (BT-28/BT-45) is the fallback when the legal entity carries none.
    name = text(party, "PartyLegalEntity/RegistrationName") or text(party, "PartyName/Name")
    out.set(f"{role}_name", clean_text(name))
    out.set(f"{role}_vat", _vat(party))
    if role == "vendor":
        out.set("vendor_address", _address(find(party, "PostalAddress")))
        out.set("vendor_email", text(party, "Contact/ElectronicMail"))


def _vat(party: Element) -> str | None:
    for scheme in find_all(party, "PartyTaxScheme"):
        if (text(scheme, "TaxScheme/ID") or "").upper() == "VAT":
            return text(scheme, "CompanyID")
    return None


def _tax_total(root: Element, currency: str | None) -> str | None:
    """BT-110: the TaxTotal in the document currency (a second one may give BT-111 in another)."""
    totals = find_all(root, "TaxTotal")
    for total in totals:
        if currency and (attr(total, "TaxAmount", "currencyID") or "").upper() == currency.upper():
            return text(total, "TaxAmount")
    return text(totals[0], "TaxAmount") if totals else None


def _tax_breakdown(out: InvoiceBuilder, root: Element, currency: str | None) -> None:
    for total in find_all(root, "TaxTotal"):
        if currency and (attr(total, "TaxAmount", "currencyID") or currency).upper() != currency.upper():
            continue
        for sub in find_all(total, "TaxSubtotal"):
            row = {"category": text(sub, "TaxCategory/ID"), "rate": decimal_text(text(sub, "TaxCategory/Percent")),
                   "base": amount_text(text(sub, "TaxableAmount")), "tax": amount_text(text(sub, "TaxAmount")),
                   "exemption": clean_text(text(sub, "TaxCategory/TaxExemptionReason"))}
            out.tax_breakdown.append({k: v for k, v in row.items() if v is not None})


def _line(out: InvoiceBuilder, line: Element, quantity_tag: str) -> None:
    item = find(line, "Item")
    out.add_line({
        "description": clean_text(text(item, "Name") or text(item, "Description")),        # BT-153
        "product_code": text(item, "SellersItemIdentification/ID")
        or text(item, "StandardItemIdentification/ID"),                                  # BT-155/157
        "quantity": decimal_text(text(line, quantity_tag)),                               # BT-129
        "unit": attr(line, quantity_tag, "unitCode"),                                     # BT-130
        "unit_price": amount_text(text(line, "Price/PriceAmount")),                       # BT-146
        "amount": amount_text(text(line, "LineExtensionAmount")),                         # BT-131
        "tax_rate": decimal_text(text(item, "ClassifiedTaxCategory/Percent")),            # BT-152
    })


def _address(address: Element | None) -> str | None:
    if address is None:
        return None
    street = [text(address, "StreetName"), text(address, "AdditionalStreetName"),
              *(text(line, "Line") for line in find_all(address, "AddressLine"))]
    town = " ".join(v for v in (text(address, "PostalZone"), text(address, "CityName")) if v)
    parts = [p for p in [*street, town, text(address, "Country/IdentificationCode")] if p]
    return clean_text(", ".join(parts)) if parts else None
