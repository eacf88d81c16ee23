"""WXBizMsgCrypt: WeCom's published sample values, and an independent implementation written here
(CBC chained by hand over single-block AES, padding and framing by hand; and ``openssl enc`` when the
machine has it), so the module is not only checked against itself."""

from __future__ import annotations

import base64
import hashlib
import shutil
import struct
import subprocess

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.wecom.crypto import (
    BadCiphertext,
    BadReceiveId,
    BadSignature,
    WeComCrypto,
    aes_key,
    pkcs7_pad,
    signature,
)

# the sample of WeCom's WXBizMsgCrypt documentation and SDKs
TOKEN = "QDG6eK"
CORP_ID = "wx5823bf96d3bd56c7"
AES_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
VERIFY = {"msg_signature": "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3", "timestamp": "1409659589",
          "nonce": "263014780",
          "echostr": "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ=="}
ECHO_PLAIN = "1616140317555161061"
MESSAGE = {"msg_signature": "477715d11cdb4164915debcba66cb864d751f3e6", "timestamp": "1409659813",
           "nonce": "1372623149",
           "encrypt": "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg"
                      "3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHz"
                      "M6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nME"
                      "LNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9"
                      "KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q=="}
MESSAGE_PLAIN = ("<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n"
                 "<FromUserName><![CDATA[mycreate]]></FromUserName>\n<CreateTime>1409659813</CreateTime>\n"
                 "<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[hello]]></Content>\n"
                 "<MsgId>4561255354251345929</MsgId>\n<AgentID>218</AgentID>\n</xml>")


@pytest.fixture
def crypto() -> WeComCrypto:
    return WeComCrypto(TOKEN, AES_KEY, CORP_ID)


# --- the published samples ---------------------------------------------------------------------------------

def test_the_published_url_verification_sample(crypto: WeComCrypto) -> None:
    v = VERIFY
    assert signature(TOKEN, v["timestamp"], v["nonce"], v["echostr"]) == v["msg_signature"]
    assert crypto.verify_url(v["msg_signature"], v["timestamp"], v["nonce"], v["echostr"]) == ECHO_PLAIN


def test_the_published_message_sample(crypto: WeComCrypto) -> None:
    m = MESSAGE
    assert crypto.decrypt_message(m["msg_signature"], m["timestamp"], m["nonce"], m["encrypt"]) == MESSAGE_PLAIN


def test_the_key_is_the_base64_of_the_encoding_aes_key_and_the_iv_its_first_16_bytes() -> None:
    key = aes_key(AES_KEY)
    assert len(key) == 32 and key == base64.b64decode(AES_KEY + "=")
    with pytest.raises(ValueError):
        aes_key(AES_KEY[:-1])
    with pytest.raises(ValueError):
        aes_key("!" * 43)


# --- an independent implementation ------------------------------------------------------------------------

def independent_decrypt(encoding_aes_key: str, encrypted: str) -> tuple[bytes, bytes]:
    """(message, receiveid): single-block AES (ECB) chained by hand, WeCom's framing by hand."""
    key = base64.b64decode(encoding_aes_key + "=")
    block = Cipher(algorithms.AES(key), modes.ECB()).decryptor()
    raw = base64.b64decode(encrypted)
    previous, plain = key[:16], b""
    for i in range(0, len(raw), 16):
        chunk = raw[i:i + 16]
        plain += bytes(a ^ b for a, b in zip(block.update(chunk), previous, strict=True))
        previous = chunk
    plain = plain[:-plain[-1]]
    length = struct.unpack("!I", plain[16:20])[0]
    return plain[20:20 + length], plain[20 + length:]


def independent_encrypt(encoding_aes_key: str, message: bytes, receive_id: bytes, prefix: bytes) -> str:
    key = base64.b64decode(encoding_aes_key + "=")
    plain = prefix + len(message).to_bytes(4, "big") + message + receive_id
    n = 32 - len(plain) % 32
    plain += bytes([n] * n)
    block = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    previous, out = key[:16], b""
    for i in range(0, len(plain), 16):
        previous = block.update(bytes(a ^ b for a, b in zip(plain[i:i + 16], previous, strict=True)))
        out += previous
    return base64.b64encode(out).decode()


def independent_signature(*values: str) -> str:
    return hashlib.sha1("".join(sorted(values)).encode("utf-8")).hexdigest()


