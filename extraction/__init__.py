"""Document intelligence: page text (text layer or OCR), e-invoice XML, fields and line items."""
