"""File names from outside are labels, never paths: strip directories and control characters."""

from __future__ import annotations

import re
import unicodedata

_UNSAFE = re.compile(r"[\x00-\x1f\x7f<>:\"|?*\\/]")


def safe_filename(name: str | None, *, limit: int = 200) -> str | None:
    """``../../etc/passwd.pdf`` becomes ``passwd.pdf``; control characters and separators go."""
    if not name:
        return None
    name = unicodedata.normalize("NFC", str(name))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("_", name).strip(" .")
    if not name:
        return None
    if len(name) > limit:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: limit - len(ext) - 1] + dot + ext) if dot and len(ext) <= 10 else name[:limit]
    return name
