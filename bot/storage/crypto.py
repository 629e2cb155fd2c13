"""Encryption of personal data at rest, and keyed hashes to find rows without clear text.

Phone numbers, chat ids and message bodies are stored AES-GCM encrypted with a key derived from
PSP_SECRET_KEY; an address is looked up by an HMAC of its clear text, never by the clear text itself.
The key is process-wide: `configure(secret)` is called once at start-up (and by tests).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_PREFIX = "v1:"


class CryptoNotConfigured(RuntimeError):
    """Personal data was read or written before `configure()`: refuse rather than store clear text."""


class _Keys:
    def __init__(self, secret: str) -> None:
        self.aead = AESGCM(derive_key(secret, "psp-bot/at-rest/v1"))
        self.lookup = derive_key(secret, "psp-bot/lookup/v1")


_keys: _Keys | None = None


def derive_key(secret: str, purpose: str, length: int = 32) -> bytes:
    """A key for one purpose, so that the lookup hash never reveals the encryption key."""
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=purpose.encode()).derive(
        secret.encode()
    )


def configure(secret: str) -> None:
    global _keys
    _keys = _Keys(secret)


def _current() -> _Keys:
    if _keys is None:
        raise CryptoNotConfigured("bot.storage.crypto.configure(secret) was not called")
    return _keys


def encrypt(plain: str) -> str:
    nonce = os.urandom(12)
    sealed = _current().aead.encrypt(nonce, plain.encode("utf-8"), None)
    return _PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def is_encrypted(value: str) -> bool:
    """Whether a stored value was written by `encrypt` (older plain rows are not)."""
    return value.startswith(_PREFIX)


def decrypt(token: str) -> str:
    if not token.startswith(_PREFIX):
        raise ValueError("not an encrypted value")
    raw = base64.urlsafe_b64decode(token[len(_PREFIX) :].encode("ascii"))
    return _current().aead.decrypt(raw[:12], raw[12:], None).decode("utf-8")


def lookup_hash(channel: str, address: str) -> str:
    """Keyed hash of a channel address, used as the unique lookup key."""
    digest = hmac.new(_current().lookup, f"{channel}\x00{address}".encode(), hashlib.sha256).hexdigest()
    return digest
