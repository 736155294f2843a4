"""E-invoices: Factur-X/ZUGFeRD/XRechnung CII embedded in PDFs, and standalone UBL or CII XML."""

from extraction.einvoice.reader import read_einvoice
from extraction.einvoice.result import EInvoice

__all__ = ["EInvoice", "read_einvoice"]
