"""The secrets of signing in: argon2id password hashes, TOTP codes, random tokens and their hashes.

Kept apart from the HTTP layer so that the CLI (`intake staff password`, `intake staff totp`) and
the web console set and check a password the same way.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

__all__ = [
    "MAX_PASSWORD",
    "MIN_PASSWORD",
    "check_password",
    "check_totp",
    "digest",
    "hash_password",
    "new_token",
    "new_totp_secret",
    "otpauth_uri",
    "password_problem",
    "same",
]

MIN_PASSWORD = 12
MAX_PASSWORD = 256
ISSUER = "Sollefteå intake"
# argon2-cffi's defaults are RFC 9106's second recommended profile, with argon2id.
_hasher = PasswordHasher()
# Checked when the account does not exist, so the answer takes as long as for a real one.
_DUMMY = _hasher.hash("not a password of anyone's " + secrets.token_hex(8))


def password_problem(password: str) -> str | None:
    """Why a new password is refused (Swedish, for the staff member), or None."""
    if len(password) < MIN_PASSWORD:
        return f"Lösenordet måste ha minst {MIN_PASSWORD} tecken."
    if len(password) > MAX_PASSWORD:
        return f"Lösenordet får ha högst {MAX_PASSWORD} tecken."
    if password.strip() != password or not password.strip():
        return "Lösenordet får inte börja eller sluta med mellanslag."
    return None


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(stored: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored or _DUMMY, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def new_totp_secret() -> str:
    return pyotp.random_base32()


def otpauth_uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def check_totp(secret: str | None, code: str, *, now: datetime, last_step: int | None) -> int | None:
    """The time step of a valid code (one step of clock drift either way), or None; a step at or
    before `last_step` was used already and is refused (a code works once)."""
    code = code.strip().replace(" ", "")
    if not secret or len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    step = int(now.timestamp()) // totp.interval
    for candidate in (step - 1, step, step + 1):
        if hmac.compare_digest(totp.generate_otp(candidate), code):
            return candidate if last_step is None or candidate > last_step else None
    return None


def new_token() -> str:
    return secrets.token_urlsafe(32)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
