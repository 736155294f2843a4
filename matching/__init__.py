"""Three-way matching: pure logic over the ERP mirror (see ``matching.engine.match_invoice``)."""
