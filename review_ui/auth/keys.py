"""Keys derived from the application secret, one per purpose, so no two uses share key material."""

from __future__ import annotations

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


def derive_key(app_secret: str, purpose: str, length: int = 32) -> bytes:
    if len(app_secret) < 16:
        raise ValueError("the application secret is too short (at least 16 characters)")
    hkdf = HKDF(algorithm=hashes.SHA256(), length=length, salt=b"payables-review-ui", info=purpose.encode())
    return hkdf.derive(app_secret.encode())
