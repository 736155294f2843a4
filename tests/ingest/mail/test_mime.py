"""What counts as an invoice in an e-mail, and what is skipped or refused, with the reason."""

from __future__ import annotations

import base64
import re

import pytest

from ingest.intake import Envelope, Intake
from ingest.mail.mime import unpack_message
from models.errors import InputRefused
from tests.ingest import samples
from tests.ingest.mail import messages

LIMIT = 50_000_000


def names(raw: bytes) -> list[str | None]:
    return [m.filename for m in unpack_message(raw, max_total_bytes=LIMIT).members]


def test_attachments_are_taken_and_the_body_and_signature_logo_are_not() -> None:
    msg = messages.invoice_mail([("INV-1.pdf", samples.pdf("1")), ("INV-2.pdf", samples.pdf("2"))],
                                subject="Invoices March")
    out = unpack_message(msg.as_bytes(), max_total_bytes=LIMIT)
    assert [m.filename for m in out.members] == ["INV-1.pdf", "INV-2.pdf"]
    assert [m.data for m in out.members] == [samples.pdf("1"), samples.pdf("2")]
    assert out.skipped == ["logo.png: a 160x48 px image (a logo or icon, not an invoice)"]
    assert out.envelope["mail_from"] == "billing@medsupply.example"
    assert out.envelope["mail_from_domain"] == "medsupply.example"
    assert out.envelope["mail_subject"] == "Invoices March"
    assert out.envelope["mail_message_id"].endswith("@medsupply.example>")
    assert out.envelope["mail_date"] == msg["Date"]


def test_an_html_body_is_never_mistaken_for_an_xml_invoice() -> None:
    msg = messages.invoice_mail([], with_logo=False)
    assert "<html>" in msg.as_string()
    out = unpack_message(msg.as_bytes(), max_total_bytes=LIMIT)
    assert out.members == [] and out.skipped == []


def test_a_forwarded_message_gives_its_attachments_with_the_vendor_as_sender() -> None:
    vendor = messages.pdf_mail("R-77.pdf", "R-77", subject="Rechnung R-77")
    out = unpack_message(messages.forwarded(messages.forwarded(vendor)).as_bytes(), max_total_bytes=LIMIT)
    assert [m.filename for m in out.members] == ["R-77.pdf"]
    assert out.envelope["mail_from"] == "ward3@clinic.example"
    meta = out.members[0].meta
    assert meta["forwarded_from"] == "billing@medsupply.example"
    assert meta["forwarded_subject"] == "Rechnung R-77"


def test_a_base64_encoded_forward_is_decoded_before_it_is_read() -> None:
    inner = messages.pdf_mail("B-1.pdf", "B-1").as_bytes()
    raw = (b"From: clerk@clinic.example\r\nTo: ap@clinic.example\r\nSubject: fwd\r\nMIME-Version: 1.0\r\n"
           b"Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\nsee\r\n"
           b"--b1\r\nContent-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\n"
           + base64.encodebytes(inner) + b"\r\n--b1--\r\n")
    out = unpack_message(raw, max_total_bytes=LIMIT)
    assert [m.data for m in out.members] == [samples.pdf("B-1")]
    assert out.members[0].meta["forwarded_from"] == "billing@medsupply.example"


def test_non_ascii_names_survive_rfc_2231_encoding() -> None:
    name = "Rechnung Nr. 4711 – Müller & Söhne Medizintechnik GmbH, Zürich.pdf"
    raw = messages.pdf_mail(name).as_bytes()
    assert b"filename*0*=utf-8''" in raw  # the email package really wrote RFC 2231 continuations
    assert names(raw) == [name]


def test_encoded_word_and_continued_rfc_2231_names_are_decoded() -> None:
    pdf = base64.encodebytes(samples.pdf()).decode()
    raw = ("From: a@vendor.example\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
           "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
           "--b\r\nContent-Type: application/pdf; name=\"=?UTF-8?B?RmFrdHVyYSDDsQ==?=.pdf\"\r\n"
           "Content-Disposition: attachment; filename=\"=?UTF-8?Q?Factura_=C3=B1_2024.pdf?=\"\r\n"
           f"Content-Transfer-Encoding: base64\r\n\r\n{pdf}\r\n"
           "--b\r\nContent-Type: application/pdf\r\n"
           "Content-Disposition: attachment;\r\n filename*0*=UTF-8''Fa%C3%A7tura%20;\r\n"
           " filename*1*=n%C2%BA%207.pdf\r\n"
           f"Content-Transfer-Encoding: base64\r\n\r\n{base64.encodebytes(samples.pdf('7')).decode()}\r\n"
           "--b--\r\n").encode()
    assert names(raw) == ["Factura ñ 2024.pdf", "Façtura nº 7.pdf"]


def test_a_pdf_sent_inline_is_an_invoice_too() -> None:
    msg = messages.invoice_mail(inline=[("inline-invoice.pdf", samples.pdf("inline"))])
    out = unpack_message(msg.as_bytes(), max_total_bytes=LIMIT)
    assert [(m.filename, m.meta["mail_disposition"]) for m in out.members] == [("inline-invoice.pdf", "inline")]


def test_the_type_comes_from_the_bytes_not_the_label() -> None:
    msg = messages.invoice_mail([("scan.dat", samples.pdf("octet")), ("invoice.pdf", b"MZ\x90\x00" * 400),
                                 ("page.html", b"<html><body>invoice</body></html>")])
    out = unpack_message(msg.as_bytes(), max_total_bytes=LIMIT)
    assert [m.filename for m in out.members] == ["scan.dat"]
    assert "invoice.pdf: a Windows executable, not an invoice format" in out.skipped
    assert any(s.startswith("page.html:") for s in out.skipped)


