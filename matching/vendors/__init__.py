"""Vendor resolution: who sent the invoice, from tax id, IBAN, e-mail domain and name."""

from matching.vendors.index import VendorIndex, build_vendor_index
from matching.vendors.resolve import NameThresholds, VendorClues, VendorResolution, iban_finding, resolve_vendor

__all__ = ["NameThresholds", "VendorClues", "VendorIndex", "VendorResolution", "build_vendor_index",
           "iban_finding", "resolve_vendor"]
