"""Well-formed starting points for the fuzzers, made by the tests themselves (no binary is committed).

Mutating a valid file reaches far deeper into a parser than random bytes do: a flipped byte inside a
PDF's cross-reference table, a truncated PNG chunk, a MIME boundary cut in half. Each seed is small so
that one input costs milliseconds. Where the shared corpus is present, a few of its real e-invoices are
added as XML seeds.
"""

from __future__ import annotations

import io
import os
import zipfile
from email.message import EmailMessage
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A6
from reportlab.pdfgen import canvas

CORPUS = Path(os.environ.get("PAYABLES_CORPUS", Path(__file__).resolve().parents[3] / "shared" / "corpus"))

CII = b"""<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
 xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
 xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
 <rsm:ExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter>
  <ram:ID>urn:cen.eu:en16931:2017</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter>
 </rsm:ExchangedDocumentContext>
 <rsm:ExchangedDocument><ram:ID>INV-2025-0042</ram:ID><ram:TypeCode>380</ram:TypeCode>
  <ram:IssueDateTime><udt:DateTimeString format="102">20250314</udt:DateTimeString></ram:IssueDateTime>
 </rsm:ExchangedDocument>
 <rsm:SupplyChainTradeTransaction>
  <ram:IncludedSupplyChainTradeLineItem>
   <ram:AssociatedDocumentLineDocument><ram:LineID>1</ram:LineID></ram:AssociatedDocumentLineDocument>
   <ram:SpecifiedTradeProduct><ram:SellerAssignedID>GL-100</ram:SellerAssignedID>
    <ram:Name>Nitrile gloves box of 100</ram:Name></ram:SpecifiedTradeProduct>
   <ram:SpecifiedLineTradeAgreement><ram:NetPriceProductTradePrice><ram:ChargeAmount>100.00</ram:ChargeAmount>
   </ram:NetPriceProductTradePrice></ram:SpecifiedLineTradeAgreement>
   <ram:SpecifiedLineTradeDelivery><ram:BilledQuantity unitCode="C62">10</ram:BilledQuantity>
   </ram:SpecifiedLineTradeDelivery>
   <ram:SpecifiedLineTradeSettlement><ram:ApplicableTradeTax><ram:TypeCode>VAT</ram:TypeCode>
    <ram:CategoryCode>S</ram:CategoryCode><ram:RateApplicablePercent>19</ram:RateApplicablePercent>
    </ram:ApplicableTradeTax><ram:SpecifiedTradeSettlementLineMonetarySummation>
    <ram:LineTotalAmount>1000.00</ram:LineTotalAmount></ram:SpecifiedTradeSettlementLineMonetarySummation>
   </ram:SpecifiedLineTradeSettlement>
  </ram:IncludedSupplyChainTradeLineItem>
  <ram:ApplicableHeaderTradeAgreement>
   <ram:SellerTradeParty><ram:Name>MedSupply GmbH</ram:Name>
    <ram:PostalTradeAddress><ram:LineOne>Hauptstrasse 1</ram:LineOne><ram:CityName>Berlin</ram:CityName>
     <ram:CountryID>DE</ram:CountryID></ram:PostalTradeAddress>
    <ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">DE136695976</ram:ID></ram:SpecifiedTaxRegistration>
   </ram:SellerTradeParty>
   <ram:BuyerTradeParty><ram:Name>Northwind Clinics Ltd</ram:Name></ram:BuyerTradeParty>
   <ram:BuyerOrderReferencedDocument><ram:IssuerAssignedID>P00042</ram:IssuerAssignedID>
   </ram:BuyerOrderReferencedDocument>
  </ram:ApplicableHeaderTradeAgreement>
  <ram:ApplicableHeaderTradeSettlement><ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
   <ram:SpecifiedTradeSettlementPaymentMeans><ram:TypeCode>58</ram:TypeCode>
    <ram:PayeePartyCreditorFinancialAccount><ram:IBANID>DE89370400440532013000</ram:IBANID>
    </ram:PayeePartyCreditorFinancialAccount></ram:SpecifiedTradeSettlementPaymentMeans>
   <ram:ApplicableTradeTax><ram:CalculatedAmount>190.00</ram:CalculatedAmount><ram:TypeCode>VAT</ram:TypeCode>
    <ram:BasisAmount>1000.00</ram:BasisAmount><ram:CategoryCode>S</ram:CategoryCode>
    <ram:RateApplicablePercent>19</ram:RateApplicablePercent></ram:ApplicableTradeTax>
   <ram:SpecifiedTradePaymentTerms><ram:DueDateDateTime><udt:DateTimeString format="102">20250413</udt:DateTimeString>
   </ram:DueDateDateTime></ram:SpecifiedTradePaymentTerms>
   <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
    <ram:LineTotalAmount>1000.00</ram:LineTotalAmount><ram:TaxBasisTotalAmount>1000.00</ram:TaxBasisTotalAmount>
    <ram:TaxTotalAmount currencyID="EUR">190.00</ram:TaxTotalAmount><ram:GrandTotalAmount>1190.00</ram:GrandTotalAmount>
    <ram:DuePayableAmount>1190.00</ram:DuePayableAmount>
   </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
  </ram:ApplicableHeaderTradeSettlement>
 </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>
"""

