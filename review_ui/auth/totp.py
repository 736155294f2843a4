"""The second factor: RFC 6238 codes (pyotp), secrets encrypted at rest, each code usable once."""

from __future__ import annotations

import base64
import time

import pyotp
from cryptography.fernet import Fernet, InvalidToken

from models.errors import ConfigurationError
from review_ui.auth.keys import derive_key

ISSUER = "payables"
STEP_S = 30
_PREFIX = "v1:"


def new_secret() -> str:
    return pyotp.random_base32()


def _fernet(app_secret: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(derive_key(app_secret, "totp-secret-encryption")))


def encrypt_secret(app_secret: str, secret: str) -> str:
    return _PREFIX + _fernet(app_secret).encrypt(secret.encode()).decode()


def decrypt_secret(app_secret: str, stored: str) -> str:
    if not stored.startswith(_PREFIX):
        raise ConfigurationError("a stored TOTP secret is not in the expected encrypted form")
    try:
        return _fernet(app_secret).decrypt(stored[len(_PREFIX):].encode()).decode()
    except InvalidToken as exc:
        raise ConfigurationError(
            "a stored TOTP secret cannot be decrypted: the application secret has changed since enrolment"
        ) from exc


def provisioning_uri(secret: str, username: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def accept_code(secret: str, code: str, last_step: int | None, at: float | None = None) -> int | None:
    """The time step the code belongs to, if it is valid now (±1 step for clock drift) and newer than
    the last step accepted for this user; None otherwise. The caller stores the step it returns."""
    code = "".join(ch for ch in code if ch.isdigit())
    if len(code) != 6:
        return None
    now = time.time() if at is None else at
    totp = pyotp.TOTP(secret)
    current = int(now // STEP_S)
    for step in (current, current - 1, current + 1):
        if totp.at(step * STEP_S) == code and (last_step is None or step > last_step):
            return step
    return None
