"""Encryption at rest for personal data (phones, ID numbers, end-customer names).

Values are encrypted with Fernet through a MultiFernet: the first configured key encrypts, every key
decrypts, so a key is rotated by putting a new key first and keeping the old ones until the data has
been re-written (see :func:`reencrypt`).

Encrypted values are random-looking and cannot be searched, so columns that must be found by exact
value (``dealer_contacts.phone``) also store a *blind index*: a keyed HMAC-SHA256 of the normalised
value. The HMAC key must not change when encryption keys rotate, otherwise every stored index goes
stale; it is therefore derived from the *last* (oldest) encryption key unless given explicitly.

The keys come from the bootstrap (``configure_encryption(settings.encryption_keys)``) at engine build
time: ``storage`` never imports ``bot.settings``.
"""

from __future__ import annotations

import hashlib
import hmac
import re

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

__all__ = ["InvalidToken", "blind_index", "configure_encryption", "decrypt", "encrypt", "generate_key", "is_configured",
           "normalize_phone", "reencrypt"]


class _Keys:
    cipher: MultiFernet | None = None
    index_key: bytes = b""


def configure_encryption(keys: list[str], *, index_key: str | None = None) -> None:
    """Install the Fernet keys (first encrypts, all decrypt) and the blind-index HMAC key.

    ``index_key`` defaults to a key derived from the last (oldest) Fernet key, which stays in the list
    while a rotation is under way. Retiring that oldest key changes the derived index key: pass the old
    ``index_key`` explicitly from then on (or re-index the contacts).
    """
    if not keys:
        raise ValueError("at least one Fernet key is required (generate one with `dms keygen`)")
    fernets = []
    for position, key in enumerate(keys, start=1):
        try:
            fernets.append(Fernet(key.encode() if isinstance(key, str) else key))
        except (ValueError, TypeError):
            # a placeholder left in a deploy's .env ("change-me") must say which setting, not "Fernet key must be…"
            raise ValueError(f"DATA_ENCRYPTION_KEYS: key {position} is not a Fernet key (32 url-safe base64 "
                             "bytes); generate one with `dms keygen`") from None
    _Keys.cipher = MultiFernet(fernets)
    source = index_key.encode() if index_key is not None else keys[-1].encode()
    _Keys.index_key = hmac.new(source, b"dms blind index v1", hashlib.sha256).digest()


def is_configured() -> bool:
    return _Keys.cipher is not None


def _cipher() -> MultiFernet:
    if _Keys.cipher is None:
        raise RuntimeError("personal-data encryption is not configured: call "
                           "storage.encryption.configure_encryption(keys) before using the database")
    return _Keys.cipher


def encrypt(plain: str) -> str:
    return _cipher().encrypt(plain.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    """Raises ``InvalidToken`` when none of the configured keys fits."""
    return _cipher().decrypt(token.encode("ascii")).decode("utf-8")


def reencrypt(token: str) -> str:
    """Re-encrypt with the current first key (key rotation: re-write old rows, then drop the old key)."""
    return _cipher().rotate(token.encode("ascii")).decode("ascii")


_PHONE_NOISE = re.compile(r"[\s\-()（）.]")


def normalize_phone(phone: str) -> str:
    """``+86 138-0013-8000`` -> ``13800138000``: what users type varies, the index must not."""
    digits = _PHONE_NOISE.sub("", phone.strip())
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits[len(prefix):]
    return digits


def blind_index(phone: str) -> str:
    """Hex HMAC-SHA256 of the normalised phone under the index key."""
    _cipher()  # same precondition as encryption
    return hmac.new(_Keys.index_key, normalize_phone(phone).encode("utf-8"), hashlib.sha256).hexdigest()


def generate_key() -> str:
    """A fresh Fernet key (for ``dms keygen``)."""
    return Fernet.generate_key().decode("ascii")

