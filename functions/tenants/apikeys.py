"""API keys: random, prefixed, shown once, stored only as a SHA-256 hash.

A key reads `crm_<tenant id>_<key id>_<secret>`. Naming the tenant and key lets the authorizer fetch
exactly one item inside the tenant's own partition (no global index of secrets); the 256-bit secret is
what authenticates, and a fast hash suffices for a secret of that entropy."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

PREFIX = "crm"
_SHAPE = re.compile(r"^crm_([0-9A-HJKMNP-TV-Z]{26})_([0-9A-HJKMNP-TV-Z]{26})_([A-Za-z0-9_-]{43})$")


@dataclass(frozen=True)
class ParsedKey:
    tenant_id: str
    key_id: str


def issue(tenant_id: str, key_id: str) -> str:
    return f"{PREFIX}_{tenant_id}_{key_id}_{secrets.token_urlsafe(32)}"


def parse(key: str) -> ParsedKey | None:
    match = _SHAPE.fullmatch(key)  # `$` alone would let a trailing newline through
    return ParsedKey(match.group(1), match.group(2)) if match else None


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def matches(key: str, stored_digest: str) -> bool:
    return hmac.compare_digest(digest(key), stored_digest)


def bearer(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None