def test_the_independent_implementation_agrees_on_the_published_samples() -> None:
    assert independent_decrypt(AES_KEY, VERIFY["echostr"]) == (ECHO_PLAIN.encode(), CORP_ID.encode())
    assert independent_decrypt(AES_KEY, MESSAGE["encrypt"]) == (MESSAGE_PLAIN.encode(), CORP_ID.encode())
    assert independent_signature(TOKEN, MESSAGE["timestamp"], MESSAGE["nonce"], MESSAGE["encrypt"]) == \
        MESSAGE["msg_signature"]


@settings(max_examples=60, deadline=None)
@given(message=st.text(min_size=0, max_size=300), prefix=st.binary(min_size=16, max_size=16))
def test_both_implementations_agree_both_ways(message: str, prefix: bytes) -> None:
    crypto = WeComCrypto(TOKEN, AES_KEY, CORP_ID)
    ours = crypto.encrypt(message, random_prefix=prefix)
    assert ours == independent_encrypt(AES_KEY, message.encode(), CORP_ID.encode(), prefix)
    assert independent_decrypt(AES_KEY, ours) == (message.encode(), CORP_ID.encode())
    theirs = independent_encrypt(AES_KEY, message.encode(), CORP_ID.encode(), prefix)
    assert crypto.decrypt(theirs) == message
    assert len(base64.b64decode(ours)) % 32 == 0           # WeCom pads to 32-byte blocks


@pytest.mark.skipif(shutil.which("openssl") is None, reason="no openssl on this machine")
def test_openssl_decrypts_what_we_encrypt(crypto: WeComCrypto) -> None:
    key = aes_key(AES_KEY)
    encrypted = crypto.encrypt("经销商 dealer <xml/>", random_prefix=b"\x00" * 16)
    done = subprocess.run(["openssl", "enc", "-d", "-aes-256-cbc", "-K", key.hex(), "-iv", key[:16].hex(), "-nopad"],
                          input=base64.b64decode(encrypted), capture_output=True, check=True, timeout=10)
    plain = done.stdout[:-done.stdout[-1]]
    assert plain[20:] == "经销商 dealer <xml/>".encode() + CORP_ID.encode()


# --- refusals ------------------------------------------------------------------------------------------------

def test_a_wrong_signature_is_refused_before_decrypting(crypto: WeComCrypto) -> None:
    v = VERIFY
    with pytest.raises(BadSignature):
        crypto.verify_url("0" * 40, v["timestamp"], v["nonce"], v["echostr"])
    with pytest.raises(BadSignature):               # the signature covers the timestamp and the nonce too
        crypto.verify_url(v["msg_signature"], "1409659590", v["nonce"], v["echostr"])
    with pytest.raises(BadSignature):
        WeComCrypto("another-token", AES_KEY, CORP_ID).verify_url(v["msg_signature"], v["timestamp"], v["nonce"],
                                                                   v["echostr"])


def test_a_message_for_another_corp_is_refused(crypto: WeComCrypto) -> None:
    other = WeComCrypto(TOKEN, AES_KEY, "wwAnotherCorp")
    encrypted, sig = other.encrypt_message("<xml/>", "1700000000", "42")
    with pytest.raises(BadReceiveId):
        crypto.decrypt_message(sig, "1700000000", "42", encrypted)
    with pytest.raises(BadReceiveId):               # a prefix of our corp id is not our corp id
        crypto.decrypt(WeComCrypto(TOKEN, AES_KEY, CORP_ID[:-1]).encrypt("<xml/>"))


def test_garbage_ciphertexts_are_refused_not_crashed_on(crypto: WeComCrypto) -> None:
    key = aes_key(AES_KEY)
    good_blocks_bad_padding = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor().update(b"\x00" * 32)
    short = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor().update(pkcs7_pad(b"abc"))
    lying = b"\x00" * 16 + struct.pack(">I", 10_000) + b"x"
    lying_blocks = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor().update(pkcs7_pad(lying))
    for bad in ("", "not base64!!", base64.b64encode(b"123").decode(), base64.b64encode(b"a" * 17).decode(),
                base64.b64encode(good_blocks_bad_padding).decode(), base64.b64encode(short).decode(),
                base64.b64encode(lying_blocks).decode()):
        with pytest.raises(BadCiphertext):
            crypto.decrypt(bad)


def test_an_empty_token_is_a_configuration_error() -> None:
    with pytest.raises(ValueError):
        WeComCrypto("", AES_KEY, CORP_ID)
