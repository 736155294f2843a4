"""The labels invoices print before their values, in English, German, French, Spanish, Dutch and Italian.

Each label names the field it introduces and a weight: how sure the label alone makes us (``Invoice
number`` is sure; a bare ``Invoice`` or ``Nr.`` is a hint). Labels are compared in a *compact* form,
lower case without accents, spaces or punctuation, so ``Rechnungs-Nr.``, ``Rechnungsnr`` and a text
layer's ``F actuurnummer`` all meet their label. ``#`` is kept and ``°``/``º`` read as ``#``, because
``N°`` and ``#`` mean "number" where the letters alone would be a word.

Some entries belong to no extracted field but are still labels (``Kundennummer``, ``Telefon``): a value
they introduce is taken, so it is not mistaken for the invoice number or the total.
"""

from __future__ import annotations

from dataclasses import dataclass

from extraction.normalise.text import compact

# Fields whose labels are listed here; the ``other:*`` pseudo-fields only claim their values.
_RAW: dict[str, dict[str, list[str]]] = {
    "invoice_number": {
        "en": ["invoice number|1", "invoice no|1", "invoice #|1", "invoice nr|1", "invoice num|1",
               "inv no|0.9", "inv #|0.9", "invoice id|0.9", "invoice ref|0.8", "bill number|0.9",
               "bill no|0.9", "tax invoice no|1", "tax invoice number|1", "receipt no|0.8", "receipt #|0.8",
               "receipt number|0.8", "credit note number|1", "credit note no|1", "document number|0.6",
               "document no|0.6", "invoice|0.45", "number|0.3", "no|0.2", "#|0.25", "bill #|0.8",
               "invoice reference|0.7", "reference number|0.3", "doc no|0.5", "credit note #|1"],
        "de": ["rechnungsnummer|1", "rechnungsnr|1", "rechnung nr|1", "rechnungs nr|1", "re nr|0.9",
               "rg nr|0.9", "belegnummer|0.9", "beleg nr|0.9", "rechnung|0.45", "gutschriftsnummer|1",
               "gutschrift nr|1", "gutschrift|0.4", "nr|0.3", "nummer|0.2", "dokumentnummer|0.6",
               "rechnungs nummer|1", "korrekturrechnung nr|1", "rechnungskorrektur nr|1", "rechnung #|1",
               "rechnung nummer|1", "rechnungs nr|1"],
        "fr": ["numero de facture|1", "n# de facture|1", "facture n#|1", "facture no|1", "facture numero|1",
               "n# facture|1", "numero facture|1", "facture|0.45", "n# d avoir|1", "avoir n#|1", "avoir|0.4",
               "n#|0.3", "facture affacturee n#|1", "affacturee n#|1", "piece n#|0.6"],
        "es": ["numero de factura|1", "n# de factura|1", "n# factura|1", "factura n#|1", "factura no|1",
               "num factura|1", "numero factura|1", "factura|0.45", "factura numero|1", "no de factura|1"],
        "nl": ["factuurnummer|1", "factuur nr|1", "factuurnr|1", "factuur|0.45", "creditnotanummer|1",
               "creditnota nr|1", "factuur nummer|1", "nummer|0.2"],
        "it": ["numero fattura|1", "fattura n|0.9", "fattura nr|1", "n fattura|1", "fattura numero|1",
               "numero documento|0.7", "fattura|0.45", "nr fattura|1", "n documento|0.7"],
    },
    "invoice_date": {
        "en": ["invoice date|1", "date of invoice|1", "date of issue|0.9", "issue date|0.9", "date issued|0.9",
               "issued on|0.8", "issued at|0.8", "issued|0.6", "invoice issued|0.9", "billing date|0.9",
               "bill date|0.9", "tax point date|0.9", "date|0.5",
               "dated|0.5", "invoice dt|0.9", "document date|0.8", "receipt date|0.8", "order date|0.2"],
        "de": ["rechnungsdatum|1", "rechnungs datum|1", "datum|0.55", "belegdatum|0.9", "beleg datum|0.9",
               "ausstellungsdatum|0.9", "ausgestellt am|0.8", "vom|0.35", "den|0.25", "rechnung vom|0.9", "von|0.3",
               "gutschriftsdatum|1", "dokumentdatum|0.8"],
        "fr": ["date de facture|1", "date de facturation|1", "date d emission|0.9", "date facture|1",
               "date|0.5", "du|0.2", "emise le|0.8", "fait le|0.6"],
        "es": ["fecha de factura|1", "fecha de emision|0.9", "fecha factura|1", "fecha|0.5",
               "fecha de expedicion|0.9", "fecha emision|0.9"],
        "nl": ["factuurdatum|1", "factuur datum|1", "datum|0.55", "datum factuur|1"],
        "it": ["data fattura|1", "data documento|0.9", "data di emissione|0.9", "data|0.5", "del|0.2",
               "data emissione|0.9"],
    },
    "due_date": {
        "en": ["due date|1", "payment due|0.9", "due|0.6", "pay by|0.9", "payable by|0.9", "due on|0.9",
               "payment due date|1", "date due|1", "payment date|0.5", "please pay by|0.9",
               "remit until|0.9", "please remit until|0.9", "pay until|0.9", "payable until|0.9", "remit by|0.9"],
        "de": ["falligkeitsdatum|1", "fallig am|1", "falligkeit|0.9", "zahlbar bis|0.9", "zahlungsziel|0.8",
               "fallig bis|1", "zahlbar am|0.8", "bis zum|0.45", "netto bis|0.7", "zahlungsfrist|0.6",
               "zahlbar bis zum|0.9", "spatestens am|0.6"],
        "fr": ["date d echeance|1", "echeance|0.9", "date limite de paiement|1", "a payer avant le|0.9",
               "payable le|0.8", "date de paiement|0.5", "a regler avant le|0.9"],
        "es": ["fecha de vencimiento|1", "vencimiento|0.9", "fecha limite de pago|1", "fecha vencimiento|1"],
        "nl": ["vervaldatum|1", "uiterste betaaldatum|1", "te betalen voor|0.8", "betalen voor|0.7",
               "uiterlijk betalen op|0.9"],
        "it": ["data di scadenza|1", "scadenza|0.9", "data scadenza|1", "scadenza pagamento|1"],
    },
    "po_number": {
        "en": ["purchase order|0.9", "purchase order number|1", "purchase order no|1", "po number|1", "po no|1",
               "po #|1", "p o number|1", "p o no|1", "po|0.7", "p o|0.7", "your order|0.8", "your order no|0.9",
               "customer order|0.7", "order reference|0.5", "your reference|0.3", "buyer order|0.8",
               "order no|0.45", "order number|0.45", "order #|0.45", "order|0.25", "po ref|1"],
        "de": ["bestellnummer|1", "bestell nr|1", "bestellung nr|0.9", "bestellung nr kunde|1", "ihre bestellung|0.9",
               "ihre bestellnummer|1", "bestellung|0.6", "auftragsnummer|0.4", "auftrag nr|0.4",
               "bestellreferenz|1", "ihr auftrag|0.6", "ihre bestell nr|1", "bestellzeichen|0.9"],
        "fr": ["bon de commande|0.9", "n# bon de commande|1", "numero de commande|0.8", "votre commande|0.9",
               "reference commande|0.8", "commande n#|0.8", "commande|0.5", "n# de commande|0.8", "bc n#|0.9"],
        "es": ["numero de pedido|0.8", "pedido n#|0.8", "su pedido|0.9", "pedido|0.5", "orden de compra|1",
               "n# de pedido|0.8"],
        "nl": ["inkoopordernummer|1", "inkooporder|1", "uw ordernummer|1", "bestelnummer|0.9", "uw bestelling|0.9",
               "ordernummer|0.45", "order nr|0.45", "uw referentie|0.3"],
        "it": ["numero ordine|0.8", "ordine n|0.8", "vs ordine|0.9", "vostro ordine|0.9", "ordine|0.5",
               "ordine di acquisto|1", "rif ordine|0.8"],
    },
    "delivery_note": {
        "en": ["delivery note|1", "delivery note no|1", "packing slip|0.9", "dispatch note|0.9", "delivery no|0.9"],
        "de": ["lieferschein|1", "lieferschein nr|1", "lieferscheinnummer|1", "lieferschein-nr|1", "lieferung nr|0.8",
               "aus der lieferung nr|1"],
        "fr": ["bon de livraison|1", "n# bon de livraison|1", "bl n#|0.9"],
        "es": ["albaran|1", "albaran n#|1", "nota de entrega|1"],
        "nl": ["pakbon|1", "pakbonnummer|1", "afleverbon|1"],
        "it": ["ddt|1", "documento di trasporto|1", "bolla|0.8", "ddt n|1"],
    },
    "net_amount": {
        "en": ["subtotal|0.9", "sub total|0.9", "net amount|1", "net total|1", "total net|1", "amount excl vat|1",
               "total excl vat|1", "total excluding vat|1", "total before tax|1", "taxable amount|0.8", "net|0.6",
               "total excl tax|1", "amount before tax|1", "excl vat|0.8", "total ht|1", "net value|0.9",
               "total exclusive of vat|1", "total excluding tax|1", "subtotal excl vat|1", "total excl gst|1",
               "total excl of gst|1", "total sales excluding gst|1", "total excluding gst|1",
               "total sales excl gst|1", "amount excl gst|1"],
        "de": ["nettobetrag|1", "netto|0.7", "summe netto|1", "gesamt netto|1", "zwischensumme|0.8",
               "rechnungssumme netto|1", "rechnungssumme ohne ust|1", "nettosumme|1", "warenwert|0.6",
               "positionssumme|0.6", "netto gesamt|1", "gesamtbetrag netto|1", "summe positionen|0.5",
               "nettowert|0.8", "positionen netto|0.7", "gesamtsumme netto|1", "betrag netto|1",
               "rechnungsbetrag netto|1", "summe ohne mwst|1", "nettobetrag gesamt|1"],
        "fr": ["total ht|1", "montant ht|1", "sous total|0.9", "total hors taxes|1", "net ht|1", "base ht|0.8",
               "montant hors taxes|1", "total net ht|1"],
        "es": ["base imponible|1", "subtotal|0.9", "importe neto|1", "total sin iva|1", "neto|0.6",
               "total neto|1"],
        "nl": ["subtotaal|0.9", "totaal excl btw|1", "exclusief btw|0.9", "netto bedrag|1", "excl btw|0.8",
               "totaal exclusief btw|1", "grondslag|0.6", "bedrag excl btw|1", "netto|0.7"],
        "it": ["imponibile|1", "totale imponibile|1", "subtotale|0.9", "totale netto|1", "netto|0.6"],
    },
    "tax_amount": {
        "en": ["vat|0.7", "tax|0.6", "sales tax|0.9", "vat amount|1", "tax amount|1", "total vat|1",
               "total tax|1", "gst|0.7", "hst|0.7", "vat total|1", "amount of vat|1", "total gst|0.9"],
        "de": ["mwst|0.7", "ust|0.7", "umsatzsteuer|0.8", "mehrwertsteuer|0.8", "steuerbetrag|1",
               "mwst betrag|1", "ust betrag|1", "summe mwst|1", "ust gesamt|1", "mwst gesamt|1",
               "gesamtbetrag mwst|1", "zzgl mwst|0.7", "zzgl ust|0.7", "umsatzsteuerbetrag|1", "steuer|0.5",
               "summe ust|1", "steuerbetrag in eur|1", "zuzuglich umsatzsteuer|0.6"],
        "fr": ["tva|0.7", "montant tva|1", "total tva|1", "montant de la tva|1", "taxes|0.5"],
        "es": ["iva|0.7", "cuota iva|1", "total iva|1", "importe iva|1", "cuota|0.5"],
        "nl": ["btw|0.7", "btw bedrag|1", "totaal btw|1", "bedrag btw|1"],
        "it": ["iva|0.7", "totale iva|1", "imposta|0.8", "importo iva|1"],
    },
    "total_amount": {
        "en": ["total|0.75", "total amount|0.9", "invoice total|1", "grand total|1", "total due|0.85",
               "amount due|0.8", "total amount due|0.85", "balance due|0.7", "total incl vat|1",
               "total payable|0.85", "amount payable|0.8", "total to pay|0.85", "total including vat|1",
               "total for this invoice|1", "invoice amount|0.9", "total inc vat|1", "gross amount|0.9",
               "total gross|1", "total (incl|1", "total with vat|1", "total sales|0.5", "rounded total|0.9",
               "nett total|0.6", "total rm|0.9", "total inclusive gst|1", "total incl gst|1",
               "total incl of gst|1", "total inclusive of gst|1", "total sales inclusive of gst|1",
               "total sales incl gst|1", "total sales inc gst|1", "total after adj|1", "total after adj incl gst|1",
               "total after rounding|1", "rounded total|1", "amount incl gst|0.9", "total amount payable|0.9",
               "net total payable|0.8", "grand total rm|1", "total due rm|0.9", "total payable rm|0.9"],
        "de": ["gesamtbetrag|0.9", "rechnungsbetrag|0.9", "endbetrag|1", "bruttobetrag|1", "brutto|0.8",
               "summe|0.6", "gesamtsumme|0.9", "endsumme|1", "zahlbetrag|0.8", "bruttosumme|1",
               "rechnungssumme brutto|1", "gesamt|0.6", "total|0.75", "gesamtbetrag brutto|1",
               "rechnungssumme|0.8", "zu zahlen|0.8", "zu zahlender betrag|0.85", "summe gesamt|1",
               "gesamtbetrag inkl mwst|1", "betrag inkl mwst|1", "bruttowert|0.9", "gesamt brutto|1",
               "rechnungsendbetrag|1", "brutto gesamt|1"],
        "fr": ["total ttc|1", "montant ttc|1", "net a payer|0.9", "total a payer|0.9", "montant total|0.9",
               "total|0.75", "montant du|0.8", "reste a payer|0.7"],
        "es": ["total factura|1", "importe total|1", "total a pagar|0.9", "total|0.75", "total con iva|1"],
        "nl": ["totaal|0.75", "totaalbedrag|0.9", "te betalen|0.8", "factuur totaal|1", "totaal incl btw|1",
               "totaal te betalen|0.9", "totaal inclusief btw|1", "factuurbedrag|0.9", "totaal bedrag|0.9"],
        "it": ["totale|0.75", "totale fattura|1", "totale documento|1", "importo totale|0.9",
               "totale da pagare|0.9", "netto a pagare|0.9", "totale complessivo|1"],
    },
    "vendor_vat": {
        "en": ["vat|0.5", "vat no|1", "vat number|1", "vat reg no|1", "vat registration number|1", "vat id|1",
               "vat reg|1", "tax id|0.8", "vat registration no|1", "gst no|0.8", "gst reg no|0.8", "vat #|1",
               "tax registration number|0.8"],
        "de": ["ust idnr|1", "ustidnr|1", "ust id|1", "ustid|1", "ust id nr|1", "umsatzsteuer id|1",
               "umsatzsteuer identifikationsnummer|1", "ust identnr|1", "ust ident nr|1", "mwst nr|0.8",
               "uid|0.8", "uid nr|1", "ust nr|0.7", "ust id nummer|1", "umsatzsteuer idnr|1"],
        "fr": ["n# tva|1", "tva intracommunautaire|1", "numero de tva|1", "tva|0.5", "n# tva intracom|1",
               "identifiant tva|1", "n# de tva|1", "tva intracom|1"],
        "es": ["nif|0.9", "cif|0.9", "n i f|0.9", "nif iva|1", "numero de iva|1"],
        "nl": ["btw|0.5", "btw nummer|1", "btw nr|1", "btw id|1", "btw identificatienummer|1", "btw no|1"],
        "it": ["partita iva|1", "p iva|1", "piva|1", "codice iva|0.9"],
    },
    "vendor_iban": {
        "en": ["iban|1", "bank account|0.7", "account number|0.3", "account no|0.3"],
        "de": ["iban|1", "iban nr|1", "kontonummer|0.3", "konto|0.3", "bankverbindung|0.3"],
        "fr": ["iban|1", "compte|0.3", "rib|0.6"],
        "es": ["iban|1", "cuenta|0.3"],
        "nl": ["iban|1", "rekeningnummer|0.4", "rekening|0.3"],
        "it": ["iban|1", "conto|0.3", "coordinate bancarie|0.4"],
    },
    "vendor_bic": {
        "en": ["bic|1", "swift|1", "swift code|1", "bic swift|1", "swift bic|1"],
        "de": ["bic|1", "swift|1"],
        "fr": ["bic|1", "code bic|1"],
        "es": ["bic|1", "swift|1"],
        "nl": ["bic|1"],
        "it": ["bic|1", "swift|1"],
    },
    "currency": {
        "en": ["currency|1", "invoice currency|1", "amounts in|0.8", "all prices are in|0.7"],
        "de": ["wahrung|1", "betrage in|0.8", "rechnungswahrung|1"],
        "fr": ["devise|1", "monnaie|0.8"],
        "es": ["moneda|1", "divisa|1"],
        "nl": ["valuta|1", "munteenheid|1"],
        "it": ["valuta|1", "divisa|1"],
    },
    "payment_terms": {
        "en": ["payment terms|1", "terms|0.6", "terms of payment|1"],
        "de": ["zahlungsbedingungen|1", "zahlungsbedingung|1", "zahlungskondition|1", "zahlungsziel|0.5"],
        "fr": ["conditions de paiement|1", "conditions de reglement|1", "modalites de paiement|1"],
        "es": ["condiciones de pago|1", "forma de pago|0.7"],
        "nl": ["betalingsvoorwaarden|1", "betalingstermijn|1", "betaaltermijn|1"],
        "it": ["condizioni di pagamento|1", "termini di pagamento|1", "modalita di pagamento|0.7"],
    },
    # Labels whose values are something else: they claim their value so no field takes it by mistake.
    "other:customer_number": {
        "en": ["customer number|1", "customer no|1", "customer id|1", "account number|0.6", "account no|0.6",
               "client number|1", "customer #|1", "account #|0.6", "member|0.4", "customer ref|0.7"],
        "de": ["kundennummer|1", "kunden nr|1", "kundennr|1", "debitorennummer|1", "debitor nr|1",
               "kunden id|1", "ihre kundennummer|1"],
        "fr": ["n# client|1", "numero client|1", "code client|1", "client n#|1", "ref client|0.8"],
        "es": ["n# cliente|1", "numero de cliente|1", "codigo cliente|1", "cliente n#|1"],
        "nl": ["klantnummer|1", "klant nr|1", "debiteurnummer|1", "klantnr|1", "klant|0.4"],
        "it": ["codice cliente|1", "cliente n|1", "numero cliente|1"],
    },
    "other:tax_number": {
        "en": ["company number|1", "company no|1", "registration number|0.8", "reg no|0.8", "abn|1", "ein|0.8",
               "tax number|0.7", "crn|0.8", "company reg no|1", "gst id|0.6", "co reg no|1"],
        "de": ["steuernummer|1", "steuer nr|1", "steuernr|1", "hrb|1", "handelsregister|1", "amtsgericht|0.6",
               "registergericht|0.8", "handelsregisternummer|1", "st nr|1", "hra|1", "handelsreg|1",
               "glaubiger id|1", "glaubiger identifikationsnummer|1", "registernummer|1"],
        "fr": ["siren|1", "siret|1", "rcs|1", "naf|1", "ape|0.8", "fr siret|1"],
        "es": ["registro mercantil|1"],
        "nl": ["kvk|1", "kvk nummer|1", "kamer van koophandel|1", "kvk nr|1"],
        "it": ["codice fiscale|1", "rea|0.8", "c f|0.8"],
    },
    "other:contact": {
        "en": ["phone|1", "tel|1", "telephone|1", "fax|1", "mobile|1", "email|1", "e mail|1", "web|0.6",
               "page|0.8", "tel no|1", "phone no|1"],
        "de": ["telefon|1", "tel|1", "fax|1", "telefax|1", "mobil|1", "seite|0.8", "handy|1"],
        "fr": ["telephone|1", "tel|1", "fax|1", "portable|1", "page|0.8"],
        "es": ["telefono|1", "tel|1", "fax|1", "movil|1", "pagina|0.8"],
        "nl": ["telefoon|1", "tel|1", "fax|1", "mobiel|1", "pagina|0.8"],
        "it": ["telefono|1", "tel|1", "fax|1", "cellulare|1", "pagina|0.8"],
    },
    "credit_note_ref": {
        "en": ["original invoice|1", "referenced invoice|1", "related invoice|1", "preceding invoice|1",
               "invoice reference|0.5", "corrected invoice|1", "original invoice number|1", "credit for invoice|1"],
        "de": ["ursprungsbeleg nr|1", "ursprungsrechnung|1", "bezug auf rechnung|1", "vorausgegangene rechnung|1",
               "korrigierte rechnung|1", "zu rechnung|0.8", "rechnung vom|0.3", "ursprungsbeleg|1",
               "ursprungliche rechnung|1", "bezugsrechnung|1"],
        "fr": ["facture associee|1", "n# de facture associee|1", "facture d origine|1", "facture initiale|1",
               "facture rectifiee|1", "n# facture d origine|1"],
        "es": ["factura rectificada|1", "factura original|1", "factura de referencia|1"],
        "nl": ["oorspronkelijke factuur|1", "originele factuur|1", "gecorrigeerde factuur|1"],
        "it": ["fattura originale|1", "fattura di riferimento|1", "fattura rettificata|1"],
    },
    "other:qualifier": {
        "en": ["incl of gst|1", "inclusive of gst|1", "excl of gst|1", "excluding gst|1", "inclusive gst|1",
               "excl vat|1", "incl vat|1", "excluding vat|1", "including vat|1", "excl tax|1", "incl tax|1",
               "before tax|1", "plus vat|1", "inc vat|1", "ex vat|1", "incl gst|1", "excl gst|1"],
        "de": ["exkl ust|1", "inkl ust|1", "excl ust|1", "incl ust|1", "zzgl ust|0.5", "zzgl mwst|0.5",
               "inkl mwst|1", "exkl mwst|1", "ohne ust|1", "ohne mwst|1", "netto zzgl|1", "brutto inkl|1"],
        "fr": ["hors tva|1", "tva comprise|1", "ttc|0.3", "ht|0.3"],
        "es": ["sin iva|1", "con iva|1", "iva incluido|1"],
        "nl": ["excl btw|1", "incl btw|1", "exclusief btw|1", "inclusief btw|1"],
        "it": ["iva esclusa|1", "iva inclusa|1", "esclusa iva|1", "inclusa iva|1"],
    },
    "payment_tendered": {
        "en": ["cash|0.8", "paid|0.6", "payment|0.5", "tendered|1", "amount tendered|1", "accepted total|1",
               "cash tendered|1", "amount paid|0.9", "card|0.5", "visa|0.6", "mastercard|0.6", "credit card|0.7",
               "tunai|0.8", "bayar|0.7", "cash received|1"],
        "de": ["bar|0.6", "gegeben|1", "bar gegeben|1", "bezahlt|0.6", "ec karte|0.6", "kartenzahlung|0.6"],
        "fr": ["especes|0.8", "espece|0.8", "recu|0.5", "carte bancaire|0.6", "cb|0.5"],
        "es": ["efectivo|0.8", "entregado|1", "pagado|0.6", "tarjeta|0.5"],
        "nl": ["contant|0.8", "betaald|0.6", "pin|0.5", "ontvangen|0.8"],
        "it": ["contanti|0.8", "pagato|0.6", "carta|0.5"],
    },
    "payment_change": {
        "en": ["change|0.9", "change due|1", "change amt|1", "change amount|1", "balance|0.3", "kembali|0.9"],
        "de": ["ruckgeld|1", "wechselgeld|1", "zuruck|0.8"],
        "fr": ["monnaie rendue|1", "rendu|0.8", "a rendre|0.9"],
        "es": ["cambio|0.9", "vuelto|1", "su cambio|1"],
        "nl": ["wisselgeld|1", "terug|0.8"],
        "it": ["resto|0.9"],
    },
    "other:charges": {
        "en": ["discount|1", "shipping|0.8", "freight|0.8", "prepaid|1", "paid|0.6", "deposit|0.8",
               "rounding|1", "rounding adj|1", "rounding adjustment|1", "credits|0.8", "service charge|0.7",
               "charges|0.4", "amount paid|1", "handling fee|1", "buyer fee|1"],
        "de": ["gesamtbetrag der zuschlage|1", "gesamtbetrag der abschlage|1", "summe der zuschlage|1",
               "summe der abschlage|1", "erhaltene anzahlungen|1", "anzahlung|0.8", "rundungsbetrag|1",
               "skonto|0.8", "rabatt|0.8", "versandkosten|0.8", "zuschlag|0.6", "abschlag|0.6",
               "bereits gezahlt|1", "abzuglich|0.6", "versandkosten netto|1"],
        "fr": ["acompte|1", "remise|0.8", "frais de port|0.8", "deja regle|1", "escompte|0.8"],
        "es": ["descuento|0.8", "anticipo|1", "gastos de envio|0.8"],
        "nl": ["korting|0.8", "verzendkosten|0.8", "aanbetaling|1", "reeds betaald|1"],
        "it": ["sconto|0.8", "acconto|1", "spese di spedizione|0.8"],
    },
    "other:product": {
        "en": ["item no|1", "sku|1", "product code|1", "item code|1", "part no|1", "article no|1", "ean|1",
               "gtin|1", "serial number|1", "lot|0.6", "batch|0.6"],
        "de": ["art nr|1", "artikel nr|1", "artikelnummer|1", "art nr lieferant|1", "artikelnr|1",
               "art nr kunde|1", "seriennummer|1", "charge|0.6", "charge nr|1", "chargennummer|1",
               "pzn|1", "lv nr|1"],
        "fr": ["code article|1", "ref article|1", "reference article|1", "n# de lot|1", "lot|0.6", "c fo|0.6",
               "c ach|0.6"],
        "es": ["codigo articulo|1", "referencia articulo|1", "lote|0.6"],
        "nl": ["artikelnummer|1", "artikelcode|1", "serienummer|1", "partij|0.5"],
        "it": ["codice articolo|1", "cod art|1", "lotto|0.6"],
    },
    "other:reference": {
        "en": ["contract|0.8", "contract no|1", "reference|0.4", "ref|0.3", "project|0.6", "deposit code|1",
               "order date|0.6", "ship date|0.8", "delivery date|0.8", "date of delivery|1", "date of service|1",
               "service date|0.8", "period|0.6",
               "billing period|0.8", "gln|1", "cost centre|1", "cost center|1"],
        "de": ["vertragsnummer|1", "vertrag nr|1", "leasingnummer|1", "referenz|0.4", "projekt|0.6",
               "leistungsdatum|1", "lieferdatum|1", "liefer und leistungsdatum|1", "bestelldatum|1",
               "auftragsdatum|1", "lief nr|1", "lieferantennummer|1", "kostenstelle|1", "gln|1",
               "globale nummer|1", "buchungsreferenz|0.8", "lieferscheindatum|1", "bestell datum|1",
               "leistungs datum|1", "beleg nr|0.2", "ursprungsbeleg nr|1", "reklamationsnummer|1",
               "mandatsreferenz|1", "zahlungsreferenz|0.8", "vergabenr|1", "verwendungszweck|0.8"],
        "fr": ["n# contrat|1", "contrat|0.8", "date de facture associee|1", "date de debut de prestation|1",
               "date de fin de prestation|1", "date debut|1", "date fin|1", "date de la facture d origine|1",
               "reference|0.4", "date de livraison|1", "ref comptable|1",
               "n# bon de reception|1", "cadre de facturation|1", "service executant|1", "gln|1",
               "reference avis de paiement|1", "ref projet|1", "ref appel d offres|1"],
        "es": ["contrato|0.8", "referencia|0.4", "fecha de entrega|1", "fecha de pedido|1"],
        "nl": ["contractnummer|1", "referentie|0.4", "orderdatum|1", "leverdatum|1", "betalingskenmerk|1"],
        "it": ["contratto|0.8", "riferimento|0.4", "data consegna|1", "data ordine|1"],
    },
}

