"""Idempotency-Key: a retried write returns the first response. The key's record is written in the same
transaction as the change it guards, so "the change happened" and "its response is remembered" can
never disagree, and two racing retries cannot both write."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from crm import clock
from crm.errors import BadRequest, IdempotencyKeyReused

KEY_LIFETIME = timedelta(hours=24)
PARTITION = "I"
_VALID_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")


@dataclass(frozen=True)
class IdempotencyKey:
    key: str
    fingerprint: str  # what the request was: method, path and body

    @classmethod
    def from_request(cls, key: str | None, method: str, path: str, body: Any) -> IdempotencyKey | None:
        if key is None:
            return None
        if not _VALID_KEY.match(key):
            raise BadRequest("Idempotency-Key must be 1-255 visible ASCII characters.")
        canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
        fingerprint = hashlib.sha256(f"{method} {path}\n{canonical}".encode()).hexdigest()
        return cls(key=key, fingerprint=fingerprint)

    def sort_key(self) -> str:
        return hashlib.sha256(self.key.encode()).hexdigest()

    def stored(self, status: int, body: Any) -> dict[str, Any]:
        expires = int((clock.now() + KEY_LIFETIME).timestamp())
        return {
            "kind": "idempotency",
            "fingerprint": self.fingerprint,
            "status": status,
            "body": body,
            "expires_at": expires,
        }

    def replay(self, item: dict[str, Any]) -> tuple[int, Any] | None:
        """The first response if `item` is this request's record; None if it has expired."""
        # Whole seconds, as the write's condition `expires_at < :now` compares: within the last second
        # of a key's life it must not count as expired here yet still block the write (a 503).
        if item.get("expires_at", 0) < int(clock.now().timestamp()):
            return None
        if item.get("fingerprint") != self.fingerprint:
            raise IdempotencyKeyReused("This Idempotency-Key was already used with a different request; use a new key.")
        return item["status"], item["body"]
