"""Rendering an invoice document: PDF layouts, scans, Factur-X, UBL and e-mail."""