SECTION_LABELS: dict[str, list[str]] = {
    "vendor": ["seller", "vendor", "supplier", "from", "verkaufer", "lieferant", "rechnungsersteller",
               "leistungserbringer", "rechnungssteller", "fournisseur", "vendeur", "emetteur", "proveedor",
               "vendedor", "emisor", "leverancier", "verkoper", "fornitore", "venditore", "cedente prestatore",
               "service provider", "issued by", "sold by", "seller trade name"],
    "buyer": ["bill to", "billed to", "invoice to", "invoiced to", "sold to", "customer", "buyer", "client",
              "kaufer", "rechnungsempfanger", "kunde", "leistungsempfanger", "kaufer leistungsempfanger",
              "rechnungsadresse", "acheteur", "adresse du client", "destinataire", "facture a",
              "adresse de facturation", "cliente", "comprador", "facturar a", "klant", "factuuradres", "koper",
              "committente", "cessionario committente", "destinatario", "to", "bill to address",
              "rechnungsanschrift", "empfanger", "your details", "vos identifiants", "customer details",
              "invoice address", "billing address", "fatturare a", "intestatario"],
}

SECTION_LABELS["other"] = [
    # Where goods go is the buyer's site, not the buyer: its name is not the invoice's buyer name.
    "ship to", "deliver to", "lieferadresse", "lieferanschrift", "warenempfanger", "afleveradres",
    "adresse de livraison", "delivery address", "shipping address", "direccion de entrega", "indirizzo di consegna",
    "leveringsadres",
    "abweichender zahlungsempfanger", "abweichender warenempfanger", "zahlungsempfanger", "beneficiaire",
    "payee", "bemerkungen", "positionsdaten", "zahlungsbedingungen", "representant fiscal", "tax representative",
    "steuerlicher vertreter", "nos references", "vos references", "bank details", "bankverbindung",
    "references sur la facture", "zahlungsinformationen", "bank steuerinformationen", "remit to", "payment details",
    "umsatzsteueraufschlusselung", "belegsummen", "livraison adresse references", "delivery details",
]

# Words that only ever appear on the buyer's side of a VAT or IBAN: "your VAT number".
BUYER_MARKERS = frozenset(["your", "uw", "vos", "votre", "ihre", "ihr", "su", "vostra", "vostro", "customer",
                           "buyer", "kunde", "client", "klant", "acheteur", "kaufer", "cliente", "empfanger"])


@dataclass(frozen=True)
class Label:
    field: str
    text: str
    lang: str
    weight: float
    compact: str


def _build() -> tuple[Label, ...]:
    labels: list[Label] = []
    for field_name, by_lang in _RAW.items():
        for lang, entries in by_lang.items():
            for entry in entries:
                text, _, weight = entry.partition("|")
                labels.append(Label(field_name, text, lang, float(weight or 1), compact(text)))
    return tuple(labels)


LABELS: tuple[Label, ...] = _build()
SECTIONS: dict[str, frozenset[str]] = {kind: frozenset(compact(t) for t in texts)
                                       for kind, texts in SECTION_LABELS.items()}
