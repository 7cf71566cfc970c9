"""Counting failed attempts at a public form that checks a secret (a query code, a tracking code).

A wrong code counts against the visitor's address and against the record it was tried on; past ``limit``
failures within ``window`` seconds every attempt, right or wrong, is refused until the window has passed, so
codes cannot be found by trying. The counts live in Django's cache ("default"): the embedded demo's
per-process memory, in production the shared cache every app server uses.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest

__all__ = ["Throttle", "client_address"]


def client_address(request: HttpRequest) -> str:
    """The visitor's address as the server saw it (the reverse proxy sets REMOTE_ADDR in production)."""
    return str(request.META.get("REMOTE_ADDR", ""))


@dataclass(frozen=True)
class Throttle:
    """Failures of one kind (``scope``), counted per key, at most ``limit`` per ``window`` seconds."""

    scope: str
    limit: int = 5
    window: int = 15 * 60

    def _key(self, key: str) -> str:
        return f"throttle:{self.scope}:{hashlib.sha256(key.encode()).hexdigest()}"

    def blocked(self, *keys: str) -> bool:
        """Whether any of ``keys`` has used up its failures."""
        counts = cache.get_many([self._key(k) for k in keys])
        return any(int(n) >= self.limit for n in counts.values())

    def fail(self, *keys: str) -> None:
        """Count one failure against each of ``keys``; the window starts at a key's first failure."""
        for key in keys:
            name = self._key(key)
            if cache.add(name, 1, self.window):
                continue
            try:
                cache.incr(name)
            except ValueError:  # expired between add() and incr()
                cache.add(name, 1, self.window)
