"""Every string an invoice page shows, formatted once in the vendor's words, numbers and dates.

The PDF layouts only place these strings; what the page says is decided here, from the document.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from synth.document import DocLine, InvoiceDoc
from synth.identity import group_iban
from synth.render.labels import Vocabulary, country_name, unit_label, vocabulary
from synth.render.locale import Locale
from synth.render.style import VendorStyle
from synth.world.places import COUNTRIES


@dataclass(frozen=True)
class PrintedLine:
    pos: str
    code: str
    description: str
    qty: str
    unit: str
    unit_price: str
    vat_rate: str
    amount: str


@dataclass(frozen=True)
class Printed:
    words: Vocabulary
    locale: Locale
    title: str
    vendor_name: str
    vendor_address: list[str]  # street, zip city, country
    vendor_contact: list[str]  # phone, e-mail, web
    vendor_ids: list[str]  # VAT id / tax id, register
    sender_line: str  # the one-line return address above a window envelope's address
    buyer: list[str]
    ship_to: list[str]
    meta: list[tuple[str, str]]  # (label, value) references: number, dates, PO, customer number…
    lines: list[PrintedLine]
    net: str
    tax_rows: list[tuple[str, str, str, str]]  # (label, rate, base, tax)
    tax_total: str
    total: str
    total_label: str
    bank: list[str]
    terms: list[str]
    notes: list[str]
    footer_columns: list[list[str]]
    number: str | None
    credit: bool
    initials: str
    currency: str


def _vat_rate(locale: Locale, rate: Decimal) -> str:
    return f"{locale.quantity(rate)}%" if rate == rate.to_integral_value() else f"{locale.number(rate, 1)}%"


def printed(doc: InvoiceDoc, style: VendorStyle) -> Printed:
    words = vocabulary(doc.vendor.language, style.vocabulary_variant)
    loc = style.locale
    vendor = doc.vendor
    country = COUNTRIES[vendor.country]
    credit = doc.document_type == "credit_note"
    number = doc.invoice_number
    title = words["credit_note"] if credit else words["invoice"]
    if style.layout.title_with_number and number:
        title = f"{title} {'Nr.' if vendor.language == 'de' else 'No.'} {number}"
    address = [vendor.street, city_line(vendor.country, vendor.zip, vendor.city), country.name]
    contact = [f"{words['phone']} {vendor.phone}", f"{words['email']}: {vendor.email}", vendor.website]
    ids = []
    if doc.printed_vat:
        ids.append(f"{words['vat_id']}: {doc.printed_vat}")
    if vendor.tax_number:
        ids.append(f"{words['tax_id']}: {vendor.tax_number}")
    if vendor.register:
        ids.append(vendor.register)
    buyer = [doc.buyer.name, words["attn"], doc.buyer.street, f"{doc.buyer.zip} {doc.buyer.city}",
             country_name(doc.buyer.country_code, vendor.language)]
    ship = [doc.ship_to.name, doc.ship_to.street, f"{doc.ship_to.zip} {doc.ship_to.city}"] if doc.ship_to else []
    meta: list[tuple[str, str]] = []
    if number:
        meta.append((words["credit_number"] if credit else words["invoice_number"], number))
    if doc.issue_date:
        meta.append((words["invoice_date"], loc.date(doc.issue_date)))
    meta.append((words["customer_number"], vendor.customer_number))
    if doc.po_numbers:
        meta.append((words["po_number"], ", ".join(doc.po_numbers)))
    if doc.delivery_note:
        meta.append((words["delivery_note"], doc.delivery_note))
    if doc.due_date:
        meta.append((words["due_date"], loc.date(doc.due_date)))
    net, tax, total = doc.amounts
    groups = doc.groups
    def sums(value: Decimal) -> str:
        return loc.with_currency(value, doc.currency, use_symbol=True) if style.use_symbol else loc.money(value)

    tax_rows = [(words["vat_on"].format(rate=_vat_rate(loc, g.rate).rstrip("%"), base=loc.money(g.base)),
                 _vat_rate(loc, g.rate), loc.money(g.base), sums(g.tax)) for g in groups]
    bank = []
    account = doc.account
    if account and account.is_iban:
        bank = [f"{words['bank']}: {account.bank_name}", f"{words['iban']}: {group_iban(account.acc_number)}",
                f"{words['bic']}: {account.bic}"]
    elif account:
        bank = [f"{words['bank']}: {account.bank_name}", f"{words['routing']}: {account.routing}",
                f"{words['account']}: {account.acc_number}", f"SWIFT: {account.bic}"]
    terms = [] if credit else [words["terms"].format(days=vendor.payment_days)]
    if doc.due_date and not credit:
        terms.append(words["pay_by"].format(date=loc.date(doc.due_date)))
    notes = []
    if credit and doc.credit_note_of:
        notes.append(words["credit_for"].format(number=doc.credit_note_of))
    if "reverse_charge" in doc.notes:
        notes.append(words["reverse_charge"])
    if "export" in doc.notes:
        notes.append(words["export"])
    notes.append(words["in_currency"].format(cur=doc.currency))
    lines = [_line(i, line, loc, vendor.language) for i, line in enumerate(doc.lines, start=1)]
    footer = [[doc.vendor_name, *address],
              [f"{words['phone']} {vendor.phone}", vendor.email, vendor.website],
              [*ids] or [vendor.website],
              bank or [words["thanks"]]]
    if vendor.managers:
        footer[0].append(vendor.managers)
    initials = "".join(part[0] for part in vendor.brand.split()[:2]).upper()
    if len(initials) < 2:
        initials = vendor.brand[:2].upper()
    return Printed(
        words=words, locale=loc, title=title, vendor_name=doc.vendor_name, vendor_address=address,
        vendor_contact=contact, vendor_ids=ids, sender_line=f"{doc.vendor_name} · {vendor.street} · {address[1]}",
        buyer=buyer, ship_to=ship, meta=meta, lines=lines, net=sums(net),
        tax_rows=tax_rows, tax_total=sums(tax),
        total=loc.with_currency(total, doc.currency, use_symbol=False),
        total_label=words["total_due"], bank=bank, terms=terms, notes=notes, footer_columns=footer,
        number=number, credit=credit, initials=initials, currency=doc.currency)


def city_line(country: str, zip_code: str, city: str) -> str:
    """Postcode before the town on the continent, after it in the UK, Ireland and the US."""
    return f"{city} {zip_code}" if country in ("GB", "IE", "US") else f"{zip_code} {city}"


def _line(index: int, line: DocLine, loc: Locale, language: str) -> PrintedLine:
    return PrintedLine(pos=str(index), code=line.product_code or "", description=line.description,
                       qty=loc.quantity(line.quantity), unit=unit_label(language, line.unit),
                       unit_price=loc.price(line.unit_price), vat_rate=_vat_rate(loc, line.tax_rate),
                       amount=loc.money(line.amount))
