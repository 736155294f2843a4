"""Learned extraction: a spaCy NER and a small LayoutLM-style token classifier, trained from scratch."""
