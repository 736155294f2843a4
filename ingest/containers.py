"""Unpacking containers (ZIP archives, e-mail messages) into the files inside, with bomb limits."""

from __future__ import annotations

import io
import lzma
import zipfile
import zlib
from dataclasses import dataclass, field

from ingest.sniff import EML, ZIP
from models.errors import InputRefused

MAX_MEMBERS = 200
MAX_RATIO = 100  # uncompressed : compressed; real invoices compress 2-10x, bombs 1000x


@dataclass(frozen=True)
class Member:
    filename: str | None
    data: bytes
    meta: dict[str, str] = field(default_factory=dict)


@dataclass
class Unpacked:
    members: list[Member] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    envelope: dict[str, str] = field(default_factory=dict)


def unpack(media_type: str, data: bytes, *, max_total_bytes: int) -> Unpacked:
    if media_type == ZIP:
        return unpack_zip(data, max_total_bytes=max_total_bytes)
    if media_type == EML:
        from ingest.mail.mime import unpack_message

        return unpack_message(data, max_total_bytes=max_total_bytes)
    raise ValueError(f"{media_type} is not a container")


def unpack_zip(data: bytes, *, max_total_bytes: int) -> Unpacked:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        # A member without a name is not a directory (zipfile's is_dir() fails on it): kept, then skipped.
        infos = [i for i in archive.infolist() if not i.filename or not i.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as exc:
        # NotImplementedError: a member needs a newer ZIP version than Python reads (or says it does).
        raise InputRefused(f"the ZIP archive is damaged or of an unsupported kind: {exc}", code="zip_corrupt") from exc
    if len(infos) > MAX_MEMBERS:
        raise InputRefused(f"the ZIP archive holds {len(infos)} files; at most {MAX_MEMBERS} are taken",
                           code="zip_too_many_files")
    declared = sum(i.file_size for i in infos)
    if declared > max_total_bytes:
        raise InputRefused(f"the ZIP archive unpacks to {declared:,} bytes, over the {max_total_bytes:,} limit",
                           code="zip_bomb")
    out = Unpacked()
    total = 0
    for info in infos:
        if not info.filename:
            out.skipped.append("a member without a name")
            continue
        if info.flag_bits & 0x1:
            out.skipped.append(f"{info.filename}: encrypted member")
            continue
        if info.compress_size and info.file_size / max(info.compress_size, 1) > MAX_RATIO:
            ratio = info.file_size // max(info.compress_size, 1)
            raise InputRefused(f"the ZIP member {info.filename!r} expands {ratio}-fold: refused as a "
                               "decompression bomb", code="zip_bomb")
        # Read in bounded chunks: the sizes in the header can lie.
        chunks: list[bytes] = []
        size = 0
        try:
            with archive.open(info) as fh:
                while chunk := fh.read(1 << 20):
                    size += len(chunk)
                    total += len(chunk)
                    if size > info.file_size or total > max_total_bytes:
                        raise InputRefused("the ZIP archive expands beyond its declared size: refused as a "
                                           "decompression bomb", code="zip_bomb")
                    chunks.append(chunk)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, zlib.error, lzma.LZMAError,
                ValueError) as exc:
            # A damaged member (bad deflate data, an offset pointing before the archive) is skipped
            # with its reason; the others are still taken.
            out.skipped.append(f"{info.filename}: unreadable ({exc})")
            continue
        out.members.append(Member(info.filename, b"".join(chunks), {"zip_member": info.filename}))
    return out