def test_a_phone_photo_pasted_inline_is_kept_while_the_logo_is_skipped() -> None:
    msg = messages.invoice_mail([], with_logo=True)
    html = msg.get_payload()[1]  # type: ignore[index]
    html.add_related(messages.scan_jpeg(), maintype="image", subtype="jpeg", cid="<photo@phone>")
    out = unpack_message(msg.as_bytes(), max_total_bytes=LIMIT)
    assert len(out.members) == 1 and re.fullmatch(r"attachment-\d+\.jpg", out.members[0].filename or "")
    assert out.members[0].meta["filename_made_up"] == "yes"
    assert len(out.skipped) == 1 and out.skipped[0].startswith("logo.png")


def test_an_xml_e_invoice_is_taken() -> None:
    xml = b'<?xml version="1.0"?><Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>'
    assert names(messages.invoice_mail([("ubl.xml", xml)]).as_bytes()) == ["ubl.xml"]


def test_outlook_winmail_dat_is_skipped_with_advice() -> None:
    msg = messages.invoice_mail([("winmail.dat", b"\x78\x9f\x3e\x22" + b"\x00" * 5000)])
    out = unpack_message(msg.as_bytes(), max_total_bytes=LIMIT)
    assert out.members == [] and "normal attachment" in out.skipped[-1]


@pytest.mark.parametrize("content_type", ["multipart/mixed", 'multipart/mixed; boundary="never-used"'])
def test_broken_multipart_structure_is_refused_with_the_defect_named(content_type: str) -> None:
    raw = (f"From: a@vendor.example\r\nSubject: x\r\nMIME-Version: 1.0\r\nContent-Type: {content_type}\r\n\r\n"
           "JVBERi0xLjQKJeLjz9MK\r\n").encode()
    with pytest.raises(InputRefused) as refused:
        unpack_message(raw, max_total_bytes=LIMIT)
    assert refused.value.code == "mime_malformed"
    assert "Boundary" in refused.value.message and "send it again" in refused.value.message


def test_a_truncated_message_keeps_what_it_has_and_says_it_was_truncated() -> None:
    raw = messages.pdf_mail("T.pdf", "T").as_bytes()
    cut = raw[: raw.rindex(b"--")]  # the closing boundary is lost
    out = unpack_message(cut, max_total_bytes=LIMIT)
    assert [m.filename for m in out.members] == ["T.pdf"]
    assert "CloseBoundaryNotFoundDefect" in out.envelope["mail_defects"]


def test_bytes_without_headers_are_not_a_message() -> None:
    with pytest.raises(InputRefused, match="no e-mail headers"):
        unpack_message(b"\x00\x01\x02 not mail", max_total_bytes=LIMIT)


def test_a_message_with_thousands_of_parts_is_refused() -> None:
    msg = messages.invoice_mail([(f"n{i}.txt", b"x") for i in range(600)], with_logo=False)
    with pytest.raises(InputRefused) as refused:
        unpack_message(msg.as_bytes(), max_total_bytes=LIMIT)
    assert refused.value.code == "mime_too_many_parts"


def test_attachments_over_the_limit_refuse_the_message() -> None:
    msg = messages.invoice_mail([("a.pdf", samples.pdf("a") + b"\0" * 6000), ("b.pdf", samples.pdf("b"))])
    with pytest.raises(InputRefused) as refused:
        unpack_message(msg.as_bytes(), max_total_bytes=7000)
    assert refused.value.code == "mime_too_large"


def test_a_zip_bomb_attached_is_refused_by_intake_and_the_message_kept(intake: Intake) -> None:
    bomb = samples.zip_of({"bomb.pdf": b"%PDF-" + b"\x00" * 5_000_000})  # 1000-fold, under the size cap
    msg = messages.invoice_mail([("invoices.zip", bomb), ("ok.pdf", samples.pdf("ok"))])
    result = intake.register(msg.as_bytes(), Envelope(source="email", filename="m.eml"))
    assert result.outcome == "stored"
    outcome = {c.filename: (c.outcome, c.reason or "") for c in result.children}
    assert outcome["ok.pdf"] == ("stored", "")
    assert outcome["invoices.zip"][0] == "refused" and "bomb" in outcome["invoices.zip"][1]


def test_an_eml_file_attached_as_octet_stream_is_unpacked_too(intake: Intake) -> None:
    vendor = messages.pdf_mail("E-9.pdf", "E-9")
    msg = messages.invoice_mail([("original.eml", vendor.as_bytes())], with_logo=False)
    msg.get_payload()[-1].replace_header("Content-Type", 'application/octet-stream; name="original.eml"')  # type: ignore[index]
    result = intake.register(msg.as_bytes(), Envelope(source="email"))
    docs = [r for r in result.flatten() if r.filename == "E-9.pdf"]
    assert len(docs) == 1 and docs[0].outcome == "stored"


def test_an_absurdly_long_name_is_shortened_keeping_its_ending() -> None:
    name = "Rechnung " + "sehr lang " * 60 + "Nr 12.pdf"
    (short,) = names(messages.pdf_mail(name).as_bytes())
    assert short is not None and len(short) == 240 and short.endswith("Nr 12.pdf") and "…" in short
