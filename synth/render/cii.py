"""UN/CEFACT Cross Industry Invoice (Factur-X / ZUGFeRD 2.x, EN 16931 profile) for a document."""

from __future__ import annotations

from lxml import etree

from synth.document import InvoiceDoc
from synth.render import en16931 as en
from synth.render.labels import vocabulary

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
NSMAP = {"rsm": RSM, "ram": RAM, "udt": UDT, "qdt": QDT}


def _el(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    ns, name = tag.split(":")
    node = etree.SubElement(parent, f"{{{NSMAP[ns]}}}{name}", attrs)
    if text is not None:
        node.text = text
    return node


def _date(parent: etree._Element, tag: str, day: object) -> None:
    from datetime import date

    assert isinstance(day, date)
    holder = _el(parent, tag)
    _el(holder, "udt:DateTimeString", day.strftime("%Y%m%d"), format="102")


def cii_xml(doc: InvoiceDoc) -> bytes:
    v = en.values(doc)
    vendor = doc.vendor
    root = etree.Element(f"{{{RSM}}}CrossIndustryInvoice", nsmap=NSMAP)  # type: ignore[arg-type]
    context = _el(root, "rsm:ExchangedDocumentContext")
    _el(_el(context, "ram:GuidelineSpecifiedDocumentContextParameter"), "ram:ID", "urn:cen.eu:en16931:2017")
    header = _el(root, "rsm:ExchangedDocument")
    _el(header, "ram:ID", v.number)
    _el(header, "ram:TypeCode", "381" if doc.document_type == "credit_note" else "380")
    _date(header, "ram:IssueDateTime", v.issue_date)
    for note in _notes(doc):
        _el(_el(header, "ram:IncludedNote"), "ram:Content", note)
    trade = _el(root, "rsm:SupplyChainTradeTransaction")
    for index, line in enumerate(doc.lines, start=1):
        item = _el(trade, "ram:IncludedSupplyChainTradeLineItem")
        _el(_el(item, "ram:AssociatedDocumentLineDocument"), "ram:LineID", str(index))
        product = _el(item, "ram:SpecifiedTradeProduct")
        if line.product_code:
            _el(product, "ram:SellerAssignedID", line.product_code)
        _el(product, "ram:Name", line.description)
        agreement = _el(item, "ram:SpecifiedLineTradeAgreement")
        _el(_el(agreement, "ram:NetPriceProductTradePrice"), "ram:ChargeAmount", en.price(line.unit_price))
        delivery = _el(item, "ram:SpecifiedLineTradeDelivery")
        _el(delivery, "ram:BilledQuantity", en.quantity(line.quantity), unitCode=en.UNIT_CODES.get(line.unit, "C62"))
        settlement = _el(item, "ram:SpecifiedLineTradeSettlement")
        _tax(settlement, doc, line.tax_rate, None, None)
        _el(_el(settlement, "ram:SpecifiedTradeSettlementLineMonetarySummation"), "ram:LineTotalAmount",
            en.amount(line.amount))
    agreement = _el(trade, "ram:ApplicableHeaderTradeAgreement")
    seller = _el(agreement, "ram:SellerTradeParty")
    _el(seller, "ram:Name", doc.vendor_name)
    _address(seller, vendor.zip, vendor.street, vendor.city, vendor.country)
    _el(_el(seller, "ram:URIUniversalCommunication"), "ram:URIID", vendor.email, schemeID="EM")
    if doc.printed_vat:
        _el(_el(seller, "ram:SpecifiedTaxRegistration"), "ram:ID", doc.printed_vat, schemeID="VA")
    buyer = _el(agreement, "ram:BuyerTradeParty")
    _el(buyer, "ram:Name", doc.buyer.name)
    _address(buyer, doc.buyer.zip, doc.buyer.street, doc.buyer.city, doc.buyer.country_code)
    _el(_el(buyer, "ram:SpecifiedTaxRegistration"), "ram:ID", doc.buyer.vat, schemeID="VA")
    if doc.po_numbers:
        _el(_el(agreement, "ram:BuyerOrderReferencedDocument"), "ram:IssuerAssignedID", doc.po_numbers[0])
    delivery = _el(trade, "ram:ApplicableHeaderTradeDelivery")
    if doc.ship_to:
        ship = _el(delivery, "ram:ShipToTradeParty")
        _el(ship, "ram:Name", doc.ship_to.name)
        _address(ship, doc.ship_to.zip, doc.ship_to.street, doc.ship_to.city, "DE")
    if doc.delivery_note:
        _el(_el(delivery, "ram:DespatchAdviceReferencedDocument"), "ram:IssuerAssignedID", doc.delivery_note)
    settlement = _el(trade, "ram:ApplicableHeaderTradeSettlement")
    _el(settlement, "ram:PaymentReference", v.number)
    _el(settlement, "ram:InvoiceCurrencyCode", doc.currency)
    if v.iban:
        means = _el(settlement, "ram:SpecifiedTradeSettlementPaymentMeans")
        _el(means, "ram:TypeCode", "58")
        _el(_el(means, "ram:PayeePartyCreditorFinancialAccount"), "ram:IBANID", v.iban)
        if v.bic:
            _el(_el(means, "ram:PayeeSpecifiedCreditorFinancialInstitution"), "ram:BICID", v.bic)
    for group in doc.groups:
        category = en.vat_category(doc, group.rate)
        _tax(settlement, doc, group.rate, group.base, group.tax, category)
    terms = _el(settlement, "ram:SpecifiedTradePaymentTerms")
    words = vocabulary(vendor.language, 0)
    _el(terms, "ram:Description", words["terms"].format(days=vendor.payment_days))
    if doc.due_date:
        _date(terms, "ram:DueDateDateTime", doc.due_date)
    net, tax, total = doc.amounts
    sums = _el(settlement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    _el(sums, "ram:LineTotalAmount", en.amount(net))
    _el(sums, "ram:TaxBasisTotalAmount", en.amount(net))
    _el(sums, "ram:TaxTotalAmount", en.amount(tax), currencyID=doc.currency)
    _el(sums, "ram:GrandTotalAmount", en.amount(total))
    _el(sums, "ram:DuePayableAmount", en.amount(total))
    if doc.credit_note_of:
        _el(_el(settlement, "ram:InvoiceReferencedDocument"), "ram:IssuerAssignedID", doc.credit_note_of)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _notes(doc: InvoiceDoc) -> list[str]:
    words = vocabulary(doc.vendor.language, 0)
    notes = []
    if "reverse_charge" in doc.notes:
        notes.append(words["reverse_charge"])
    if "export" in doc.notes:
        notes.append(words["export"])
    if len(doc.po_numbers) > 1:
        notes.append(f"{words['po_number']}: {', '.join(doc.po_numbers)}")
    return notes


def _address(party: etree._Element, zip_code: str, street: str, city: str, country: str) -> None:
    address = _el(party, "ram:PostalTradeAddress")
    _el(address, "ram:PostcodeCode", zip_code)
    _el(address, "ram:LineOne", street)
    _el(address, "ram:CityName", city)
    _el(address, "ram:CountryID", country)


def _tax(parent: etree._Element, doc: InvoiceDoc, rate: object, base: object, tax: object,
         category: en.VatCategory | None = None) -> None:
    from decimal import Decimal

    assert isinstance(rate, Decimal)
    category = category or en.vat_category(doc, rate)
    node = _el(parent, "ram:ApplicableTradeTax")
    if isinstance(tax, Decimal):
        _el(node, "ram:CalculatedAmount", en.amount(tax))
    _el(node, "ram:TypeCode", "VAT")
    if category.reason and isinstance(base, Decimal):
        _el(node, "ram:ExemptionReason", category.reason)
    if isinstance(base, Decimal):
        _el(node, "ram:BasisAmount", en.amount(base))
    _el(node, "ram:CategoryCode", category.code)
    if category.reason_code and isinstance(base, Decimal):
        _el(node, "ram:ExemptionReasonCode", category.reason_code)
    _el(node, "ram:RateApplicablePercent", en.rate_text(rate))
