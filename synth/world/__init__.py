"""The ERP side of the synthetic world: the buyer group, vendors, products, orders, receipts, bills."""
