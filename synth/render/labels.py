"""What invoices call things, in the six languages vendors write to the group in.

Several vocabularies per language (``Rechnungsnummer`` / ``Rechnung Nr.`` / ``Beleg-Nr.``): each
layout picks one variant, so the same field is labelled differently from vendor to vendor, as it is on
real invoices.
"""

from __future__ import annotations

Vocabulary = dict[str, str]

_BASE: dict[str, Vocabulary] = {
    "en": {
        "invoice": "INVOICE", "credit_note": "CREDIT NOTE", "invoice_number": "Invoice No.",
        "credit_number": "Credit Note No.", "invoice_date": "Invoice Date", "due_date": "Due Date",
        "po_number": "PO Number", "customer_number": "Customer No.", "delivery_note": "Delivery Note",
        "vat_id": "VAT Reg. No.", "tax_id": "Federal Tax ID", "page": "Page", "of": "of", "pos": "#",
        "code": "Item", "description": "Description", "qty": "Qty", "unit": "Unit", "unit_price": "Unit Price",
        "vat_rate": "VAT", "amount": "Amount", "net": "Subtotal", "vat": "VAT", "vat_on": "VAT {rate}% on {base}",
        "tax_total": "Total VAT", "total": "Total", "total_due": "Total Due", "carried": "Carried forward",
        "brought": "Brought forward", "continued": "Continued on next page", "bank": "Bank", "iban": "IBAN",
        "bic": "BIC/SWIFT", "account": "Account No.", "routing": "Routing No. (ABA)",
        "terms": "Payment terms: {days} days net", "pay_by": "Please pay by {date}",
        "reverse_charge": "Reverse charge: VAT to be accounted for by the recipient (Art. 196 Directive "
                          "2006/112/EC).",
        "export": "Export of goods: no VAT charged.", "ship_to": "Ship To", "bill_to": "Bill To",
        "credit_for": "Credit note for invoice {number}", "thanks": "Thank you for your business.",
        "remittance": "REMITTANCE ADVICE", "cut": "Please detach and return this portion with your payment",
        "amount_due": "Amount Due", "reference": "Payment reference", "phone": "Tel.", "email": "Email",
        "web": "Web", "in_currency": "All amounts in {cur}", "attn": "Attn: Accounts Payable",
        "intro": "", "regards": "", "payment_details": "Payment details", "customer": "Customer",
    },
    "de": {
        "invoice": "Rechnung", "credit_note": "Gutschrift", "invoice_number": "Rechnungsnummer",
        "credit_number": "Gutschrift-Nr.", "invoice_date": "Rechnungsdatum", "due_date": "Fällig am",
        "po_number": "Ihre Bestellnummer", "customer_number": "Kundennummer", "delivery_note": "Lieferschein",
        "vat_id": "USt-IdNr.", "tax_id": "Steuernummer", "page": "Seite", "of": "von", "pos": "Pos.",
        "code": "Art.-Nr.", "description": "Bezeichnung", "qty": "Menge", "unit": "Einheit",
        "unit_price": "Einzelpreis", "vat_rate": "USt.", "amount": "Gesamt", "net": "Nettobetrag",
        "vat": "Umsatzsteuer", "vat_on": "zzgl. {rate}% USt. auf {base}", "tax_total": "Summe USt.",
        "total": "Rechnungsbetrag", "total_due": "Zu zahlender Betrag", "carried": "Übertrag",
        "brought": "Übertrag", "continued": "Fortsetzung auf der nächsten Seite", "bank": "Bankverbindung",
        "iban": "IBAN", "bic": "BIC", "account": "Konto", "routing": "BLZ",
        "terms": "Zahlbar innerhalb von {days} Tagen ohne Abzug.", "pay_by": "Zahlbar bis {date} ohne Abzug.",
        "reverse_charge": "Steuerschuldnerschaft des Leistungsempfängers (Reverse Charge).",
        "export": "Steuerfreie Ausfuhrlieferung.", "ship_to": "Lieferanschrift", "bill_to": "Rechnungsanschrift",
        "credit_for": "Gutschrift zu Rechnung {number}", "thanks": "Vielen Dank für Ihren Auftrag.",
        "remittance": "ZAHLUNGSABSCHNITT", "cut": "Bitte abtrennen und mit der Zahlung zurücksenden",
        "amount_due": "Betrag", "reference": "Verwendungszweck", "phone": "Tel.", "email": "E-Mail",
        "web": "Web", "in_currency": "Alle Beträge in {cur}", "attn": "z. Hd. Kreditorenbuchhaltung",
        "intro": "Sehr geehrte Damen und Herren, für unsere Lieferungen und Leistungen berechnen wir Ihnen:",
        "regards": "Mit freundlichen Grüßen", "payment_details": "Zahlungsinformationen", "customer": "Kunde",
    },
    "fr": {
        "invoice": "FACTURE", "credit_note": "AVOIR", "invoice_number": "N° de facture", "credit_number": "N° d'avoir",
        "invoice_date": "Date de facture", "due_date": "Date d'échéance", "po_number": "Votre commande",
        "customer_number": "N° client", "delivery_note": "Bon de livraison", "vat_id": "N° TVA intracom.",
        "tax_id": "N° fiscal", "page": "Page", "of": "sur", "pos": "Pos.", "code": "Référence",
        "description": "Désignation", "qty": "Qté", "unit": "Unité", "unit_price": "Prix unitaire HT",
        "vat_rate": "TVA", "amount": "Montant HT", "net": "Total HT", "vat": "TVA",
        "vat_on": "TVA {rate}% sur {base}", "tax_total": "Total TVA", "total": "Total TTC",
        "total_due": "Net à payer", "carried": "À reporter", "brought": "Report",
        "continued": "Suite page suivante", "bank": "Banque", "iban": "IBAN", "bic": "BIC", "account": "Compte",
        "routing": "Code banque", "terms": "Paiement à {days} jours net.", "pay_by": "À régler avant le {date}.",
        "reverse_charge": "Autoliquidation - TVA due par le preneur (art. 196 de la directive 2006/112/CE).",
        "export": "Exonération de TVA, article 262 I du CGI.", "ship_to": "Adresse de livraison",
        "bill_to": "Adresse de facturation", "credit_for": "Avoir sur facture {number}",
        "thanks": "Merci de votre confiance.", "remittance": "TALON DE PAIEMENT",
        "cut": "À détacher et à joindre à votre règlement", "amount_due": "Montant", "reference": "Référence",
        "phone": "Tél.", "email": "E-mail", "web": "Web", "in_currency": "Montants exprimés en {cur}",
        "attn": "À l'attention de la comptabilité fournisseurs", "intro": "", "regards": "",
        "payment_details": "Modalités de paiement", "customer": "Client",
    },
    "it": {
        "invoice": "FATTURA", "credit_note": "NOTA DI CREDITO", "invoice_number": "Numero fattura",
        "credit_number": "Nota di credito n.", "invoice_date": "Data fattura", "due_date": "Scadenza",
        "po_number": "Vs. ordine", "customer_number": "Codice cliente", "delivery_note": "DDT",
        "vat_id": "P. IVA", "tax_id": "Codice fiscale", "page": "Pagina", "of": "di", "pos": "N.",
        "code": "Codice", "description": "Descrizione", "qty": "Q.tà", "unit": "U.M.", "unit_price": "Prezzo unit.",
        "vat_rate": "IVA", "amount": "Importo", "net": "Imponibile", "vat": "IVA", "vat_on": "IVA {rate}% su {base}",
        "tax_total": "Totale IVA", "total": "Totale fattura", "total_due": "Totale da pagare", "carried": "A riportare",
        "brought": "Riporto", "continued": "Segue alla pagina successiva", "bank": "Banca", "iban": "IBAN",
        "bic": "BIC", "account": "Conto", "routing": "ABI", "terms": "Pagamento a {days} giorni data fattura.",
        "pay_by": "Pagamento entro il {date}.",
        "reverse_charge": "Operazione non imponibile - inversione contabile (art. 7-bis DPR 633/72).",
        "export": "Operazione non imponibile, esportazione.", "ship_to": "Destinazione merce",
        "bill_to": "Spett.le", "credit_for": "Nota di credito su fattura {number}",
        "thanks": "Grazie per la preferenza.", "remittance": "CEDOLA DI PAGAMENTO",
        "cut": "Staccare e allegare al pagamento", "amount_due": "Importo", "reference": "Causale", "phone": "Tel.",
        "email": "E-mail", "web": "Web", "in_currency": "Importi in {cur}", "attn": "Alla c.a. Ufficio contabilità",
        "intro": "", "regards": "", "payment_details": "Modalità di pagamento", "customer": "Cliente",
    },
    "es": {
        "invoice": "FACTURA", "credit_note": "FACTURA RECTIFICATIVA", "invoice_number": "N.º de factura",
        "credit_number": "N.º de abono", "invoice_date": "Fecha de factura", "due_date": "Vencimiento",
        "po_number": "Su pedido", "customer_number": "N.º de cliente", "delivery_note": "Albarán",
        "vat_id": "NIF-IVA", "tax_id": "NIF", "page": "Página", "of": "de", "pos": "Lín.", "code": "Referencia",
        "description": "Descripción", "qty": "Cant.", "unit": "Unidad", "unit_price": "Precio unit.",
        "vat_rate": "IVA", "amount": "Importe", "net": "Base imponible", "vat": "IVA",
        "vat_on": "IVA {rate}% sobre {base}", "tax_total": "Total IVA", "total": "Total factura",
        "total_due": "Total a pagar", "carried": "Suma y sigue", "brought": "Suma anterior",
        "continued": "Continúa en la página siguiente", "bank": "Banco", "iban": "IBAN", "bic": "BIC",
        "account": "Cuenta", "routing": "Entidad", "terms": "Pago a {days} días.", "pay_by": "Pagar antes del {date}.",
        "reverse_charge": "Inversión del sujeto pasivo (art. 196 Directiva 2006/112/CE).",
        "export": "Exportación exenta de IVA.", "ship_to": "Dirección de entrega", "bill_to": "Facturar a",
        "credit_for": "Rectifica la factura {number}", "thanks": "Gracias por su confianza.",
        "remittance": "JUSTIFICANTE DE PAGO", "cut": "Recorte y adjunte a su pago", "amount_due": "Importe",
        "reference": "Referencia", "phone": "Tel.", "email": "Correo", "web": "Web",
        "in_currency": "Importes en {cur}", "attn": "A la atención de Contabilidad", "intro": "", "regards": "",
        "payment_details": "Forma de pago", "customer": "Cliente",
    },
    "nl": {
        "invoice": "FACTUUR", "credit_note": "CREDITNOTA", "invoice_number": "Factuurnummer",
        "credit_number": "Creditnotanummer", "invoice_date": "Factuurdatum", "due_date": "Vervaldatum",
        "po_number": "Uw ordernummer", "customer_number": "Klantnummer", "delivery_note": "Pakbon",
        "vat_id": "Btw-nummer", "tax_id": "Fiscaal nummer", "page": "Pagina", "of": "van", "pos": "Nr.",
        "code": "Artikelnr.", "description": "Omschrijving", "qty": "Aantal", "unit": "Eenheid",
        "unit_price": "Prijs", "vat_rate": "Btw", "amount": "Bedrag", "net": "Subtotaal", "vat": "Btw",
        "vat_on": "Btw {rate}% over {base}", "tax_total": "Totaal btw", "total": "Totaal",
        "total_due": "Te betalen", "carried": "Transport", "brought": "Transport",
        "continued": "Vervolg op de volgende pagina", "bank": "Bank", "iban": "IBAN", "bic": "BIC",
        "account": "Rekening", "routing": "Bankcode", "terms": "Betaling binnen {days} dagen.",
        "pay_by": "Gelieve te betalen vóór {date}.",
        "reverse_charge": "Btw verlegd (art. 196 Richtlijn 2006/112/EG).", "export": "Export, geen btw.",
        "ship_to": "Afleveradres", "bill_to": "Factuuradres", "credit_for": "Creditnota bij factuur {number}",
        "thanks": "Bedankt voor uw bestelling.", "remittance": "BETAALSTROOK",
        "cut": "Afknippen en meesturen met uw betaling", "amount_due": "Bedrag", "reference": "Betalingskenmerk",
        "phone": "Tel.", "email": "E-mail", "web": "Web", "in_currency": "Bedragen in {cur}",
        "attn": "T.a.v. crediteurenadministratie", "intro": "", "regards": "",
        "payment_details": "Betaalgegevens", "customer": "Klant",
    },
}
# A second vocabulary per language: other words real vendors use for the same fields.
_ALTERNATIVES: dict[str, Vocabulary] = {
    "en": {"invoice_number": "Invoice #", "invoice_date": "Date", "due_date": "Payment Due",
           "po_number": "Your Order No.", "customer_number": "Account No.", "code": "Product Code",
           "qty": "Quantity", "unit_price": "Price", "amount": "Line Total", "net": "Net Amount",
           "total": "Invoice Total", "total_due": "Balance Due", "vat_id": "VAT No."},
    "de": {"invoice_number": "Rechnung Nr.", "invoice_date": "Datum", "due_date": "Zahlungsziel",
           "po_number": "Bestellung Nr.", "customer_number": "Kunden-Nr.", "code": "Artikel",
           "qty": "Anzahl", "unit_price": "Preis/Einh.", "amount": "Betrag", "net": "Summe netto",
           "vat": "MwSt.", "vat_on": "MwSt. {rate}% von {base}", "tax_total": "MwSt. gesamt",
           "total": "Gesamtbetrag brutto", "total_due": "Endbetrag", "vat_id": "USt-ID"},
    "fr": {"invoice_number": "Facture n°", "invoice_date": "Date", "po_number": "Bon de commande n°",
           "code": "Code article", "qty": "Quantité", "unit_price": "P.U. HT", "total_due": "Montant TTC à régler"},
    "it": {"invoice_number": "Fattura n.", "invoice_date": "Data", "po_number": "Rif. ordine",
           "total_due": "Netto a pagare"},
    "es": {"invoice_number": "Factura n.º", "invoice_date": "Fecha", "po_number": "N.º de pedido",
           "total_due": "Total"},
    "nl": {"invoice_number": "Factuur nr.", "invoice_date": "Datum", "po_number": "Uw referentie",
           "total_due": "Totaal te betalen"},
}
# Units as vendors print them, by the ERP's unit name.
_UNITS: dict[str, dict[str, str]] = {
    "en": {"Units": "pcs", "Pack of 10": "Pack (10)", "Case of 12": "Case (12)", "Case of 24": "Case (24)",
           "Box of 50": "Box (50)", "Box of 100": "Box (100)", "Rack of 96": "Rack (96)", "Hours": "hrs",
           "Days": "days", "kg": "kg", "g": "g", "L": "L", "mL": "ml"},
    "de": {"Units": "Stk.", "Pack of 10": "Pck. à 10", "Case of 12": "Krt. à 12", "Case of 24": "Krt. à 24",
           "Box of 50": "Box à 50", "Box of 100": "Box à 100", "Rack of 96": "Rack à 96", "Hours": "Std.",
           "Days": "Tage", "kg": "kg", "g": "g", "L": "l", "mL": "ml"},
    "fr": {"Units": "pce", "Pack of 10": "Paq. de 10", "Case of 12": "Carton de 12", "Case of 24": "Carton de 24",
           "Box of 50": "Boîte de 50", "Box of 100": "Boîte de 100", "Rack of 96": "Rack de 96", "Hours": "h",
           "Days": "jours", "kg": "kg", "g": "g", "L": "l", "mL": "ml"},
    "it": {"Units": "pz", "Pack of 10": "Conf. da 10", "Case of 12": "Cartone da 12", "Case of 24": "Cartone da 24",
           "Box of 50": "Scatola da 50", "Box of 100": "Scatola da 100", "Rack of 96": "Rack da 96", "Hours": "ore",
           "Days": "gg", "kg": "kg", "g": "g", "L": "l", "mL": "ml"},
    "es": {"Units": "ud.", "Pack of 10": "Paq. 10", "Case of 12": "Caja 12", "Case of 24": "Caja 24",
           "Box of 50": "Caja 50", "Box of 100": "Caja 100", "Rack of 96": "Rack 96", "Hours": "h", "Days": "días",
           "kg": "kg", "g": "g", "L": "l", "mL": "ml"},
    "nl": {"Units": "st.", "Pack of 10": "Pak à 10", "Case of 12": "Doos à 12", "Case of 24": "Doos à 24",
           "Box of 50": "Doos à 50", "Box of 100": "Doos à 100", "Rack of 96": "Rek à 96", "Hours": "uur",
           "Days": "dagen", "kg": "kg", "g": "g", "L": "l", "mL": "ml"},
}
COUNTRY_NAMES: dict[str, dict[str, str]] = {
    "DE": {"en": "Germany", "de": "Deutschland", "fr": "Allemagne", "it": "Germania", "es": "Alemania",
           "nl": "Duitsland"},
}


def vocabulary(language: str, variant: int) -> Vocabulary:
    words = dict(_BASE[language])
    if variant % 2:
        words.update(_ALTERNATIVES.get(language, {}))
    return words


def unit_label(language: str, unit: str) -> str:
    return _UNITS[language].get(unit, unit)


def country_name(code: str, language: str) -> str:
    return COUNTRY_NAMES.get(code, {}).get(language, code)
