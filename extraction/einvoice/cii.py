"""UN/CEFACT Cross Industry Invoice → ``InvoiceData``.

One mapping reads ZUGFeRD 1.0 (``CrossIndustryDocument``) and CII D16B (``CrossIndustryInvoice``: ZUGFeRD
2.x, Factur-X, XRechnung CII): the business terms sit at the same places with version-specific element
names, given as ``v1|v2`` alternatives below. Business-term numbers (BT-n) are EN 16931's.
"""

from __future__ import annotations

from extraction.einvoice.result import InvoiceBuilder
from extraction.einvoice.values import amount_text, cii_date, clean_text, decimal_text, document_type
from extraction.einvoice.xmlpath import Element, attr, find, find_all, text
from models.invoice import InvoiceData

ROOTS = frozenset({"CrossIndustryInvoice", "CrossIndustryDocument"})

_CONTEXT = "SpecifiedExchangedDocumentContext|ExchangedDocumentContext"
_DOCUMENT = "HeaderExchangedDocument|ExchangedDocument"
_TRANSACTION = "SpecifiedSupplyChainTradeTransaction|SupplyChainTradeTransaction"
_AGREEMENT = "ApplicableSupplyChainTradeAgreement|ApplicableHeaderTradeAgreement"
_DELIVERY = "ApplicableSupplyChainTradeDelivery|ApplicableHeaderTradeDelivery"
_SETTLEMENT = "ApplicableSupplyChainTradeSettlement|ApplicableHeaderTradeSettlement"
_TOTALS = "SpecifiedTradeSettlementMonetarySummation|SpecifiedTradeSettlementHeaderMonetarySummation"
_LINE_AGREEMENT = "SpecifiedSupplyChainTradeAgreement|SpecifiedLineTradeAgreement"
_LINE_DELIVERY = "SpecifiedSupplyChainTradeDelivery|SpecifiedLineTradeDelivery"
_LINE_SETTLEMENT = "SpecifiedSupplyChainTradeSettlement|SpecifiedLineTradeSettlement"
_LINE_TOTALS = "SpecifiedTradeSettlementMonetarySummation|SpecifiedTradeSettlementLineMonetarySummation"
_RATE = "RateApplicablePercent|ApplicablePercent"
_REF_ID = "IssuerAssignedID|ID"


def profile(root: Element) -> str | None:
    return text(root, f"{_CONTEXT}/GuidelineSpecifiedDocumentContextParameter/ID")


def type_code(root: Element) -> str | None:
    return text(root, f"{_DOCUMENT}/TypeCode")


def read_cii(root: Element) -> InvoiceData:
    out = InvoiceBuilder()
    doc = find(root, _DOCUMENT)
    tx = find(root, _TRANSACTION)
    agreement, delivery, settlement = find(tx, _AGREEMENT), find(tx, _DELIVERY), find(tx, _SETTLEMENT)

    type_code = text(doc, "TypeCode")
    out.set("invoice_number", text(doc, "ID"))                                   # BT-1
    out.set("invoice_date", _date(find(doc, "IssueDateTime/DateTimeString")))   # BT-2
    out.set("document_type", document_type(type_code))                          # BT-3
    _parties(out, agreement)
    for ref in find_all(agreement, "BuyerOrderReferencedDocument"):              # BT-13
        out.add_po(text(ref, _REF_ID))
    out.set("delivery_note", text(delivery, f"DespatchAdviceReferencedDocument/{_REF_ID}")
            or text(delivery, f"DeliveryNoteReferencedDocument/{_REF_ID}"))      # BT-16
    _settlement(out, settlement)
    for item in find_all(tx, "IncludedSupplyChainTradeLineItem"):
        _line(out, item)
    return out.build()


def _parties(out: InvoiceBuilder, agreement: Element | None) -> None:
    seller = find(agreement, "SellerTradeParty")
    buyer = find(agreement, "BuyerTradeParty")
    out.set("vendor_name", clean_text(text(seller, "Name")))                     # BT-27
    out.set("vendor_vat", _tax_id(seller, "VA"))                                 # BT-31
    out.set("vendor_address", _address(find(seller, "PostalTradeAddress")))
    out.set("vendor_email", text(seller, "URIUniversalCommunication/URIID")
            or text(seller, "DefinedTradeContact/EmailURIUniversalCommunication/URIID"))
    out.set("buyer_name", clean_text(text(buyer, "Name")))                       # BT-44
    out.set("buyer_vat", _tax_id(buyer, "VA"))                                   # BT-48


