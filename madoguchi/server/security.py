"""Secrets of the hall server: device tokens, staff passwords and sessions, and form encryption at rest.

- Device and session tokens are long random strings; only their SHA-256 is stored (they carry 256 bits, so a
  fast hash is enough).
- Staff passwords use scrypt (a slow, memory-hard KDF from the standard library) with a per-password salt.
- Form data is encrypted with AES-GCM under a key *per hall day*, kept in files outside the database (0600).
  Purging a day deletes its rows and its key file: even a backup of the database holds nothing decryptable.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import json
import logging
import os
import secrets
import time
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

log = logging.getLogger(__name__)

#: an AES-256 key
KEY_BYTES = 32

#: scrypt at OWASP's minimum (N=2^17, r=8, p=1: 128 MiB and about a quarter of a second per check); a hash made
#: with weaker parameters is made again at the next successful login
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**17, 8, 1
#: scrypt needs 128·N·r bytes; the standard library's default cap (32 MiB) would refuse these parameters
_SCRYPT_MAXMEM = 2 * 128 * SCRYPT_N * SCRYPT_R


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    maxmem = max(_SCRYPT_MAXMEM, 2 * 128 * n * r)
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=length, maxmem=maxmem)


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, 32)
    b64 = base64.b64encode
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${b64(salt).decode()}${b64(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt_b64, digest_b64 = stored.split("$")
        if scheme != "scrypt":
            return False
        salt, expected = base64.b64decode(salt_b64), base64.b64decode(digest_b64)
        digest = _scrypt(password, salt, int(n), int(r), int(p), len(expected))
    except ValueError:
        return False
    return hmac.compare_digest(digest, expected)


def needs_rehash(stored: str) -> bool:
    """True for a hash made with weaker parameters than today's (to be made again at the next login)."""
    try:
        scheme, n, r, p, _salt, _digest = stored.split("$")
        return scheme != "scrypt" or (int(n), int(r), int(p)) < (SCRYPT_N, SCRYPT_R, SCRYPT_P)
    except ValueError:
        return True


@functools.cache
def unknown_account_hash() -> str:
    """A hash to check an unknown staff id's password against: the answer takes as long as for a known id."""
    return hash_password(secrets.token_urlsafe(16))


class FormCipher:
    """AES-GCM encryption of a ticket's form, bound to the ticket id, with one key file per hall day."""

    def __init__(self, key_dir: Path | str) -> None:
        self.key_dir = Path(key_dir)
        self.key_dir.mkdir(parents=True, exist_ok=True, mode=0o700)

    def _key_path(self, day: str) -> Path:
        if not all(c.isdigit() or c == "-" for c in day):
            raise ValueError("bad day")
        return self.key_dir / f"forms-{day}.key"

    def _key(self, day: str, *, create: bool) -> bytes | None:
        path = self._key_path(day)
        try:
            key = path.read_bytes()
        except FileNotFoundError:
            key = None
        if key is not None and len(key) != KEY_BYTES:
            # A damaged key (a full disk under an older release left 0 bytes) must never block the day: it is put
            # aside, and the day goes on with a new key. Forms under the damaged one could not be read anyway.
            aside = path.with_name(f"{path.name}.damaged-{int(time.time())}")
            os.replace(path, aside)
            log.error("form key of %s was damaged (%d bytes); set aside as %s, a new key follows", day, len(key), aside)
            key = None
        if key is not None or not create:
            return key
        return self._create_key(path)

    def _create_key(self, path: Path) -> bytes:
        """Written whole or not at all: a temporary file, fsync, then a link to the final name (which fails if
        another writer made the key first: theirs is used)."""
        key = AESGCM.generate_key(bit_length=256)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(key)
                f.flush()
                os.fsync(f.fileno())
            try:
                os.link(tmp, path)
            except FileExistsError:
                return path.read_bytes()
            _fsync_dir(self.key_dir)
            return key
        finally:
            tmp.unlink(missing_ok=True)

    def encrypt(self, day: str, ticket_id: int, data: dict[str, Any]) -> tuple[bytes, bytes]:
        key = self._key(day, create=True)
        assert key is not None
        nonce = secrets.token_bytes(12)
        plaintext = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return nonce, AESGCM(key).encrypt(nonce, plaintext, f"{day}/{ticket_id}".encode())

    def decrypt(self, day: str, ticket_id: int, nonce: bytes, ciphertext: bytes) -> dict[str, Any] | None:
        """The form, or None when its day's key has been purged (or replaced after damage)."""
        key = self._key(day, create=False)
        if key is None:
            return None
        try:
            plaintext = AESGCM(key).decrypt(nonce, ciphertext, f"{day}/{ticket_id}".encode())
        except InvalidTag:
            log.error("the form of ticket %d cannot be decrypted with its day's key", ticket_id)
            return None
        data: dict[str, Any] = json.loads(plaintext)
        return data

    def purge_keys(self, before_day: str | None = None) -> int:
        """Delete the key files of days before ``before_day`` (all when None), damaged ones set aside included."""
        removed = 0
        for path in self.key_dir.glob("forms-*.key*"):
            day = path.name.removeprefix("forms-").partition(".key")[0]
            if before_day is None or day < before_day:
                path.unlink(missing_ok=True)
                removed += 1
        return removed

    def key_days(self) -> list[str]:
        return sorted(p.stem.removeprefix("forms-") for p in self.key_dir.glob("forms-*.key"))


def _fsync_dir(folder: Path) -> None:
    """Make a new name in ``folder`` durable (POSIX; Windows has no directory handles to sync)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def mask_individual_number(number: str) -> str:
    """Show only the last four digits, as the kiosk and console must."""
    digits = "".join(c for c in number if c.isdigit())
    return "•" * max(len(digits) - 4, 0) + digits[-4:]
