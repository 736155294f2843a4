"""PDF opening and safety checks, text-layer words and page rendering (pdfium)."""
