"""Passwords hashed with argon2id (RFC 9106 parameters as argon2-cffi defaults them)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from models.errors import PayablesError

MIN_LENGTH = 12
_hasher = PasswordHasher()
# Verified against when the user name is unknown, so the answer takes as long as for a real user
# and response time does not tell which user names exist.
_DUMMY_HASH = _hasher.hash("not a password anyone has")


class WeakPassword(PayablesError):
    code = "weak_password"


def hash_password(password: str) -> str:
    check_strength(password)
    return _hasher.hash(password)


def check_strength(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"a password needs at least {MIN_LENGTH} characters")
    if len(set(password)) < 5:
        raise WeakPassword("a password needs more than a few different characters")


def verify_password(stored_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)
