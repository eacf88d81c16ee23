"""WeCom's callback crypto (WXBizMsgCrypt), exactly as WeCom documents it.

- ``msg_signature`` = SHA-1 (hex) of the token, the timestamp, the nonce and the ciphertext, sorted
  as strings and concatenated;
- AES-256-CBC, key = base64-decode(EncodingAESKey + "="), IV = the first 16 bytes of the key,
  PKCS#7 padding to 32-byte blocks (WeCom's block size, not AES's 16);
- plaintext = 16 random bytes + the message length (4 bytes, big-endian) + the message + the
  receiveid (the corp id for a self-built app); the ciphertext travels base64-encoded.

The AES itself is the ``cryptography`` library's. Errors (tree)::

    WeComCryptoError            the request is not WeCom's: answer 4xx, never act on it
    ├── BadSignature            msg_signature does not match
    ├── BadReceiveId            decrypted, but for another corp (receiveid)
    └── BadCiphertext           not base64, not whole blocks, bad padding or length
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import struct

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

BLOCK = 32
"""WeCom pads to 32 bytes (PKCS#7 with k = 32)."""


class WeComCryptoError(Exception):
    """A callback that must be refused."""


class BadSignature(WeComCryptoError):
    pass


class BadReceiveId(WeComCryptoError):
    pass


class BadCiphertext(WeComCryptoError):
    pass


def aes_key(encoding_aes_key: str) -> bytes:
    """The 32-byte AES key from the 43-character EncodingAESKey of the WeCom admin console."""
    if len(encoding_aes_key) != 43:
        raise ValueError("WECOM_ENCODING_AES_KEY must be the 43 characters shown in the WeCom admin console")
    try:
        key = base64.b64decode(encoding_aes_key + "=", validate=True)
    except binascii.Error as exc:
        raise ValueError(f"WECOM_ENCODING_AES_KEY is not base64: {exc}") from None
    if len(key) != 32:
        raise ValueError("WECOM_ENCODING_AES_KEY does not decode to 32 bytes")
    return key


def signature(token: str, timestamp: str, nonce: str, encrypted: str) -> str:
    return hashlib.sha1("".join(sorted([token, timestamp, nonce, encrypted])).encode()).hexdigest()


def pkcs7_pad(data: bytes, block: int = BLOCK) -> bytes:
    n = block - len(data) % block
    return data + bytes([n]) * n


def pkcs7_unpad(data: bytes, block: int = BLOCK) -> bytes:
    if not data:
        raise BadCiphertext("empty plaintext")
    n = data[-1]
    if not 1 <= n <= block or data[-n:] != bytes([n]) * n:
        raise BadCiphertext("bad padding")
    return data[:-n]


class WeComCrypto:
    """Sign, check, encrypt and decrypt for one app (token, EncodingAESKey, receiveid = corp id)."""

    def __init__(self, token: str, encoding_aes_key: str, receive_id: str) -> None:
        if not token:
            raise ValueError("WECOM_TOKEN is empty")
        self.token = token
        self.key = aes_key(encoding_aes_key)
        self.receive_id = receive_id

    # --- signatures ---------------------------------------------------------------------------------
    def sign(self, timestamp: str, nonce: str, encrypted: str) -> str:
        return signature(self.token, timestamp, nonce, encrypted)

    def check_signature(self, msg_signature: str, timestamp: str, nonce: str, encrypted: str) -> None:
        expected = self.sign(timestamp, nonce, encrypted)
        if not hmac.compare_digest(expected.encode(), (msg_signature or "").lower().encode()):
            raise BadSignature("msg_signature does not match")

    # --- AES ----------------------------------------------------------------------------------------
    def _cipher(self) -> Cipher[modes.CBC]:
        return Cipher(algorithms.AES(self.key), modes.CBC(self.key[:16]))

    def encrypt(self, message: str, *, random_prefix: bytes | None = None) -> str:
        """Base64 ciphertext of ``message`` (for tests and stand-ins; WeCom encrypts what it sends us)."""
        prefix = random_prefix if random_prefix is not None else os.urandom(16)
        if len(prefix) != 16:
            raise ValueError("the random prefix has 16 bytes")
        body = message.encode()
        plain = prefix + struct.pack(">I", len(body)) + body + self.receive_id.encode()
        encryptor = self._cipher().encryptor()
        return base64.b64encode(encryptor.update(pkcs7_pad(plain)) + encryptor.finalize()).decode()

    def decrypt(self, encrypted: str) -> str:
        """The message inside base64 ``encrypted``; checks padding, length and receiveid."""
        try:
            raw = base64.b64decode(encrypted, validate=True)
        except (binascii.Error, ValueError):
            raise BadCiphertext("not base64") from None
        if not raw or len(raw) % 16:
            raise BadCiphertext("not whole AES blocks")
        decryptor = self._cipher().decryptor()
        plain = pkcs7_unpad(decryptor.update(raw) + decryptor.finalize())
        if len(plain) < 20:
            raise BadCiphertext("too short")
        (length,) = struct.unpack(">I", plain[16:20])
        if 20 + length > len(plain):
            raise BadCiphertext("length field beyond the plaintext")
        body, receive_id = plain[20:20 + length], plain[20 + length:]
        if not hmac.compare_digest(receive_id, self.receive_id.encode()):
            raise BadReceiveId("receiveid is not this corp")
        try:
            return body.decode()
        except UnicodeDecodeError:
            raise BadCiphertext("message is not UTF-8") from None

    # --- the two callback shapes ---------------------------------------------------------------------
    def verify_url(self, msg_signature: str, timestamp: str, nonce: str, echostr: str) -> str:
        """GET verification: check the signature over ``echostr`` and return its plaintext."""
        self.check_signature(msg_signature, timestamp, nonce, echostr)
        return self.decrypt(echostr)

    def decrypt_message(self, msg_signature: str, timestamp: str, nonce: str, encrypted: str) -> str:
        """POSTed message: check the signature over the ``<Encrypt>`` text and return the inner XML."""
        self.check_signature(msg_signature, timestamp, nonce, encrypted)
        return self.decrypt(encrypted)

    def encrypt_message(self, message: str, timestamp: str, nonce: str) -> tuple[str, str]:
        """(ciphertext, msg_signature) of ``message``, as WeCom would POST it."""
        encrypted = self.encrypt(message)
        return encrypted, self.sign(timestamp, nonce, encrypted)
