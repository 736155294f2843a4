"""OASIS UBL 2.1 Invoice / CreditNote (Peppol BIS Billing 3.0, EN 16931) for a document."""

from __future__ import annotations

from decimal import Decimal

from lxml import etree

from synth.document import InvoiceDoc
from synth.render import en16931 as en
from synth.render.labels import vocabulary

CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
ROOTS = {"invoice": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
         "credit_note": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"}
# Peppol electronic address schemes for a VAT id, by country (the EAS code list).
_EAS = {"DE": "9930", "AT": "9914", "NL": "9944", "BE": "9925", "FR": "9957", "IT": "9906", "ES": "9920",
        "GB": "9932", "IE": "9935", "SE": "9955", "DK": "0184", "LU": "9938", "CH": "9927"}


def _el(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    ns = CBC if tag.startswith("cbc:") else CAC
    node = etree.SubElement(parent, f"{{{ns}}}{tag[4:]}", attrs)
    if text is not None:
        node.text = text
    return node


def ubl_xml(doc: InvoiceDoc) -> bytes:
    v = en.values(doc)
    credit = doc.document_type == "credit_note"
    kind = "credit_note" if credit else "invoice"
    root_name = "CreditNote" if credit else "Invoice"
    root = etree.Element(f"{{{ROOTS[kind]}}}{root_name}", nsmap={None: ROOTS[kind], "cac": CAC, "cbc": CBC})
    money = {"currencyID": doc.currency}
    _el(root, "cbc:CustomizationID", "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0")
    _el(root, "cbc:ProfileID", "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0")
    _el(root, "cbc:ID", v.number)
    _el(root, "cbc:IssueDate", v.issue_date.isoformat())
    if doc.due_date and not credit:
        _el(root, "cbc:DueDate", doc.due_date.isoformat())
    _el(root, "cbc:CreditNoteTypeCode" if credit else "cbc:InvoiceTypeCode", "381" if credit else "380")
    words = vocabulary(doc.vendor.language, 0)
    for key in ("reverse_charge", "export"):
        if key in doc.notes:
            _el(root, "cbc:Note", words[key])
    _el(root, "cbc:DocumentCurrencyCode", doc.currency)
    if not doc.po_numbers:
        _el(root, "cbc:BuyerReference", doc.vendor.customer_number)
    if doc.po_numbers:
        _el(_el(root, "cac:OrderReference"), "cbc:ID", doc.po_numbers[0])
    if doc.credit_note_of:
        _el(_el(_el(root, "cac:BillingReference"), "cac:InvoiceDocumentReference"), "cbc:ID", doc.credit_note_of)
    if doc.delivery_note:
        _el(_el(root, "cac:DespatchDocumentReference"), "cbc:ID", doc.delivery_note)
    vendor = doc.vendor
    _party(_el(root, "cac:AccountingSupplierParty"), doc.vendor_name, vendor.street, vendor.city, vendor.zip,
           vendor.country, doc.printed_vat, vendor.email)
    _party(_el(root, "cac:AccountingCustomerParty"), doc.buyer.name, doc.buyer.street, doc.buyer.city,
           doc.buyer.zip, doc.buyer.country_code, doc.buyer.vat, doc.buyer.email)
    if doc.ship_to:
        location = _el(_el(root, "cac:Delivery"), "cac:DeliveryLocation")
        address = _el(location, "cac:Address")
        _el(address, "cbc:StreetName", doc.ship_to.street)
        _el(address, "cbc:CityName", doc.ship_to.city)
        _el(address, "cbc:PostalZone", doc.ship_to.zip)
        _el(_el(address, "cac:Country"), "cbc:IdentificationCode", "DE")
    if v.iban or (credit and doc.due_date):
        means = _el(root, "cac:PaymentMeans")
        _el(means, "cbc:PaymentMeansCode", "58" if v.iban else "30")
        if credit and doc.due_date:
            _el(means, "cbc:PaymentDueDate", doc.due_date.isoformat())
        _el(means, "cbc:PaymentID", v.number)
        if v.iban:
            account = _el(means, "cac:PayeeFinancialAccount")
            _el(account, "cbc:ID", v.iban)
            if v.bic:
                _el(_el(account, "cac:FinancialInstitutionBranch"), "cbc:ID", v.bic)
    _el(_el(root, "cac:PaymentTerms"), "cbc:Note", words["terms"].format(days=vendor.payment_days))
    net, tax, total = doc.amounts
    tax_total = _el(root, "cac:TaxTotal")
    _el(tax_total, "cbc:TaxAmount", en.amount(tax), **money)
    for group in doc.groups:
        sub = _el(tax_total, "cac:TaxSubtotal")
        _el(sub, "cbc:TaxableAmount", en.amount(group.base), **money)
        _el(sub, "cbc:TaxAmount", en.amount(group.tax), **money)
        _category(sub, "cac:TaxCategory", doc, group.rate, with_reason=True)
    totals = _el(root, "cac:LegalMonetaryTotal")
    _el(totals, "cbc:LineExtensionAmount", en.amount(net), **money)
    _el(totals, "cbc:TaxExclusiveAmount", en.amount(net), **money)
    _el(totals, "cbc:TaxInclusiveAmount", en.amount(total), **money)
    _el(totals, "cbc:PayableAmount", en.amount(total), **money)
    for index, line in enumerate(doc.lines, start=1):
        node = _el(root, "cac:CreditNoteLine" if credit else "cac:InvoiceLine")
        _el(node, "cbc:ID", str(index))
        _el(node, "cbc:CreditedQuantity" if credit else "cbc:InvoicedQuantity", en.quantity(line.quantity),
            unitCode=en.UNIT_CODES.get(line.unit, "C62"))
        _el(node, "cbc:LineExtensionAmount", en.amount(line.amount), **money)
        item = _el(node, "cac:Item")
        _el(item, "cbc:Name", line.description)
        if line.product_code:
            _el(_el(item, "cac:SellersItemIdentification"), "cbc:ID", line.product_code)
        _category(item, "cac:ClassifiedTaxCategory", doc, line.tax_rate, with_reason=False)
        _el(_el(node, "cac:Price"), "cbc:PriceAmount", en.price(line.unit_price), **money)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _party(holder: etree._Element, name: str, street: str, city: str, zip_code: str, country: str,
           vat: str | None, email: str) -> None:
    party = _el(holder, "cac:Party")
    if vat and country in _EAS:
        _el(party, "cbc:EndpointID", vat, schemeID=_EAS[country])
    _el(_el(party, "cac:PartyName"), "cbc:Name", name)
    address = _el(party, "cac:PostalAddress")
    _el(address, "cbc:StreetName", street)
    _el(address, "cbc:CityName", city)
    _el(address, "cbc:PostalZone", zip_code)
    _el(_el(address, "cac:Country"), "cbc:IdentificationCode", country)
    if vat:
        scheme = _el(party, "cac:PartyTaxScheme")
        _el(scheme, "cbc:CompanyID", vat)
        _el(_el(scheme, "cac:TaxScheme"), "cbc:ID", "VAT")
    _el(_el(party, "cac:PartyLegalEntity"), "cbc:RegistrationName", name)
    _el(_el(party, "cac:Contact"), "cbc:ElectronicMail", email)


def _category(parent: etree._Element, tag: str, doc: InvoiceDoc, rate: Decimal, with_reason: bool) -> None:
    category = en.vat_category(doc, rate)
    node = _el(parent, tag)
    _el(node, "cbc:ID", category.code)
    _el(node, "cbc:Percent", en.rate_text(rate))
    if with_reason and category.reason_code:
        _el(node, "cbc:TaxExemptionReasonCode", category.reason_code)
        _el(node, "cbc:TaxExemptionReason", category.reason or "")
    _el(_el(node, "cac:TaxScheme"), "cbc:ID", "VAT")
