"""A realistic synthetic AP world, generated from a seed: the buyer group, vendors, products, purchase
orders, receipts and bills (as an Odoo 18 snapshot), and the invoices vendors send, rendered as PDFs in
many layouts, scans, Factur-X, UBL and e-mails, each with its truth and the outcome matching must give.

``generate(SynthConfig(...))`` builds the world in memory; ``write_world`` writes it to a folder.
"""

from synth.config import SynthConfig, parse_mix
from synth.generate import GeneratedInvoice, GeneratedWorld, generate
from synth.writer import write_world

__all__ = ["GeneratedInvoice", "GeneratedWorld", "SynthConfig", "generate", "parse_mix", "write_world"]