UBL = b"""<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
 xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
 xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
 <cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>
 <cbc:ID>INV-2025-0042</cbc:ID><cbc:IssueDate>2025-03-14</cbc:IssueDate><cbc:DueDate>2025-04-13</cbc:DueDate>
 <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode><cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
 <cac:OrderReference><cbc:ID>P00042</cbc:ID></cac:OrderReference>
 <cac:AccountingSupplierParty><cac:Party><cac:PartyName><cbc:Name>MedSupply GmbH</cbc:Name></cac:PartyName>
  <cac:PostalAddress><cbc:StreetName>Hauptstrasse 1</cbc:StreetName><cbc:CityName>Berlin</cbc:CityName>
   <cac:Country><cbc:IdentificationCode>DE</cbc:IdentificationCode></cac:Country></cac:PostalAddress>
  <cac:PartyTaxScheme><cbc:CompanyID>DE136695976</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme>
  </cac:PartyTaxScheme></cac:Party></cac:AccountingSupplierParty>
 <cac:AccountingCustomerParty><cac:Party><cac:PartyName><cbc:Name>Northwind Clinics Ltd</cbc:Name></cac:PartyName>
 </cac:Party></cac:AccountingCustomerParty>
 <cac:PaymentMeans><cbc:PaymentMeansCode>58</cbc:PaymentMeansCode>
  <cac:PayeeFinancialAccount><cbc:ID>DE89370400440532013000</cbc:ID></cac:PayeeFinancialAccount></cac:PaymentMeans>
 <cac:TaxTotal><cbc:TaxAmount currencyID="EUR">190.00</cbc:TaxAmount>
  <cac:TaxSubtotal><cbc:TaxableAmount currencyID="EUR">1000.00</cbc:TaxableAmount>
   <cbc:TaxAmount currencyID="EUR">190.00</cbc:TaxAmount><cac:TaxCategory><cbc:ID>S</cbc:ID>
   <cbc:Percent>19</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory>
  </cac:TaxSubtotal></cac:TaxTotal>
 <cac:LegalMonetaryTotal><cbc:LineExtensionAmount currencyID="EUR">1000.00</cbc:LineExtensionAmount>
  <cbc:TaxExclusiveAmount currencyID="EUR">1000.00</cbc:TaxExclusiveAmount>
  <cbc:TaxInclusiveAmount currencyID="EUR">1190.00</cbc:TaxInclusiveAmount>
  <cbc:PayableAmount currencyID="EUR">1190.00</cbc:PayableAmount></cac:LegalMonetaryTotal>
 <cac:InvoiceLine><cbc:ID>1</cbc:ID><cbc:InvoicedQuantity unitCode="C62">10</cbc:InvoicedQuantity>
  <cbc:LineExtensionAmount currencyID="EUR">1000.00</cbc:LineExtensionAmount>
  <cac:Item><cbc:Name>Nitrile gloves box of 100</cbc:Name><cac:SellersItemIdentification><cbc:ID>GL-100</cbc:ID>
  </cac:SellersItemIdentification><cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>19</cbc:Percent>
  <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory></cac:Item>
  <cac:Price><cbc:PriceAmount currencyID="EUR">100.00</cbc:PriceAmount></cac:Price></cac:InvoiceLine>
</Invoice>
"""

INVOICE_LINES = ("MedSupply GmbH", "Invoice INV-2025-0042  Date 14.03.2025", "PO P00042",
                 "Gloves  10 x 100,00  1.000,00", "Total EUR 1.190,00", "IBAN DE89 3704 0044 0532 0130 00")


