"""One-time codes confirming a signature: 6 digits, valid 10 minutes, 5 attempts, hashed at rest.

The code is shown in the chat that asked for it (the dealer owner's own bound chat, which is the
second factor: the account behind it). Only a salted SHA-256 of the code is stored; a new request
replaces any earlier open code for the same contract and user.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

CODE_DIGITS = 6
CODE_TTL = timedelta(minutes=10)
MAX_ATTEMPTS = 5


@dataclass
class SigningCode:
    contract_id: int
    user_id: int
    code_hash: str
    salt: str
    text_sha256: str             # the text the dealer was shown when the code was issued
    expires_at: datetime
    attempts: int = 0
    used_at: datetime | None = None
    revoked: bool = False
    created_at: datetime | None = None
    id: int | None = None

    def open(self, now: datetime) -> bool:
        return not self.revoked and self.used_at is None and self.attempts < MAX_ATTEMPTS and now < self.expires_at


def new_code() -> str:
    return f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"


def hash_code(code: str, salt: str) -> str:
    return hashlib.sha256(f"{salt}:{code.strip()}".encode()).hexdigest()


def issue(contract_id: int, user_id: int, text_sha256: str, now: datetime) -> tuple[SigningCode, str]:
    """A new code row and the plain code (shown once, never stored)."""
    code = new_code()
    salt = secrets.token_hex(8)
    return SigningCode(contract_id=contract_id, user_id=user_id, code_hash=hash_code(code, salt), salt=salt,
                       text_sha256=text_sha256, expires_at=now + CODE_TTL, created_at=now), code


def matches(row: SigningCode, code: str) -> bool:
    return hmac.compare_digest(row.code_hash, hash_code(code, row.salt))
