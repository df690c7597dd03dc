"""Personal numbers at rest: AES-GCM ciphertext plus a keyed hash for exact lookup.

Both keys are derived (HKDF-SHA256) from ``settings.FIELD_ENCRYPTION_KEY`` with
different labels, so the lookup hash reveals nothing about the cipher key and a
database copy without the key holds neither the numbers nor a way to test
guesses against the hash.  Each ciphertext is bound to its column (associated
data), so a value cannot be moved to another column or record kind unnoticed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

VERSION = "v1"
NONCE_BYTES = 12


class DecryptionError(Exception):
    """The stored value was not written with this key (or was altered)."""


@lru_cache(maxsize=4)
def derive_key(secret: str, label: str) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=label.encode())
    return hkdf.derive(secret.encode())


def cipher_key() -> bytes:
    return derive_key(settings.FIELD_ENCRYPTION_KEY, "baolei.people.field-encryption")


def lookup_key() -> bytes:
    return derive_key(settings.FIELD_ENCRYPTION_KEY, "baolei.people.lookup-hash")


def encrypt(plain: str, *, column: str) -> str:
    """``v1:<base64 nonce+ciphertext>``; a fresh nonce each time, so equal values differ."""
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(cipher_key()).encrypt(nonce, plain.encode(), column.encode())
    return f"{VERSION}:{base64.urlsafe_b64encode(nonce + sealed).decode()}"


def decrypt(token: str, *, column: str) -> str:
    version, _, body = token.partition(":")
    if version != VERSION:
        raise DecryptionError(f"unknown ciphertext version {version!r}")
    try:
        raw = base64.urlsafe_b64decode(body)
        plain = AESGCM(cipher_key()).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], column.encode())
    except (InvalidTag, ValueError) as exc:  # another key or column, or altered bytes
        raise DecryptionError(f"cannot decrypt {column}") from exc
    return plain.decode()


def lookup_hash(plain: str, *, column: str) -> str:
    """HMAC-SHA256 (hex) of a canonical value, for equality search and uniqueness."""
    message = f"{column}\x00{plain}".encode()
    return hmac.new(lookup_key(), message, hashlib.sha256).hexdigest()
