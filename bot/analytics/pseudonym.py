"""Pseudonymous subject IDs for analytics exports.

`subject_id` is a keyed hash (HMAC-SHA256) of the program patient reference: the same key gives the same ID
in every export, so analysts can join exports over time; without the key the ID cannot be turned back into
the patient reference, nor recomputed from a guessed one. Derive the key from `PSP_SECRET_KEY` with a
purpose string (`derive_key(secret, "analytics-export-v1")`): a different purpose gives unlinkable IDs, so a
second data recipient can get IDs that cannot be joined with the first's.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

SUBJECT_ID_PREFIX = "S-"
SUBJECT_ID_PATTERN = re.compile(r"^S-[A-Z2-7]{16}$")
"""`S-` and 16 base32 characters (80 bits of the HMAC): collisions are negligible below billions of
patients."""

_KEY_BYTES = 32
_MIN_KEY_BYTES = 16
_ID_BYTES = 10
_HKDF_SALT = b"psp-bot pseudonym key"


def derive_key(secret: str, purpose: str) -> bytes:
    """A 32-byte key for one purpose, derived from the service secret with HKDF-SHA256."""
    if not secret:
        raise ValueError("secret must not be empty")
    if not purpose:
        raise ValueError("purpose must not be empty")
    hkdf = HKDF(algorithm=hashes.SHA256(), length=_KEY_BYTES, salt=_HKDF_SALT, info=purpose.encode("utf-8"))
    return hkdf.derive(secret.encode("utf-8"))


def subject_id(key: bytes, patient_ref: str) -> str:
    """The pseudonymous subject ID of a patient, e.g. `S-MFRGGZDFMZTWQ2LK`.

    `patient_ref` is used exactly as given (no case or space folding): pass the stored program patient ID.
    """
    if not isinstance(key, bytes) or len(key) < _MIN_KEY_BYTES:
        raise ValueError(f"key must be at least {_MIN_KEY_BYTES} bytes (use derive_key)")
    if not isinstance(patient_ref, str) or not patient_ref:
        raise ValueError("patient_ref must be a non-empty string")
    digest = hmac.new(key, patient_ref.encode("utf-8"), hashlib.sha256).digest()[:_ID_BYTES]
    return SUBJECT_ID_PREFIX + base64.b32encode(digest).decode("ascii")


def is_subject_id(value: object) -> bool:
    """True when `value` has the shape of a subject ID (it says nothing about which key made it)."""
    return isinstance(value, str) and SUBJECT_ID_PATTERN.match(value) is not None
