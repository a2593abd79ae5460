"""Opaque list cursors, bound to the tenant and the list they came from.

A cursor holds only a position (a sort key) plus a fingerprint of the tenant and the list. The
repository always queries the caller's own partition, so even a forged cursor could only move within
the caller's data; the fingerprint makes another tenant's (or another list's) cursor a clear 400."""

from __future__ import annotations

import base64
import hashlib

from crm import jsonio
from crm.errors import InvalidCursor

MAX_POSITION_BYTES = 1024  # the largest sort key DynamoDB stores


def _owner(tenant_id: str, scope: str) -> str:
    return hashlib.sha256(f"{tenant_id}\x00{scope}".encode()).hexdigest()[:16]


def encode(tenant_id: str, scope: str, position: str) -> str:
    raw = jsonio.dumps({"o": _owner(tenant_id, scope), "p": position})
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(token: str, tenant_id: str, scope: str) -> str:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        data = jsonio.loads(raw)  # strict and depth-limited: a forged cursor is a 400, never a 500
        owner, position = data["o"], data["p"]
    except (ValueError, KeyError, TypeError, IndexError):  # binascii.Error and JsonRejected are ValueErrors
        raise InvalidCursor("The cursor is not valid; use next_cursor from a previous page.") from None
    if owner != _owner(tenant_id, scope) or not isinstance(position, str):
        raise InvalidCursor("The cursor does not belong to this list; use next_cursor from a previous page.")
    if not _storable(position):  # DynamoDB would refuse it as a start key
        raise InvalidCursor("The cursor is not valid; use next_cursor from a previous page.")
    return position


def _storable(position: str) -> bool:
    try:
        return len(position.encode()) <= MAX_POSITION_BYTES
    except UnicodeEncodeError:  # a lone surrogate, from a forged "\ud800"
        return False
