"""Scoring extraction against the evaluation corpus, by the rules of its README.

``evaluate`` runs one or more systems (the layout rules, the learned models, their ensemble, the e-invoice
path, invoice2data for comparison) over every document, and over the variants of each hybrid PDF (its XML
removed; rendered and degraded like a scan), and reports accuracy per field, per folder and per kind,
line precision and recall, whole-document accuracy, and how well confidence is calibrated.
"""