def _pdf(compress: bool, pages: int = 1) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A6, invariant=1, pageCompression=1 if compress else 0)
    for page in range(pages):
        for i, line in enumerate(INVOICE_LINES):
            c.drawString(12, 380 - 14 * i, line)
        c.drawString(12, 20, f"page {page + 1}")
        c.showPage()
    c.save()
    return buf.getvalue()


def _image(fmt: str, mode: str = "L", size: tuple[int, int] = (160, 100), **save: object) -> bytes:
    image = Image.new("L", size, 255)
    ImageDraw.Draw(image).text((8, 40), "INV 42 EUR 1.190,00", fill=0)
    converted = image.convert(mode) if mode != "L" else image
    buf = io.BytesIO()
    converted.save(buf, format=fmt, **save)
    return buf.getvalue()


def _tiff_pages() -> bytes:
    frames = [Image.new("L", (120, 80), shade) for shade in (255, 200)]
    buf = io.BytesIO()
    frames[0].save(buf, format="TIFF", save_all=True, append_images=frames[1:], compression="tiff_deflate")
    return buf.getvalue()


def _image_pdf() -> bytes:
    from reportlab.lib.utils import ImageReader

    png = _image("PNG", size=(200, 120))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(200, 120), invariant=1)
    c.drawImage(ImageReader(io.BytesIO(png)), 0, 0, width=200, height=120)
    c.showPage()
    c.save()
    return buf.getvalue()


def _facturx() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_pdf(compress=False))))
    writer.add_attachment("factur-x.xml", CII)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@cache
def pdfs() -> tuple[bytes, ...]:
    return (_pdf(compress=False), _pdf(compress=True, pages=2), _image_pdf(), _facturx())


@cache
def images() -> tuple[bytes, ...]:
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to view
    return (_image("PNG"), _image("PNG", mode="RGBA"), _image("PNG", mode="I;16"), _image("JPEG", quality=60),
            _image("JPEG", exif=exif.tobytes()), _tiff_pages(), _image("TIFF", mode="1", compression="group4"),
            _image("PNG", mode="P"))


@cache
def xmls() -> tuple[bytes, ...]:
    found = [CII, UBL]
    for folder in ("cen_en16931", "peppol_bis3"):
        root = CORPUS / folder
        if root.is_dir():
            found.extend(p.read_bytes() for p in sorted(root.glob("*.xml"))[:3] if p.stat().st_size < 40_000)
    return tuple(found)


def email_of(attachments: dict[str, bytes], *, forwarded: bytes | None = None) -> bytes:
    msg = EmailMessage()
    msg["From"] = "Billing <billing@medsupply.example>"
    msg["To"] = "ap@clinic.example"
    msg["Subject"] = "Invoice INV-2025-0042"
    msg["Message-ID"] = "<inv-42@medsupply.example>"
    msg["Date"] = "Fri, 14 Mar 2025 10:00:00 +0100"
    msg.set_content("Please find our invoice attached.")
    for name, data in attachments.items():
        subtype = "pdf" if name.endswith(".pdf") else "xml" if name.endswith(".xml") else "octet-stream"
        msg.add_attachment(data, maintype="application", subtype=subtype, filename=name)
    if forwarded is not None:
        msg.add_attachment(forwarded, maintype="message", subtype="rfc822")  # type: ignore[arg-type]
    return msg.as_bytes()


def zip_of(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


@cache
def emails() -> tuple[bytes, ...]:
    pdf = pdfs()[0]
    inner = email_of({"invoice.pdf": pdf})
    rfc2231 = email_of({"Rechnung ÄÖÜ 2025.pdf": pdf}).replace(b"\n", b"\r\n")
    return (email_of({"invoice.pdf": pdf}), email_of({"a.xml": UBL, "b.pdf": pdf}), rfc2231,
            email_of({}, forwarded=inner), email_of({"docs.zip": zip_of({"invoice.pdf": pdf})}))


@cache
def containers() -> tuple[bytes, ...]:
    return (zip_of({"invoice.pdf": pdfs()[0], "invoice.xml": CII}), zip_of({"nested/one.png": images()[0]}),
            *emails()[:2])


def every_file() -> tuple[bytes, ...]:
    """All seeds: what the sniffer and intake may be handed."""
    return (*pdfs(), *images(), *xmls(), *containers())
