"""Mail intake: invoices e-mailed to the AP inbox, fetched over IMAP or received over SMTP."""
