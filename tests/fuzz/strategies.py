"""Inputs for the fuzz targets: valid seeds bent out of shape, and free text with the characters that
matter to each parser.

Byte mutations are the ones that break real parsers: flipping bits, cutting the file short, repeating a
span (a duplicated cross-reference section), splicing one file into another (a PNG chunk inside a PDF
stream), overwriting with boundary values (``0xFFFFFFFF`` lengths, ``-1`` counts) and inserting the
format's own keywords where they do not belong.
"""

from __future__ import annotations

import struct

from hypothesis import strategies as st

_KEYWORDS = (b"obj", b"endobj", b"stream", b"endstream", b"/Length 999999999", b"/Type /Pages", b"/Kids [1 0 R]",
             b"/Count -1", b"xref", b"trailer", b"%%EOF", b"/Encrypt", b"/JavaScript", b"/Launch", b"<<", b">>",
             b"IHDR", b"IDAT", b"IEND", b"\xff\xd9", b"\xff\xc0", b"<!DOCTYPE x>", b"<!ENTITY a \"b\">", b"&a;",
             b"</", b"<![CDATA[", b"\r\n--", b"Content-Type: multipart/mixed; boundary=\"x\"\r\n",
             b"Content-Transfer-Encoding: base64\r\n", b"=?utf-8?b?", b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06",
             b"\x00" * 8)
_BOUNDARY = (struct.pack("<I", 0xFFFFFFFF), struct.pack(">I", 0xFFFFFFFF), struct.pack("<i", -1),
             struct.pack(">I", 0x7FFFFFFF), b"\x00\x00\x00\x00", b"\x80\x00\x00\x00")


@st.composite
def mutated(draw: st.DrawFn, seeds: tuple[bytes, ...], *, max_ops: int = 6) -> bytes:
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(0, max_ops))):
        if not data:
            data.extend(draw(st.binary(min_size=1, max_size=64)))
            continue
        at = draw(st.integers(0, len(data) - 1))
        op = draw(st.sampled_from(("flip", "byte", "cut", "drop", "repeat", "splice", "keyword", "boundary")))
        if op == "flip":
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "byte":
            data[at] = draw(st.integers(0, 255))
        elif op == "cut":
            del data[at:]
        elif op == "drop":
            del data[at:at + draw(st.integers(1, 256))]
        elif op == "repeat":
            span = bytes(data[at:at + draw(st.integers(1, 512))])
            data[at:at] = span * draw(st.integers(1, 4))
        elif op == "splice":
            other = draw(st.sampled_from(seeds))
            start = draw(st.integers(0, max(0, len(other) - 1)))
            data[at:at] = other[start:start + draw(st.integers(1, 1024))]
        elif op == "keyword":
            data[at:at] = draw(st.sampled_from(_KEYWORDS))
        else:
            value = draw(st.sampled_from(_BOUNDARY))
            data[at:at + len(value)] = value
    return bytes(data)


def files(seeds: tuple[bytes, ...]) -> st.SearchStrategy[bytes]:
    """Mostly mutated seeds, sometimes raw bytes (what a sender's broken tool might emit)."""
    return st.one_of(mutated(seeds), mutated(seeds), mutated(seeds), st.binary(max_size=2048))


_MEANINGFUL = "0123456789.,'’ -−–()/€$£¥₹:+\u00a0\u202f" + "EURUSDGBPCHFIBANVATDEGBFRNLITESEL"
_NAMES = "JanFebMarAprMayJunJulAugSepOctNovDecmärzmaiaoûtdécembreenerodiciembre"


def phrases() -> st.SearchStrategy[str]:
    """Text as a page's phrase: built from the characters amounts, dates and ids are made of, mixed with
    arbitrary Unicode (including controls, combining marks and right-to-left text)."""
    focused = st.text(alphabet=st.sampled_from(_MEANINGFUL + _NAMES), max_size=60)
    anything = st.text(max_size=80)
    joined = st.lists(st.one_of(focused, anything, st.sampled_from(("1.234,56", "31.12.2025", "DE89", "%"))),
                      max_size=6).map(" ".join)
    return st.one_of(focused, anything, joined, st.text(max_size=12_000).map(lambda t: t * 2))


@st.composite
def texts(draw: st.DrawFn, seeds: tuple[str, ...]) -> str:
    """A seed text edited: characters replaced, inserted or cut (a policy file with a typo, a value
    with a stray symbol), or free text."""
    if draw(st.integers(0, 4)) == 0:
        return draw(phrases())
    chars = list(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(0, 5))):
        if not chars:
            break
        at = draw(st.integers(0, len(chars) - 1))
        op = draw(st.sampled_from(("replace", "insert", "cut", "line")))
        if op == "replace":
            chars[at] = draw(st.characters())
        elif op == "insert":
            chars[at:at] = list(draw(st.text(alphabet=st.sampled_from("=[]{}\"'#:-\n 0123456789.-e+"), max_size=8)))
        elif op == "cut":
            del chars[at:at + draw(st.integers(1, 40))]
        else:
            text = "".join(chars)
            lines = text.splitlines(keepends=True)
            if lines:
                i = draw(st.integers(0, len(lines) - 1))
                lines[i] = draw(st.sampled_from(("", "[[rules]]\n", "percent = -1\n", "upper = \"on\"\n",
                                                 "version = 99\n", "absolute = 1e999\n", "enabled = 1\n",
                                                 "  - !!python/object:os.system x\n", "checks: [1, 2]\n",
                                                 "[checks.price]\n", "upper = { percent = 1e308 }\n")))
                chars = list("".join(lines))
    return "".join(chars)
