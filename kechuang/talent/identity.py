"""Protection of identity numbers (公民身份号码): encrypted at rest, found by a keyed hash, shown masked.

Two keys are derived with HKDF-SHA256 from one master key, ``settings.KECHUANG_DATA_KEY`` (or, when that is
unset, from ``SECRET_KEY``, for development and tests; ``check --deploy`` warns about it):

- an AES-256-GCM key encrypts the number (a random 96-bit nonce per value; the ciphertext is bound to its
  purpose by associated data, so it cannot be swapped into another encrypted column);
- an HMAC-SHA256 key gives the look-up hash, stored in a unique indexed column, so "is this number already
  registered" and imports by ID number are one indexed comparison without decrypting anything.

Everyone sees the masked form (4502**********123X) except users whose role has ``talent.identity`` "view".
The derived keys are cached by master key, so changing the setting (tests, ``talent_rekey``) takes effect.
"""

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

from kechuang.core.validators import mask_idcard

__all__ = [
    "IDENTITY",
    "IdentityKeys",
    "decrypt",
    "encrypt",
    "is_masked",
    "keys_for",
    "lookup_hash",
    "mask_idcard",
    "master_key",
    "may_see_identity",
]

# The right to read full identity numbers (accounts/roles.py grants it to the bureau administrator and staff).
IDENTITY = "talent.identity"
VERSION = "v1"
_SALT = b"kechuang data key"
_AAD = b"talent.person.id_number"
_NONCE_BYTES = 12


def master_key() -> str:
    """The installation's data key, or SECRET_KEY when none is set (development and tests only)."""
    return settings.KECHUANG_DATA_KEY or settings.SECRET_KEY


class IdentityKeys:
    """The encryption key and the look-up key derived from one master key."""

    def __init__(self, master: str):
        self.encryption = _derive(master, b"id-number encryption v1")
        self.lookup = _derive(master, b"id-number lookup v1")

    def encrypt(self, number: str) -> str:
        nonce = os.urandom(_NONCE_BYTES)
        sealed = AESGCM(self.encryption).encrypt(nonce, number.encode(), _AAD)
        return f"{VERSION}:{base64.urlsafe_b64encode(nonce + sealed).decode()}"

    def decrypt(self, token: str) -> str:
        version, _, body = token.partition(":")
        if version != VERSION:
            raise ValueError(f"unknown identity cipher version {version!r}")
        raw = base64.urlsafe_b64decode(body)
        try:
            return AESGCM(self.encryption).decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], _AAD).decode()
        except InvalidTag:
            raise ValueError("identity number cannot be decrypted with this data key") from None

    def hash(self, number: str) -> str:
        return hmac.new(self.lookup, number.encode(), hashlib.sha256).hexdigest()


def _derive(master: str, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=_SALT, info=purpose).derive(master.encode())


@lru_cache(maxsize=4)
def keys_for(master: str) -> IdentityKeys:
    return IdentityKeys(master)


def encrypt(number: str) -> str:
    """The stored form of a normalised identity number."""
    return keys_for(master_key()).encrypt(number)


def decrypt(token: str) -> str:
    return keys_for(master_key()).decrypt(token)


def lookup_hash(number: str) -> str:
    """The keyed hash of a normalised identity number (64 hex characters)."""
    return keys_for(master_key()).hash(number)


def is_masked(value: str) -> bool:
    """Whether a value is a masked number as exports and pages show it (it cannot name a person)."""
    return "*" in (value or "") or "＊" in (value or "")


def may_see_identity(user) -> bool:
    """Whether the user may read full identity numbers (None is the system: commands and the demo)."""
    from kechuang.accounts.roles import role_allows

    if user is None:
        return True
    return bool(user.is_authenticated and user.is_active and role_allows(user.role, IDENTITY, "view"))
