"""The audit log's signing key: Ed25519, base64 of the 32-byte private key.

It comes from ``settings.SIGNING_KEY`` or else the file ``settings.SIGNING_KEY_FILE``. Production settings
refuse to start without one. In development, when neither is present, a fixed development key derived from
``SECRET_KEY`` is used (and a warning logged) so that the demo and every app's tests can write events; it is
no secret and protects nothing. ``manage.py generate_signing_key`` writes a real key file.

The same key also yields the key for the per-event MACs (see :mod:`sanxiang.audit.services`), so whoever can
forge rows must also hold the signing key.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import logging
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from sanxiang.audit.verifier import key_id

logger = logging.getLogger(__name__)

_MAC_KEY_LABEL = b"sanxiang audit event mac v1"


class SigningKey:
    """A loaded key: the private key, its public bytes, its short id and the derived MAC key."""

    def __init__(self, encoded: str) -> None:
        try:
            raw = base64.b64decode(encoded.strip(), validate=True)
        except binascii.Error as exc:
            raise ImproperlyConfigured("审计签名密钥不是有效的 base64 编码") from exc
        if len(raw) != 32:
            raise ImproperlyConfigured("审计签名密钥应为 32 字节的 Ed25519 私钥（base64 编码）")
        self.private_key = Ed25519PrivateKey.from_private_bytes(raw)
        self.public_key = self.private_key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        self.key_id = key_id(self.public_key)
        self.mac_key = hmac.digest(raw, _MAC_KEY_LABEL, "sha256")

    def sign(self, message: bytes) -> bytes:
        return self.private_key.sign(message)


@functools.lru_cache(maxsize=8)
def _load(encoded: str) -> SigningKey:
    return SigningKey(encoded)


def _development_key() -> str:
    seed = hashlib.sha256(b"sanxiang development audit key|" + settings.SECRET_KEY.encode()).digest()
    return base64.b64encode(seed).decode()


@functools.lru_cache(maxsize=8)
def _read_key_file(path: str, mtime_ns: int) -> str:
    return Path(path).read_text(encoding="ascii").strip()


def _configured_key() -> str | None:
    if settings.SIGNING_KEY:
        return str(settings.SIGNING_KEY)
    path = Path(settings.SIGNING_KEY_FILE)
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return _read_key_file(str(path), stat.st_mtime_ns)


def signing_key() -> SigningKey:
    """The configured key; in development only, the fixed development key when none is configured."""
    encoded = _configured_key()
    if encoded is None:
        if getattr(settings, "PRODUCTION", False):
            raise ImproperlyConfigured("未配置审计签名密钥（SANXIANG_SIGNING_KEY 或密钥文件）")
        if not _warned:
            _warned.append(True)
            logger.warning(
                "No audit signing key configured: using the development key (never in production)."
            )
        encoded = _development_key()
    return _load(encoded)


_warned: list[bool] = []


def generate_key_file(path: Path) -> tuple[bool, SigningKey]:
    """Write a new private key to ``path`` (mode 0600) unless the file exists; return (created, key)."""
    if path.exists():
        return False, SigningKey(path.read_text(encoding="ascii").strip())
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    encoded = base64.b64encode(raw).decode()
    # O_EXCL: two runs at once cannot both write; the mode is set at creation, never world-readable.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(encoded + "\n")
    return True, SigningKey(encoded)