def _settlement(out: InvoiceBuilder, settlement: Element | None) -> None:
    currency = text(settlement, "InvoiceCurrencyCode")
    out.set("currency", currency.upper() if currency else None)                  # BT-5
    for means in find_all(settlement, "SpecifiedTradeSettlementPaymentMeans"):  # BG-16
        iban = text(means, "PayeePartyCreditorFinancialAccount/IBANID") \
            or text(means, "PayeePartyCreditorFinancialAccount/ProprietaryID")
        if iban:
            out.set("vendor_iban", "".join(iban.split()).upper())                # BT-84
            out.set("vendor_bic", text(means, "PayeeSpecifiedCreditorFinancialInstitution/BICID"))
    for terms in find_all(settlement, "SpecifiedTradePaymentTerms"):            # BT-9, BT-20
        out.set("due_date", _date(find(terms, "DueDateDateTime/DateTimeString")))
        out.set("payment_terms", clean_text(text(terms, "Description")))
    out.set("credit_note_ref", text(settlement, f"InvoiceReferencedDocument/{_REF_ID}"))  # BT-25
    totals = find(settlement, _TOTALS)
    out.set("net_amount", amount_text(text(totals, "TaxBasisTotalAmount")))      # BT-109
    out.set("tax_amount", amount_text(_tax_total(totals, currency)))             # BT-110
    out.set("total_amount", amount_text(text(totals, "GrandTotalAmount")))       # BT-112
    for tax in find_all(settlement, "ApplicableTradeTax"):                      # BG-23
        row = {"category": text(tax, "CategoryCode"), "rate": decimal_text(text(tax, _RATE)),
               "base": amount_text(text(tax, "BasisAmount")), "tax": amount_text(text(tax, "CalculatedAmount")),
               "exemption": clean_text(text(tax, "ExemptionReason"))}
        out.tax_breakdown.append({k: v for k, v in row.items() if v is not None})


def _line(out: InvoiceBuilder, item: Element) -> None:
    product = find(item, "SpecifiedTradeProduct")
    agreement, delivery = find(item, _LINE_AGREEMENT), find(item, _LINE_DELIVERY)
    settlement = find(item, _LINE_SETTLEMENT)
    line_doc = find(item, "AssociatedDocumentLineDocument")
    out.add_line({
        "description": clean_text(text(product, "Name") or text(product, "Description")),   # BT-153
        "product_code": text(product, "SellerAssignedID") or text(product, "GlobalID"),    # BT-155/157
        "quantity": decimal_text(text(delivery, "BilledQuantity")),                        # BT-129
        "unit": attr(delivery, "BilledQuantity", "unitCode"),                              # BT-130
        "unit_price": amount_text(text(agreement, "NetPriceProductTradePrice/ChargeAmount")),  # BT-146
        "amount": amount_text(text(settlement, f"{_LINE_TOTALS}/LineTotalAmount")),        # BT-131
        "tax_rate": decimal_text(text(settlement, f"ApplicableTradeTax/{_RATE}")),         # BT-152
        # EXTENDED sub-lines: a GROUP line sums its DETAIL lines and INFORMATION lines carry no amount,
        # so whoever totals lines needs the hierarchy to avoid counting twice.
        "line_id": text(line_doc, "LineID"),
        "parent_line_id": text(line_doc, "ParentLineID"),
        "line_status": text(line_doc, "LineStatusReasonCode"),
    })


def _tax_total(totals: Element | None, currency: str | None) -> str | None:
    """BT-110 is the tax total in the invoice currency; BT-111 repeats it in the accounting currency."""
    amounts = find_all(totals, "TaxTotalAmount")
    for node in amounts:
        if currency and (node.get("currencyID") or "").strip().upper() == currency.upper():
            return text(node)
    for node in amounts:
        if not node.get("currencyID"):
            return text(node)
    return text(amounts[0]) if amounts else None


def _tax_id(party: Element | None, scheme: str) -> str | None:
    for reg in find_all(party, "SpecifiedTaxRegistration/ID"):
        if (reg.get("schemeID") or "").strip().upper() == scheme:
            return text(reg)
    return None


def _address(address: Element | None) -> str | None:
    if address is None:
        return None
    street = [text(address, n) for n in ("LineOne", "LineTwo", "LineThree")]
    town = " ".join(v for v in (text(address, "PostcodeCode"), text(address, "CityName")) if v)
    parts = [p for p in [*street, town, text(address, "CountryID")] if p]
    return clean_text(", ".join(parts)) if parts else None


def _date(node: Element | None) -> str | None:
    if node is None:
        return None
    return cii_date(text(node), node.get("format"))
