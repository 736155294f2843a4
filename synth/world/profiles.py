"""What the generator knows about a vendor beyond the ERP record: how its invoices look and read.

A vendor keeps one language, one numbering scheme and one e-invoice format, as real vendors do (its
layout and logo are chosen by the renderer from the vendor's key); the ERP never sees any of this,
only the printed documents do.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from synth.identity import BankAccount


@dataclass
class VendorProfile:
    key: int  # the partner id, or a negative number for vendors the ERP does not know
    name: str  # the registered name, as in the ERP
    brand: str
    legal_form: str
    country: str
    language: str
    currency: str
    category: str
    street: str
    city: str
    zip: str
    email: str  # the billing address invoices are sent from
    domain: str
    phone: str
    website: str
    vat: str | None
    tax_number: str | None  # what US vendors print instead of a VAT id (EIN)
    register: str | None  # commercial register / company number line
    managers: str | None
    accounts: list[BankAccount] = field(default_factory=list)
    numbering: str = "RE-{year}-{n:05d}"
    number_start: int = 1000
    einvoice: str = "facturx"  # facturx | ubl
    payment_days: int = 30
    customer_number: str = ""
    numbering_of: int | None = None  # a duplicate ERP record shares the original vendor's numbering

    @property
    def sequence(self) -> str:
        return f"vendor:{self.numbering_of or self.key}"

    @property
    def printed_account(self) -> BankAccount | None:
        return self.accounts[0] if self.accounts else None
