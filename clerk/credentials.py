"""Staff signing keys: an Ed25519 key pair derived from a staff member's password.

The central store publishes each staff member's *public* key with the salt it was made
with (``Staff.signing_key``); the private key exists only while someone who knows the
password has just typed it. A counter derives it at sign-in and signs a statement "this
person signed in at this counter" (clerk.staff.session_handlers). The central store checks that
signature before it accepts any action in that person's name from that counter, so a
counter cannot act for someone who never signed in there: a clerk's counter cannot submit
a chief representative's signature, whatever it puts in the actor field.

The derivation is argon2id with argon2-cffi's default cost (the same as the password
hash), so the published key is no easier to guess a password from than the hash is.
Unlocking the key also checks the password: the derived public key must match.
"""

from __future__ import annotations

import base64
import hashlib
import os

from argon2.low_level import Type, hash_secret_raw
from argon2.profiles import RFC_9106_LOW_MEMORY as COST
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

SCHEME = "ed25519-argon2id-v1"
"""Names the derivation and its cost; a future change of either gets a new name."""


class SigningKey:
    """A staff member's private key, unlocked with their password; signs statements."""

    def __init__(self, private: Ed25519PrivateKey) -> None:
        self._private = private

    def sign(self, message: bytes) -> str:
        return _b64(self._private.sign(message))


def new_signing_key(password: str, salt: bytes | None = None) -> str:
    """The public half to publish for ``password``, with ``salt`` (16 bytes) or a fresh one."""
    salt = salt if salt is not None else os.urandom(16)
    return _encode(salt, _derive(password, salt).public_key())


def salt_for(username: str) -> bytes:
    """A salt that depends on the user name only, for keys made from shared reference files:
    a counter that loaded the files on its own makes the same key as the central store that
    published them, so the sign-ins it made before it was enrolled still verify there."""
    return hashlib.sha256(f"clerk-staff-key\0{username}".encode()).digest()[:16]


def unlock(signing_key: str | None, password: str) -> SigningKey | None:
    """The private key if ``password`` is the one ``signing_key`` was made from, else None."""
    parsed = _parse(signing_key)
    if parsed is None:
        return None
    salt, public = parsed
    private = _derive(password, salt)
    return SigningKey(private) if _raw(private.public_key()) == _raw(public) else None


def verify(signing_key: str | None, message: bytes, signature: str) -> bool:
    """Whether ``signature`` over ``message`` was made with the key behind ``signing_key``."""
    parsed = _parse(signing_key)
    if parsed is None:
        return False
    try:
        parsed[1].verify(base64.b64decode(signature, validate=True), message)
    except (InvalidSignature, ValueError):
        return False
    return True


def _derive(password: str, salt: bytes) -> Ed25519PrivateKey:
    seed = hash_secret_raw(
        password.encode(), salt, time_cost=COST.time_cost, memory_cost=COST.memory_cost,
        parallelism=COST.parallelism, hash_len=32, type=Type.ID,
    )
    return Ed25519PrivateKey.from_private_bytes(seed)


def _encode(salt: bytes, public: Ed25519PublicKey) -> str:
    return f"{SCHEME}${_b64(salt)}${_b64(_raw(public))}"


def _parse(signing_key: str | None) -> tuple[bytes, Ed25519PublicKey] | None:
    """(salt, public key), or None for a missing or malformed value."""
    parts = (signing_key or "").split("$")
    if len(parts) != 3 or parts[0] != SCHEME:
        return None
    try:
        salt = base64.b64decode(parts[1], validate=True)
        public = Ed25519PublicKey.from_public_bytes(base64.b64decode(parts[2], validate=True))
    except ValueError:
        return None
    return salt, public


def _raw(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(Encoding.Raw, PublicFormat.Raw)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()
